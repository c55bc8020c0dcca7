from django.shortcuts import get_object_or_404, render

from listings.cache import cached
from listings.models import Posting

from .models import Company


def company_list(request):
    # Counting the open postings of every company reads the whole posting
    # table; the result only changes when postings do.
    companies = cached(
        "company-list", lambda: list(Company.objects.with_open_counts().filter(open_postings__gt=0))
    )
    return render(request, "companies/company_list.html", {"companies": companies})


def company_detail(request, slug):
    company = get_object_or_404(Company, slug=slug)
    postings = Posting.objects.open().filter(company=company).for_list()
    return render(
        request, "companies/company_detail.html", {"company": company, "postings": postings}
    )
