import os
from urllib.parse import urlsplit, urlunsplit

import pytest


def pytest_configure(config):
    """Test users get MD5 password hashes: the default hasher takes a good part
    of a second per password on purpose, which is no protection in tests.
    Processes the tests start (gunicorn, manage.py) keep the real hashers."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    # Tests clear the cache around each test, and a Redis cache is cleared
    # whole (FLUSHDB): parallel workers (pytest -n) sharing REDIS_URL's
    # database would clear each other's. Each worker takes the database
    # after it instead (gw0 keeps it, gw1 the next one, ...).
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    cache = settings.CACHES["default"]
    if worker.startswith("gw") and cache["LOCATION"].startswith("redis"):
        parts = urlsplit(cache["LOCATION"])
        database = (int(parts.path.strip("/") or 0) + int(worker[2:])) % 16
        cache["LOCATION"] = urlunsplit(parts._replace(path=f"/{database}"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Tests never see pages cached by another test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _card_cache_on(monkeypatch):
    """Cards are reused as in production (with Redis), whatever REDIS_URL says."""
    from listings.fragments import pieces as cards

    monkeypatch.setattr(cards, "size", 5000)
    cards.clear()
    yield
    cards.clear()


@pytest.fixture(autouse=True)
def _no_kept_apply_targets():
    """A test's first click reads its posting: SQLite reuses the ids of rows
    an earlier test rolled back, with the same URL and status."""
    from listings.views import _apply_targets

    _apply_targets.clear()
    yield
    _apply_targets.clear()


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages are rendered, whatever REDIS_URL says; tests of the page cache turn it on."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """A STATIC_ROOT filled by `collectstatic` with the production settings, for
    tests that run the app in production mode in another process."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = tmp_path_factory.mktemp("staticfiles")
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "collectstatic-in-tests",
        "ALLOWED_HOSTS": "localhost",
        "STATIC_ROOT": str(root),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        check=True,
        capture_output=True,
    )
    return root
