"""Redis as a cache the site can do without: short timeouts and a circuit breaker.

A Redis that is down, or worse accepts connections and never answers, must
not slow the site down: every page can be built from the database. So
`ResilientRedisCache` (Django's RedisCache underneath):

- gives up on a connection after 250 ms and on an answer after 250 ms
  (`socket_connect_timeout`, `socket_timeout` in settings.CACHES);
- after one such failure opens its circuit breaker: for `BREAKER_SECONDS`
  (default 30) it does not ask Redis at all; reads are misses, writes are
  dropped, in microseconds. Then one request tries again ("half open"): an
  answer closes the breaker, another failure opens it for another period.

The breaker is per process (each gunicorn worker finds out on its own, at
the cost of one timeout), and no maintained library fits here: django-redis'
IGNORE_EXCEPTIONS swallows errors but still waits out every timeout, and
pybreaker would need the same wrapping of each cache method as below.
`/healthz` reports the breaker's state (listings/views.healthz).
"""

import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("internboard.cache")

FAILURES = (RedisError, OSError)


class CircuitBreaker:
    def __init__(self, seconds):
        self.seconds = seconds
        self.open_until = 0.0
        self.last_error = ""
        # Figures for /healthz and the tests: how often Redis was really
        # asked, how often it failed, how often the breaker opened.
        self.calls = self.failures = self.openings = 0
        self._lock = threading.Lock()
        self._trial = False

    @property
    def is_open(self):
        return time.monotonic() < self.open_until

    def allow(self):
        """Whether to ask Redis now: not while open; after that, one trial at a time."""
        with self._lock:
            if time.monotonic() < self.open_until:
                return False
            if self.open_until and self._trial:
                return False  # another thread is trying: stay away meanwhile
            if self.open_until:
                self._trial = True
            self.calls += 1
            return True

    def succeeded(self):
        with self._lock:
            if self.open_until:
                logger.warning("cache answers again: circuit breaker closed")
            self.open_until = 0.0
            self._trial = False

    def failed(self, error):
        with self._lock:
            self.failures += 1
            self.openings += 1
            self._trial = False
            self.open_until = time.monotonic() + self.seconds
            self.last_error = type(error).__name__
        logger.warning(
            "cache unavailable: circuit breaker open",
            extra={"error": self.last_error, "seconds": self.seconds},
        )


def _guarded(default):
    """Run the RedisCache method unless the breaker is open; on failure, `default`."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if not self.breaker.allow():
                return default() if callable(default) else default
            try:
                result = method(self, *args, **kwargs)
            except FAILURES as exc:
                self.breaker.failed(exc)
                return default() if callable(default) else default
            self.breaker.succeeded()
            return result

        return wrapper

    return decorate


class KeptClient(RedisCacheClient):
    """Django's client builds a redis.Redis object (with a dozen dictionaries
    of its own) for every call; one per connection pool serves every call
    (redis.Redis takes a connection from its pool for each command, so it is
    safe across threads). The generation read that starts a page costs half
    as much."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        seconds = float(options.pop("BREAKER_SECONDS", 30))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = KeptClient
        self.breaker = CircuitBreaker(seconds)

    def get(self, key, default=None, version=None):
        if not self.breaker.allow():
            return default
        try:
            value = super().get(key, default, version)
        except FAILURES as exc:
            self.breaker.failed(exc)
            return default
        self.breaker.succeeded()
        return value

    add = _guarded(False)(RedisCache.add)
    set = _guarded(None)(RedisCache.set)
    touch = _guarded(False)(RedisCache.touch)
    delete = _guarded(False)(RedisCache.delete)
    get_many = _guarded(dict)(RedisCache.get_many)
    has_key = _guarded(False)(RedisCache.has_key)
    set_many = _guarded(list)(RedisCache.set_many)
    delete_many = _guarded(None)(RedisCache.delete_many)
    clear = _guarded(False)(RedisCache.clear)

    def incr(self, key, delta=1, version=None):
        if not self.breaker.allow():
            raise ValueError(f"Key '{key}' not found (cache unavailable).")
        try:
            value = super().incr(key, delta, version)
        except FAILURES as exc:
            self.breaker.failed(exc)
            raise ValueError(f"Key '{key}' not found (cache unavailable).") from exc
        self.breaker.succeeded()
        return value

    def health(self):
        """ "ok", or what failed: for /healthz. Probes Redis unless the breaker is open."""
        if self.breaker.is_open:
            return f"failing ({self.breaker.last_error}; circuit breaker open)"
        if not self.breaker.allow():
            return "failing (being retried)"
        try:
            self._cache.get_client(write=False).ping()
        except FAILURES as exc:
            self.breaker.failed(exc)
            return f"failing ({type(exc).__name__})"
        self.breaker.succeeded()
        return "ok"
