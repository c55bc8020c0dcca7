from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from listings.cache import cached, canonical_page, visitor_page
from listings.models import Posting, closed_condition, open_condition, prefetch_labels
from listings.views import nearest_page

from .models import Company

COMPANIES_PER_PAGE = 50
POSTINGS_SHOWN = 20
CLOSED_SHOWN = 10


@visitor_page
def company_list(request):
    # Counting the open postings of every company reads the whole posting
    # table; the result only changes when postings do.
    companies = cached(
        "company-list",
        lambda: list(
            Company.objects.with_open_counts().filter(open_postings__gt=0).order_by("name")
        ),
    )
    paginator = Paginator(companies, COMPANIES_PER_PAGE)
    page = nearest_page(paginator, request.GET.get("page", 1))
    response = render(
        request,
        "companies/company_list.html",
        {
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        },
    )
    response.visitor_cacheable = set(request.GET) <= {"page"} and canonical_page(request, page)
    return response


def can_preview(user, company):
    return (
        user.is_active
        and user.is_staff
        and Company.objects.editable_by(user).filter(pk=company.pk).exists()
    )


@visitor_page
def company_detail(request, slug):
    company = get_object_or_404(
        Company.objects.annotate(
            open_count=Count("postings", filter=open_condition("postings__")),
            closed_count=Count("postings", filter=closed_condition("postings__")),
        ),
        slug=slug,
    )
    if not (company.open_count or company.closed_count) and not can_preview(request.user, company):
        # A company whose postings are all drafts or in review has no public
        # page yet (its about text waits for the first published posting).
        raise Http404("No such company.")
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
