"""Cards are built once per posting version and reused by later pages
(listings/fragments.py): what a visitor sees must not change."""

import re

import pytest
from django.test import Client

from listings.fragments import pieces as cards
from listings.models import Posting, Skill, Status
from tests.factories import make_posting

pytestmark = pytest.mark.django_db


def card_of(html, title):
    for card in re.findall(r'<article class="card">.*?</article>', html, re.S):
        if title in card:
            return card
    raise AssertionError(f"no card for {title!r}")


def test_an_edit_shows_on_the_next_list_even_after_the_card_was_reused(client):
    posting = make_posting(title="Robotics Intern")
    assert "Robotics Intern" in client.get("/internships/").text
    assert "Robotics Intern" in client.get("/internships/?mode=onsite").text  # reused

    posting.title = "Rocketry Intern <b>"
    posting.save()
    html = client.get("/internships/").text
    assert "Robotics Intern" not in html
    assert "Rocketry Intern &lt;b&gt;" in html  # still escaped


def test_a_bulk_write_shows_on_the_next_list(client):
    posting = make_posting(title="Robotics Intern")
    client.get("/internships/")
    Posting.objects.filter(pk=posting.pk).update(title="Welding Intern")
    assert "Welding Intern" in client.get("/internships/").text


def test_the_state_chosen_gives_its_own_card(client):
    make_posting(title="Robotics Intern", locations=("Austin, TX",), pay=[(20, 30, [])])
    plain = card_of(client.get("/internships/").text, "Robotics Intern")
    in_texas = card_of(client.get("/internships/?state=TX").text, "Robotics Intern")
    assert "?state=TX" in in_texas and "in TX" in in_texas
    assert "?state=TX" not in plain


def test_a_reused_card_never_carries_another_visitors_save_control():
    posting = make_posting(title="Robotics Intern")
    saver, other = Client(), Client()
    assert saver.post(f"/saved/{posting.pk}/", {"next": "/"}).status_code == 302

    saver_card = card_of(saver.get("/internships/").text, "Robotics Intern")
    other_card = card_of(other.get("/internships/").text, "Robotics Intern")
    assert 'aria-pressed="true"' in saver_card and "csrfmiddlewaretoken" in saver_card
    assert "csrfmiddlewaretoken" not in other_card  # no session: the link
    assert 'class="save-link"' in other_card

    third = Client()
    third.post(f"/saved/{posting.pk}/", {"next": "/"})  # saved, then removed
    third.post(f"/saved/{posting.pk}/", {"next": "/"})
    third_card = card_of(third.get("/internships/").text, "Robotics Intern")
    assert 'aria-pressed="false"' in third_card
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', third_card).group(1)
    assert token not in saver_card


def test_cards_are_built_once_and_the_cache_stays_bounded(client, monkeypatch):
    for number in range(5):
        make_posting(title=f"Intern {number}")
    monkeypatch.setattr(cards, "size", 3)
    cards.clear()
    client.get("/internships/")
    assert len(cards.entries) == 3


# The pieces of a posting's page ({% reuse %} in listings/posting_detail.html).


def test_an_edit_shows_on_the_posting_page_after_its_pieces_were_kept(client):
    posting = make_posting(title="Robotics Intern", skills=["Python"])
    url = posting.get_absolute_url()
    assert "Robotics Intern" in client.get(url).text
    assert "Robotics Intern" in client.get(url).text  # kept

    posting.title = "Rocketry Intern <b>"
    posting.save()
    html = client.get(posting.get_absolute_url()).text
    assert "Robotics Intern" not in html
    assert "Rocketry Intern &lt;b&gt;" in html and "<b>" not in html
    assert "Rocketry Intern &lt;b&gt; at" in html  # the meta description follows too

    skill = Skill.objects.get(name="Python")
    skill.name = "Python 3"
    skill.save()
    assert ">Python 3</a>" in client.get(posting.get_absolute_url()).text


def test_a_kept_posting_page_follows_a_bulk_change_of_status(client):
    """The posting itself is kept with its pieces: a bulk write (an admin
    action, an import) that hides it ends what was kept."""
    posting = make_posting(title="Robotics Intern")
    url = posting.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # kept
    Posting.objects.filter(pk=posting.pk).update(status=Status.DRAFT)
    assert client.get(url).status_code == 404
    Posting.objects.filter(pk=posting.pk).update(status=Status.PUBLISHED)
    assert client.get(url).status_code == 200


def test_another_app_process_reuses_a_posting_page_from_the_shared_cache(
    client, django_assert_num_queries
):
    """A posting's page and the posting it reads are kept in the shared cache
    too: a process that has not built them reads nothing from the database
    and shows what the first one built."""
    posting = make_posting(
        title="Robotics Intern",
        skills=["Python"],
        locations=("Austin, TX",),
        pay=[(20, 30, ["TX"])],
    )
    make_posting(title="Python Friend Intern", skills=["Python"])
    url = posting.get_absolute_url() + "?state=TX"
    built = client.get(url).text
    cards.clear()  # another process: nothing of this page kept in it
    with django_assert_num_queries(0):
        reused = client.get(url).text
    assert reused == built
    assert "per hour in Texas" in reused and "Python Friend Intern" in reused


def test_a_write_ends_the_shared_pieces_of_a_posting_page(client):
    posting = make_posting(title="Robotics Intern")
    url = posting.get_absolute_url()
    assert "Robotics Intern" in client.get(url).text
    Posting.objects.filter(pk=posting.pk).update(title="Welding Intern <b>")
    cards.clear()  # another process, after the write
    html = client.get(url).text
    assert "Welding Intern &lt;b&gt;" in html and "Robotics Intern" not in html


def test_the_state_chosen_gives_its_own_posting_page(client):
    posting = make_posting(
        title="Robotics Intern", locations=("Austin, TX",), pay=[(20, 30, ["TX"]), (40, 50, [])]
    )
    url = posting.get_absolute_url()
    in_texas = client.get(url + "?state=TX").text
    plain = client.get(url).text
    again_in_texas = client.get(url + "?state=TX").text
    assert "per hour in Texas" in in_texas and in_texas == again_in_texas
    assert "per hour in Texas" not in plain
    assert 'class="chosen"' in in_texas and 'class="chosen"' not in plain


def test_a_kept_posting_page_never_carries_another_visitors_save_control():
    posting = make_posting(title="Robotics Intern")
    url = posting.get_absolute_url()
    saver, other = Client(), Client()
    assert saver.post(f"/saved/{posting.pk}/", {"next": "/"}).status_code == 302
    saver_page, other_page = saver.get(url).text, other.get(url).text
    assert 'aria-pressed="true"' in saver_page and "csrfmiddlewaretoken" in saver_page
    assert "csrfmiddlewaretoken" not in other_page and 'class="save-link"' in other_page
    saver.post(f"/saved/{posting.pk}/", {"next": "/"})  # removed again
    assert 'aria-pressed="false"' in saver.get(url).text
    assert "csrfmiddlewaretoken" not in other.get(url).text


def test_a_kept_feed_entry_follows_edits_and_the_state(client):
    posting = make_posting(
        title="Robotics Intern",
        locations=("Austin, TX",),
        pay=[(20, 30, ["TX"]), (40, 50, [])],
        categories=["Hardware"],
    )
    feed = client.get("/feeds/internships/").text
    assert "Robotics Intern at" in feed and 'term="Hardware"' in feed
    assert "$20 - $30 per hour in TX" in client.get("/feeds/internships/?state=TX").text
    assert "in TX" not in client.get("/feeds/internships/").text  # its own entry

    posting.title = "Rocketry Intern <b>"
    posting.save()
    feed = client.get("/feeds/internships/").text
    assert "Robotics Intern" not in feed
    assert "Rocketry Intern &lt;b&gt; at" in feed and "<b>" not in feed


def test_cards_list_places_by_name_and_terms_by_date(client):
    """Places and terms are read in one query for the cards not kept: in
    the order the models give (a place by name, a term by its end)."""
    make_posting(
        title="Ordered Intern",
        locations=["Seattle, WA", "Austin, TX", "Boston, MA"],
        terms=["Summer 2031", "Fall 2030", "Spring 2031"],
    )
    for address in ("/", "/internships/", "/internships/?state=TX"):
        card = card_of(client.get(address).text, "Ordered Intern")
        assert "Austin, TX; Boston, MA; Seattle, WA" in card, address
        assert "Fall 2030, Spring 2031, Summer 2031" in card, address
