"""The saved list stays within a fixed number of queries, however many are saved."""

import pytest

from listings.models import Status
from tests.factories import SEED_RANGES, make_posting

pytestmark = pytest.mark.django_db


def save_all(client, postings):
    for posting in postings:
        client.post(f"/saved/{posting.pk}/")


@pytest.fixture
def saved_many(client):
    postings = [
        make_posting(
            title=f"Saved Intern {n}",
            locations=["Austin, TX", "United States"],
            categories=["Software"],
            skills=["Python"],
            pay=SEED_RANGES,
        )
        for n in range(12)
    ]
    save_all(client, postings)
    return postings


@pytest.mark.parametrize("query", ["", "?state=TX"])
def test_saved_list(client, saved_many, query, django_assert_num_queries):
    # session + postings with their companies (and pay in the state, joined)
    # + their locations: guards a query per saved posting for its company,
    # locations or pay in the state. (A newly chosen state is remembered in
    # the session once: the first request writes it.)
    client.get("/saved/" + query)
    with django_assert_num_queries(3):
        response = client.get("/saved/" + query)
    assert len(response.context["rows"]) == 12


def test_saved_list_with_closed_postings(client, saved_many, django_assert_num_queries):
    # Similar open postings cost one query per closed posting the first time
    # (the same as its 410 page), then come from the cache until a write.
    closed = [
        make_posting(title=f"Closed {n}", categories=["Software"], status=Status.CLOSED)
        for n in range(3)
    ]
    save_all(client, closed)
    with django_assert_num_queries(3 + 3):
        client.get("/saved/")
    with django_assert_num_queries(3):
        response = client.get("/saved/")
    assert sum(1 for row in response.context["rows"] if row["similar"]) == 3


def test_export(client, saved_many, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = client.get("/saved/export.csv")
    assert len(response.content.decode().splitlines()) == 13
