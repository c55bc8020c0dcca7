"""The finished detail page: similar internships, pay in a state, label links."""

from html import unescape

import pytest
from django.core.management import call_command

from listings.models import Posting, Status
from tests.factories import SEED_RANGES, make_posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed():
    call_command("load_demo", postings=0)
    return Posting.objects.get(external_id="seed-instacart-ml-phd-intern")


def test_similar_internships_share_a_category_or_a_skill(client, seed):
    make_posting(title="Shares a category", categories=["Software"])
    make_posting(title="Shares a skill", skills=["Golang"])
    make_posting(title="Shares nothing", skills=["Knitting"], categories=["Crafts"])
    make_posting(title="Closed but similar", categories=["Software"], status=Status.CLOSED)
    html = unescape(client.get(seed.get_absolute_url()).content.decode())
    similar = html[html.index("Similar internships") :]
    assert "Shares a category" in similar and "Shares a skill" in similar
    assert "Shares nothing" not in html
    assert "Closed but similar" not in html


def test_detail_shows_the_pay_in_the_chosen_state(client, seed):
    html = unescape(client.get(seed.get_absolute_url() + "?state=tx").content.decode())
    assert "$48 per hour in Texas" in html
    html = unescape(client.get(seed.get_absolute_url() + "?state=FL").content.decode())
    assert "$44 per hour in Florida" in html
    # An unknown state is simply not shown.
    response = client.get(seed.get_absolute_url() + "?state=%00zz")
    assert response.status_code == 200


def test_skills_categories_and_terms_link_to_filtered_lists(client, seed):
    html = client.get(seed.get_absolute_url()).content.decode()
    assert 'href="/internships/?skill=machine-learning"' in html
    assert 'href="/internships/?category=science-research"' in html
    # The seed names no term (section 11): no Terms row, no term link.
    assert "?term=" not in html


def test_term_links_to_the_filtered_list(client):
    posting = make_posting(terms=["Summer 2030"])
    html = client.get(posting.get_absolute_url()).content.decode()
    assert 'href="/internships/?term=summer-2030"' in html


def test_deadline_is_shown(client):
    import datetime

    from django.utils import timezone

    closes = timezone.localdate() + datetime.timedelta(days=10)
    posting = make_posting(closes_on=closes)
    html = client.get(posting.get_absolute_url()).content.decode()
    assert "Apply by" in html and closes.strftime("%Y-%m-%d") in html


def test_closed_posting_points_to_open_ones(client):
    posting = make_posting(status=Status.CLOSED, pay=SEED_RANGES)
    html = client.get(posting.get_absolute_url()).content.decode()
    assert "no longer accepting applications" in html
    assert posting.get_apply_url() not in html
    assert 'href="/internships/">Find open internships' in html


def test_the_pay_table_highlights_the_range_of_the_chosen_state(client, seed):
    html = client.get(seed.get_absolute_url() + "?state=FL").content.decode()
    assert '<tr class="chosen"><td>All other states</td><td>$44</td></tr>' in html
    html = client.get(seed.get_absolute_url() + "?state=WA").content.decode()
    assert '<tr class="chosen"><td>WA</td><td>$50</td></tr>' in html


def test_detail_offers_a_state_picker_for_the_pay(client, seed):
    html = client.get(seed.get_absolute_url() + "?state=WA").content.decode()
    assert f'<form class="state-picker" method="get" action="{seed.get_absolute_url()}">' in html
    assert '<option value="WA" selected>Washington</option>' in html
