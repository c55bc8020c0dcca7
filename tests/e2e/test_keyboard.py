"""Keyboard only: a visitor who never touches a mouse can reach and use the
filters, and always sees where the focus is."""

import re

import pytest

from listings.models import WorkMode
from tests.factories import make_posting

pytestmark = pytest.mark.e2e

FOCUS_INFO = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        name: el.getAttribute("name"),
        text: (el.innerText || el.value || "").trim().slice(0, 60),
        visible: box.width > 0 && box.height > 0,
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
        shadow: style.boxShadow !== "none",
    };
}"""


def tab_to(page, predicate, limit=80):
    """Press Tab until the focused element matches; every stop on the way must
    show a visible focus indicator."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_INFO)
        assert focus["visible"], focus
        assert focus["outline"] or focus["shadow"], f"no visible focus on {focus}"
        if predicate(focus):
            return focus
    raise AssertionError("never reached the element with the keyboard")


@pytest.fixture
def postings(transactional_db):
    remote = make_posting(
        title="Remote Data Intern",
        work_mode=WorkMode.REMOTE,
        locations=["United States"],
        pay=[(30, 30, ["WA"]), (25, 25, [])],
    )
    onsite = make_posting(
        title="Onsite Hardware Intern", locations=["Austin, TX"], pay=[(28, 28, [])]
    )
    return remote, onsite


def test_filters_with_the_keyboard_only(page, postings):
    remote, onsite = postings
    page.goto("/internships/")

    first = tab_to(page, lambda f: True)
    assert first["text"] == "Skip to content"

    tab_to(page, lambda f: f["id"] == "f-q")
    page.keyboard.type("intern")
    tab_to(page, lambda f: f["id"] == "f-state")
    page.keyboard.type("Washington")  # type-ahead on the focused select
    assert page.locator("#f-state").input_value() == "WA"
    tab_to(page, lambda f: f["name"] == "mode" and "remote" in page.evaluate(
        "document.activeElement.value"))  # fmt: skip
    page.keyboard.press("Space")
    assert page.locator("input[name=mode][value=remote]").is_checked()
    page.snap("filters-focused")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Show internships")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"state=WA"))
    assert re.search(r"mode=remote", page.url) and re.search(r"q=intern", page.url)
    titles = page.locator("article.card .card-title").all_inner_texts()
    assert titles == [remote.title]
    assert "$30" in page.locator("article.card .card-pay").inner_text()
    page.snap("filtered")

    # Back to the first result with the keyboard and open it with Enter.
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == remote.title)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/internships/{remote.pk}/"))
