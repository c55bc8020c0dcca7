import functools
import logging

from django.core.handlers.exception import response_for_exception
from django.db import connection
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from . import clicks, pay
from .cache import CachedCountPaginator, cached, canonical_page, visitor_page
from .filters import FORM_CHOICES, PostingFilter
from .links import with_utm_source
from .models import Posting, Status, browse_labels, prefetch_labels
from .suggestions import suggestions
from .validators import is_valid_apply_url

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
HOME_NEWEST = 8
SIMILAR = 5
MAX_REDIRECT_QUERY = 4000


@visitor_page
def home(request):
    newest = prefetch_labels(Posting.objects.open().for_list()[:HOME_NEWEST])
    # Both read every open posting (or every label row); cached until a write.
    counts = cached(
        "home-counts",
        lambda: Posting.objects.open().aggregate(
            postings=Count("pk"), companies=Count("company", distinct=True)
        ),
    )
    return render(
        request,
        "listings/home.html",
        {
            "newest": newest,
            "counts": counts,
            "browse": cached("browse-labels", browse_labels),
        },
    )


def nearest_page(paginator, value):
    """The page asked for, or the nearest one that exists (never an error)."""
    try:
        number = int(str(value).strip()[:20])
    except ValueError:
        number = 1
    return paginator.page(min(max(number, 1), paginator.num_pages))


class PostingPaginator(CachedCountPaginator):
    """Pages found by their ids first ("late row lookup").

    The page's ids come from a narrow subquery — on PostgreSQL, for the plain
    list, an index-only walk of (status, posted_on, id) — and only those rows
    are read whole. A deep page then skips its offset through an index rather
    than through wide table rows; the page is still one query.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        postings = self.object_list
        rows = postings.filter(pk__in=postings.values("pk")[bottom:top])
        return self._get_page(rows, number, self)


def without_empty_parameters(query):
    """`query` (a QueryDict) without its empty values, or None when it has none."""
    cleaned = query.copy()
    changed = False
    for key in list(cleaned):
        values = [v for v in cleaned.getlist(key) if v.strip()]
        if len(values) != len(cleaned.getlist(key)):
            changed = True
            if values:
                cleaned.setlist(key, values)
            else:
                del cleaned[key]
    return cleaned if changed else None


@visitor_page
def posting_list(request):
    # A form sends every field, the empty ones too: answer with the address
    # the filters in use make, to share, bookmark and cache.
    cleaned = without_empty_parameters(request.GET)
    query = cleaned.urlencode() if cleaned is not None else None
    # An address no browser would keep (a 100 KB q) is answered as it is.
    if query is not None and len(query) <= MAX_REDIRECT_QUERY:
        return redirect(request.path + (f"?{query}" if query else ""), permanent=True)
    filterset = PostingFilter(request.GET, queryset=Posting.objects.open(), request=request)
    paginator = PostingPaginator(
        filterset.qs.for_list(), PAGE_SIZE, count_key=filterset.count_key()
    )
    page = nearest_page(paginator, request.GET.get("page", 1))
    prefetch_labels(page.object_list)
    values = filterset.form_values()
    state = filterset.chosen_state
    ignored = filterset.ignored
    hints = suggestions()
    response = render(
        request,
        "listings/posting_list.html",
        {
            "filter": filterset,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "state": state,
            "state_name": pay.US_STATES.get(state, ""),
            "values": values,
            "sort": filterset.chosen_sort,
            "choices": FORM_CHOICES,
            "ignored": ignored,
            "active": filterset.active(),
            "label_fields": [
                ("skill", "Skills", "skill", "e.g. Python", values["skill"], hints["skill"]),
                (
                    "category",
                    "Categories",
                    "category",
                    "e.g. Design",
                    values["category"],
                    hints["category"],
                ),
                ("term", "Terms", "term", "e.g. Summer 2026", values["term"], hints["term"]),
                (
                    "company",
                    "Companies",
                    "company",
                    "Company name",
                    values["company"],
                    hints["company"],
                ),
            ],  # fmt: skip
        },
    )
    # Only addresses the list takes as written are kept in the page cache.
    response.visitor_cacheable = not ignored and canonical_page(request, page)
    return response


def can_preview(user, posting):
    return (
        user.is_active
        and user.is_staff
        and Posting.objects.editable_by(user).filter(pk=posting.pk).exists()
    )


@visitor_page
def posting_detail(request, pk, slug=None):
    posting = get_object_or_404(Posting.objects.for_detail(), pk=pk)
    if not posting.is_public and not can_preview(request.user, posting):
        # Drafts and postings in review are seen by the staff who may edit
        # them (admin's "view on site"), and by nobody else.
        raise Http404("No such internship.")
    if slug != posting.slug:
        return redirect(posting, permanent=True)
    prefetch_labels([posting])
    # The same for every visitor until the next write: kept with the other
    # cached values, so a detail page usually runs four queries, not five.
    similar = cached(
        "similar",
        lambda: list(
            Posting.objects.open()
            .similar_to(posting)
            .select_related("company")
            .defer("search_vector", "about_role", "responsibilities")[:SIMILAR]
        ),
        posting.pk,
    )
    state = pay.normalise_state(request.GET.get("state", "")[:10])
    response = render(
        request,
        "listings/posting_detail.html",
        {
            "posting": posting,
            "similar": similar,
            "state": state,
            "state_name": pay.US_STATES.get(state, ""),
            "state_pay": posting.pay_display_in(state) if state else "",
            "state_range": posting.pay_in(state) if state else None,
        },
    )
    # Only addresses the page takes as written are kept in the page cache.
    response.visitor_cacheable = set(request.GET) <= {"state"} and (
        request.GET.get("state", state) == state
    )
    return response


def _private(view):
    """Never cache or index the responses of `view`, its 404 included."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404 as exc:
            response = response_for_exception(request, exc)
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapper


# The apply view's one read: only the columns it needs, as SQL the ORM
# compiles once. Building the query per request would cost several times
# more than the database takes to answer it, on the busiest URL of the site.
_APPLY_FIELDS = [
    f.attname
    for f in Posting._meta.concrete_fields
    if f.name in ("id", "status", "closes_on", "apply_url")
]
_MAX_ID = 2**63 - 1  # BigAutoField; larger ids cannot exist (and overflow SQLite)


@functools.cache
def _apply_sql(vendor):
    queryset = Posting.objects.filter(pk=0).values_list(*_APPLY_FIELDS).order_by()
    return queryset.query.sql_with_params()[0]


def _apply_target(pk):
    """The posting with only its id, status, deadline and apply_url loaded, or None."""
    if pk > _MAX_ID:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_apply_sql(connection.vendor), [pk])
        row = cursor.fetchone()
    return None if row is None else Posting.from_db(connection.alias, _APPLY_FIELDS, row)


@_private
@require_safe
def apply(request, pk):
    """Send the visitor to the company's application page and count the click.

    The destination is the posting's stored, validated apply_url plus
    utm_source; nothing in the request shapes it. An open posting costs one
    indexed read and, for a counted click, one upsert.
    """
    posting = _apply_target(pk)
    if posting is None:
        raise Http404("No such internship.")
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
    posting = get_object_or_404(
        Posting.objects.select_related("company").defer(
            "search_vector", "about_role", "responsibilities"
        ),
        pk=pk,
    )
    similar = prefetch_labels(Posting.objects.open().similar_to(posting).for_list()[:SIMILAR])
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
