import functools
import logging
from dataclasses import dataclass

from django.core.cache import cache as default_cache
from django.core.handlers.exception import response_for_exception
from django.core.paginator import EmptyPage, Paginator
from django.db import connection
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from companies.models import Company
from config.generation import BoundedCache, cached

from . import clicks, companies, fragments, pay, seo, terms
from .cache import CachedCountPaginator, canonical_page, visitor_page
from .filters import FORM_CHOICES, NEWEST, PostingFilter
from .links import with_utm_source
from .models import Posting, Status, browse_labels
from .suggestions import suggestions
from .validators import is_valid_apply_url

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
HOME_NEWEST = 8
SIMILAR = 5
COMPANIES_PER_PAGE = 100
MAX_COMPANY_QUERY = 100
MAX_REDIRECT_QUERY = 4000
# How many of the newest matches a search ranks (a multiple of PAGE_SIZE).
RANK_WINDOW = 500
# Postings the Apply Now redirect keeps as read, per process (a few hundred bytes each).
APPLY_TARGETS = 4096


@visitor_page
def home(request):
    # The same for every visitor until the next write, like the counts below.
    newest = cached("home-newest", lambda: list(Posting.objects.open().for_list()[:HOME_NEWEST]))
    newest = fragments.load_card_labels(newest)
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
            "meta": seo.page_meta(
                request, f"{seo.SITE_NAME} – internships and what they pay in your state", path="/"
            ),
        },
    )


class NearestPage:
    """Paginator.get_page() answers the last page for a number past the end
    and the first for one that is not a number; for a number below 1 Django
    answers the last page too, where the nearest page is the first."""

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except EmptyPage:
            if int(number) < 1:  # an int already: Django raised EmptyPage, not PageNotAnInteger
                return 1
            raise


def next_summer():
    """The next Summer term that has not ended: the filter's example stays current."""
    upcoming = terms.upcoming(timezone.localdate(), 4)
    return next(name for name in upcoming if name.startswith("Summer"))


class NearestPaginator(NearestPage, Paginator):
    pass


class PostingPaginator(NearestPage, CachedCountPaginator):
    """Pages found by their ids first ("late row lookup").

    The page's ids come from a narrow subquery — on PostgreSQL, for the plain
    list, an index-only walk of (status, posted_on, id) — and only those rows
    are read whole. A deep page then skips its offset through an index rather
    than through wide table rows; the page is still one query. `read_heads()`
    gives the page's ids and versions alone, for a list whose cards are kept
    (fragments.load_cards), and a page nearer the end than the start is
    counted from the end.

    With `ranked` (a best-match-first list), only the RANK_WINDOW newest
    matches are ranked, whatever the number of matches: the first pages show
    them best first, the pages after them the remaining matches, newest first
    (docs/finding.md). A common word's first page then costs the same at a
    hundred matches or a hundred thousand. Every match is on exactly one page.
    """

    def __init__(self, *args, ranked=False, **kwargs):
        self.ranked = ranked
        super().__init__(*args, **kwargs)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        postings = order = self.object_list  # `order`: what the page is a slice of
        total = self.count
        if self.ranked and total > RANK_WINDOW:
            newest = postings.order_by(*NEWEST)
            if bottom < RANK_WINDOW:
                top, total = min(top, RANK_WINDOW), RANK_WINDOW
                order = postings.filter(pk__in=newest.values("pk")[:RANK_WINDOW])
            else:
                postings = order = newest
        # A page nearer the end than the start is the same rows counted from
        # the end in the reverse order (every order ends with the id, so it
        # reverses exactly): the last pages cost what the first do, and the
        # middle one walks half of the matches.
        from_end = bottom > total - top
        if from_end:
            order, bottom, top = order.reverse(), total - top, total - bottom
        # The page's rows, built only when read whole (for a page with its
        # cards kept, building the nested query would cost more than the
        # ids and versions alone: read_heads, for fragments.load_cards).
        rows = SimpleLazyObject(lambda: postings.filter(pk__in=order.values("pk")[bottom:top]))
        page = self._get_page(rows, number, self)
        heads = order.values_list("pk", "updated_at")[bottom:top]
        page.read_heads = lambda: list(heads)[::-1] if from_end else list(heads)
        return page


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
    postings = filterset.qs
    paginator = PostingPaginator(
        postings.for_list(),
        PAGE_SIZE,
        count_key=filterset.count_key(),
        ranked=filterset.ranks(postings),
    )
    page = paginator.get_page(request.GET.get("page"))
    values = filterset.form_values()
    state = filterset.chosen_state
    page.object_list = fragments.load_cards(
        page.object_list, state, 2, page.read_heads, base=paginator.object_list
    )
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
                ("term", "Terms", "term", f"e.g. {next_summer()}", values["term"], hints["term"]),
                (
                    "company",
                    "Companies",
                    "company",
                    "Company name",
                    values["company"],
                    hints["company"],
                ),
            ],  # fmt: skip
            "meta": seo.list_meta(request, page, filterset),
        },
    )
    # Only addresses the list takes as written are kept in the page cache.
    response.visitor_cacheable = not ignored and canonical_page(request, page)
    return response


def may_edit(user, model, pk):
    """Staff who may edit the object: they alone see a page not yet public."""
    return (
        user.is_active and user.is_staff and model.objects.editable_by(user).filter(pk=pk).exists()
    )


def can_preview(user, posting):
    return may_edit(user, Posting, posting.pk)


class PayInState:
    """What the posting pays in the chosen state, worked out only when a page
    piece being built asks (a kept piece needs none of it)."""

    def __init__(self, posting, state):
        self.posting, self.state = posting, state

    @functools.cached_property
    def display(self):
        return self.posting.pay_display_in(self.state) if self.state else ""

    @functools.cached_property
    def range(self):
        return self.posting.pay_in(self.state) if self.state else None

    @functools.cached_property
    def hourly(self):
        return self.posting.hourly_span_in(self.state) if self.state else ""

    @functools.cached_property
    def total(self):
        return self.posting.term_total_in(self.state) if self.state else ""


def _detail_posting(pk):
    """The posting of a posting's page (company joined), or None. Kept in the
    process until the next write, like the pieces of its page
    (listings/fragments.py), with what they loaded into it: a page whose
    pieces are kept reads nothing. It is shared by later requests: nothing
    may change it but the loading of its places, pay ranges and labels."""
    if pk > _MAX_ID:
        return None
    return fragments.get_or_read(
        pk, ("posting",), lambda: Posting.objects.for_detail().filter(pk=pk).first()
    )


@visitor_page
def posting_detail(request, pk, slug=None):
    posting = _detail_posting(pk)
    if posting is None:
        raise Http404("No such internship.")
    if not posting.is_public and not can_preview(request.user, posting):
        # Drafts and postings in review are seen by the staff who may edit
        # them (admin's "view on site"), and by nobody else.
        raise Http404("No such internship.")
    if slug != posting.slug:
        return redirect(posting, permanent=True)
    state = pay.normalise_state(request.GET.get("state", "")[:10])
    # The page's pieces are built once per posting version (the template's
    # {% reuse %}); places, pay ranges, labels and similar postings are read
    # only for a piece not kept yet.
    fragments.load_detail(posting, state)
    # The same for every visitor until the next write: kept with the other
    # cached values.
    similar = SimpleLazyObject(
        lambda: cached(
            "similar",
            lambda: list(
                Posting.objects.open()
                .similar_to(posting, SIMILAR)
                .select_related("company")
                .defer("search_vector", "about_role", "responsibilities")[:SIMILAR]
            ),
            posting.pk,
        )
    )
    description = fragments.get_or_build(
        posting, ("detail-summary",), lambda: seo.posting_description(posting), share=True
    )
    response = render(
        request,
        "listings/posting_detail.html",
        {
            "posting": posting,
            "similar": similar,
            "state": state,
            "state_name": pay.US_STATES.get(state, ""),
            "in_state": PayInState(posting, state),
            "meta": seo.posting_meta(request, posting, description),
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


_MAX_ID = 2**63 - 1  # BigAutoField; larger ids cannot exist (and overflow SQLite)
# Open postings whose redirect was followed lately, as read
# (clicks.TARGET_FIELDS), with the address they send to.
_apply_targets = BoundedCache(APPLY_TARGETS)


def _read_apply_target(pk):
    """The posting with only what the redirect needs loaded, or None."""
    if pk > _MAX_ID:
        return None
    fields = ("id", *clicks.TARGET_FIELDS)
    return Posting.objects.only(*fields).filter(pk=pk).order_by().first()


@_private
@require_safe
def apply(request, pk):
    """Send the visitor to the company's application page and count the click.

    The destination is the posting's stored, validated apply_url plus
    utm_source; nothing in the request shapes it. A posting clicked lately
    in this process costs one statement: the click, counted only if the
    posting still has the status, dates and URL read then. Otherwise (first
    click here, or the posting changed) it costs one indexed read and one
    upsert; a request that is not counted (a bot, a prefetch, HEAD), the
    read alone.
    """
    counted = clicks.is_counted(request)
    today = timezone.localdate()
    if counted:
        kept = _apply_targets.get(pk)
        if kept is not None:
            posting, location = kept
            if posting.is_open_on(today) and clicks.record_click_if_unchanged(posting, today):
                return HttpResponseRedirect(location)
    posting = _read_apply_target(pk)
    if posting is None:
        raise Http404("No such internship.")
    if posting.is_open_on(today):
        # Re-checked here too: a URL that bypassed the model's validation
        # (a raw UPDATE) is never followed.
        if is_valid_apply_url(posting.apply_url):
            location = with_utm_source(posting.apply_url)
            if counted:
                clicks.record_click(posting.pk, today)
                _apply_targets.set(pk, (posting, location))
            return HttpResponseRedirect(location)
        logger.error("Posting %s has an invalid apply_url; not redirecting.", posting.pk)
    return _gone(request, pk)


def _gone(request, pk):
    """410: the posting no longer takes applications; offer similar open ones.

    Drafts and postings in review are 404, as unknown ids are, to everyone
    but the staff who may edit them: neither their existence nor their
    labels (through the "similar" list) reach the public.
    """
    posting = get_object_or_404(
        Posting.objects.select_related("company").defer(
            "search_vector", "about_role", "responsibilities"
        ),
        pk=pk,
    )
    if not posting.is_public and not can_preview(request.user, posting):
        raise Http404("No such internship.")
    similar = fragments.load_card_labels(
        Posting.objects.open().similar_to(posting, SIMILAR).for_list()[:SIMILAR]
    )
    return render(
        request,
        "listings/posting_gone.html",
        {
            "posting": posting,
            # Drafts and postings pending review were never public: say
            # nothing about them beyond "not accepting applications", and
            # the page is its own address; a public one's is the posting.
            "was_public": posting.is_public,
            "meta": seo.page_meta(
                request,
                seo.SITE_NAME,
                path=posting.get_absolute_url() if posting.is_public else None,
            ),
            "past_deadline": posting.status == Status.PUBLISHED and posting.closes_on is not None,
            "closed_on": posting.closed_on,
            "similar": similar,
        },
        status=410,
    )


@visitor_page
def company_list(request):
    # Counting the open postings of every company reads the whole posting
    # table; the result only changes when postings do. The name search runs
    # over the cached rows, without a query.
    rows = cached("company-directory", companies.directory)
    q = " ".join(request.GET.get("q", "").split())[:MAX_COMPANY_QUERY]
    if q:
        needle = q.casefold()
        rows = [row for row in rows if needle in row[0].casefold()]
    hiring = sum(1 for row in rows if row[3])
    paginator = NearestPaginator([DirectoryEntry(*row) for row in rows], COMPANIES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    response = render(
        request,
        "companies/company_list.html",
        {
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "q": q,
            "hiring": hiring,
            "meta": seo.company_list_meta(request, page, hiring),
        },
    )
    response.visitor_cacheable = (
        set(request.GET) <= {"page", "q"}
        and request.GET.get("q", q) == q
        and canonical_page(request, page)
    )
    return response


@dataclass(frozen=True)
class DirectoryEntry:
    """One line of the companies directory, built from cached plain values."""

    name: str
    slug: str
    size_band: str
    open_postings: int

    def get_absolute_url(self):
        return reverse("companies:company-detail", args=[self.slug])


@visitor_page
def company_detail(request, slug):
    company = get_object_or_404(companies.with_page_counts(Company.objects), slug=slug)
    if not (company.open_count or company.closed_count) and not may_edit(
        request.user, Company, company.pk
    ):
        # A company whose postings are all drafts or in review has no public
        # page yet (its about text waits for the first published posting).
        raise Http404("No such company.")
    return render(
        request,
        "companies/company_detail.html",
        {
            "company": company,
            # The newest open postings; the full list is the filtered internship list.
            "postings": fragments.load_card_labels(companies.newest_open(company)),
            "closed": companies.recently_closed(company),
            "meta": seo.company_meta(request, company),
        },
    )


def healthz(request):
    """200 "ok" when the database and the cache answer.

    The database down is 503 ("unavailable: database"): nothing can be served.
    A failing cache is named in a 200 answer ("degraded: cache failing
    (...)"): pages are then served from the database, so a load balancer
    must keep the server, while a monitor matching "ok" raises the alarm.
    """
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        problems.append("database")
    cache_health = getattr(default_cache, "health", None)
    cache_state = cache_health() if cache_health else "ok"
    if problems:
        if cache_state != "ok":
            problems.append(f"cache {cache_state}")
        return HttpResponse(
            "unavailable: " + "; ".join(problems), status=503, content_type="text/plain"
        )
    if cache_state != "ok":
        return HttpResponse(f"degraded: cache {cache_state}", content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
