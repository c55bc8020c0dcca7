"""A student's way through the site in a real browser: search from the home
page, pick their state, open a posting and click Apply Now to land on the
company's own page (a local stand-in served by Playwright)."""

import re

import pytest

from listings.models import Status, WorkMode
from tests.factories import SEED_RANGES, make_company, make_posting

pytestmark = pytest.mark.e2e

COMPANY_SITE = "https://careers.example.com/**"
COMPANY_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Instacart careers</title></head>
<body><main><h1>Apply: Machine Learning Engineer, PhD Intern</h1></main></body></html>"""


@pytest.fixture
def postings(transactional_db):
    instacart = make_company(name="Instacart", slug="instacart")
    ml = make_posting(
        title="Machine Learning Engineer, PhD Intern",
        company=instacart,
        work_mode=WorkMode.REMOTE,
        locations=["United States"],
        about_role="<p>Build machine learning models for grocery search.</p>",
        apply_url="https://careers.example.com/instacart/jobs/7010?gh_jid=7010",
        pay=SEED_RANGES,
        unit="hour",
        skills=["Python"],
    )
    other = make_posting(
        title="Brand Marketing Intern",
        locations=["Austin, TX"],
        about_role="<p>Tell our story.</p>",
        pay=[(20, 22, [])],
    )
    return ml, other


def card(page, title):
    return page.locator("article.card", has=page.get_by_role("link", name=title))


def test_search_pick_a_state_open_a_posting_and_apply(page, postings):
    ml, other = postings
    visits = []

    def company_site(route):
        visits.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=COMPANY_PAGE)

    page.route(COMPANY_SITE, company_site)

    # Search from the home page, saying where the student will work from.
    page.goto("/")
    page.snap("home")
    search = page.get_by_role("search")
    search.get_by_label("Keywords").fill("machine learning")
    search.get_by_label("I will work from").select_option(label="Washington")
    search.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/internships/\?.*q=machine\+learning"))
    assert "state=WA" in page.url
    assert card(page, ml.title).count() == 1
    assert card(page, other.title).count() == 0
    # The card shows the pay in Washington, not the overall range.
    pay = card(page, ml.title).locator(".card-pay").inner_text()
    assert "$50" in pay and "WA" in pay and "$44" not in pay
    page.snap("search-results-wa")

    # Another state from the list's filters: that state's pay.
    page.get_by_label("I will work from").select_option("FL")
    page.get_by_role("button", name="Show internships").click()
    page.wait_for_url(re.compile(r"state=FL"))
    pay = card(page, ml.title).locator(".card-pay").inner_text()
    assert "$44" in pay and "FL" in pay
    page.snap("state-pay-fl")

    # Open the posting.
    page.get_by_role("link", name=ml.title).click()
    page.wait_for_url(re.compile(rf"/internships/{ml.pk}/"))
    assert page.get_by_role("heading", level=1).inner_text() == ml.title
    assert page.get_by_text("Instacart").first.is_visible()
    page.snap("detail")

    # Apply Now: the site's own redirect sends the browser to the company.
    # (the first of the two: the bar at the top; the same address as the other)
    page.get_by_role("link", name=re.compile("Apply Now")).first.click()
    page.wait_for_url(re.compile(r"^https://careers\.example\.com/instacart/jobs/7010"))
    assert page.get_by_role("heading", name=re.compile("Apply: Machine Learning")).is_visible()
    assert len(visits) == 1 and visits[0].startswith(ml.apply_url)
    assert "utm_source=internboard" in visits[0]
    page.snap("company-site")


def test_apply_goes_only_to_the_stored_url(page, postings):
    ml, _ = postings
    landed = []

    def company_site(route):
        landed.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=COMPANY_PAGE)

    page.route(COMPANY_SITE, company_site)
    page.goto(ml.get_absolute_url())
    # A crafted link to the apply URL, followed by a click (Playwright routes
    # the redirect of a clicked navigation to the stand-in company site).
    page.evaluate(
        """href => {
            const link = document.createElement("a");
            link.href = href;
            link.id = "crafted";
            link.textContent = "crafted link";
            document.body.prepend(link);
        }""",
        f"/internships/{ml.pk}/apply/?next=https://evil.example.com/&url=//evil.example.com",
    )
    page.click("#crafted")
    page.wait_for_url(re.compile(r"^https://careers\.example\.com/"))
    assert len(landed) == 1 and "evil" not in landed[0]
    assert landed[0].startswith(ml.apply_url)


def test_a_closed_posting_offers_similar_ones_instead_of_applying(page, postings):
    ml, _ = postings
    similar = make_posting(title="Machine Learning Intern, Search", company=ml.company)
    similar.skills.set(ml.skills.all())
    ml.status = Status.CLOSED
    ml.save()

    page.goto(ml.get_absolute_url())
    assert page.get_by_role("link", name=re.compile("Apply Now")).count() == 0
    response = page.goto(f"/internships/{ml.pk}/apply/")
    assert response.status == 410
    assert page.get_by_role("heading", level=1).inner_text().startswith("This internship no longer")
    page.snap("gone")
    page.get_by_role("link", name=similar.title).click()
    page.wait_for_url(re.compile(rf"/internships/{similar.pk}/"))
