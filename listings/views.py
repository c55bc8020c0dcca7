from django.db import connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import pay
from .cache import CachedCountPaginator
from .models import Posting, prefetch_labels


def home(request):
    newest = prefetch_labels(Posting.objects.open().for_list()[:10])
    return render(request, "listings/home.html", {"newest": newest})


def posting_list(request):
    paginator = CachedCountPaginator(Posting.objects.open().for_list(), 20)
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
