from django.db import connection
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import pay
from .cache import CachedCountPaginator
from .filters import FORM_CHOICES, PostingFilter
from .models import STATE_CHOICES, Posting, browse_labels, prefetch_labels

PAGE_SIZE = 20
HOME_NEWEST = 8
SIMILAR = 5


def home(request):
    newest = prefetch_labels(Posting.objects.open().for_list()[:HOME_NEWEST])
    counts = Posting.objects.open().aggregate(
        postings=Count("pk"), companies=Count("company", distinct=True)
    )
    return render(
        request,
        "listings/home.html",
        {
            "newest": newest,
            "counts": counts,
            "browse": browse_labels(),
            "states": STATE_CHOICES,
        },
    )


def nearest_page(paginator, value):
    """The page asked for, or the nearest one that exists (never an error)."""
    try:
        number = int(str(value).strip()[:20])
    except ValueError:
        number = 1
    return paginator.page(min(max(number, 1), paginator.num_pages))


def posting_list(request):
    filterset = PostingFilter(request.GET, queryset=Posting.objects.open(), request=request)
    paginator = CachedCountPaginator(filterset.qs.for_list(), PAGE_SIZE)
    page = nearest_page(paginator, request.GET.get("page", 1))
    prefetch_labels(page.object_list)
    values = filterset.form_values()
    state = filterset.chosen_state
    return render(
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
            "ignored": filterset.ignored,
            "active": filterset.active(),
            "label_fields": [
                ("skill", "Skills", "skill", "e.g. Python", values["skill"]),
                ("category", "Categories", "category", "e.g. Design", values["category"]),
                ("term", "Terms", "term", "e.g. Summer 2026", values["term"]),
                ("company", "Companies", "company", "Company name", values["company"]),
            ],
        },
    )


def posting_detail(request, pk, slug=None):
    posting = get_object_or_404(Posting.objects.for_detail(), pk=pk)
    if slug != posting.slug:
        return redirect(posting, permanent=True)
    prefetch_labels([posting])
    similar = (
        Posting.objects.open()
        .similar_to(posting)
        .select_related("company")
        .defer("search_vector", "about_role", "responsibilities")[:SIMILAR]
    )
    state = pay.normalise_state(request.GET.get("state", "")[:10])
    return render(
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


def apply(request, pk):
    posting = get_object_or_404(Posting, pk=pk)
    return redirect(posting.apply_url)


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse("unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
