"""The admin postings list stays usable with a directory of 1,500 companies."""

import datetime
import re

import pytest
from django.utils import timezone

from companies.models import Company
from tests.factories import make_posting, make_user

pytestmark = pytest.mark.e2e


def test_postings_changelist_with_1500_companies_fits(page, transactional_db):
    companies = Company.objects.bulk_create(
        Company(name=f"Company {n:04d}", slug=f"company-{n:04d}", website="https://x.example.com")
        for n in range(1500)
    )
    for n, company in enumerate(companies[:30]):
        make_posting(
            title=f"Machine Learning Engineer, PhD Intern {n}",
            company=company,
            closes_on=timezone.localdate() - datetime.timedelta(days=1) if n == 0 else None,
        )
    make_user("editor-root", superuser=True, password="pw-Internboard-1")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/admin/")
    page.get_by_label("Username").fill("editor-root")
    page.get_by_label("Password").fill("pw-Internboard-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    page.goto("/admin/listings/posting/")
    page.snap("changelist")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 3000, height
    # The click figures fit: nothing to scroll sideways.
    overflow = page.evaluate(
        "document.querySelector('.results').scrollWidth"
        " - document.querySelector('.results').clientWidth"
    )
    assert overflow <= 0, overflow
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.get_by_text("Closed (deadline passed)").count() == 1

    # The company filter is a search box that keeps working.
    page.get_by_placeholder("Name contains…").fill("company 0003")
    page.get_by_placeholder("Name contains…").press("Enter")
    page.wait_for_url(re.compile(r"company_name="))
    assert page.locator("#result_list tbody tr").count() == 1
