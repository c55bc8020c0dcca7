"""PRODUCT.md section 11: terms end, postings say how old they are, unknown
facts stay unknown, pay compares, and the words are consistent."""

import datetime
import importlib
import re
from html import unescape

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from listings import terms, writes
from listings.models import Posting, Status, Term
from tests.factories import make_company, make_posting

from .importing import FIXTURES, run_import, write_file

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


def days(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def html_of(client, url):
    return unescape(client.get(url).content.decode())


# --- season arithmetic (no database) -------------------------------------------


@pytest.mark.parametrize(
    "name, season, year, end",
    [
        ("Summer 2026", "summer", 2026, datetime.date(2026, 8, 31)),
        ("Spring 2027", "spring", 2027, datetime.date(2027, 5, 31)),
        ("Fall 2026", "fall", 2026, datetime.date(2026, 12, 31)),
        ("Autumn 2026", "fall", 2026, datetime.date(2026, 12, 31)),
        ("Winter 2027", "winter", 2027, datetime.date(2027, 3, 31)),
        ("Co-op 2027", "", 2027, datetime.date(2027, 12, 31)),
        ("Rolling", "", None, None),
    ],
)
def test_a_term_name_gives_season_year_and_end(name, season, year, end):
    assert terms.describe(name) == {"season": season, "year": year, "end_on": end}


def test_terms_sort_by_date_and_upcoming_terms_start_today():
    names = ["Summer 2027", "Fall 2026", "Rolling", "Winter 2027", "Spring 2027"]
    assert sorted(names, key=terms.sort_key) == [
        "Fall 2026", "Winter 2027", "Spring 2027", "Summer 2027", "Rolling",
    ]  # fmt: skip
    assert terms.upcoming(TODAY, 4) == ["Fall 2026", "Winter 2027", "Spring 2027", "Summer 2027"]
    assert terms.upcoming(datetime.date(2027, 1, 1), 1) == ["Winter 2027"]


def test_default_weeks_by_season():
    assert terms.default_weeks(["summer"]) == 12
    assert terms.default_weeks(["fall", "summer"]) == 16
    assert terms.default_weeks([]) == 12
    assert terms.default_weeks([""]) == 12


# --- terms with dates -------------------------------------------------------------


def test_terms_get_their_dates_when_created_anywhere(tmp_path):
    assert Term.objects.create(name="Summer 2030").end_on == datetime.date(2030, 8, 31)
    record = {
        "external_id": "x1",
        "title": "Data Intern",
        "company": "Acme",
        "apply_url": "https://jobs.acme.com/1",
        "terms": ["Winter 2031"],
    }
    run_import(write_file(tmp_path, "one.jsonl", [record]), "--source", "t")
    term = Term.objects.get(name="Winter 2031")
    assert (term.season, term.year, term.end_on) == ("winter", 2031, datetime.date(2031, 3, 31))
    assert Posting.objects.get(external_id="x1").terms_end == datetime.date(2031, 3, 31)


@pytest.fixture
def ended():
    """A posting whose only term ended, one with an ended and a future term."""
    company = make_company(name="Old Co")
    old = make_posting(
        title="Ended Data Intern", company=company, terms=["Summer 2024"], categories=["Data"]
    )
    mixed = make_posting(
        title="Mixed Data Intern", company=company, terms=["Summer 2024", "Summer 2030"],
        categories=["Data"],
    )  # fmt: skip
    return old, mixed


def test_a_posting_whose_terms_all_ended_is_nowhere(client, ended):
    old, mixed = ended
    assert old.__class__.objects.get(pk=old.pk).terms_end == datetime.date(2024, 8, 31)
    assert list(Posting.objects.open()) == [mixed]
    for url in (
        "/internships/",
        "/internships/?q=data",
        "/internships/?term=summer-2024",
        "/internships/feed/",
        "/",
        mixed.get_absolute_url(),  # its similar internships
    ):
        html = html_of(client, url)
        assert "Ended Data Intern" not in html, url
    assert "Mixed Data Intern" in html_of(client, "/internships/?q=data")
    company = html_of(client, mixed.company.get_absolute_url())
    open_part, closed_part = company.split("<details", 1)
    assert "Ended Data Intern" not in open_part and "Ended Data Intern" in closed_part
    sitemap = client.get("/sitemap.xml")
    body = b"".join(sitemap.streaming_content) if sitemap.streaming else sitemap.content
    assert f"/internships/{old.pk}/".encode() not in body
    home = html_of(client, "/")
    browse = home[home.index("Browse by term") :]
    assert "Summer 2024" not in browse and "Summer 2030" in browse, "no ended term offered"
    assert re.search(r"<strong>1</strong> open internship\b", home)


def test_browse_by_term_is_in_date_order_and_terms_on_pages_too(client):
    posting = make_posting(terms=["Summer 2031", "Fall 2030", "Spring 2031"])
    home = html_of(client, "/")
    browse = home[home.index("Browse by term") :]
    assert browse.index("Fall 2030") < browse.index("Spring 2031") < browse.index("Summer 2031")
    detail = html_of(client, posting.get_absolute_url())
    assert detail.index("Fall 2030") < detail.index("Spring 2031") < detail.index("Summer 2031")


def test_close_expired_closes_postings_whose_terms_ended(client, ended):
    old, mixed = ended
    out = __import__("io").StringIO()
    call_command("close_expired", stdout=out)
    assert "Closed 1 expired posting." in out.getvalue()
    old.refresh_from_db()
    mixed.refresh_from_db()
    assert old.status == Status.CLOSED and mixed.status == Status.PUBLISHED
    html = html_of(client, old.get_absolute_url())
    assert "Closed on" in html and "31 August 2024" in html


def test_terms_end_follows_terms_set_later_and_renamed_terms():
    posting = make_posting()
    assert posting.is_open and Posting.objects.get(pk=posting.pk).terms_end is None
    posting.terms.set([Term.objects.create(name="Summer 2024")])
    assert not Posting.objects.open().filter(pk=posting.pk).exists()
    term = Term.objects.get(name="Summer 2024")
    term.name = "Summer 2030"
    term.save()
    assert Posting.objects.open().filter(pk=posting.pk).exists()
    # A term whose end nobody knows keeps the posting open.
    posting.terms.set(
        [Term.objects.create(name="Summer 2024 b"), Term.objects.create(name="Rolling")]
    )
    assert Posting.objects.get(pk=posting.pk).terms_end is None


def test_load_demo_terms_are_current_and_the_seed_names_none():
    call_command("load_demo", postings=40, stdout=__import__("io").StringIO())
    seed = Posting.objects.get(external_id="seed-instacart-ml-phd-intern")
    assert list(seed.terms.all()) == [] and seed.is_open
    ends = Term.objects.values_list("end_on", flat=True)
    assert ends and all(end >= timezone.localdate() for end in ends)


# --- age and confirmation -----------------------------------------------------------


def test_cards_and_pages_say_how_old_a_posting_is(client):
    posting = make_posting(title="Fresh Intern", posted_on=days(3))
    day = days(3)
    for html in (html_of(client, "/internships/"), html_of(client, posting.get_absolute_url())):
        assert re.search(
            rf'<time datetime="{day.isoformat()}" title="{day.day} {day:%B %Y}">3 days ago</time>',
            html,
            re.IGNORECASE,
        )
        assert "Posted" in html
        assert "may no longer be open" not in html.lower()


def test_stale_postings_say_so_and_rank_after_fresh_ones(client):
    stale = make_posting(title="Stale Intern", posted_on=days(200))
    fresh = make_posting(title="Fresh Intern", posted_on=days(130))
    writes.confirm(Posting.objects.filter(pk=fresh.pk), timezone.now() - datetime.timedelta(days=2))
    newest = make_posting(title="Newest Intern", posted_on=days(1))
    # An old one the board confirmed long ago is stale too.
    old_confirmed = make_posting(title="Old Confirmed Intern", posted_on=days(150))
    writes.confirm(
        Posting.objects.filter(pk=old_confirmed.pk), timezone.now() - datetime.timedelta(days=90)
    )
    response = client.get("/internships/")
    titles = [p.title for p in response.context["page"].object_list]
    assert titles == ["Newest Intern", "Fresh Intern", "Old Confirmed Intern", "Stale Intern"]
    html = unescape(response.content.decode())
    card = html[html.index("Stale Intern") :]
    assert "May no longer be open" in card
    confirmed = html[html.index("Fresh Intern") : html.index("Old Confirmed Intern")]
    assert "Confirmed by the company's job board" in confirmed and "2 days ago" in confirmed
    detail = html_of(client, stale.get_absolute_url())
    assert "may no longer be open" in detail
    assert "may no longer be open" not in html_of(client, newest.get_absolute_url())


# --- unknown is unknown ---------------------------------------------------------------


def test_a_simplify_posting_states_nothing_it_was_not_given(client):
    run_import(FIXTURES / "simplify_small.json")
    posting = Posting.objects.filter(source="simplify_small", status=Status.PUBLISHED).first()
    assert posting.internship_type == "unknown"
    assert posting.language == "" and posting.hours_per_week is None
    html = html_of(client, posting.get_absolute_url())
    for heading in (
        "Core responsibilities", "About the company", "About the role", "Key skills",
        "Core Responsibilities", "About The Company", "About the Role", "Key Skills",
    ):  # fmt: skip
        assert heading not in html, heading
    if not posting.categories.exists():
        assert ">Categories<" not in html
    assert "English" not in html and "full time" not in html.lower()
    assert html.count("Not stated") >= 3  # type, language, working hours
    listing = html_of(client, "/internships/")
    cards = listing[listing.index('<article class="card"') : listing.rindex("</article>")]
    assert "Not stated" not in cards


def test_filters_treat_unknown_as_its_own_value(client):
    make_posting(title="Unknown Type", internship_type="unknown", language="")
    make_posting(title="Full Type", internship_type="full_time", language="English",
                 visa_sponsorship="yes")  # fmt: skip

    def titles(query):
        return {p.title for p in client.get("/internships/?" + query).context["page"].object_list}

    assert titles("type=unknown") == {"Unknown Type"}
    assert titles("type=full_time") == {"Full Type"}
    assert titles("language=unknown") == {"Unknown Type"}
    assert titles("language=english") == {"Full Type"}
    assert titles("sponsorship=unknown") == {"Unknown Type"}
    assert "Type: Not stated" in html_of(client, "/internships/?type=unknown")


def test_the_migration_turns_list_defaults_back_into_unknown():
    company = make_company()
    listed = make_posting(
        company=company,
        source="simplify",
        external_id="a",
        internship_type="full_time",
        language="English",
        hours_per_week=None,
    )
    shaped = make_posting(
        company=company,
        source="other-list",
        external_id="b",
        internship_type="full_time",
        language="English",
        hours_per_week=None,
    )
    described = make_posting(
        company=company,
        source="careers",
        external_id="c",
        internship_type="full_time",
        language="English",
        responsibilities="Build things.",
        hours_per_week=None,
    )
    typed = make_posting(company=company, internship_type="part_time", language="English")
    Term.objects.filter(pk=Term.objects.create(name="Summer 2024").pk).update(end_on=None)
    migration = importlib.import_module("listings.migrations.0007_terms_freshness_unknowns")

    class Editor:  # what the migration uses of a schema editor
        def execute(self, sql, params=()):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

    migration.fill_terms_and_unknowns(django_apps, Editor())
    assert Term.objects.get(name="Summer 2024").end_on == datetime.date(2024, 8, 31)
    for posting, kind, language in (
        (listed, "unknown", ""),
        (shaped, "unknown", ""),
        (described, "full_time", "English"),
        (typed, "part_time", "English"),
    ):  # fmt: skip
        posting.refresh_from_db()
        assert (posting.internship_type, posting.language) == (kind, language), posting.source


# --- pay a student can compare --------------------------------------------------------


def test_seed_detail_shows_the_whole_summer(client):
    call_command("load_demo", postings=0, stdout=__import__("io").StringIO())
    seed = Posting.objects.get()
    html = html_of(client, seed.get_absolute_url())
    assert "About $21,120 – $24,960 for 12 weeks at 40 hours" in html
    assert "24,131 employees" in html
    card = html_of(client, "/internships/")
    assert "≈ $21,120 – $24,960 for 12 weeks" in card
    texas = html_of(client, seed.get_absolute_url() + "?state=TX")
    assert "About $23,040 for 12 weeks at 40 hours in Texas" in texas


def test_non_hourly_pay_shows_both_ends_hourly_and_part_time_uses_its_hours(client):
    make_posting(title="Weekly", unit="week", pay=[(800, 1200, [])], hours_per_week=20,
                 terms=["Fall 2030"])  # fmt: skip
    make_posting(title="Yearly", unit="year", pay=[(41600, 62400, [])], hours_per_week=None,
                 duration_weeks=10)  # fmt: skip
    html = html_of(client, "/internships/")
    weekly = html[html.index("Weekly</a>") :]
    assert "$40 – $60 an hour" in weekly[:2000]
    assert "≈ $12,800 – $19,200 for 16 weeks" in weekly[:2000], "Fall: 16 weeks"
    yearly = html[html.index("Yearly</a>") :]
    assert "$20 – $30 an hour" in yearly[:2000]
    assert "≈ $8,000 – $12,000 for 10 weeks" in yearly[:2000]
    assert "Highest pay (hourly equivalent)" in html and "hourly equivalent" in html


def test_min_pay_and_sort_compare_hourly_equivalents(client):
    make_posting(title="Part-time weekly", unit="week", pay=[(2653, 2946, [])], hours_per_week=40)
    make_posting(title="Hourly", pay=[(60, 80, [])])
    # 2,946 a week at 40 hours is $73.65 an hour: below 75, above 70.
    response = client.get("/internships/?sort=pay&min_pay=75")
    assert [p.title for p in response.context["page"].object_list] == ["Hourly"]
    response = client.get("/internships/?sort=pay")
    assert [p.title for p in response.context["page"].object_list] == ["Hourly", "Part-time weekly"]


def test_duration_weeks_imports_from_csv(tmp_path):
    path = write_file(
        tmp_path,
        "two.csv",
        "external_id,title,company,apply_url,duration_weeks\n"
        "w1,Intern,Acme,https://jobs.acme.com/1,10\n",
    )
    run_import(path, "--source", "csv")
    assert Posting.objects.get(external_id="w1").duration_weeks == 10


# --- words ------------------------------------------------------------------------------


def test_one_casing_for_labels_and_closed_postings_say_since_when(client):
    open_one = make_posting(internship_type="full_time", title="Open One")
    closed = make_posting(status=Status.CLOSED, title="Closed One")
    Posting.objects.filter(pk=closed.pk).update(
        closed_at=datetime.datetime(2026, 3, 3, 12, tzinfo=datetime.UTC)
    )
    detail = html_of(client, open_one.get_absolute_url())
    card = html_of(client, "/internships/")
    assert "Full time" in detail and "Full time" in card
    assert "full time" not in detail and "full time" not in card
    for label in (
        "Work mode",
        "Internship type",
        "Salary range",
        "Company size",
        "About the company",
    ):
        assert label in detail, label
    assert "250 employees" in detail
    closed_html = re.sub(r"<[^>]+>", "", html_of(client, closed.get_absolute_url()))
    assert "Closed on 3 March 2026" in closed_html
