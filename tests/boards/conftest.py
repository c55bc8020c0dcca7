import pytest
from pytest_httpserver import HTTPServer


@pytest.fixture(scope="session")
def make_httpserver():
    """A threaded server: the sync fetches up to four boards at once, and one
    slow board must not hold up the others' answers."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def boards_at(httpserver, settings):
    """Point every ATS base URL at the local HTTP server; quick retries and timeouts."""
    base = httpserver.url_for("/").rstrip("/")
    settings.GREENHOUSE_API_URL = settings.LEVER_API_URL = settings.ASHBY_API_URL = base
    settings.BOARD_RETRY_MAX_WAIT = 0.05
    settings.BOARD_TIMEOUT = 1
    return httpserver
