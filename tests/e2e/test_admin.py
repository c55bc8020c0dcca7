"""The admin keeps working under the Content-Security-Policy in a real browser:
its pages load and run their scripts with no policy violation (the `page`
fixture fails any test whose page reports one)."""

import importlib
import re

import pytest

from companies.models import Company
from tests.factories import make_posting, make_user

pytestmark = pytest.mark.e2e


def test_admin_login_and_add_a_company_under_the_policy(page, transactional_db):
    make_user("editor-root", superuser=True, password="pw-Internboard-1")
    page.goto("/admin/")
    page.get_by_label("Username").fill("editor-root")
    page.get_by_label("Password").fill("pw-Internboard-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    page.goto("/admin/companies/company/add/")
    page.snap("admin-company-add")
    page.get_by_label("Name").fill("Keyboard Robotics")
    # The slug is filled in by the admin's own JavaScript (prepopulated fields),
    # which only runs if the policy lets the admin's scripts load.
    page.get_by_label("Name").press("Tab")
    assert page.locator("#id_slug").input_value() == "keyboard-robotics"
    page.get_by_label("Website").fill("https://keyboard-robotics.example.com")
    page.get_by_role("button", name=re.compile("^Save$")).click()
    page.wait_for_url(re.compile(r"/admin/companies/company/"))
    assert Company.objects.filter(name="Keyboard Robotics").exists()

    page.goto("/admin/listings/posting/add/")
    page.snap("admin-posting-add")
    assert page.locator("form#posting_form").count() == 1

    # Lists with filters and actions, and a change page with inlines.
    posting = make_posting(pay=[(30, 40, ["CA"]), (25, 30, [])])
    for path in [
        "/admin/listings/posting/",
        "/admin/listings/posting/?status__exact=published",
        f"/admin/listings/posting/{posting.pk}/change/",
        "/admin/companies/company/",
        "/admin/auth/user/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
    page.snap("admin-posting-change")


def test_a_policy_violation_would_fail_these_tests(page, transactional_db):
    """Guards the guard: an inline script without the nonce is blocked by the
    browser and reported, which the `page` fixture turns into a failure."""
    page.goto("/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "document.title = 'injected'";
                document.head.append(script);
            }"""
        )
    assert page.title() != "injected"
    assert any("Content Security Policy" in problem for problem in page.problems)
    page.problems.clear()


def restore_role_groups():
    """The Editors and Recruiters groups as their migration creates them."""
    from django.contrib.auth.models import Group, Permission

    migration = importlib.import_module("companies.migrations.0002_editor_and_recruiter_groups")
    for name, wanted in migration.GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
            for app_label, models in wanted.items()
            for model, actions in models.items()
            for action in actions
        )


def log_in(page, username, password="pw-Internboard-1"):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def test_a_recruiters_change_waits_for_an_editor_who_approves_it(page, transactional_db):
    from listings.models import PostingRevision, RevisionStatus
    from tests.factories import make_company, make_editor, make_recruiter

    # Earlier browser tests flush the tables, the migration's groups with them.
    restore_role_groups()
    acme = make_company(name="Acme")
    make_recruiter("rita", companies=[acme])
    make_editor("eddie")
    posting = make_posting(title="Acme Live", company=acme)

    log_in(page, "rita")
    page.goto(f"/admin/listings/posting/{posting.pk}/change/")
    page.get_by_label("Title").fill("Acme Live, now with pay")
    page.get_by_role("button", name=re.compile("^Save$")).first.click()
    page.wait_for_url(re.compile(r"/admin/listings/posting/$"))
    assert "wait for an editor" in page.content()
    page.goto(posting.get_absolute_url())
    assert page.locator("h1").inner_text() == "Acme Live"  # the approved version
    page.context.clear_cookies()

    log_in(page, "eddie")
    page.goto(f"/admin/listings/posting/{posting.pk}/change/")
    page.get_by_role("link", name="review it").click()
    page.snap("admin-revision-diff")
    assert page.get_by_role("cell", name="Acme Live, now with pay").count() == 1
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_url(re.compile(r"/admin/listings/postingrevision/$"))
    assert PostingRevision.objects.get().status == RevisionStatus.APPROVED
    page.goto(posting.get_absolute_url())
    assert page.locator("h1").inner_text() == "Acme Live, now with pay"
