"""The page cache for visitors, and the writes that make cached values stale.

Cached values (whole pages, the company list with its open counts, the total
count of a list query, whatever a view wraps in `cached()`) are keyed by the
cache generation of config/generation.py, which every write replaces.

Write paths covered: `save()`/`delete()` of the models below and changes of
a posting's many-to-many rows (signals, connected in ListingsConfig.ready),
and the bulk paths that bypass signals — `update()`, `delete()`,
`bulk_create()` and `bulk_update()` of the posting and company querysets
(config.generation.InvalidatingQuerySet), which the importer, `load_demo`,
admin actions and `close_expired` go through. Apply clicks deliberately do
not invalidate.

This module is HTTP-side (it builds responses); the models import only
config/generation.py.
"""

import functools
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property

from config.generation import cached, invalidate, key

logger = logging.getLogger(__name__)

# Cookies that may make a page differ from what every visitor sees: a signed-in
# user (session), a form token, a pending message.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages")


def canonical_page(request, page):
    """Whether the request's `page` parameter is the page shown, as written."""
    return request.GET.get("page", str(page.number)) == str(page.number)


def visitor_page(view):
    """Cache the view's 200 pages for visitors, shared by every app server.

    A page is kept for PAGE_CACHE_SECONDS and, like every cached value here,
    only until the next write (its key carries the generation), so an edit
    shows at once. Only GET and HEAD requests without a session, CSRF or
    message cookie are served from it, keyed by their full address (host
    and query string as sent). Only 200 answers are kept, and only for
    addresses the page takes as written: visitors choose addresses, so a
    view with parameters says which are canonical
    (`response.visitor_cacheable`); without it, only an address with no
    query string is kept. Nothing is kept that set a cookie or needs a CSRF
    token. Every answer says `Vary: Cookie`; `X-Cache: hit` or `miss` tells
    which happened.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = _visitor_page(view, request, *args, **kwargs)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped


def _visitor_page(view, request, *args, **kwargs):
    seconds = settings.PAGE_CACHE_SECONDS
    if (
        not seconds
        or request.method not in ("GET", "HEAD")
        or any(name in request.COOKIES for name in PERSONAL_COOKIES)
    ):
        return view(request, *args, **kwargs)
    try:
        page_key = key("page", (request.build_absolute_uri(),))
        stored = cache.get(page_key)
    except Exception:
        logger.warning("cache unavailable", exc_info=True)
        return view(request, *args, **kwargs)
    if stored is not None:
        content, content_type = stored
        response = HttpResponse(content, content_type=content_type)
        response["X-Cache"] = "hit"
        return response
    response = view(request, *args, **kwargs)
    if (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and getattr(response, "visitor_cacheable", not request.GET)
    ):
        try:
            cache.set(page_key, (response.content, response["Content-Type"]), seconds)
        except Exception:
            logger.warning("cache unavailable", exc_info=True)
    response["X-Cache"] = "miss"
    return response


class CachedCountPaginator(Paginator):
    """A Paginator whose total count is cached under `count_key` until the
    next write.

    The count is what costs on a big result set (PostgreSQL counts every
    matching row); the page itself is a cheap index walk. The caller names
    what settles the count (the list: its cleaned filter values, whatever
    the sort and page).
    """

    def __init__(self, *args, count_key, **kwargs):
        self.count_key = count_key
        super().__init__(*args, **kwargs)

    @cached_property
    def count(self):
        return cached("count", lambda: Paginator.count.func(self), self.count_key)


def _on_write(sender, **kwargs):
    invalidate()


def connect_signals():
    """Invalidate on every single-object write of what listing pages show."""
    from companies.models import Company

    from .models import Category, Location, PayRange, PayRangeState, Posting, Skill, Term

    for model in (Company, Posting, PayRange, PayRangeState, Skill, Category, Term, Location):
        post_save.connect(_on_write, sender=model, dispatch_uid=f"cache-save-{model.__name__}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"cache-del-{model.__name__}")
    for field in ("skills", "categories", "terms", "locations"):
        through = getattr(Posting, field).through
        m2m_changed.connect(_on_write, sender=through, dispatch_uid=f"cache-m2m-{field}")
