from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from listings.cache import cached, canonical_page, visitor_page
from listings.models import Posting, closed_condition, open_condition, prefetch_labels
from listings.views import nearest_page

from .models import Company

COMPANIES_PER_PAGE = 100
POSTINGS_SHOWN = 20
CLOSED_SHOWN = 10
MAX_QUERY_LENGTH = 100


def directory():
    """Every company as (name, slug, size band, open postings): those with open
    postings first, then A to Z whatever the case ("Acadian" before "ASML")."""
    companies = Company.objects.with_open_counts().order_by(Lower("name"), "name", "pk")
    rows = [(c.name, c.slug, c.size_band, c.open_postings) for c in companies]
    rows.sort(key=lambda row: row[3] == 0)  # stable: keeps A to Z within each
    return rows


@visitor_page
def company_list(request):
    # Counting the open postings of every company reads the whole posting
    # table; the result only changes when postings do. The name search
    # runs over the cached rows, without a query.
    rows = cached("company-directory", directory)
    q = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    if q:
        needle = q.casefold()
        rows = [row for row in rows if needle in row[0].casefold()]
    paginator = Paginator([DirectoryEntry(*row) for row in rows], COMPANIES_PER_PAGE)
    page = nearest_page(paginator, request.GET.get("page", 1))
    response = render(
        request,
        "companies/company_list.html",
        {
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "q": q,
            "hiring": sum(1 for row in rows if row[3]),
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
    name: str
    slug: str
    size_band: str
    open_postings: int

    def get_absolute_url(self):
        return reverse("companies:company-detail", args=[self.slug])


@visitor_page
def company_detail(request, slug):
    company = get_object_or_404(
        Company.objects.annotate(
            open_count=Count("postings", filter=open_condition("postings__")),
            closed_count=Count("postings", filter=closed_condition("postings__")),
        ),
        slug=slug,
    )
    # The newest open postings; the full list is the filtered internship list.
    postings = prefetch_labels(
        Posting.objects.open().filter(company=company).for_list()[:POSTINGS_SHOWN]
    )
    closed = (
        Posting.objects.closed()
        .filter(company=company)
        .only("pk", "slug", "title", "posted_on", "closes_on", "status")
        .order_by("-posted_on", "-id")[:CLOSED_SHOWN]
        if company.closed_count
        else []
    )
    return render(
        request,
        "companies/company_detail.html",
        {"company": company, "postings": postings, "closed": closed},
    )
