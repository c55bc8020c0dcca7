"""The cache generation: what keeps cached values consistent across app servers.

Every cached value's key carries the current *generation*: a random token
stored in the cache itself. Any write to postings, companies, their labels,
locations or pay calls `invalidate()`, which replaces the token, so every app
server sharing the cache (Redis, see settings) misses and recomputes; the old
entries simply expire. The token is replaced once at the write and once more
when the transaction commits, so a server reading in between cannot keep the
uncommitted state. Inside `deferred()` (the dry run of an import or a board
sync: writes made to be rolled back, reading no cached value) it is replaced
only when the transaction commits, which it never does: the cache is left as
it was.

This is the model layer's side of caching and knows nothing of HTTP: the
models' querysets (InvalidatingQuerySet) call it on bulk writes, and the
signals of listings/cache.py on single-object writes. The page cache for
visitors (listings/cache.py) keys its pages with `key()`. Keys also carry
today's date, since "open" depends on it.
"""

import contextlib
import contextvars
import hashlib
import logging
import threading
import uuid
from collections import OrderedDict

from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

GENERATION_KEY = "listings:generation"
TIMEOUT = 300
_deferred = contextvars.ContextVar("generation_deferred", default=False)


# Within a request the generation is read from the cache once (remember_per_request
# and forget are connected to request_started and request_finished): a page
# built from a dozen cached values and cards costs one round trip for it, not
# one per value. A write during the request replaces it here too.
_remembered = contextvars.ContextVar("listings_generation", default=None)  # None: no request
_UNKNOWN = ""  # in a request, not read yet


def generation():
    """The current cache generation (created on first use)."""
    remembered = _remembered.get()
    if remembered:
        return remembered
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, value, timeout=None):
            value = cache.get(GENERATION_KEY) or value
    if remembered is not None:
        _remembered.set(value)
    return value


def remember_per_request(**kwargs):
    _remembered.set(_UNKNOWN)


def forget(**kwargs):
    _remembered.set(None)


def _new_generation():
    value = uuid.uuid4().hex
    in_request = _remembered.get() is not None
    try:
        cache.set(GENERATION_KEY, value, timeout=None)
    except Exception:  # the cache being down must never fail a write
        logger.warning("could not invalidate the cache", exc_info=True)
        value = _UNKNOWN  # read it again: its value is not known
    if in_request:
        _remembered.set(value)


def invalidate():
    """Forget every cached listing value, on every app server sharing the cache."""
    if not _deferred.get():
        _new_generation()
    transaction.on_commit(_new_generation)


@contextlib.contextmanager
def deferred(active=True):
    """Writes inside replace the generation only when their transaction commits."""
    token = _deferred.set(active)
    try:
        yield
    finally:
        _deferred.reset(token)


def key(name, parts):
    """The cache key of the value `name` with `parts`, in the current generation."""
    return key_in(generation(), timezone.localdate(), name, parts)


def key_in(current, today, name, parts):
    """The cache key of the value `name` with `parts` under generation `current` on `today`."""
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    return f"listings:{current}:{today}:{name}:{digest}"


# Values read from the shared cache are also kept in this process, under the
# same key (generation and date included, so never stale): a list page's count
# and filter suggestions then cost no round trip after the first request.
class BoundedCache:
    """The most recently used `size` entries of this process (least recently
    used dropped first); a value of None reads as missing. Also keeps the
    pieces of pages (listings/fragments.py)."""

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def __contains__(self, key):
        with self.lock:
            return key in self.entries

    def set(self, key, value):
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


_local = BoundedCache(512)


def cached(name, compute, *parts, timeout=TIMEOUT):
    """`compute()`, cached under `name` and `parts` until the next write.

    Callers must not change the value they get: it is shared by later requests."""
    try:
        value_key = key(name, parts)
    except Exception:  # an unreachable cache serves uncached pages, not errors
        logger.warning("cache unavailable", exc_info=True)
        return compute()
    value = _local.get(value_key)
    if value is not None:
        return value
    try:
        value = cache.get(value_key)
    except Exception:
        logger.warning("cache unavailable", exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(value_key, value, timeout)
        except Exception:
            logger.warning("cache unavailable", exc_info=True)
            return value
    _local.set(value_key, value)
    return value


class InvalidatingQuerySet(models.QuerySet):
    """Bulk writes, which send no signals, forget the cached listing values."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        invalidate()
        return rows

    update.alters_data = True

    def delete(self):
        result = super().delete()
        invalidate()
        return result

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, *args, **kwargs):
        objs = super().bulk_create(*args, **kwargs)
        invalidate()
        return objs

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        invalidate()
        return rows

    bulk_update.alters_data = True
