"""Each parameter of the internship list (PRODUCT.md section 5), through the page."""

import datetime
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from listings.models import InternshipType, Posting, Sponsorship, Status, WorkMode
from tests.factories import SEED_RANGES, make_company, make_posting

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming needs PostgreSQL full-text search"
)


def get(client, query):
    """The list for `query`: a dict, or a raw query string (repeated keys, '+')."""
    if isinstance(query, str):
        return client.get("/internships/?" + query)
    return client.get("/internships/", query)


def titles(client, query):
    response = get(client, query)
    assert response.status_code == 200
    return [p.title for p in response.context["page"].object_list]


def page_text(client, query):
    response = get(client, query)
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.fixture
def seed():
    call_command("load_demo", postings=0)
    return Posting.objects.get(external_id="seed-instacart-ml-phd-intern")


# --- pay in your state ------------------------------------------------------


@pytest.mark.parametrize(("state", "shown"), [("TX", "$48"), ("WA", "$50"), ("FL", "$44")])
def test_cards_show_the_seed_pay_in_the_chosen_state(client, seed, state, shown):
    html = page_text(client, {"state": state})
    card = html[html.index(seed.title) :]
    card = card[: card.index("</article>")]
    assert shown in card
    assert f"in {state}" in card


def test_cards_show_the_overall_range_without_a_state(client, seed):
    html = page_text(client, {})
    assert "$44 - $52" in html


def test_state_is_case_insensitive(client, seed):
    html = page_text(client, {"state": "tx"})
    assert "$48" in html


def test_min_pay_compares_the_pay_in_the_chosen_state(client, seed):
    assert seed.title not in titles(client, {"min_pay": "50", "state": "TX"})
    assert seed.title in titles(client, {"min_pay": "50"})
    assert seed.title in titles(client, {"min_pay": "50", "state": "WA"})
    assert seed.title in titles(client, {"min_pay": "44", "state": "FL"})
    assert seed.title not in titles(client, {"min_pay": "44.01", "state": "FL"})


def test_min_pay_excludes_postings_without_pay(client):
    make_posting(title="Unpaid")
    make_posting(title="Paid", pay=[(20, 25, [])])
    assert titles(client, {"min_pay": "0"}) == ["Paid"]


def test_min_pay_compares_hourly_equivalents(client):
    make_posting(title="Yearly", pay=[(90000, 104000, [])], unit="year")  # max $50/h
    make_posting(title="Weekly", pay=[(1000, 1200, [])], unit="week")  # max $30/h
    assert titles(client, {"min_pay": "45"}) == ["Yearly"]


def test_a_state_without_a_range_has_unknown_pay(client):
    make_posting(title="California only", locations=["Remote in USA"], work_mode=WorkMode.REMOTE,
                 pay=[(40, 50, ["CA"])])  # fmt: skip
    html = page_text(client, {"state": "TX"})
    assert "Pay in TX not listed" in html
    assert titles(client, {"state": "TX", "min_pay": "1"}) == []
    assert titles(client, {"state": "CA", "min_pay": "45"}) == ["California only"]


# --- state: where you will work ----------------------------------------------


def test_state_means_located_there_or_remote_open_to_the_us(client):
    make_posting(title="Austin onsite", locations=["Austin, TX"], work_mode=WorkMode.ONSITE)
    make_posting(title="Dallas hybrid", locations=["Dallas, TX"], work_mode=WorkMode.HYBRID)
    make_posting(title="Seattle onsite", locations=["Seattle, WA"], work_mode=WorkMode.ONSITE)
    make_posting(title="US remote", locations=["United States"], work_mode=WorkMode.REMOTE)
    make_posting(title="Toronto remote", locations=["Toronto, ON, Canada"],
                 work_mode=WorkMode.REMOTE)  # fmt: skip
    make_posting(title="Texas and Seattle", locations=["Seattle, WA", "Houston, TX"])
    found = set(titles(client, {"state": "TX"}))
    assert found == {"Austin onsite", "Dallas hybrid", "US remote", "Texas and Seattle"}


def test_sort_by_pay_uses_the_state_range_and_puts_unknown_last(client):
    remote = {"locations": ["United States"], "work_mode": WorkMode.REMOTE}
    make_posting(title="Seed-like", pay=SEED_RANGES, **remote)  # 48 in TX, 52 overall
    make_posting(title="Flat 50", pay=[(50, 50, [])], **remote)
    make_posting(title="No pay", **remote)
    make_posting(title="CA only", pay=[(90, 90, ["CA"])], **remote)
    assert titles(client, {"sort": "pay", "state": "TX"})[:2] == ["Flat 50", "Seed-like"]
    assert titles(client, {"sort": "pay"})[:3] == ["CA only", "Seed-like", "Flat 50"]
    assert titles(client, {"sort": "pay"})[-1] == "No pay"


# --- the other filters ----------------------------------------------------------


def test_mode_type_and_sponsorship_are_repeatable(client):
    make_posting(title="R", work_mode=WorkMode.REMOTE, visa_sponsorship=Sponsorship.YES)
    make_posting(title="H", work_mode=WorkMode.HYBRID, internship_type=InternshipType.PART_TIME)
    make_posting(title="O", work_mode=WorkMode.ONSITE, visa_sponsorship=Sponsorship.CITIZENS_ONLY)
    assert set(titles(client, "mode=remote&mode=hybrid")) == {"R", "H"}
    assert titles(client, {"type": "part_time"}) == ["H"]
    assert set(titles(client, "sponsorship=yes&sponsorship=citizens_only")) == {"R", "O"}


def test_labels_and_company_match_any_given_slug(client):
    acme = make_company(name="Acme Rockets")
    make_posting(title="Py", skills=["Python"], categories=["Software"], terms=["Summer 2030"])
    make_posting(title="Go", skills=["Go"], terms=["Fall 2030"], company=acme)
    make_posting(title="Design", categories=["Design"])
    assert set(titles(client, "skill=python&skill=go")) == {"Py", "Go"}
    assert titles(client, {"category": "design"}) == ["Design"]
    assert titles(client, {"term": "summer-2030"}) == ["Py"]
    assert titles(client, {"company": "acme-rockets"}) == ["Go"]
    # A name typed into the form works like its slug.
    assert titles(client, {"term": "Fall 2030"}) == ["Go"]
    # Different parameters narrow each other.
    assert titles(client, {"skill": "python", "category": "design"}) == []


def test_location_matches_city_state_and_country(client):
    make_posting(title="Austin", locations=["Austin, TX"])
    make_posting(title="Toronto", locations=["Toronto, ON, Canada"])
    assert titles(client, {"location": "austin"}) == ["Austin"]
    assert titles(client, {"location": "Texas"}) == ["Austin"]
    assert titles(client, {"location": "TX"}) == ["Austin"]
    assert titles(client, {"location": "Canada"}) == ["Toronto"]


def test_posted_within_days(client):
    today = timezone.localdate()
    make_posting(title="Today", posted_on=today)
    make_posting(title="Five days", posted_on=today - datetime.timedelta(days=5))
    make_posting(title="Twenty days", posted_on=today - datetime.timedelta(days=20))
    assert titles(client, {"posted": "1"}) == ["Today"]
    assert titles(client, {"posted": "7"}) == ["Today", "Five days"]
    assert len(titles(client, {"posted": "30"})) == 3


def test_company_size_band(client):
    make_posting(title="Small", company=make_company(size=30))
    make_posting(title="Huge", company=make_company(size=20000))
    make_posting(title="Unknown", company=make_company(size=None))
    assert titles(client, {"size": "1-50"}) == ["Small"]
    assert titles(client, {"size": "10001+"}) == ["Huge"]
    assert titles(client, "size=10001+") == ["Huge"]  # "+" arrives as a space


def test_language_is_exact_and_case_insensitive(client):
    make_posting(title="English")
    make_posting(title="Spanish", language="Spanish")
    assert titles(client, {"language": "spanish"}) == ["Spanish"]
    assert titles(client, {"language": "span"}) == []


def test_sort_by_deadline_soonest_first_none_last(client):
    today = timezone.localdate()
    make_posting(title="No deadline")
    make_posting(title="Late", closes_on=today + datetime.timedelta(days=30))
    make_posting(title="Soon", closes_on=today + datetime.timedelta(days=2))
    assert titles(client, {"sort": "deadline"}) == ["Soon", "Late", "No deadline"]


def test_only_open_postings_are_listed(client):
    make_posting(title="Open")
    make_posting(title="Closed", status=Status.CLOSED)
    make_posting(title="Draft", status=Status.DRAFT)
    make_posting(
        title="Past deadline",
        posted_on=timezone.localdate() - datetime.timedelta(days=30),
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert titles(client, {}) == ["Open"]


# --- search ---------------------------------------------------------------------------


def test_every_word_must_match_a_searched_field(client):
    make_posting(title="Data Science Intern", skills=["Pandas"])
    make_posting(title="Marketing Intern", company=make_company(name="Pandas Unlimited"))
    make_posting(title="Hardware Intern", categories=["Robotics"])
    assert set(titles(client, {"q": "pandas"})) == {"Data Science Intern", "Marketing Intern"}
    assert titles(client, {"q": "pandas data"}) == ["Data Science Intern"]
    assert titles(client, {"q": "ROBOTICS"}) == ["Hardware Intern"]
    assert titles(client, {"q": "robotics pandas"}) == []


def test_search_finds_the_about_text(client, seed):
    assert titles(client, {"q": "grocery"}) == [seed.title]


def test_search_ranks_title_matches_first(client):
    make_posting(title="Accounting Intern", about_role="<p>Some spreadsheets.</p>")
    make_posting(title="Finance Intern", about_role="<p>Accounting and spreadsheets.</p>",
                 posted_on=timezone.localdate())  # fmt: skip
    found = titles(client, {"q": "accounting"})
    assert set(found) == {"Accounting Intern", "Finance Intern"}
    if connection.vendor == "postgresql":
        assert found[0] == "Accounting Intern"


@postgres_only
def test_search_is_stemmed_on_postgresql(client, seed):
    make_posting(title="Hardware Engineer Intern")
    assert "Hardware Engineer Intern" in titles(client, {"q": "engineering"})
    assert seed.title in titles(client, {"q": "engineering"})


def test_demo_data_is_searchable(client, seed):
    call_command("load_demo", postings=30)
    assert titles(client, {"q": "Instacart"}) == [seed.title]


def test_long_queries_are_capped_not_refused(client, seed):
    html = page_text(client, {"q": "grocery " + "x" * 100_000})
    assert 'maxlength="200"' in html
    response = client.get("/internships/", {"q": "grocery " * 40})
    assert response.status_code == 200
    assert len(response.context["values"]["q"]) <= 200
    assert seed.title in [p.title for p in response.context["page"].object_list]


# --- bad input, pagination ----------------------------------------------------------------


def test_unknown_and_malformed_values_are_ignored_with_a_message(client):
    make_posting(title="Remote one", work_mode=WorkMode.REMOTE)
    make_posting(title="Onsite one", work_mode=WorkMode.ONSITE)
    response = get(client, "mode=remote&mode=underwater&colour=blue&min_pay=lots&state=XX")
    assert response.status_code == 200
    assert [p.title for p in response.context["page"].object_list] == ["Remote one"]
    html = unescape(response.content.decode())
    assert "Ignored unknown parameter “colour”" in html
    assert "Ignored mode=“underwater”" in html
    assert "Ignored min_pay=“lots”" in html
    assert "Ignored state=“XX”" in html


def test_nul_bytes_are_ignored(client):
    make_posting(title="One")
    response = client.get("/internships/", {"q": "a\x00b", "location": "\x00", "skill": "\x00"})
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()
    assert [p.title for p in response.context["page"].object_list] == ["One"]


@pytest.mark.parametrize(
    ("page", "expected"),
    [("abc", 1), ("0", 1), ("-4", 1), ("2", 2), ("3", 3), ("99", 3), ("1e9", 1), ("2.5", 1),
     ("9" * 400, 3), ("", 1)],
)  # fmt: skip
def test_bad_page_values_answer_200_with_the_nearest_page(client, page, expected):
    company = make_company()
    for n in range(45):
        make_posting(title=f"Intern {n}", company=company)
    # An empty page= is dropped from the address first (a redirect).
    response = client.get("/internships/", {"page": page}, follow=True)
    assert response.status_code == 200
    assert response.context["page"].number == expected


def test_pagination_and_sort_links_keep_the_filters(client):
    company = make_company()
    for n in range(45):
        make_posting(title=f"Intern {n}", company=company, work_mode=WorkMode.REMOTE,
                     locations=["United States"], pay=[(20 + n, 30 + n, [])])  # fmt: skip
    html = get(client, "state=TX&mode=remote&sort=pay&page=2").content.decode()
    assert 'href="?state=TX&amp;mode=remote&amp;sort=pay&amp;page=3"' in html
    assert 'href="?state=TX&amp;mode=remote&amp;sort=pay&amp;page=1"' in html
    assert 'href="?state=TX&amp;mode=remote&amp;sort=deadline"' in html


def test_total_count_and_twenty_per_page(client):
    company = make_company()
    for n in range(23):
        make_posting(title=f"Intern {n}", company=company)
    response = client.get("/internships/")
    assert len(response.context["page"].object_list) == 20
    assert "23</strong> internships" in response.content.decode()


def test_no_results_offers_a_way_to_loosen_the_filters(client):
    make_posting(title="Remote", work_mode=WorkMode.REMOTE)
    html = page_text(client, "mode=hybrid&skill=python")
    assert "No internships match" in html
    assert 'href="?skill=python"' in html  # remove the mode
    assert 'href="?mode=hybrid"' in html  # remove the skill


def test_list_page_stays_under_60_kb_whatever_the_data(client):
    call_command("load_demo", postings=150)
    for query in ("", "state=TX&sort=pay", "page=4&mode=remote", "skill=python&skill=sql&q=intern"):
        response = get(client, query)
        assert response.status_code == 200
        assert len(response.content) < 60_000, query


def test_relevance_without_words_is_the_newest_order(client):
    make_posting(title="Older", posted_on=timezone.localdate() - datetime.timedelta(days=3))
    make_posting(title="Newer", posted_on=timezone.localdate())
    response = get(client, "sort=relevance")
    assert [p.title for p in response.context["page"].object_list] == ["Newer", "Older"]
    assert response.context["sort"] == "newest"


def test_one_search_leaves_nothing_behind_for_the_next(client):
    """Each request's filters and form are its own (they share only what
    never changes: choices and field arguments)."""
    make_posting(title="Texan Intern", locations=["Austin, TX"], work_mode=WorkMode.ONSITE)
    first = client.get("/internships/?state=ZZ&mode=nowhere&mode=remote")
    assert "Ignored state" in unescape(first.text) and "Ignored mode" in unescape(first.text)
    second = client.get("/internships/?state=TX")
    assert "Ignored" not in second.text
    assert second.context["filter"].chosen_state == "TX"
    assert second.context["values"]["mode"] == []
    third = client.get("/internships/")
    assert third.context["filter"].chosen_state == "" and "Texan Intern" in third.text
