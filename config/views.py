"""Error pages.

They are rendered without context processors or the request object, so they
never touch the database (they must work while it is down), never build a URL
from an untrusted Host header, and never show the exception or the request
id: support finds the id in the logs and the X-Request-ID response header.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.http import require_safe


def error_page(request, status, headers=None):
    template = loader.get_template(f"{status}.html")
    # The request id stays in the log and the X-Request-ID header: visitors
    # are shown no reference they cannot use.
    context = {"status": status}
    return HttpResponse(template.render(context), status=status, headers=headers)


def bad_request(request, exception):
    return error_page(request, 400)


def permission_denied(request, exception):
    return error_page(request, 403)


def csrf_failure(request, reason=""):
    return error_page(request, 403)


def page_not_found(request, exception):
    return error_page(request, 404)


def server_error(request):
    # Called while the exception is being handled: a database error raised
    # outside a view (e.g. in middleware) still gets the outage page.
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        return service_unavailable(request)
    return error_page(request, 500)


def service_unavailable(request):
    return error_page(request, 503, headers={"Retry-After": "30"})


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links: the static icon."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
