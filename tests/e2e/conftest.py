"""Real-browser tests: Playwright drives Debian's headless Chromium against a
live server (pytest-django's `live_server`, with committed data)."""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# An address, not "localhost": nothing to resolve, nothing to flake.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    e2e = [item for item in items if here in Path(item.fspath).parents]
    for item in e2e:
        item.add_marker(pytest.mark.e2e)
    if not CHROMIUM.exists():
        if os.environ.get("E2E_REQUIRE_BROWSER"):
            raise pytest.UsageError(f"{CHROMIUM} is missing and E2E_REQUIRE_BROWSER is set")
        skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
        for item in e2e:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module. Playwright's sync API keeps an event loop
    running in this thread while it is started, which makes Django refuse ORM
    calls; the tests' ORM calls are plain synchronous ones, so they are allowed
    for exactly as long as Playwright runs (not in the rest of the suite)."""
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db, request):
    """A fresh browser tab on the live server; fails the test on any
    Content-Security-Policy violation or JavaScript error the page reports."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Content Security Policy" in message.text
            and page.problems.append(f"CSP: {message.text}")
        ),
    )
    page.snap = lambda name: snapshot(page, request.node.name, name)
    yield page
    problems = page.problems
    context.close()
    assert problems == []


def snapshot(page, test_name, name):
    """Full-page screenshot in test-artifacts/ (kept by CI as a build artifact)."""
    ARTIFACTS.mkdir(exist_ok=True)
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{test_name}-{name}")
    page.screenshot(path=ARTIFACTS / f"{slug}.png", full_page=True)
