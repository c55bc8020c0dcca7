"""axe-core (bundled with axe-playwright-python, no network needed) finds no
serious or critical accessibility violation on the pages students use."""

import pytest

from listings.models import Status, WorkMode
from tests.factories import SEED_RANGES, make_company, make_posting

pytestmark = pytest.mark.e2e


@pytest.fixture
def site(transactional_db):
    company = make_company(name="Instacart", slug="instacart", about="Groceries, delivered.")
    posting = make_posting(
        title="Machine Learning Engineer, PhD Intern",
        company=company,
        work_mode=WorkMode.HYBRID,
        locations=["San Francisco, CA", "Toronto, ON, Canada"],
        about_role="<p>Build <strong>models</strong>.</p><ul><li>Ship them</li></ul>",
        responsibilities="Train models.\nMeasure them.",
        pay=SEED_RANGES,
        unit="hour",
        skills=["Python", "PyTorch"],
        categories=["Machine Learning"],
        terms=["Summer 2030"],
    )
    for n in range(3):
        make_posting(title=f"Data Intern {n}", company=company, pay=[(30 + n, 40 + n, [])])
    closed = make_posting(title="Closed Intern", company=company, status=Status.CLOSED)
    return {"company": company, "posting": posting, "closed": closed}


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


PAGES = [
    ("home", lambda s: "/"),
    ("list", lambda s: "/internships/"),
    ("list-filtered", lambda s: "/internships/?q=intern&state=CA&mode=hybrid&sort=pay"),
    ("list-bad-input", lambda s: "/internships/?min_pay=lots&posted=9&page=x"),
    ("detail", lambda s: s["posting"].get_absolute_url()),
    ("detail-closed", lambda s: s["closed"].get_absolute_url()),
    ("companies", lambda s: "/companies/"),
    ("company", lambda s: s["company"].get_absolute_url()),
    ("gone", lambda s: f"/internships/{s['closed'].pk}/apply/"),
    ("not-found", lambda s: "/no-such-page/"),
]


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_no_serious_accessibility_violations(page, site, name, path):
    response = page.goto(path(site))
    assert response.status < 500
    # The stylesheet is loaded: colour contrast is judged on the real look.
    assert page.evaluate("document.styleSheets.length") >= 1
    page.snap(name)
    assert serious_violations(page) == []


def test_axe_really_runs_and_reports(page, site):
    """Guards the guard: a page with known faults is reported, so an empty list
    above means axe ran (offline, under the site's CSP) and found nothing."""
    page.goto("/")
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML(
            "beforeend", '<img src="/static/none.png"><button></button>')"""
    )
    found = " ".join(serious_violations(page))
    assert "image-alt" in found and "button-name" in found
