import logging
import re
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import InterfaceError, OperationalError
from whitenoise.middleware import WhiteNoiseMiddleware

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


class HeadResponseMiddleware:
    """Answers HEAD with the headers of GET and no body.

    Django's views render the body for HEAD too; Django's own servers drop it,
    but gunicorn sends what the app gives and logs "WSGI app sent body bytes
    on a no-body response" for every HEAD (monitors send many). The length
    of the GET body is kept in Content-Length, as HTTP asks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                response.streaming_content = []
            else:
                if not response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
                response.content = b""
        return response


ADMIN_PREFIX = "/admin/"


class CanonicalHostMiddleware:
    """In production, every absolute URL the site writes (canonical links, Open
    Graph, feeds, the sitemap, robots.txt) starts with settings.SITE_URL.

    The Host header is still checked against ALLOWED_HOSTS first (a bad one
    gets the 400 page), but its port or spelling never reaches a page: a
    request to http://site:8443/ gets the same canonical links as one to
    https://site/. Off in development and tests (CANONICAL_SITE_URL empty).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.site_url = settings.CANONICAL_SITE_URL
        parts = urlsplit(self.site_url)
        self.scheme, self.netloc = parts.scheme, parts.netloc

    def __call__(self, request):
        # The admin is left as requested: it writes no canonical URL, and its
        # CSRF check compares the browser's Origin with the real host.
        if self.site_url and not request.path_info.startswith(ADMIN_PREFIX):
            request.get_host()  # DisallowedHost -> 400 for hosts not allowed
            request.META["HTTP_HOST"] = self.netloc
            request.META.pop("HTTP_X_FORWARDED_HOST", None)
            # After SecurityMiddleware's HTTPS redirect, which saw the real
            # scheme: from here on the request is on SITE_URL's scheme
            # (the feed's links follow request.is_secure()).
            request.META["wsgi.url_scheme"] = self.scheme
            # HttpRequest.build_absolute_uri() starts every URL with this.
            request._current_scheme_host = self.site_url
        return self.get_response(request)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise without the collectstatic manifest: staticfiles.json lists every
    static file and its hashed name, which is nobody's business outside."""

    HIDDEN = ("staticfiles.json",)

    def add_file_to_dictionary(self, url, path, stat_cache=None):
        if url.rsplit("/", 1)[-1] in self.HIDDEN:
            return
        super().add_file_to_dictionary(url, path, stat_cache=stat_cache)

    def find_file(self, url):
        if url.rsplit("/", 1)[-1] in self.HIDDEN:
            return None
        return super().find_file(url)
