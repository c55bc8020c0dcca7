"""Friendly error pages: the site's look, the right status, never a stack trace or
setting, and no database access (these tests have none: pytest-django refuses
any query made without the `db` fixture, which would turn the page into a 500)."""

import io
import json
import logging

import pytest
from django.conf import settings
from django.template import loader
from django.test import Client

from config.logs import JsonFormatter, RequestIdFilter
from tests.error_urls import SECRET_LOOKING_TEXT

pytestmark = pytest.mark.urls("tests.error_urls")


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def assert_friendly(response, status, heading):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert heading in html
    assert f"Error {status}" in html
    # The site's look: the shared header, navigation and stylesheet.
    assert 'aria-label="Main"' in html and "/static/css/site.css" in html
    assert "Content-Security-Policy" in response.headers
    for leak in ("Traceback", SECRET_LOOKING_TEXT, "hunter2", settings.SECRET_KEY, "DATABASES"):
        assert leak not in html
    return html


def test_404_page(client):
    response = client.get("/no-such-page/")
    html = assert_friendly(response, 404, "We can't find that page")
    assert 'href="/internships/"' in html


def test_400_page_for_a_forged_host_header(client):
    response = client.get("/", HTTP_HOST="attacker.example")
    html = assert_friendly(response, 400, "We couldn't understand that request")
    # The page never echoes the forged host into links.
    assert "attacker.example" not in html


def test_400_page_for_a_suspicious_request(client):
    assert_friendly(client.get("/test/suspicious/"), 400, "We couldn't understand")


def test_403_page(client):
    assert_friendly(client.get("/test/forbidden/"), 403, "You can't do that here")


def test_403_page_for_a_form_without_csrf_token():
    response = Client(enforce_csrf_checks=True).post(
        "/admin/login/", {"username": "a", "password": "b"}
    )
    assert_friendly(response, 403, "You can't do that here")


def test_500_page_shows_no_reference_but_the_header_carries_the_request_id(client):
    response = client.get("/test/crash/")
    html = assert_friendly(response, 500, "Something went wrong on our side")
    request_id = response["X-Request-ID"]
    assert request_id and request_id not in html
    assert "Reference" not in html


def test_404_page_shows_no_hex_reference(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert response["X-Request-ID"] not in html and "Reference" not in html


def test_503_page_when_the_database_is_unreachable(client):
    response = client.get("/test/database-down/")
    html = assert_friendly(response, 503, "briefly unavailable")
    assert response["Retry-After"] == "30"
    assert "10.0.0.5" not in html


def test_503_page_when_the_database_fails_outside_a_view(client, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.error_urls.DatabaseDownMiddleware"]
    response = client.get("/test/middleware-database-down/")
    assert_friendly(response, 503, "briefly unavailable")
    assert response["Retry-After"] == "30"


def test_410_template_renders_without_database():
    html = loader.get_template("410.html").render({"status": 410})
    assert "This is no longer available" in html
    assert 'href="/internships/"' in html


@pytest.mark.parametrize("status", [400, 403, 404, 410, 500, 503])
def test_every_error_template_extends_the_site_layout(status):
    html = loader.get_template(f"{status}.html").render({"status": status, "request_id": "abc"})
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert "<title>" in html and "Internboard" in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize(
    ("incoming", "reused"),
    [
        ("lb-3f9a2c7e-0001", True),
        ("short", False),
        ("x" * 65, False),
        ('abc" injected=1', False),
        ("abc\\u2028defghij", False),
    ],
)
def test_request_id_header_reuses_only_safe_incoming_ids(client, incoming, reused):
    response = client.get("/no-such-page/", headers={"X-Request-ID": incoming})
    rid = response["X-Request-ID"]
    assert (rid == incoming) is reused
    assert len(rid) <= 64 and rid.replace("-", "").replace(".", "").replace("_", "").isalnum()


@pytest.fixture
def json_log():
    """What Django's request logger writes, through the site's formatter and filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


@pytest.mark.parametrize(("path", "status"), [("/test/crash/", 500), ("/test/database-down/", 503)])
def test_every_5xx_is_logged_on_one_line_with_its_request_id(client, json_log, path, status):
    response = client.get(path + "?token=s3cr3t-value")
    assert response.status_code == status
    entries = [e for e in json_log() if e.get("status_code") == status]
    assert len(entries) == 1
    entry = entries[0]
    assert entry["request_id"] == response["X-Request-ID"]
    assert entry["level"] == "error"
    assert entry["method"] == "GET" and entry["path"] == path
    assert "s3cr3t-value" not in json.dumps(entry)


def test_404s_are_not_logged_as_errors(client, json_log):
    assert client.get("/no-such-page/").status_code == 404
    assert [e for e in json_log() if e["level"] == "error"] == []
