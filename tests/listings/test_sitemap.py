"""/sitemap.xml and /robots.txt: what crawlers are pointed at and kept away from."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from listings import sitemaps
from listings.models import Status
from tests.factories import make_company, make_posting

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def get_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def urlset(client, url="/sitemap.xml"):
    root = get_xml(client, url)
    assert root.tag == f"{{{NS['sm']}}}urlset"
    return {
        u.findtext("sm:loc", namespaces=NS): u.findtext("sm:lastmod", namespaces=NS)
        for u in root.findall("sm:url", NS)
    }


@pytest.fixture
def board():
    acme = make_company(name="Acme")
    idle = make_company(name="Idle Co")
    return {
        "open": make_posting(title="Open Intern", company=acme),
        "closed": make_posting(title="Closed Intern", company=idle, status=Status.CLOSED),
        "draft": make_posting(title="Draft Intern", company=idle, status=Status.DRAFT),
        "expired": make_posting(
            title="Expired Intern",
            company=idle,
            posted_on=datetime.date(2020, 1, 1),
            closes_on=datetime.date(2020, 2, 1),
        ),
        "acme": acme,
        "idle": idle,
    }


def test_sitemap_lists_pages_open_postings_and_companies_with_open_postings(client, board):
    urls = urlset(client)
    base = "http://testserver"
    assert f"{base}/" in urls
    assert f"{base}/internships/" in urls
    assert f"{base}{board['open'].get_absolute_url()}" in urls
    assert f"{base}{board['acme'].get_absolute_url()}" in urls
    for hidden in ("closed", "draft", "expired", "idle"):
        assert f"{base}{board[hidden].get_absolute_url()}" not in urls, hidden
    assert len(urls) == 4


def test_sitemap_gives_lastmod_of_postings_and_companies(client, board):
    urls = urlset(client)
    posting = board["open"]
    posting.refresh_from_db()
    changed = timezone.localtime(posting.updated_at).date().isoformat()
    assert urls[f"http://testserver{posting.get_absolute_url()}"] == changed
    assert urls[f"http://testserver{board['acme'].get_absolute_url()}"] == changed


def test_closing_a_posting_removes_it_from_the_sitemap(client, board):
    posting = board["open"]
    posting.status = Status.CLOSED
    posting.save()
    urls = urlset(client)
    assert f"http://testserver{posting.get_absolute_url()}" not in urls
    assert f"http://testserver{board['acme'].get_absolute_url()}" not in urls


def test_large_site_gets_a_sitemap_index_of_pages(client, board, monkeypatch):
    for _ in range(4):
        make_posting(company=board["acme"])
    monkeypatch.setattr(sitemaps, "PAGE_SIZE", 2)

    root = get_xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    pages = [s.findtext("sm:loc", namespaces=NS) for s in root.findall("sm:sitemap", NS)]
    assert pages == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-internships.xml",
        "http://testserver/sitemap-internships.xml?p=2",
        "http://testserver/sitemap-internships.xml?p=3",
        "http://testserver/sitemap-companies.xml",
    ]

    seen = {}
    for page in pages:
        seen.update(urlset(client, page.removeprefix("http://testserver")))
    postings = [url for url in seen if "/internships/" in url and url.count("/") > 5]
    assert len(postings) == 5  # every open posting, on exactly one of the pages


def test_sitemap_pages_cost_the_same_queries_for_any_size(
    client, board, django_assert_max_num_queries
):
    # Each section costs a count and one page of rows, never a query per item
    # (the company section's lastmod comes from the same grouped query).
    with django_assert_max_num_queries(4):
        urlset(client)
    for _ in range(10):
        make_posting(company=make_company())
    with django_assert_max_num_queries(4):
        assert len(urlset(client)) == 4 + 10 + 10


def test_sitemap_section_page_out_of_range_is_not_found(client, board):
    assert client.get("/sitemap-internships.xml?p=9").status_code == 404
    assert client.get("/sitemap-internships.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /internships/*/apply/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_points_at_the_sitemap_on_the_requested_host(client, db, settings):
    settings.ALLOWED_HOSTS = ["internboard.example"]
    response = client.get("/robots.txt", HTTP_HOST="internboard.example", secure=True)
    assert "Sitemap: https://internboard.example/sitemap.xml" in response.content.decode()
