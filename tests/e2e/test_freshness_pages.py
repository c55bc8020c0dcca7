"""The list and a detail page at phone and desktop widths, as a student sees
them: how old postings are, hourly equivalents, the whole-term estimate, and
no empty section. Screenshots go to test-artifacts/."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from listings.models import Posting
from tests.factories import make_posting

from .conftest import ARTIFACTS

pytestmark = pytest.mark.e2e


@pytest.fixture
def postings(transactional_db):
    call_command("load_demo", postings=0, stdout=io.StringIO())
    make_posting(
        title="Data Analyst Intern (part time)",
        unit="week",
        pay=[(800, 1200, [])],
        hours_per_week=20,
        terms=["Summer 2030"],
        internship_type="part_time",
        posted_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    make_posting(
        title="Old Unconfirmed Intern",
        posted_on=timezone.localdate() - datetime.timedelta(days=200),
        internship_type="unknown",
        language="",
    )
    return Posting.objects.get(external_id="seed-instacart-ml-phd-intern")


@pytest.mark.parametrize("width", [390, 1280])
def test_list_and_detail_at_phone_and_desktop_widths(page, postings, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/internships/")
    cards = page.locator("article.card")
    assert cards.count() == 3
    assert cards.nth(0).get_by_text("3 days ago").is_visible()
    assert cards.nth(0).get_by_text("$40 – $60 an hour").is_visible()
    assert cards.last.get_by_text("May no longer be open").is_visible()
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.snap(f"list-{width}")

    page.goto(postings.get_absolute_url())
    assert page.get_by_text("About $21,120 – $24,960 for 12 weeks at 40 hours").is_visible()
    assert page.get_by_role("heading", name="About the company").is_visible()
    assert page.get_by_text("24,131 employees").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.snap(f"detail-{width}")
    # The first screen alone, where the facts and the estimate are.
    page.screenshot(path=ARTIFACTS / f"freshness-detail-first-screen-{width}.png")
