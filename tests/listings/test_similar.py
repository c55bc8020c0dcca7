"""Similar internships: shared title words first, then labels, then place."""

import pytest

from listings.models import Posting, Status, WorkMode
from tests.factories import make_posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    target = make_posting(
        title="Machine Learning Engineer, PhD Intern",
        skills=["Python", "PyTorch"],
        categories=["AI & Machine Learning"],
        locations=["San Francisco, CA"],
    )
    postings = {
        "research": make_posting(
            title="Machine Learning Research Intern",
            skills=["PyTorch"],
            locations=["Boston, MA"],
        ),
        "remote_ml": make_posting(
            title="Machine Learning Intern",
            work_mode=WorkMode.REMOTE,
            locations=["United States"],
        ),
        "onsite_ml": make_posting(title="Machine Learning Intern", locations=["Boston, MA"]),
        "backend": make_posting(
            title="Backend Engineer Intern",
            skills=["Python", "PyTorch"],
            locations=["Chicago, IL"],
        ),
        "hardware": make_posting(
            title="Hardware Intern",
            categories=["AI & Machine Learning"],
            locations=["Chicago, IL"],
        ),
        "hardware_ca": make_posting(
            title="Hardware Intern",
            categories=["AI & Machine Learning"],
            locations=["San Jose, CA"],
        ),
    }
    make_posting(title="Designer", skills=["Figma"], locations=["San Francisco, CA"])
    make_posting(
        title="Machine Learning Engineer PhD Intern", skills=["PyTorch"], status=Status.CLOSED
    )
    return target, postings  # fmt: skip


def test_ranked_by_title_words_then_labels_then_place(corpus):
    target, p = corpus
    similar = list(Posting.objects.open().similar_to(target))
    assert similar == [
        p["research"],  # machine, learning + one skill
        p["remote_ml"],  # machine, learning, remote
        p["onsite_ml"],  # machine, learning
        p["backend"],  # engineer + two skills
        p["hardware_ca"],  # a category, in California
        p["hardware"],  # a category
    ]


def test_the_first_few_are_those_of_the_whole_ranking(corpus):
    """Asked for the first `limit` only, labels and places are counted for the
    candidates sharing enough title words: the first few are the same."""
    target, _ = corpus
    ranking = list(Posting.objects.open().similar_to(target))
    for limit in range(1, len(ranking) + 2):
        assert list(Posting.objects.open().similar_to(target, limit)[:limit]) == ranking[:limit]


def test_never_itself_nor_closed_nor_unrelated(corpus):
    target, _ = corpus
    titles = [p.title for p in Posting.objects.open().similar_to(target)]
    assert target.title not in titles
    assert "Designer" not in titles
    assert "Machine Learning Engineer PhD Intern" not in titles


def test_detail_and_gone_pages_show_the_same_ranking(client, corpus):
    target, p = corpus
    detail = client.get(target.get_absolute_url())
    expected = [p["research"], p["remote_ml"], p["onsite_ml"], p["backend"], p["hardware_ca"]]
    assert detail.context["similar"] == expected
    Posting.objects.filter(pk=target.pk).update(status=Status.CLOSED)
    gone = client.get(f"/internships/{target.pk}/apply/")
    assert gone.status_code == 410
    assert list(gone.context["similar"]) == expected
    # The closed posting's own page uses the same ranking too.
    closed = client.get(target.get_absolute_url())
    assert closed.context["similar"] == expected


def test_a_posting_without_categories_still_ranks_by_its_skills():
    """Its page has read its labels: the shared skills count even though it
    has no category to share."""
    posting = make_posting(title="Software Engineer Intern", skills=["Python"])
    friend = make_posting(title="Python Friend Intern", skills=["Python"])
    stranger = make_posting(title="Welding Intern", skills=["Welding"])
    assert posting.labels["categories"] == []  # read, as its page reads them
    similar = list(Posting.objects.open().similar_to(posting, 5)[:5])
    assert friend in similar and stranger not in similar
