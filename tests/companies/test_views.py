import datetime
from html import unescape

import pytest
from django.utils import timezone

from listings.models import Status
from tests.factories import make_company, make_posting

pytestmark = pytest.mark.django_db


def test_company_list_shows_open_counts_hiring_companies_first(client):
    acme = make_company(name="Acme", size=120)
    make_posting(company=acme)
    make_posting(company=acme)
    make_posting(company=acme, status=Status.CLOSED)
    idle = make_company(name="Abacus Idle")
    make_posting(company=idle, status=Status.CLOSED)
    html = unescape(client.get("/companies/").content.decode())
    assert 'href="/companies/acme/">Acme</a>' in html
    assert "51-200 employees · 2 open internships" in html
    # Without open internships: after every hiring company, and said so.
    assert html.index("Acme") < html.index("Abacus Idle")
    assert "No open internships right now" in html


def test_company_list_sorts_whatever_the_case(client):
    for name in ("ASML", "Acadian", "ABB", "aqr capital", "Zeta"):
        make_posting(company=make_company(name=name))
    response = client.get("/companies/")
    names = [c.name for c in response.context["page"].object_list]
    assert names == ["ABB", "Acadian", "aqr capital", "ASML", "Zeta"]


def test_company_list_searches_names(client):
    for name in ("Instacart", "Insta Labs", "Acme"):
        make_posting(company=make_company(name=name))
    response = client.get("/companies/?q=INSTA")
    assert [c.name for c in response.context["page"].object_list] == ["Insta Labs", "Instacart"]
    assert "No company name contains" in client.get("/companies/?q=nothing").content.decode()


def test_company_list_is_paginated_by_a_hundred(client):
    for n in range(105):
        make_posting(company=make_company(name=f"Company {n:03d}"))
    first = client.get("/companies/")
    assert len(first.context["page"].object_list) == 100
    assert 'href="?page=2"' in first.content.decode()
    second = client.get("/companies/?page=2")
    assert len(second.context["page"].object_list) == 5
    assert client.get("/companies/?page=zz").status_code == 200
    # Out of range or not a number: the nearest page that exists.
    for value, expected in [("zz", 1), ("0", 1), ("-3", 1), ("2.5", 1), ("3", 2), ("9" * 30, 2)]:
        response = client.get("/companies/", {"page": value})
        assert response.status_code == 200
        assert response.context["page"].number == expected, value
    assert 'href="?q=company&amp;page=2"' in client.get("/companies/?q=company").content.decode()


def test_company_page_shows_about_size_website_and_postings(client):
    today = timezone.localdate()
    acme = make_company(name="Acme", size=24131, website="https://acme.example.com",
                        about="We build rockets.")  # fmt: skip
    make_posting(title="Open Intern", company=acme)
    make_posting(title="Closed Intern", company=acme, status=Status.CLOSED)
    make_posting(title="Expired Intern", company=acme, posted_on=today - datetime.timedelta(days=9),
                 closes_on=today - datetime.timedelta(days=1))  # fmt: skip
    make_posting(title="Draft Intern", company=acme, status=Status.DRAFT)
    html = unescape(client.get("/companies/acme/").content.decode())
    assert "We build rockets." in html
    assert "24,131 employees" in html
    assert '<a href="https://acme.example.com" rel="nofollow noopener noreferrer"' in html
    open_part = html[html.index("Open internships</h2>") : html.index("<details")]
    assert "Open Intern" in open_part
    closed_part = html[html.index("<details") : html.index("</details>")]
    assert "2 closed internships" in closed_part
    assert "Closed Intern" in closed_part and "Expired Intern" in closed_part
    assert "Draft Intern" not in html


def test_company_page_links_to_all_its_postings_when_there_are_many(client):
    acme = make_company(name="Acme")
    for n in range(22):
        make_posting(title=f"Intern {n}", company=acme)
    html = client.get("/companies/acme/").content.decode()
    assert 'href="/internships/?company=acme"' in html
    assert "See all 22 internships" in html


def test_unknown_company_is_404(client, db):
    assert client.get("/companies/nobody/").status_code == 404
