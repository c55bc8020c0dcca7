"""Escaped feeds, private drafts, read-only public pages and the smaller
hardening items (issue: attacks from outside)."""

import logging
import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings

from listings.models import Status
from tests.factories import make_company, make_editor, make_posting, make_recruiter

pytestmark = pytest.mark.django_db

ATOM = {"a": "http://www.w3.org/2005/Atom"}
PAYLOAD = "<img src=x onerror=alert(1)>"


# --- the Atom feed -------------------------------------------------------------


def test_feed_carries_no_markup_from_data(client):
    company = make_company(name=f"Evil {PAYLOAD} Corp")
    make_posting(title=f"Intern <b>bold</b> {PAYLOAD}", company=company, categories=[PAYLOAD])
    root = ET.fromstring(client.get("/feeds/internships/").content)
    for element in root.iter():
        kind = element.get("type")
        assert kind in (None, "text", "html")
        if kind == "html":
            # A reader parses this text as HTML: it must hold no tag at all.
            assert "<" not in element.text and ">" not in element.text
            assert "&lt;img src=x onerror=alert(1)&gt;" in element.text
        elif element.text:
            assert "<img" not in element.text or kind is None  # plain text: shown as typed


# --- drafts and postings in review are 404 everywhere ---------------------------


@pytest.fixture
def draft_world():
    company = make_company(name="Stealth Startup", about="Our secret plan.")
    draft = make_posting(
        title="Secret Draft", company=company, status=Status.DRAFT, skills=["Rust"]
    )
    pending = make_posting(
        title="Secret Pending", company=company, status=Status.PENDING, skills=["Rust"]
    )
    public = make_posting(title="Public Rust Intern", skills=["Rust"])
    return company, draft, pending, public


@pytest.mark.parametrize("which", ["draft", "pending"])
def test_unpublished_postings_are_404_on_every_public_url(client, draft_world, which):
    company, draft, pending, public = draft_world
    posting = draft if which == "draft" else pending
    for url in (
        posting.get_absolute_url(),
        f"/internships/{posting.pk}/",
        posting.get_apply_url(),
        company.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Secret" not in response.content.decode()
    # An unknown id answers exactly the same.
    assert client.get("/internships/999999/apply/").status_code == 404
    for url in ("/", "/internships/", "/companies/", "/feeds/internships/", "/sitemap.xml"):
        assert "Secret" not in client.get(url).content.decode(), url
    sitemap = client.get("/sitemap-internships.xml").content.decode()
    assert f"/internships/{posting.pk}/" not in sitemap
    # The similar list of a public posting never offers it.
    assert "Secret" not in client.get(public.get_absolute_url()).content.decode()


def test_gone_page_of_a_closed_posting_lists_only_open_similar(client, draft_world):
    company, draft, pending, public = draft_world
    closed = make_posting(title="Closed Rust", skills=["Rust"], status=Status.CLOSED)
    html = client.get(closed.get_apply_url()).content.decode()
    assert "Public Rust Intern" in html and "Secret" not in html


def test_staff_who_may_edit_see_drafts_and_others_do_not(client, draft_world):
    company, draft, pending, public = draft_world
    client.force_login(make_recruiter("own", companies=[company]))
    assert client.get(draft.get_apply_url()).status_code == 410
    assert client.get(company.get_absolute_url()).status_code == 200
    client.force_login(make_recruiter("foreign", companies=[make_company()]))
    assert client.get(draft.get_apply_url()).status_code == 404
    assert client.get(company.get_absolute_url()).status_code == 404
    client.force_login(make_editor())
    assert client.get(pending.get_absolute_url()).status_code == 200


def test_company_with_a_closed_posting_keeps_its_page(client):
    company = make_company()
    make_posting(company=company, status=Status.CLOSED)
    assert client.get(company.get_absolute_url()).status_code == 200


# --- read-only public pages --------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "delete", "patch", "post"])
def test_public_pages_refuse_writes(client, method):
    posting = make_posting()
    urls = [
        "/",
        "/internships/",
        posting.get_absolute_url(),
        f"/internships/{posting.pk}/",
        posting.get_apply_url(),
        "/companies/",
        posting.company.get_absolute_url(),
        "/feeds/internships/",
        "/sitemap.xml",
        "/sitemap-internships.xml",
        "/robots.txt",
        "/healthz",
        "/favicon.ico",
    ]
    for url in urls:
        assert getattr(client, method)(url).status_code == 405, url


def test_head_has_headers_and_no_body(client):
    posting = make_posting()
    get = client.get(posting.get_absolute_url())
    head = client.head(posting.get_absolute_url())
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == str(len(get.content))


# --- canonical addresses from SITE_URL -----------------------------------------------


@override_settings(CANONICAL_SITE_URL="https://internboard.example.org", ALLOWED_HOSTS=["*"])
def test_canonical_links_feeds_and_sitemap_use_site_url(client):
    from django.test import Client

    client = Client()  # built after the override: the middleware reads it once
    posting = make_posting()
    host = {"HTTP_HOST": "internboard.example.org:8443"}
    html = client.get(posting.get_absolute_url(), **host).content.decode()
    assert (
        f'<link rel="canonical" href="https://internboard.example.org{posting.get_absolute_url()}">'
        in html
    )
    for url in ("/feeds/internships/", "/sitemap.xml", "/sitemap-internships.xml", "/robots.txt"):
        body = client.get(url, **host).content.decode()
        assert "https://internboard.example.org/" in body, url
        assert ":8443" not in body, url


@override_settings(CANONICAL_SITE_URL="https://internboard.example.org", ALLOWED_HOSTS=["good"])
def test_a_host_not_allowed_is_still_refused_with_site_url(client):
    from django.test import Client

    assert Client().get("/", HTTP_HOST="evil.example").status_code == 400


# --- static files, favicon, logging ------------------------------------------------


def test_favicon_is_linked_and_served(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.ico"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.ico"
    from django.contrib.staticfiles import finders

    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file


def test_static_files_are_served_but_not_the_manifest(collected_static, settings):
    import json

    from django.http import HttpResponseNotFound
    from django.test import RequestFactory

    from config.middleware import StaticFilesMiddleware

    settings.STATIC_ROOT = collected_static
    settings.WHITENOISE_AUTOREFRESH = False
    manifest = json.loads((collected_static / "staticfiles.json").read_text())
    hashed = manifest["paths"]["favicon.ico"]
    middleware = StaticFilesMiddleware(lambda request: HttpResponseNotFound())
    factory = RequestFactory()
    assert middleware(factory.get(f"/static/{hashed}")).status_code == 200
    assert middleware(factory.get("/static/staticfiles.json")).status_code == 404


def test_disallowed_host_logs_nothing_to_stderr(client, capfd):
    logger = logging.getLogger("django.security.DisallowedHost")
    assert any(isinstance(h, logging.NullHandler) for h in logger.handlers)
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    assert "Traceback" not in capfd.readouterr().err


@override_settings(CANONICAL_SITE_URL="https://internboard.example.org", ALLOWED_HOSTS=["*"])
def test_the_admin_keeps_the_requested_host_for_its_csrf_check():
    from django.test import Client

    from tests.factories import make_user

    make_user("root", superuser=True)
    client = Client(enforce_csrf_checks=True)
    host = "admin.internal.example:8443"
    page = client.get("/admin/login/", HTTP_HOST=host)
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/admin/login/",
        {"username": "root", "password": "pw-Internboard-1", "csrfmiddlewaretoken": token},
        HTTP_HOST=host,
        HTTP_ORIGIN=f"http://{host}",
    )
    assert response.status_code == 302
