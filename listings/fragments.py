"""Pieces of pages built once per posting version and reused by every page that shows them.

A posting card (includes/posting_card_body.html), the parts of a posting's
page (`{% reuse %}` in listings/posting_detail.html), the posting that page
reads and a feed entry depend only on the posting, its company and labels,
the chosen state and today's date ("3 days ago", "may no longer be open").
(The Apply Now redirect keeps what it reads in its own way: listings/views.py,
`apply`.) Every write to any of those replaces the
cache generation (config/generation.py), so a piece kept under (generation,
today, posting, updated_at, ...) is exactly what rendering it again would
give: a new search, a visitor with a session or a signed-in editor reuses
what an earlier page built.

The pieces are kept in this process's memory, bounded (CARD_CACHE_SIZE): a
hit costs a dictionary lookup, never a round trip to the shared cache, and a
cache server that is down cannot stall a page. A posting's page and the
posting it reads, costly to build, are also written to the shared cache,
where another process finds them in one round trip (`fetch_shared`). Nothing
per visitor is ever kept: the Save control (CSRF token, saved state) is
rendered around them.
Without a shared cache (CARD_CACHE_SIZE 0, the default without Redis) every
piece is built for each page.

A list or a feed asks for its postings' ids and versions first (`read_kept`)
and reads whole only the postings whose piece is not kept.
"""

import logging

from django.conf import settings
from django.core.cache import cache as shared
from django.db import models
from django.db.models import F, Prefetch, Value, prefetch_related_objects
from django.db.models.functions import Cast
from django.utils import timezone

from config.generation import TIMEOUT, BoundedCache, generation, key_in

from .models import Location, PayRange, Posting, Term

logger = logging.getLogger(__name__)


pieces = BoundedCache(settings.CARD_CACHE_SIZE)
# The (generation, today) under which a piece was last kept: before any is
# kept under the current one, a page reads its postings whole at once.
_last_kept = None


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


def get_or_build(posting, parts, build, share=False):
    """The piece of `posting` with `parts`: kept, or `build()` (and kept; with
    `share`, also in the shared cache, where `fetch_shared` finds it)."""
    return _get_or_build(key(posting, *parts), build, share)


def get_or_read(pk, parts, read):
    """What `read()` gives of posting `pk` (None: nothing kept), kept until the
    next write, here and in the shared cache: for a page that knows only the id."""
    piece_key = _key(pk, None, parts)
    if piece_key is not None:
        fetch_shared([piece_key])
    return _get_or_build(piece_key, read, share=True)


def _get_or_build(piece_key, build, share=False):
    if piece_key is None:
        return build()
    piece = pieces.get(piece_key)
    if piece is None:
        piece = build()
        if piece is not None:
            _keep(piece_key, piece)
            if share:
                _share(piece_key, piece)
    return piece


def _keep(piece_key, piece):
    global _last_kept
    pieces.set(piece_key, piece)
    _last_kept = piece_key[:2]


# A posting's page built from nothing costs four queries and its templates
# (~23 ms on a slow machine), which every app process would pay once per
# posting and generation. Those pieces and the posting are also kept in the
# shared cache: a process that has not built them yet reads them in one
# round trip each (the posting, then its page's pieces). Cards and feed
# entries, cheap to build and shown twenty at a time, stay in the process.


def _shared_key(piece_key):
    current, today, *rest = piece_key
    return key_in(current, today, "piece", rest)


def fetch_shared(piece_keys):
    """Keep here the pieces of `piece_keys` (none None) that this process lacks
    and another one shared: one round trip, none when all are kept here."""
    missing = {_shared_key(k): k for k in piece_keys if k not in pieces}
    if not missing:
        return
    try:
        found = shared.get_many(list(missing))
    except Exception:  # an unreachable cache: the pieces are built here
        logger.warning("cache unavailable", exc_info=True)
        return
    for shared_key, piece in found.items():
        _keep(missing[shared_key], piece)


def _share(piece_key, piece):
    try:
        shared.set(_shared_key(piece_key), piece, TIMEOUT)
    except Exception:
        logger.warning("cache unavailable", exc_info=True)


class Kept:
    """A posting whose piece is kept: its id and the piece are all a page needs
    of it. Any other attribute reads the posting whole, once (a query: code
    looking into a page's postings, such as a test, gets the posting; pages
    never do)."""

    __slots__ = ("pk", "piece", "_posting")

    def __init__(self, pk, piece):
        self.pk, self.piece = pk, piece

    def __getattr__(self, name):
        if name.startswith("__") or name == "_posting":
            raise AttributeError(name)
        try:
            posting = self._posting
        except AttributeError:
            posting = self._posting = Posting.objects.for_list().get(pk=self.pk)
        return getattr(posting, name)

    def __eq__(self, other):
        return isinstance(other, (Kept, Posting)) and other.pk == self.pk

    def __hash__(self):
        return hash(self.pk)


def read_kept(postings, parts, limit=None, read_heads=None, base=None):
    """The first `limit` of `postings` (a queryset, in its order): a `Kept`
    for each posting whose piece with `parts` is kept, the posting itself
    (read whole) for the others.

    The ids and versions come first, from a narrow query (an index-only walk
    for most lists; `read_heads()` gives them when the caller has a cheaper
    query for them), and only the postings without a kept piece are read
    whole, with their company (from `base` when given: `postings` unsliced,
    whatever their order): a page whose pieces are all kept builds no model
    instance. Until a piece has been kept under the current generation
    (right after a write, or with pieces not kept at all) every posting is
    read whole in one query, as a page always did.
    """
    current = _key(None, None, ())
    if current is None or current[:2] != _last_kept:
        return list(postings[:limit] if limit else postings)
    if read_heads is None:
        heads = postings.values_list("pk", "updated_at")
        read_heads = (lambda: heads[:limit]) if limit else (lambda: heads)
    shown = []
    missing = []
    for pk, version in read_heads():
        piece = pieces.get(_key(pk, version, parts))
        shown.append(pk if piece is None else Kept(pk, piece))
        if piece is None:
            missing.append(pk)
    if not missing:
        return shown
    found = (postings if base is None else base).order_by().in_bulk(missing)
    # (a posting closed between the two reads is left out)
    return [
        item if isinstance(item, Kept) else found[item]
        for item in shown
        if isinstance(item, Kept) or item in found
    ]


def card_parts(state, level):
    return ("card", state or "", level or 3)


def load_card_labels(postings, state="", level=3):
    """Load the places and terms of the `postings` whose card is not kept yet
    (one query, none when every card is kept): a page of cards built before
    reads no labels at all. Returns `postings` as a list."""
    postings = list(postings)
    parts = card_parts(state, level)
    missing = [posting for posting in postings if not kept(posting, *parts)]
    if missing:
        _load_places_and_terms(missing)
    return postings


PLACE_FIELDS = ["id", "name", "city", "region", "country"]
TERM_FIELDS = ["id", "name", "slug"]


def _load_places_and_terms(postings):
    """Load the places and terms of `postings` in one query (a UNION of the two
    link tables) where prefetch_related_objects takes two: their
    `locations.all()` and `terms.all()` then read nothing more, in the
    models' order (a place by name; a term by its end, then name), sorted by
    the database as a prefetch would be."""
    by_pk = {posting.pk: posting for posting in postings}
    # The same columns, in the same order, from each link table.
    places = Posting.locations.through.objects.filter(posting_id__in=list(by_pk)).values(
        owner=F("posting_id"),
        kind=Value(0),
        ends=Cast(Value(None), models.DateField()),
        label=F("location_id"),
        label_name=F("location__name"),
        city=F("location__city"),
        region_code=F("location__region"),
        country_code=F("location__country"),
    )
    terms = Posting.terms.through.objects.filter(posting_id__in=list(by_pk)).values(
        owner=F("posting_id"),
        kind=Value(1),
        ends=F("term__end_on"),
        label=F("term_id"),
        label_name=F("term__name"),
        city=F("term__slug"),  # (a term's slug, in the places' column)
        region_code=Value(""),
        country_code=Value(""),
    )
    found = {pk: ([], []) for pk in by_pk}
    db = Posting.objects.db
    # (a place's `ends` is NULL: places come in name order)
    order = ("kind", F("ends").asc(nulls_last=True), "label_name")
    for row in places.order_by().union(terms.order_by(), all=True).order_by(*order):
        values = [row["label"], row["label_name"], row["city"]]
        if row["kind"] == 0:
            values += [row["region_code"], row["country_code"]]
            found[row["owner"]][0].append(Location.from_db(db, PLACE_FIELDS, values))
        else:
            found[row["owner"]][1].append(Term.from_db(db, TERM_FIELDS, values))
    for pk, (places_found, terms_found) in found.items():
        _prefetched(by_pk[pk], "locations", places_found)
        _prefetched(by_pk[pk], "terms", terms_found)


def _prefetched(posting, name, objects):
    """Store `objects` as posting.<name>.all(), as prefetch_related_objects does."""
    queryset = getattr(posting, name).get_queryset()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    posting.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def load_cards(postings, state="", level=3, read_heads=None, base=None):
    """The cards of `postings` (a queryset, in its order) to show: `Kept`
    where the card is kept (read_kept), else the posting with its places and
    terms loaded."""
    cards = read_kept(postings, card_parts(state, level), read_heads=read_heads, base=base)
    # (read_kept gave a posting only where its card is not kept)
    missing = [card for card in cards if not isinstance(card, Kept)]
    if missing:
        _load_places_and_terms(missing)
    return cards


def kept(posting, *parts):
    return _kept(key(posting, *parts))


def _kept(piece_key):
    return piece_key is not None and piece_key in pieces


# The pieces of a posting's page (listings/posting_detail.html) and their parts.
def detail_pieces(state):
    return [("detail-head",), ("detail-top", state or ""), ("detail-bottom",), ("detail-summary",)]


def load_detail(posting, state=""):
    """Load the places and pay ranges of `posting` (two queries) unless every
    piece of its page is kept, here or in the shared cache."""
    piece_keys = [key(posting, *parts) for parts in detail_pieces(state)]
    if None not in piece_keys:
        fetch_shared(piece_keys)
    if not all(_kept(piece_key) for piece_key in piece_keys):
        prefetch_related_objects(
            [posting],
            "locations",
            Prefetch("pay_ranges", queryset=PayRange.objects.with_state_codes()),
        )
    return posting
