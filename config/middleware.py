import logging
import re
import uuid

from django.db import InterfaceError, OperationalError

from . import logs
from .views import service_unavailable

logger = logging.getLogger("internboard.request")

# An incoming X-Request-ID (set by a proxy or load balancer) is reused only when
# it is a short plain token; anything else could forge or garble log lines.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """Gives every request an id: in its log lines and in the X-Request-ID header.

    Django logs every 5xx response on the django.request logger; the logging
    filter adds this id to those lines too (config/logs.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = rid
        token = logs.request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            logs.request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class DatabaseOutageMiddleware:
    """Answers 503 "try again shortly" when the database cannot be reached.

    Django closes a connection that raised, and settings.DATABASES asks for a
    health check before a kept connection is reused, so the first request after
    the database comes back gets a fresh connection: no restart needed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            logger.warning("database unavailable", extra={"error": type(exception).__name__})
            return service_unavailable(request)
        return None
