"""Pages found through their ids (views.PostingPaginator) hold exactly what
slicing the filtered list would: same postings, same order, every sort."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from listings.filters import PostingFilter
from listings.models import Posting
from listings.views import PAGE_SIZE
from tests.factories import make_posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def postings():
    today = timezone.localdate()
    made = []
    for n in range(2 * PAGE_SIZE + 7):
        made.append(
            make_posting(
                title=f"{'Data' if n % 3 else 'Design'} Intern {n}",
                # Ties on every sort key, so the order depends on the tie-breakers.
                posted_on=today - datetime.timedelta(days=n % 4),
                closes_on=today + datetime.timedelta(days=n % 5) if n % 2 else None,
                work_mode=["onsite", "remote", "hybrid"][n % 3],
                locations=["San Francisco, CA"] if n % 3 else ["United States"],
                pay=[(20 + n % 6, 30 + n % 6, ["CA"]), (15, 18, [])] if n % 4 else None,
            )
        )
    return made


@pytest.mark.parametrize(
    "query",
    ["", "sort=pay", "sort=deadline", "state=CA&sort=pay", "state=CA", "min_pay=16&sort=pay",
     "q=data", "q=intern&sort=relevance"],
)  # fmt: skip
def test_every_page_is_the_slice_of_the_whole_list(client, postings, query):
    whole = list(
        PostingFilter(QueryDict(query), queryset=Posting.objects.open())
        .qs.values_list("pk", flat=True)
    )  # fmt: skip
    assert whole
    pages = (len(whole) + PAGE_SIZE - 1) // PAGE_SIZE
    for number in range(1, pages + 1):
        response = client.get(f"/internships/?{query}&page={number}")
        shown = [p.pk for p in response.context["page"].object_list]
        assert shown == whole[(number - 1) * PAGE_SIZE : number * PAGE_SIZE], (query, number)


def test_an_empty_result_has_one_empty_page(client, postings):
    response = client.get("/internships/?q=nothingmatchesthis&page=3")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []


def test_pages_of_a_ranked_window_read_from_either_end_are_the_same_slices(
    client, postings, monkeypatch
):
    """With only the 40 newest of 47 matches ranked, page 2 (the end of the
    window) and page 3 (the end of the list) are read from their ends: they
    still hold the ranked window's and the newest-first rest's slices."""
    from listings import views
    from listings.filters import NEWEST

    monkeypatch.setattr(views, "RANK_WINDOW", 2 * PAGE_SIZE)
    matches = PostingFilter(QueryDict("q=intern"), queryset=Posting.objects.open()).qs
    newest = list(matches.order_by(*NEWEST).values_list("pk", flat=True))
    window = set(newest[: 2 * PAGE_SIZE])
    ranked = [pk for pk in matches.values_list("pk", flat=True) if pk in window]
    expected = ranked + newest[2 * PAGE_SIZE :]
    assert len(expected) == len(postings)
    shown = []
    for number in (1, 2, 3):
        response = client.get(f"/internships/?q=intern&page={number}")
        shown += [p.pk for p in response.context["page"].object_list]
    assert shown == expected
