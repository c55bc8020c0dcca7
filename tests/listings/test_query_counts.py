"""Every page stays within 5 SQL queries, however many postings and labels."""

import pytest

from listings.fragments import pieces
from listings.models import Status, WorkMode
from tests.factories import SEED_RANGES, make_company, make_posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def many():
    """45 postings of 3 companies, each with locations, labels and pay by state."""
    companies = [make_company(name=f"Firm {n}") for n in range(3)]
    postings = []
    for n in range(45):
        postings.append(
            make_posting(
                title=f"Data Intern {n}",
                company=companies[n % 3],
                work_mode=WorkMode.REMOTE if n % 2 else WorkMode.ONSITE,
                locations=["United States", "Austin, TX"],
                skills=["Python", f"Skill {n}"],
                categories=["Data & Analytics", "Software"],
                terms=["Summer 2030"],
                pay=SEED_RANGES,
            )
        )
    make_posting(title="Closed one", company=companies[0], status=Status.CLOSED, pay=SEED_RANGES)
    return postings


def test_list_with_every_kind_of_filter_on_a_deep_page(client, many, django_assert_num_queries):
    # count + page rows (company joined, pay in the state annotated) + places
    # and terms (one UNION), and the filters' suggestions until they are
    # cached: guards one query per card for its company, locations, skills,
    # terms or pay range.
    query = (
        "/internships/?q=data&state=TX&min_pay=10&mode=remote&mode=onsite&skill=python"
        "&category=software&term=summer-2030&sort=pay&page=2"
    )
    with django_assert_num_queries(4):
        response = client.get(query)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 20
    # The words of a query that name filters cost nothing more. Cards are now
    # kept: the page's ids and versions first, then the postings without a
    # kept card, whole, with their labels.
    with django_assert_num_queries(4):
        response = client.get("/internships/?q=remote+data+in+texas+over+$10/hr&page=2")
    assert response.status_code == 200


def test_list_last_page_unfiltered(client, many, django_assert_num_queries):
    # The same queries whatever the page: nothing grows with the data.
    with django_assert_num_queries(4):
        response = client.get("/internships/?page=999")
    assert response.context["page"].number == 3
    pieces.clear()  # the cards of this page built again: count + the page's
    # ids + its postings, whole + their places and terms
    with django_assert_num_queries(4):
        client.get("/internships/?mode=remote&page=2")


def test_cards_built_before_read_no_labels(client, many, django_assert_num_queries):
    client.get("/internships/?page=2")
    # Every card of the page kept: the page's ids and versions, nothing else.
    with django_assert_num_queries(1):
        assert "Data Intern" in client.get("/internships/?page=2").text
    client.get(many[0].get_absolute_url())
    with django_assert_num_queries(0):  # the posting and every piece of its page kept
        assert "Data Intern 0" in client.get(many[0].get_absolute_url()).text


def test_empty_list(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert client.get("/internships/?q=nothing").status_code == 200


def test_home(client, many, django_assert_num_queries):
    # newest postings + their places and terms (one UNION) + the counts + the
    # browse lists (categories and terms in one UNION): guards a query per
    # card and per category/term count.
    with django_assert_num_queries(4):
        response = client.get("/")
    assert response.status_code == 200


def test_detail(client, many, django_assert_num_queries):
    # posting with company + locations + pay ranges with their states +
    # labels + similar postings with their companies: guards a query per pay
    # range's states, per label kind and per similar posting's company.
    posting = many[0]
    with django_assert_num_queries(5):
        response = client.get(posting.get_absolute_url() + "?state=TX")
    assert response.status_code == 200
    assert len(response.context["similar"]) == 5


def test_company_list(client, many, django_assert_num_queries):
    # every company with its open count, in one query that is then cached
    # (and paginated in memory): guards a count query per company.
    with django_assert_num_queries(1):
        assert client.get("/companies/").status_code == 200


def test_company_detail(client, many, django_assert_num_queries):
    # company with both counts + open postings + their places and terms (one
    # UNION) + closed postings: guards a query per card and per count.
    company = many[0].company
    with django_assert_num_queries(4):
        response = client.get(company.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["postings"]) == 15
