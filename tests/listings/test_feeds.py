"""The Atom feed of any search at /feeds/internships/."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from listings.models import Status, WorkMode
from tests.factories import SEED_RANGES, make_company, make_posting

pytestmark = pytest.mark.django_db

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def fetch(client, query=""):
    response = client.get("/feeds/internships/" + (f"?{query}" if query else ""))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(root):
    return [
        {
            "title": e.findtext("a:title", namespaces=ATOM),
            "link": e.find("a:link", ATOM).get("href"),
            "summary": e.findtext("a:summary", namespaces=ATOM),
            "author": e.findtext("a:author/a:name", namespaces=ATOM),
            "categories": [c.get("term") for c in e.findall("a:category", ATOM)],
        }
        for e in root.findall("a:entry", ATOM)
    ]


def titles(client, query=""):
    return [entry["title"] for entry in entries(fetch(client, query))]


def test_feed_lists_open_postings_newest_first(client):
    company = make_company(name="Acme")
    make_posting(title="Older", company=company, posted_on=days_ago(5))
    make_posting(title="Newer", company=company, posted_on=days_ago(1))
    make_posting(title="Closed", company=company, status=Status.CLOSED)
    make_posting(title="Draft", company=company, status=Status.DRAFT)
    make_posting(title="Expired", company=company, posted_on=days_ago(40), closes_on=days_ago(2))
    assert titles(client) == ["Newer at Acme", "Older at Acme"]


def test_feed_holds_the_newest_fifty(client):
    company = make_company()
    for n in range(55):
        make_posting(title=f"Intern {n:02d}", company=company, posted_on=days_ago(n))
    found = titles(client)
    assert len(found) == 50
    assert found[0].startswith("Intern 00")
    assert found[-1].startswith("Intern 49")


def test_entry_carries_company_pay_and_location(client):
    posting = make_posting(
        title="Data Intern",
        company=make_company(name="Acme Analytics"),
        work_mode=WorkMode.HYBRID,
        locations=["Austin, TX"],
        pay=[(20, 25, [])],
        categories=["Data & Analytics"],
        terms=["Summer 2026"],
    )
    root = fetch(client)
    assert root.findtext("a:title", namespaces=ATOM) == "Internboard: newest internships"
    [entry] = entries(root)
    assert entry["title"] == "Data Intern at Acme Analytics"
    assert entry["link"] == f"http://testserver{posting.get_absolute_url()}"
    assert entry["author"] == "Acme Analytics"
    assert entry["summary"] == "Acme Analytics · $20 - $25 per hour · Austin, TX (Hybrid)"
    assert entry["categories"] == ["Data & Analytics", "Summer 2026"]


def test_remote_and_unpaid_entries_say_so(client):
    make_posting(
        company=make_company(name="Remote Co"),
        work_mode=WorkMode.REMOTE,
        locations=["United States"],
    )
    [entry] = entries(fetch(client))
    assert entry["summary"] == "Remote Co · Pay not listed · Remote (United States)"


def test_feed_with_a_state_shows_that_states_pay(client):
    make_posting(
        company=make_company(name="Acme"),
        work_mode=WorkMode.REMOTE,
        locations=["United States"],
        pay=SEED_RANGES,
    )
    [entry] = entries(fetch(client, "state=wa"))
    assert "$50 per hour in WA" in entry["summary"]
    [entry] = entries(fetch(client, "state=ak"))
    assert "$44 per hour in AK" in entry["summary"]
    [entry] = entries(fetch(client))
    assert "$44 - $52 per hour" in entry["summary"]


def test_feed_links_back_to_the_same_search(client):
    make_posting()
    root = fetch(client, "mode=remote&skill=python")
    links = {link.get("rel"): link.get("href") for link in root.findall("a:link", ATOM)}
    assert links["alternate"] == "http://testserver/internships/?mode=remote&skill=python"
    assert links["self"] == "http://testserver/feeds/internships/?mode=remote&skill=python"


def test_feed_queries_do_not_grow_with_entries(client, django_assert_max_num_queries):
    # Company, locations, labels and (for a state) pay ranges are loaded once
    # for all entries, never once per entry.
    for _ in range(3):
        make_posting(pay=SEED_RANGES, skills=["Python"], categories=["Software"])
    with django_assert_max_num_queries(4):
        fetch(client, "state=CA")
    for _ in range(20):
        make_posting(pay=SEED_RANGES, skills=["Python"], categories=["Software"])
    with django_assert_max_num_queries(4):
        assert len(entries(fetch(client, "state=CA"))) == 23
