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


SEED_VALUES_IN_ORDER = [
    "Machine Learning Engineer, PhD Intern",
    "Instacart",
    "United States",
    "Remote",
    "6 February 2026",
    "Core responsibilities",
    "The intern will work on high-impact problems",
    "Full time",
    "$44 - $52",
    "About $21,120 – $24,960 for 12 weeks at 40 hours",
    "24,131 employees",
    "Visa sponsorship",
    "English",
    "40 hours a week",
    "12 weeks",
    "Apply Now →",
    "You'll be redirected to the company's application page",
    "About the company",
    "Instacart, the leading grocery technology company",
    "About the role",
    "We're transforming the grocery industry",
    "Key skills",
    "Machine Learning",
    "User Behavior Prediction",
    "Categories",
    "Science & Research",
]


def test_detail_shows_every_seed_field_in_the_seed_order(client, seed):
    html = unescape(client.get(seed.get_absolute_url()).content.decode())
    position = html.index("<main")
    for value in SEED_VALUES_IN_ORDER:
        found = html.find(value, position)
        assert found >= 0, f"{value!r} missing, or out of the seed's order"
        position = found + len(value)


def test_detail_shows_the_pay_table(client, seed):
    html = client.get(seed.get_absolute_url()).content.decode()
    assert "CA, CT, NJ, NY" in html
    assert "All other states" in html
    assert "DC, DE, HI, IL, MA, MD, ME, NH, OR, PA, RI, TX, VA, VT" in html


def test_missing_or_wrong_slug_redirects_permanently(client, seed):
    canonical = seed.get_absolute_url()
    for url in (f"/internships/{seed.pk}/", f"/internships/{seed.pk}/wrong-slug/"):
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == canonical


def test_unknown_posting_is_404(client, db):
    assert client.get("/internships/999999/x/").status_code == 404


def test_closed_posting_renders_with_banner_and_no_apply_button(client):
    posting = make_posting(status=Status.CLOSED, pay=SEED_RANGES)
    response = client.get(posting.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "no longer accepting applications" in html
    assert "Apply Now" not in html


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING])
def test_drafts_and_postings_in_review_are_not_public(client, status):
    posting = make_posting(status=status)
    assert client.get(posting.get_absolute_url()).status_code == 404
    assert client.get(f"/internships/{posting.pk}/").status_code == 404


def test_staff_who_may_edit_a_draft_can_preview_it(client):
    from tests.factories import make_editor, make_recruiter

    posting = make_posting(status=Status.DRAFT)
    client.force_login(make_editor())
    assert client.get(posting.get_absolute_url()).status_code == 200
    client.force_login(make_recruiter(username="other-company"))
    assert client.get(posting.get_absolute_url()).status_code == 404
