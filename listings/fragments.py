"""Pieces of pages built once per posting version and reused by every page that shows them.

A posting card (includes/posting_card_body.html), the parts of a posting's
page (`{% reuse %}` in listings/posting_detail.html), a feed entry and what
the apply redirect reads depend only on the posting, its company and labels,
the chosen state and today's date ("3 days ago", "may no longer be open"). Every write to any of those replaces the
cache generation (config/generation.py), so a piece kept under (generation,
today, posting, updated_at, ...) is exactly what rendering it again would
give: a new search, a visitor with a session or a signed-in editor reuses
what an earlier page built.

The pieces are kept in this process's memory, bounded (CARD_CACHE_SIZE): a
hit costs a dictionary lookup, never a round trip to the shared cache, and a
cache server that is down cannot stall a page. Nothing per visitor is ever
kept: the Save control (CSRF token, saved state) is rendered around them.
Without a shared cache (CARD_CACHE_SIZE 0, the default without Redis) every
piece is built for each page.
"""

import logging

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from config.generation import BoundedCache, generation

from .models import PayRange, terms_prefetch

logger = logging.getLogger(__name__)


pieces = BoundedCache(settings.CARD_CACHE_SIZE)


def _generation():
    """The cache generation; None when the cache is down (every piece is then built)."""
    try:
        return generation()
    except Exception:
        logger.warning("cache unavailable", exc_info=True)
        return None


def key(posting, *parts):
    """The key of a piece of `posting` with `parts`, or None when pieces are not kept."""
    # (__dict__: a page that deferred updated_at must not pay a query per piece)
    return _key(posting.pk, posting.__dict__.get("updated_at"), parts)


def _key(pk, version, parts):
    if pieces.size <= 0:
        return None
    current = _generation()
    if current is None:
        return None
    return (current, timezone.localdate(), pk, version, *parts)


def get_or_build(posting, parts, build):
    """The piece of `posting` with `parts`: kept, or `build()` (and kept)."""
    return _get_or_build(key(posting, *parts), build)


def get_or_read(pk, parts, read):
    """What `read()` gives of posting `pk` (None: nothing kept), kept until the
    next write: for a page that knows only the id."""
    return _get_or_build(_key(pk, None, parts), read)


def _get_or_build(piece_key, build):
    if piece_key is None:
        return build()
    piece = pieces.get(piece_key)
    if piece is None:
        piece = build()
        if piece is not None:
            pieces.set(piece_key, piece)
    return piece


def card_parts(state, level):
    return ("card", state or "", level or 3)


def load_card_labels(postings, state="", level=3):
    """Load the places and terms of the `postings` whose card is not kept yet
    (two queries, none when every card is kept): a page of cards built before
    reads no labels at all. Returns `postings` as a list."""
    postings = list(postings)
    parts = card_parts(state, level)
    missing = [posting for posting in postings if not kept(posting, *parts)]
    if missing:
        prefetch_related_objects(missing, "locations", terms_prefetch())
    return postings


def kept(posting, *parts):
    piece_key = key(posting, *parts)
    return piece_key is not None and piece_key in pieces


# The pieces of a posting's page (listings/posting_detail.html) and their parts.
def detail_pieces(state):
    return [("detail-head",), ("detail-top", state or ""), ("detail-bottom",), ("detail-summary",)]


def load_detail(posting, state=""):
    """Load the places and pay ranges of `posting` (two queries) unless every
    piece of its page is kept."""
    if not all(kept(posting, *parts) for parts in detail_pieces(state)):
        prefetch_related_objects(
            [posting],
            "locations",
            Prefetch("pay_ranges", queryset=PayRange.objects.with_state_codes()),
        )
    return posting
