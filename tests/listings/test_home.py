from html import unescape

import pytest

from listings.models import Status
from tests.factories import make_company, make_posting

pytestmark = pytest.mark.django_db


def test_home_shows_search_newest_counts_and_browse_links(client):
    acme = make_company(name="Acme")
    make_posting(title="Newest Intern", company=acme, categories=["Design"], terms=["Fall 2030"])
    make_posting(title="Other Intern", categories=["Design", "Finance"])
    make_posting(title="Closed Intern", status=Status.CLOSED, categories=["Hidden Category"])
    html = unescape(client.get("/").content.decode())
    assert 'action="/internships/"' in html and 'name="q"' in html and 'name="state"' in html
    assert "Newest Intern" in html and "Other Intern" in html
    assert "Closed Intern" not in html
    assert "<strong>2</strong> open internships at <strong>2</strong> companies" in html
    assert 'href="/internships/?category=design">Design</a> <span class="muted">2</span>' in html
    assert 'href="/internships/?term=fall-2030">Fall 2030</a>' in html
    assert "Hidden Category" not in html


def test_home_without_postings(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "No open internships yet" in response.content.decode()
