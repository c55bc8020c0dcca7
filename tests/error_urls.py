"""The site's URLs plus views that fail on purpose, for tests of the error pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns

SECRET_LOOKING_TEXT = "password=hunter2 in /srv/internboard/settings.py"


def crash(request):
    raise ValueError(SECRET_LOOKING_TEXT)


def database_down(request):
    raise OperationalError("connection to server at 10.0.0.5 failed: " + SECRET_LOOKING_TEXT)


def forbidden(request):
    raise PermissionDenied(SECRET_LOOKING_TEXT)


def suspicious(request):
    raise SuspiciousOperation(SECRET_LOOKING_TEXT)


urlpatterns = [
    path("test/crash/", crash),
    path("test/database-down/", database_down),
    path("test/forbidden/", forbidden),
    path("test/suspicious/", suspicious),
    *site_urlpatterns,
]


class DatabaseDownMiddleware:
    """Fails the way a session or auth lookup does when the database is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/test/middleware-database-down/":
            raise OperationalError("server closed the connection unexpectedly")
        return self.get_response(request)
