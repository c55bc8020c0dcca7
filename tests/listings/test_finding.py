"""Finding as students search (PRODUCT.md section 12), on SQLite and PostgreSQL."""

from html import unescape
from urllib.parse import quote

import pytest
from django.core.management import call_command

from listings.models import Posting, WorkMode
from tests.factories import make_company, make_posting

pytestmark = pytest.mark.django_db


def titles(client, query):
    response = client.get("/internships/?" + query)
    assert response.status_code == 200, query
    return [p.title for p in response.context["page"].object_list]


@pytest.fixture
def board():
    acme, globex = make_company(name="Acme"), make_company(name="Globex")
    return {
        "ml_nyc": make_posting(
            title="Machine Learning Intern", company=acme, locations=["New York, NY"],
            skills=["PyTorch"], categories=["AI & Machine Learning"],
        ),
        "ml_short": make_posting(
            title="ML Platform Intern", company=globex, locations=["Seattle, WA"],
            skills=["Python"],
        ),
        "brooklyn": make_posting(
            title="Design Intern", company=acme, locations=["Brooklyn, NY"], skills=["Figma"],
        ),
        "remote_python": make_posting(
            title="Backend Intern", company=globex, work_mode=WorkMode.REMOTE,
            locations=["United States"], skills=["Python"], pay=[(35, 40, [])],
        ),
        "texas_python": make_posting(
            title="Data Intern", company=acme, locations=["Austin, TX"], skills=["Python"],
            pay=[(31, 33, [])],
        ),
        "html": make_posting(
            title="Web Intern", company=globex, locations=["Denver, CO"], skills=["HTML"],
        ),
        "toronto": make_posting(
            title="Software Intern", company=acme, locations=["Toronto, ON, Canada"],
        ),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # The table: each finds what a student means.
        ("nyc", {"Machine Learning Intern"}),
        ("ml", {"Machine Learning Intern", "ML Platform Intern"}),
        ("machine learning", {"Machine Learning Intern", "ML Platform Intern"}),
        # New York the state: located there, or remote and open to the US.
        ("new york", {"Machine Learning Intern", "Design Intern", "Backend Intern"}),
        ("remote python", {"Backend Intern"}),
        ("machine learning new york", {"Machine Learning Intern"}),
        ("python in texas", {"Data Intern", "Backend Intern"}),
        ("canada", {"Software Intern"}),
        ("seattle ml", {"ML Platform Intern"}),
        ("bay area", set()),
    ],
)
def test_queries_find_what_a_student_means(client, board, q, expected):
    assert set(titles(client, "q=" + quote(q))) == expected


def test_places_match_inside_the_text_search_too(board):
    # search() on its own (no parser): a city, a state code, a country.
    def found(text):
        return {p.title for p in Posting.objects.open().search(text)}

    assert found("python austin") == {"Data Intern"}
    assert found("design ny") == {"Design Intern"}
    assert found("software canada") == {"Software Intern"}
    assert found("nyc") == {"Machine Learning Intern"}


def test_short_abbreviations_match_whole_words_only(client, board):
    # "ml" is not in "HTML".
    assert "Web Intern" not in titles(client, "q=ml")


def test_words_naming_filters_give_the_filters_results(client, board):
    typed = titles(client, "q=" + quote("remote python internships in texas over $30/hr"))
    explicit = titles(client, "mode=remote&state=TX&min_pay=30&q=python")
    assert typed == explicit == ["Backend Intern"]


def test_explicit_parameters_win_over_the_words(client, board):
    # state=NY given: "texas" in the words is not applied.
    response = client.get("/internships/?q=python+in+texas&state=NY")
    assert response.context["filter"].chosen_state == "NY"
    assert {p.title for p in response.context["page"].object_list} == {"Backend Intern"}


def test_understood_words_are_removable_chips(client, board):
    response = client.get("/internships/?" + "q=" + quote("remote python in texas over $30/hr"))
    chips = dict(response.context["active"])
    assert chips == {
        "Search: python": "q=remote+texas+over+%2430%2Fhr",
        "Work mode: Remote": "q=texas+over+%2430%2Fhr+python",
        "I will work from: Texas": "q=remote+over+%2430%2Fhr+python",
        "Minimum pay per hour (hourly equivalent): $30 an hour": "q=remote+texas+python",
    }
    html = unescape(response.content.decode())
    assert 'href="?q=remote+texas+python"' in html
    # Each link is the same search without that one filter.
    loosened = client.get("/internships/?q=remote+texas+python")
    assert loosened.context["filter"].chosen_state == "TX"
    assert loosened.context["filter"].cleaned("min_pay") is None


def test_empty_parameters_redirect_to_the_clean_address(client, board):
    response = client.get("/internships/?q=&mode=remote&skill=&skill=python&state=")
    assert response.status_code == 301
    assert response["Location"] == "/internships/?mode=remote&skill=python"
    assert client.get("/internships/?q=&page=")["Location"] == "/internships/"
    assert client.get("/internships/?mode=remote").status_code == 200


def test_label_inputs_suggest_the_most_used_values(client, board):
    html = client.get("/internships/").content.decode()
    assert 'list="f-skill-list"' in html
    assert '<datalist id="f-skill-list">' in html
    assert '<option value="Python">' in html
    assert '<option value="Acme">' in html


def test_the_state_filter_says_what_it_does(client, board):
    html = unescape(client.get("/internships/").content.decode())
    assert "remote ones open to the US" in html


def test_the_seed_is_in_the_first_three_for_machine_learning_phd(client):
    call_command("load_demo", postings=150)
    found = titles(client, "q=machine+learning+phd")
    assert "Machine Learning Engineer, PhD Intern" in found[:3]
    found = titles(client, "q=ml+phd")
    assert "Machine Learning Engineer, PhD Intern" in found[:3]


def test_an_enormous_address_with_empty_parameters_is_answered_not_redirected(client, board):
    response = client.get("/internships/", QUERY_STRING="q=" + "x" * 100_000 + "&mode=")
    assert response.status_code == 200


def test_a_common_word_ranks_the_newest_matches_and_still_lists_every_match(client, monkeypatch):
    """Only the RANK_WINDOW newest matches are ranked (a common word's first
    page costs the same whatever the number of matches); the rest follow,
    newest first, and the count stays exact."""
    import datetime

    from django.utils import timezone

    from listings import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(views, "RANK_WINDOW", 2)
    today = timezone.localdate()
    for days, title in [
        (1, "Welding Intern"),
        (2, "Robotics Welding Intern"),
        (3, "Robotics Intern"),  # best match, but not among the 2 newest
        (4, "Painting Intern"),
        (5, "Robotics Lab Intern"),
    ]:
        make_posting(
            title=title,
            posted_on=today - datetime.timedelta(days=days),
            about_role="Robotics work." if "Robotics" not in title else "",
        )
    pages = [titles(client, f"q=robotics&page={n}") for n in (1, 2, 3)]
    assert pages[0] == ["Robotics Welding Intern", "Welding Intern"]  # ranked: title first
    assert pages[1:] == [["Robotics Intern", "Painting Intern"], ["Robotics Lab Intern"]]
    response = client.get("/internships/?q=robotics")
    assert response.context["page"].paginator.count == 5
