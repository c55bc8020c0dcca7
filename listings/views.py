import logging
from functools import wraps

from django.core.handlers.exception import response_for_exception
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from . import clicks, pay
from .links import with_utm_source
from .models import Posting, Status, prefetch_labels
from .validators import is_valid_apply_url

logger = logging.getLogger(__name__)


def home(request):
    newest = prefetch_labels(Posting.objects.open().for_list()[:10])
    return render(request, "listings/home.html", {"newest": newest})


def posting_list(request):
    paginator = Paginator(Posting.objects.open().for_list(), 20)
    page = paginator.get_page(request.GET.get("page"))
    prefetch_labels(page.object_list)
    return render(request, "listings/posting_list.html", {"page": page})


def posting_detail(request, pk, slug=None):
    posting = get_object_or_404(Posting.objects.for_detail(), pk=pk)
    if slug != posting.slug:
        return redirect(posting, permanent=True)
    prefetch_labels([posting])
    return render(
        request,
        "listings/posting_detail.html",
        {"posting": posting, "states": pay.US_STATES},
    )


def _private(view):
    """Never cache or index the responses of `view`, its 404 included."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404 as exc:
            response = response_for_exception(request, exc)
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapper


@_private
@require_safe
def apply(request, pk):
    """Send the visitor to the company's application page and count the click.

    The destination is the posting's stored, validated apply_url plus
    utm_source; nothing in the request shapes it. This is the hottest view
    on the site, so the open path reads three columns and writes one row.
    """
    try:
        posting = Posting.objects.only("status", "closes_on", "apply_url").get(pk=pk)
    except Posting.DoesNotExist:
        raise Http404("No such internship.") from None
    if posting.is_open:
        # Re-checked here too: a URL that bypassed the model's validation
        # (a raw UPDATE) is never followed.
        if is_valid_apply_url(posting.apply_url):
            if clicks.is_counted(request):
                clicks.record_click(posting.pk)
            return HttpResponseRedirect(with_utm_source(posting.apply_url))
        logger.error("Posting %s has an invalid apply_url; not redirecting.", posting.pk)
    return _gone(request, pk)


def _gone(request, pk):
    """410: the posting no longer takes applications; offer similar open ones."""
    posting = get_object_or_404(Posting.objects.select_related("company"), pk=pk)
    similar = prefetch_labels(Posting.objects.open().similar_to(posting).for_list()[:5])
    return render(
        request,
        "listings/posting_gone.html",
        {
            "posting": posting,
            # Drafts and postings pending review were never public: say
            # nothing about them beyond "not accepting applications".
            "was_public": posting.status in (Status.PUBLISHED, Status.CLOSED),
            "past_deadline": posting.status == Status.PUBLISHED and posting.closes_on is not None,
            "similar": similar,
        },
        status=410,
    )


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse("unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
