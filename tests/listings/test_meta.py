"""Titles, descriptions, canonical URLs and link-preview tags on every page."""

from html.parser import HTMLParser

import pytest

from listings.models import Status, WorkMode
from tests.factories import SEED_RANGES, make_company, make_posting

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """The <title>, <meta> and <link> elements of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = None
        self.meta = {}  # name or property -> content
        self.links = []  # attrs of every <link>
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in_title = True
            self.title = ""
        elif tag == "meta" and ("name" in attrs or "property" in attrs):
            key = attrs.get("name") or attrs.get("property")
            assert key not in self.meta, f"{key} given twice"
            self.meta[key] = attrs.get("content")
        elif tag == "link":
            self.links.append(attrs)

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def canonical(self):
        found = [link["href"] for link in self.links if link.get("rel") == "canonical"]
        assert len(found) == 1, "exactly one canonical link"
        return found[0]


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = Head()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def acme_posting():
    return make_posting(
        title="Data Intern",
        company=make_company(name="Acme", about="Acme builds rockets for roadrunners."),
        work_mode=WorkMode.HYBRID,
        locations=["Austin, TX"],
        pay=SEED_RANGES,
        responsibilities="Build dashboards for the launch team.",
        skills=["Python"],
    )


def test_every_page_has_title_description_canonical_and_previews(client, acme_posting):
    pages = [
        "/",
        "/internships/",
        "/internships/?mode=hybrid",
        acme_posting.get_absolute_url(),
        "/companies/",
        acme_posting.company.get_absolute_url(),
    ]
    titles = set()
    for url in pages:
        page = head(client, url)
        assert page.title and page.title.strip() != "Internboard", url
        titles.add(page.title)
        assert page.meta["description"], url
        canonical = page.canonical()
        assert canonical.startswith("http://testserver/"), url
        assert page.meta["og:site_name"] == "Internboard"
        assert page.meta["og:title"] == page.title
        assert page.meta["og:description"] == page.meta["description"]
        assert page.meta["og:url"] == canonical
        assert page.meta["og:type"] in ("website", "article")
        assert page.meta["twitter:card"] == "summary"
        assert page.meta["twitter:title"] == page.title
        assert page.meta["twitter:description"] == page.meta["description"]
    assert len(titles) == len(pages), "each page has its own title"


def test_posting_page_describes_the_posting(client, acme_posting):
    page = head(client, acme_posting.get_absolute_url() + "?state=TX&utm_source=x")
    assert page.title == "Data Intern at Acme · Internboard"
    assert page.meta["description"] == (
        "Acme · $44 - $52 per hour · Austin, TX (Hybrid). Build dashboards for the launch team."
    )
    assert page.canonical() == f"http://testserver{acme_posting.get_absolute_url()}"
    assert page.meta["og:type"] == "article"


def test_company_page_describes_the_company(client, acme_posting):
    page = head(client, acme_posting.company.get_absolute_url() + "?page=3")
    assert page.title == "Acme internships · Internboard"
    assert page.meta["description"] == (
        "1 open internship at Acme: Acme builds rockets for roadrunners."
    )
    assert page.canonical() == f"http://testserver{acme_posting.company.get_absolute_url()}"


def test_long_descriptions_are_cut_short(client):
    posting = make_posting(responsibilities="word " * 200)
    assert len(head(client, posting.get_absolute_url()).meta["description"]) <= 160


def test_list_canonical_is_normalised(client, acme_posting):
    messy = (
        "/internships/?skill=Python&state=tx&mode=hybrid&mode=hybrid&page=1"
        "&sort=newest&foo=bar&mode=nonsense"
    )
    page = head(client, messy)
    expected = "http://testserver/internships/?mode=hybrid&skill=python&state=TX"
    assert page.canonical() == expected
    # The same search written another way has the same canonical address.
    same = head(client, "/internships/?state=TX&mode=hybrid&skill=python")
    assert same.canonical() == expected
    assert page.title == "Internships in TX (Work mode: Hybrid, Skill: python) · Internboard"
    assert page.meta["description"].startswith("1 open internship you can do from TX (")


def test_list_canonical_keeps_a_real_page_and_a_chosen_sort(client):
    company = make_company()
    for _ in range(21):
        make_posting(company=company)
    page = head(client, "/internships/?page=2&sort=pay")
    assert page.canonical() == "http://testserver/internships/?sort=pay&page=2"
    assert page.title == "Internships, page 2 · Internboard"
    # A page past the end shows the last page, and says so.
    assert head(client, "/internships/?page=99").canonical() == (
        "http://testserver/internships/?page=2"
    )


def test_search_title_quotes_the_search(client, acme_posting):
    page = head(client, "/internships/?q=data")
    assert page.title == "“data” – Internships · Internboard"
    assert page.canonical() == "http://testserver/internships/?q=data"


def test_company_list_canonical_keeps_its_page(client):
    for n in range(101):
        make_posting(company=make_company(name=f"Firm {n:03d}"))
    page = head(client, "/companies/?page=2")
    assert page.canonical() == "http://testserver/companies/?page=2"
    assert page.title == "Companies hiring interns (page 2) · Internboard"
    assert head(client, "/companies/?page=1&x=1").canonical() == "http://testserver/companies/"


def test_home_canonical_drops_any_query(client, db):
    assert head(client, "/?utm_source=newsletter").canonical() == "http://testserver/"


def test_markup_in_data_is_escaped_in_tags(client):
    posting = make_posting(
        title='Intern "quoted" & <b>bold</b>',
        company=make_company(name="A&B <Co>"),
    )
    response = client.get(posting.get_absolute_url())
    assert b"<b>bold</b>" not in response.content.split(b"</head>")[0]
    page = Head()
    page.feed(response.content.decode())
    assert page.title == 'Intern "quoted" & <b>bold</b> at A&B <Co> · Internboard'
    assert page.meta["og:title"] == page.title


def test_closed_posting_keeps_its_canonical_and_is_not_indexed(client):
    posting = make_posting(status=Status.CLOSED)
    page = head(client, posting.get_absolute_url())
    assert page.meta["robots"] == "noindex"
    assert page.canonical() == f"http://testserver{posting.get_absolute_url()}"


def test_canonical_uses_the_requested_host(client, acme_posting, settings):
    settings.ALLOWED_HOSTS = ["internboard.example"]
    response = client.get("/companies/", HTTP_HOST="internboard.example", secure=True)
    page = Head()
    page.feed(response.content.decode())
    assert page.canonical() == "https://internboard.example/companies/"


def test_a_page_rendered_without_a_request_still_renders(db):
    # Error pages render without a request; they point home and name no host.
    from django.template import engines

    template = engines["django"].from_string(
        '{% extends "base.html" %}{% block content %}Oops{% endblock %}'
    )
    html = template.render({})
    assert '<link rel="canonical" href="/">' in html
    assert "<title>Internboard</title>" in html


def test_gone_page_of_a_closed_posting_points_at_the_posting(client):
    posting = make_posting(title="Secret Rocket Intern", status=Status.CLOSED)
    response = client.get(posting.get_apply_url())
    assert response.status_code == 410
    page = Head()
    page.feed(response.content.decode())
    assert page.canonical() == f"http://testserver{posting.get_absolute_url()}"


def test_apply_page_of_a_draft_is_a_404_that_names_nothing(client):
    draft = make_posting(title="Secret Rocket Intern", status=Status.DRAFT)
    response = client.get(draft.get_apply_url())
    assert response.status_code == 404
    assert "Secret Rocket" not in response.content.decode()
