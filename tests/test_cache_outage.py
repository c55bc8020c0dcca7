"""A cache that is down or hung never slows the site down (config/cache.py):
short timeouts, a circuit breaker, and /healthz naming the failing part."""

import socket
import threading
import time

import pytest
from django.core.cache import caches

from tests.factories import make_posting

pytestmark = pytest.mark.django_db

REDIS_DB = 5


class HungListener:
    """Accepts TCP connections and never answers: the worst kind of Redis outage."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


def resilient(location, **options):
    return {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, **options},
        }
    }


def visit(client, urls):
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_settings_ask_for_short_timeouts():
    from config import settings as project

    if project.REDIS_URL:
        options = project.CACHES["default"]["OPTIONS"]
        assert options["socket_connect_timeout"] <= 0.25 and options["socket_timeout"] <= 0.25
        assert project.CACHES["default"]["BACKEND"] == "config.cache.ResilientRedisCache"


def test_a_hung_cache_is_asked_once_then_left_alone(client, settings):
    posting = make_posting(skills=["Python"])
    urls = ["/", "/internships/", posting.get_absolute_url(), "/companies/"] * 3
    visit(client, urls[:4])  # warm up templates and connections

    with HungListener() as hung:
        settings.CACHES = resilient(f"redis://127.0.0.1:{hung.port}/0", BREAKER_SECONDS=60)
        settings.PAGE_CACHE_SECONDS = 60  # visitor pages would read the cache too
        visit(client, urls)
        breaker = caches["default"].breaker
        # One request paid one 250 ms timeout; every later cache call was
        # answered by the open breaker without touching the network (counted,
        # not timed: timings on a shared machine prove nothing).
        assert breaker.calls == 1 and breaker.failures == 1 and breaker.openings == 1
        assert breaker.is_open
        assert len(hung.accepted) == 1

        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.content.decode().startswith("degraded: cache failing (")
        assert breaker.calls == 1  # /healthz did not wait on the hung cache either


def test_a_refusing_cache_serves_pages_and_healthz_names_it(client, settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: connections are refused
    settings.CACHES = resilient(f"redis://127.0.0.1:{port}/0")
    posting = make_posting()
    assert client.get(posting.get_absolute_url()).status_code == 200
    response = client.get("/healthz")
    assert response.status_code == 200
    assert b"cache failing (ConnectionError" in response.content


def test_database_down_is_503_naming_the_database(client, settings, monkeypatch):
    from django.db import connection

    def broken(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable: database"


@pytest.fixture
def redis_url():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return f"redis://127.0.0.1:6379/{REDIS_DB}"


def test_with_redis_answering_healthz_is_ok(client, settings, redis_url):
    settings.CACHES = resilient(redis_url)
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_the_breaker_closes_again_when_redis_answers(settings, redis_url):
    settings.CACHES = resilient(redis_url, BREAKER_SECONDS=0.2)
    cache = caches["default"]
    cache.set("probe", "1")
    assert cache.get("probe") == "1"
    cache.breaker.failed(TimeoutError())  # as after a timeout
    calls = cache.breaker.calls
    assert cache.get("probe") is None  # a miss while open, without asking
    assert cache.breaker.calls == calls
    time.sleep(0.25)
    assert cache.get("probe") == "1"  # one trial, which succeeds
    assert not cache.breaker.is_open and cache.breaker.calls == calls + 1
    cache.delete("probe")
