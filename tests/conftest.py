import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Tests never see pages cached by another test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
