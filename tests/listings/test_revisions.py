"""Edits under review: a recruiter's change to a public posting waits for an
editor, who sees it as a diff and approves or rejects it (listings/revisions.py)."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from listings.models import Category, Posting, PostingRevision, RevisionStatus, Skill, Status, Term
from tests.admin_forms import posting_form
from tests.factories import (
    make_company,
    make_editor,
    make_label,
    make_location,
    make_posting,
    make_recruiter,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def change_url(posting):
    return reverse("admin:listings_posting_change", args=[posting.pk])


def revision_url(revision):
    return reverse("admin:listings_postingrevision_change", args=[revision.pk])


@pytest.fixture
def world(client):
    acme = make_company(name="Acme")
    acme_labs = make_company(name="Acme Labs")
    recruiter = make_recruiter("rita", companies=[acme, acme_labs])
    live = make_posting(
        title="Acme Live",
        company=acme,
        status=Status.PUBLISHED,
        closes_on=TODAY + datetime.timedelta(days=10),
        pay=[(30, 40, ["CA"]), (25, 35, [])],
        skills=["Python"],
        categories=["Engineering"],
        terms=["Summer 2026"],
    )
    client.force_login(recruiter)
    return {"acme": acme, "acme_labs": acme_labs, "recruiter": recruiter, "live": live}


def public_page(posting):
    """The posting's page as a visitor gets it (per-request nonces removed)."""
    html = Client().get(posting.get_absolute_url()).content.decode()
    return re.sub(r'nonce="[^"]*"', "", html)


def snapshot(posting):
    posting = Posting.objects.get(pk=posting.pk)
    row = {f.attname: getattr(posting, f.attname) for f in Posting._meta.concrete_fields}
    for name in ("updated_at", "search_vector"):
        row.pop(name)
    for name in ("locations", "skills", "categories", "terms"):
        row[name] = sorted(getattr(posting, name).values_list("pk", flat=True))
    row["pay"] = sorted(
        (r.min_amount, r.max_amount, tuple(r.state_list))
        for r in posting.pay_ranges.with_state_codes()
    )
    return row


def recruiter_change(world):
    """Every field a recruiter can touch on the form, as (form data, check after approval)."""
    acme_labs = world["acme_labs"]
    ny = make_location("New York, NY")
    rust = make_label(Skill, "Rust")
    design = make_label(Category, "Design")
    fall = make_label(Term, "Fall 2026")
    later = TODAY + datetime.timedelta(days=40)
    return {
        "title": ("Acme Live (phishing)", lambda p: p.title == "Acme Live (phishing)"),
        "company": (str(acme_labs.pk), lambda p: p.company_id == acme_labs.pk),
        "locations": ([str(ny.pk)], lambda p: list(p.locations.all()) == [ny]),
        "work_mode": ("remote", lambda p: p.work_mode == "remote"),
        "posted_on": (str(TODAY), lambda p: p.posted_on == TODAY),
        "closes_on": (str(later), lambda p: p.closes_on == later),
        "responsibilities": ("Wire money.", lambda p: p.responsibilities == "Wire money."),
        "internship_type": ("part_time", lambda p: p.internship_type == "part_time"),
        "pay_currency": ("EUR", lambda p: p.pay_currency == "EUR"),
        "pay_unit": ("month", lambda p: p.pay_unit == "month"),
        "visa_sponsorship": ("yes", lambda p: p.visa_sponsorship == "yes"),
        "language": ("German", lambda p: p.language == "German"),
        "hours_per_week": ("20", lambda p: p.hours_per_week == 20),
        "about_role": ("<p>New text</p>", lambda p: p.about_role == "<p>New text</p>"),
        "skills": ([str(rust.pk)], lambda p: list(p.skills.all()) == [rust]),
        "categories": ([str(design.pk)], lambda p: list(p.categories.all()) == [design]),
        "terms": ([str(fall.pk)], lambda p: list(p.terms.all()) == [fall]),
        "apply_url": (
            "https://phish.example.net/login",
            lambda p: p.apply_url == "https://phish.example.net/login",
        ),
    }


FIELDS = [
    "title", "company", "locations", "work_mode", "posted_on", "closes_on", "responsibilities",
    "internship_type", "pay_currency", "pay_unit", "visa_sponsorship", "language",
    "hours_per_week", "about_role", "skills", "categories", "terms", "apply_url",
]  # fmt: skip


@pytest.mark.parametrize("field", [*FIELDS, "pay_ranges"])
def test_each_field_waits_for_review_then_goes_live_on_approval(client, world, field):
    live = world["live"]
    before = snapshot(live)
    public_before = public_page(live)
    if field == "pay_ranges":
        # Replace both stored ranges by one new range: delete them, add one.
        stored = list(live.pay_ranges.with_state_codes())
        data = posting_form(
            live,
            ranges=[
                *({"id": r.pk, "states": r.state_list, "min": r.min_amount, "max": r.max_amount,
                   "delete": True} for r in stored),
                {"states": ["WA"], "min": 90, "max": 99},
            ],
        )  # fmt: skip

        def check(p):
            return [(r.min_amount, r.max_amount, r.state_list) for r in p.pay_ranges.with_state_codes()] == [(90, 99, ["WA"])]  # fmt: skip
    else:
        value, check = recruiter_change(world)[field]
        data = posting_form(live, **{field: value})
    response = client.post(change_url(live), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    # Nothing public changed: the posting and its page are as approved.
    assert snapshot(live) == before
    assert public_page(live) == public_before
    revision = PostingRevision.objects.get(posting=live, status=RevisionStatus.PENDING)
    assert list(revision.data) == [field]
    assert revision.author == world["recruiter"]

    # An editor reviews the diff and approves.
    client.force_login(make_editor())
    page = client.get(revision_url(revision)).content.decode()
    assert 'name="_approve"' in page and 'name="_reject"' in page
    assert "Public now" in page and "Proposed" in page
    response = client.post(revision_url(revision), {"_approve": "1"})
    assert response.status_code == 302
    live.refresh_from_db()
    assert check(live)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED and revision.reviewed_by is not None


def test_rejected_change_never_reaches_the_posting(client, world):
    live = world["live"]
    before = snapshot(live)
    client.post(change_url(live), posting_form(live, apply_url="https://phish.example.net/"))
    revision = PostingRevision.objects.get(posting=live)
    client.force_login(make_editor())
    client.post(revision_url(revision), {"_reject": "1"})
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.REJECTED
    assert snapshot(live) == before
    # A reviewed revision cannot be approved afterwards.
    client.post(revision_url(revision), {"_approve": "1"})
    assert snapshot(live) == before


def test_a_new_submission_replaces_the_pending_one(client, world):
    live = world["live"]
    client.post(change_url(live), posting_form(live, title="First try"))
    client.post(change_url(live), posting_form(live, title="Second try"))
    (revision,) = PostingRevision.objects.filter(posting=live)
    assert revision.data == {"title": "Second try"}


def test_reopening_an_expired_posting_waits_for_an_editor(client, world):
    live = world["live"]
    Posting.objects.filter(pk=live.pk).update(
        posted_on=TODAY - datetime.timedelta(days=30), closes_on=TODAY - datetime.timedelta(days=1)
    )
    live.refresh_from_db()
    assert not live.is_open
    later = TODAY + datetime.timedelta(days=60)
    client.post(change_url(live), posting_form(live, closes_on=str(later)))
    live.refresh_from_db()
    assert live.closes_on == TODAY - datetime.timedelta(days=1) and not live.is_open
    assert client.get(live.get_apply_url()).status_code == 410
    revision = PostingRevision.objects.get(posting=live)
    assert revision.reopens
    client.force_login(make_editor())
    page = client.get(revision_url(revision)).content.decode()
    assert "reopens or extends" in page


def test_status_back_to_published_is_refused_to_recruiters(client, world):
    closed = make_posting(company=world["acme"], status=Status.CLOSED)
    response = client.post(change_url(closed), posting_form(closed, status="published"))
    assert response.status_code == 200  # the form again: not a choice for them
    closed.refresh_from_db()
    assert closed.status == Status.CLOSED
    assert not PostingRevision.objects.exists()


def test_closing_needs_no_review(client, world):
    live = world["live"]
    client.post(change_url(live), posting_form(live, status="closed"))
    live.refresh_from_db()
    assert live.status == Status.CLOSED
    assert not PostingRevision.objects.exists()


def test_drafts_are_edited_directly(client, world):
    draft = make_posting(company=world["acme"], status=Status.DRAFT)
    client.post(change_url(draft), posting_form(draft, title="Better title"))
    draft.refresh_from_db()
    assert draft.title == "Better title"
    assert not PostingRevision.objects.exists()


def test_editors_change_public_postings_directly(client, world):
    live = world["live"]
    client.force_login(make_editor())
    client.post(change_url(live), posting_form(live, title="Edited by an editor"))
    live.refresh_from_db()
    assert live.title == "Edited by an editor"
    assert not PostingRevision.objects.exists()


def test_recruiters_cannot_reach_the_review_pages(client, world):
    live = world["live"]
    client.post(change_url(live), posting_form(live, title="Mine"))
    revision = PostingRevision.objects.get(posting=live)
    assert client.get(revision_url(revision)).status_code in (302, 403)
    client.post(revision_url(revision), {"_approve": "1"})
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.PENDING
    live.refresh_from_db()
    assert live.title == "Acme Live"


def test_an_invalid_revision_changes_nothing_on_approval(client, world):
    live = world["live"]
    client.post(
        change_url(live), posting_form(live, closes_on=str(TODAY + datetime.timedelta(days=5)))
    )
    revision = PostingRevision.objects.get(posting=live)
    # Meanwhile an editor moves the posted date past the proposed deadline.
    Posting.objects.filter(pk=live.pk).update(
        posted_on=TODAY + datetime.timedelta(days=6), closes_on=None
    )
    before = snapshot(live)
    client.force_login(make_editor())
    response = client.post(revision_url(revision), {"_approve": "1"}, follow=True)
    assert "was not changed" in response.content.decode()
    assert snapshot(live) == before
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.PENDING


def test_an_unchanged_form_as_a_browser_sends_it_keeps_no_revision(client, world):
    live = world["live"]
    Posting.objects.filter(pk=live.pk).update(
        responsibilities="Build models.\nShip them.", about_role="<p>Join us.</p>\n<p>Now.</p>"
    )
    live.refresh_from_db()
    data = posting_form(
        live,
        responsibilities="Build models.\r\nShip them.",
        about_role="<p>Join us.</p>\r\n<p>Now.</p>",
    )
    response = client.post(change_url(live), data, follow=True)
    assert "Nothing was changed." in response.content.decode()
    assert not PostingRevision.objects.exists()


def test_the_admin_index_shows_editors_the_changes_waiting(client, world):
    live = world["live"]
    client.post(change_url(live), posting_form(live, title="Queued"))
    assert "waiting for review" not in client.get(reverse("admin:index")).content.decode()
    client.force_login(make_editor())
    html = client.get(reverse("admin:index")).content.decode()
    assert "<strong>1</strong> change to public postings waiting for review" in html
