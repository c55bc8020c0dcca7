"""Phone-first layout (PRODUCT.md section 12): filters and Apply Now in the
first screen at 390×844 and 1280×800, Apply Now kept in reach on phones."""

import pytest
from django.core.management import call_command

from listings.models import Posting

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def seed(transactional_db):
    call_command("load_demo", postings=30)
    return Posting.objects.get(external_id="seed-instacart-ml-phd-intern")


def within_first_screen(page, locator):
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    assert box is not None, "not displayed"
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
    return box


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_filters_are_in_the_first_screen_and_first_in_tab_order(page, seed, size):
    page.set_viewport_size(size)
    page.goto("/internships/?mode=remote")
    if size is PHONE:
        summary = page.locator("#filters > summary")
        within_first_screen(page, summary)
        assert not page.locator("#f-q").is_visible()  # closed until asked for
        # The active filters show above the results too.
        within_first_screen(page, page.get_by_role("link", name="Work mode: Remote"))
        page.snap("phone-closed")
        summary.click()
        assert page.locator("#f-q").is_visible()
    else:
        assert not page.locator("#filters > summary").is_visible()
        within_first_screen(page, page.locator("#f-q"))
    page.snap("list")
    # Keyboard users reach the search box before any result.
    first_card = page.locator(".card a").first
    order = page.evaluate(
        "([a, b]) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING",
        [page.locator("#f-q").element_handle(), first_card.element_handle()],
    )
    assert order


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_apply_now_is_in_the_first_screen(page, seed, size):
    page.set_viewport_size(size)
    page.goto(seed.get_absolute_url())
    apply = page.get_by_role("link", name="Apply Now →").first
    within_first_screen(page, apply)
    page.snap("detail")
    if size is PHONE:
        # Still on screen after scrolling through the posting.
        page.mouse.wheel(0, 2500)
        page.wait_for_timeout(200)
        assert page.evaluate("window.scrollY") > 1500
        within_first_screen(page, apply)
        page.screenshot(path=str(page_artifact("phone-detail-scrolled")))


def page_artifact(name):
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"test_layout-{name}.png"
