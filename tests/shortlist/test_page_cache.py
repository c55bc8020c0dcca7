"""Saving keeps the shared page cache working: only the saver's pages skip it.

Runs against the real Redis (database 6), as deployed; skipped without one.
"""

import pytest
from django.test import Client

from tests.factories import make_posting

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/6"


@pytest.fixture
def redis_page_cache(settings):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "internboard-test-shortlist",
        }
    }
    settings.PAGE_CACHE_SECONDS = 60
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_visitors_without_a_session_get_cached_pages_with_save_links(redis_page_cache):
    posting = make_posting(title="Cached Save Intern")
    paths = ["/internships/", posting.get_absolute_url()]
    visitor = Client()
    for path in paths:
        first = visitor.get(path)
        assert first["X-Cache"] == "miss"
        second = visitor.get(path)
        assert second["X-Cache"] == "hit", path
        assert f'href="/saved/{posting.pk}/"'.encode() in second.content
        assert b"csrfmiddlewaretoken" not in second.content

    # A student saves: their own pages are built for them, with the button in place...
    student = Client()
    student.get(f"/saved/{posting.pk}/")
    student.post(f"/saved/{posting.pk}/", {"next": paths[0]})
    assert "sessionid" in student.cookies
    for path in paths:
        mine = student.get(path)
        assert mine.status_code == 200 and "X-Cache" not in mine
        assert b"Saved \xe2\x9c\x93" in mine.content

    # ...and everybody else still gets the shared copies.
    for path in paths:
        again = Client().get(path)
        assert again["X-Cache"] == "hit", path
        assert b"Saved \xe2\x9c\x93" not in again.content
