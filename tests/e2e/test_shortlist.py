"""Saving internships, marking them applied and exporting them, in a real
browser, with JavaScript and without: the whole shortlist is plain forms."""

import csv
import io
from pathlib import Path

import pytest

from tests.factories import SEED_RANGES, make_company, make_posting

pytestmark = pytest.mark.e2e


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def student(request, browser, live_server, transactional_db):
    """A browser tab, with JavaScript on or off."""
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=request.param,
        viewport={"width": 1280, "height": 900},
    )
    tab = context.new_page()
    problems = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    yield tab
    context.close()
    assert problems == []


@pytest.fixture
def postings(transactional_db):
    robots = make_posting(
        title="Robotics Intern",
        company=make_company(name="Acme Robotics"),
        locations=["Austin, TX"],
        pay=SEED_RANGES,
        categories=["Hardware"],
    )
    data = make_posting(
        title="Data Science Intern",
        company=make_company(name="=Formula Labs"),
        locations=["New York, NY"],
        pay=[(30, 35, [])],
    )
    return robots, data


def test_save_from_a_card_and_a_detail_page_mark_applied_and_export(student, postings):
    robots, data = postings
    page = student

    # A first visit has no session: the card's Save is a link to a small page.
    page.goto("/internships/")
    card = page.locator("article.card", has=page.get_by_role("link", name="Robotics Intern"))
    card.get_by_role("link", name="Save", exact=True).click()
    page.wait_for_url(f"**/saved/{robots.pk}/")
    page.get_by_role("button", name="Save", exact=True).click()
    # Back on the list, where the card now holds the button, pressed.
    page.wait_for_url("**/internships/")
    card = page.locator("article.card", has=page.get_by_role("link", name="Robotics Intern"))
    assert card.get_by_role("button", name="Saved ✓", pressed=True).is_visible()

    # With a session, a detail page holds the button in place.
    page.goto(data.get_absolute_url())
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**{data.get_absolute_url()}")
    assert page.get_by_role("button", name="Saved ✓", pressed=True).is_visible()

    page.get_by_role("link", name="Saved", exact=True).click()
    page.wait_for_url("**/saved/")
    items = page.locator("li.saved-item")
    assert items.count() == 2
    page.get_by_role("button", name="Mark as applied to Robotics Intern").click()
    page.wait_for_url("**/saved/**")
    assert page.get_by_role("button", name="Applied ✓ to Robotics Intern (undo)").is_visible()

    page.get_by_label("Show pay where you will work").select_option("TX")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/saved/?state=TX")
    assert "$48 / hour in TX" in page.locator(f"#saved-{robots.pk}").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as a spreadsheet (CSV)").click()
    download = download_info.value
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "title,company,places,pay,status,applied,apply_url"
    rows = {row["title"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["Robotics Intern"]["applied"] == "yes"
    assert rows["Robotics Intern"]["pay"] == "$48 / hour in TX"
    assert rows["Data Science Intern"]["applied"] == "no"
    assert rows["Data Science Intern"]["company"] == "'=Formula Labs"

    # Unsaving from the list.
    page.get_by_role("button", name="Remove Data Science Intern").click()
    page.wait_for_url("**/saved/**")
    assert page.locator("li.saved-item").count() == 1
