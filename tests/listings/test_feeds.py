"""The Atom feed of any search at /feeds/internships/."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from listings.models import InternshipType, Sponsorship, Status, WorkMode
from tests.factories import SEED_RANGES, make_company, make_posting
from tests.listings.test_list_fuzz import fragments, pairs, query_string

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
        terms=["Summer 2030"],
    )
    root = fetch(client)
    assert root.findtext("a:title", namespaces=ATOM) == "Internboard: newest internships"
    [entry] = entries(root)
    assert entry["title"] == "Data Intern at Acme Analytics"
    assert entry["link"] == f"http://testserver{posting.get_absolute_url()}"
    assert entry["author"] == "Acme Analytics"
    assert entry["summary"] == "Acme Analytics · $20 - $25 per hour · Austin, TX (Hybrid)"
    assert entry["categories"] == ["Data & Analytics", "Summer 2030"]


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
    # Company, locations and labels are loaded once for all entries, and the
    # state's pay is annotated: never a query per entry.
    for _ in range(3):
        make_posting(pay=SEED_RANGES, skills=["Python"], categories=["Software"])
    with django_assert_max_num_queries(3):
        fetch(client, "state=CA")
    for _ in range(20):
        make_posting(pay=SEED_RANGES, skills=["Python"], categories=["Software"])
    with django_assert_max_num_queries(3):
        assert len(entries(fetch(client, "state=CA"))) == 23


@pytest.fixture
def board():
    acme = make_company(name="Acme", size=30)
    globex = make_company(name="Globex", size=20000)
    return {
        "remote": make_posting(
            title="Remote Python",
            company=acme,
            work_mode=WorkMode.REMOTE,
            locations=["United States"],
            skills=["Python"],
            categories=["Software"],
            terms=["Summer 2030"],
            pay=[(30, 35, [])],
            posted_on=days_ago(1),
        ),
        "texas": make_posting(
            title="Texas Data",
            company=globex,
            work_mode=WorkMode.ONSITE,
            locations=["Austin, TX"],
            internship_type=InternshipType.PART_TIME,
            skills=["SQL"],
            categories=["Data & Analytics"],
            visa_sponsorship=Sponsorship.YES,
            pay=[(18, 20, [])],
            posted_on=days_ago(3),
        ),
        "california": make_posting(
            title="California Design",
            company=globex,
            work_mode=WorkMode.HYBRID,
            locations=["San Francisco, CA"],
            categories=["Design"],
            language="Spanish",
            posted_on=days_ago(20),
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Remote Python", "Texas Data", "California Design"]),
        ("mode=remote", ["Remote Python"]),
        ("mode=onsite&mode=hybrid", ["Texas Data", "California Design"]),
        ("type=part_time", ["Texas Data"]),
        ("state=tx", ["Remote Python", "Texas Data"]),
        ("state=CA", ["Remote Python", "California Design"]),
        ("location=Austin", ["Texas Data"]),
        ("min_pay=25", ["Remote Python"]),
        ("sponsorship=yes", ["Texas Data"]),
        ("skill=python&skill=sql", ["Remote Python", "Texas Data"]),
        ("category=design", ["California Design"]),
        ("term=summer-2030", ["Remote Python"]),
        ("company=globex", ["Texas Data", "California Design"]),
        ("posted=7", ["Remote Python", "Texas Data"]),
        ("size=10001%2B", ["Texas Data", "California Design"]),
        ("language=spanish", ["California Design"]),
        ("q=python", ["Remote Python"]),
        ("q=data&mode=onsite", ["Texas Data"]),
        # The feed is always newest first, whatever the list's sort.
        ("sort=pay", ["Remote Python", "Texas Data", "California Design"]),
        ("sort=deadline&mode=onsite&mode=hybrid", ["Texas Data", "California Design"]),
    ],
)
def test_feed_honours_every_list_filter(client, board, query, expected):
    assert [title.split(" at ")[0] for title in titles(client, query)] == expected


@pytest.mark.parametrize(
    "query",
    [
        "mode=nonsense",
        "state=ZZ",
        "min_pay=abc",
        "posted=%00",
        "page=-1",
        "foo=bar",
    ],
)
def test_feed_ignores_bad_values_like_the_list(client, board, query):
    assert len(titles(client, query)) == 3


def test_feed_title_names_the_search(client, board):
    root = fetch(client, "mode=remote&skill=python")
    assert root.findtext("a:title", namespaces=ATOM) == (
        "Internboard: internships — Work mode: Remote, Skill: python"
    )


def test_feed_self_link_is_normalised(client, board):
    root = fetch(client, "state=tx&mode=remote&page=3&sort=pay&foo=bar&mode=")
    links = {link.get("rel"): link.get("href") for link in root.findall("a:link", ATOM)}
    assert links["self"] == "http://testserver/feeds/internships/?mode=remote&state=TX"
    assert links["alternate"] == "http://testserver/internships/?mode=remote&sort=pay&state=TX"


def test_feed_answers_an_overlong_or_odd_search(client, board):
    assert titles(client, "q=" + "x" * 5000) == []
    fetch(client, "q=%00python")  # a valid feed, not an error


def feed_links(html):
    """The href of every <link rel="alternate" type="application/atom+xml">."""
    from html.parser import HTMLParser

    found = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "link" and attrs.get("rel") == "alternate":
                assert attrs.get("type") == "application/atom+xml"
                found.append(attrs["href"])

    Links().feed(html)
    return found


def test_list_page_links_to_the_feed_of_its_search(client, board):
    response = client.get(
        "/internships/?skill=Python&mode=remote&mode=&page=1&sort=pay&foo=1", follow=True
    )
    html = response.content.decode()
    assert feed_links(html) == ["/feeds/internships/?mode=remote&skill=python"]
    assert 'href="/feeds/internships/?mode=remote&amp;skill=python"' in html  # the visible link

    [feed_url] = feed_links(html)
    assert [t.split(" at ")[0] for t in titles(client, feed_url.split("?", 1)[1])] == [
        "Remote Python"
    ]


def test_unfiltered_list_links_to_the_feed_of_everything(client, board):
    assert feed_links(client.get("/internships/").content.decode()) == ["/feeds/internships/"]


@pytest.mark.parametrize("url", ["/feeds/internships/", "/sitemap.xml", "/robots.txt"])
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pair_list=pairs, raw=fragments)
def test_no_query_string_breaks_the_feed_sitemap_or_robots(client, board, url, pair_list, raw):
    response = client.get(url, QUERY_STRING=query_string(pair_list, raw) or "x")
    assert response.status_code == 200, (url, pair_list, raw)


def test_control_characters_never_break_the_feed(client, board):
    # XML 1.0 cannot carry them; a search box or an imported title can.
    board["remote"].company.name = "Acme\x0b Corp"
    board["remote"].company.save()
    type(board["remote"]).objects.filter(pk=board["remote"].pk).update(title="Remote\x08 Python")
    root = fetch(client, "mode=remote")
    assert [e["title"] for e in entries(root)] == ["Remote Python at Acme Corp"]
    assert entries(root)[0]["author"] == "Acme Corp"
    root = fetch(client, "q=%08python%01")
    assert root.findtext("a:title", namespaces=ATOM) == "Internboard: internships — Search: python"
