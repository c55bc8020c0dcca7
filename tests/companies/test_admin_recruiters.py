"""A recruiter in the admin: their own companies and postings only.

Every attempt on another company's data goes through a real request to
/admin/ and asserts both the answer and that the database did not change.
"""

import json
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from companies.models import Company
from listings.models import PayRange, PayRangeState, Posting, Skill, Status
from tests.admin_forms import posting_form
from tests.factories import make_company, make_posting, make_recruiter, make_user

pytestmark = pytest.mark.django_db

User = get_user_model()
POSTINGS = reverse("admin:listings_posting_changelist")
ADD_POSTING = reverse("admin:listings_posting_add")
AUTOCOMPLETE = reverse("admin:autocomplete")


def url(name, *args):
    return reverse(f"admin:{name}", args=args)


def snapshot():
    """Everything a recruiter might try to change, as plain values."""
    through = [Posting.locations.through, Posting.skills.through, Posting.categories.through,
               Posting.terms.through, Company.recruiters.through, User.groups.through,
               User.user_permissions.through, Group.permissions.through]  # fmt: skip
    return {
        "postings": list(Posting.objects.order_by("pk").values()),
        "ranges": list(PayRange.objects.order_by("pk").values()),
        "states": list(PayRangeState.objects.order_by("pk").values()),
        "companies": list(Company.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
        "groups": list(Group.objects.order_by("pk").values()),
        "skills": list(Skill.objects.order_by("pk").values()),
        "through": [list(model.objects.order_by("pk").values()) for model in through],
        "log": LogEntry.objects.count(),
    }


@pytest.fixture
def world(client):
    acme = make_company(name="Acme")
    globex = make_company(name="Globex")
    recruiter = make_recruiter("rita", companies=[acme])
    other = make_recruiter("gus", companies=[globex])
    data = {
        "acme": acme,
        "globex": globex,
        "recruiter": recruiter,
        "other": other,
        "ours": make_posting(
            title="Acme Draft",
            company=acme,
            status=Status.DRAFT,
            pay=[(30, 40, ["CA"])],
            skills=["Python"],
        ),  # fmt: skip
        "ours_live": make_posting(title="Acme Live", company=acme, status=Status.PUBLISHED),
        "theirs": make_posting(
            title="Globex Secret Draft", company=globex, status=Status.DRAFT, pay=[(50, 60, [])]
        ),  # fmt: skip
        "theirs_pending": make_posting(
            title="Globex Pending", company=globex, status=Status.PENDING
        ),  # fmt: skip
    }
    client.force_login(recruiter)
    return data


def refused(response):
    """The admin answers a foreign object like a missing one (redirect to the
    index with "doesn't exist"), or with 403/404; never by showing it."""
    return response.status_code in (302, 403, 404) and response.get("Location", "") in (
        "",
        reverse("admin:index"),
    )


# --- what a recruiter sees ----------------------------------------------------------


def test_posting_list_shows_only_their_companies(client, world):
    response = client.get(POSTINGS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Acme Draft" in html and "Acme Live" in html
    assert "Globex" not in html  # not in rows, nor in the company filter


def test_foreign_posting_change_page_is_refused(client, world):
    theirs = world["theirs"]
    response = client.get(url("listings_posting_change", theirs.pk))
    assert refused(response)
    followed = client.get(url("listings_posting_change", theirs.pk), follow=True)
    assert "Globex Secret Draft" not in followed.content.decode()


def test_forged_post_to_a_foreign_posting_changes_nothing(client, world):
    theirs = world["theirs"]
    before = snapshot()
    data = posting_form(theirs, title="Hijacked", status="published")
    response = client.post(url("listings_posting_change", theirs.pk), data)
    assert refused(response)
    assert snapshot() == before


def test_foreign_posting_history_and_delete_are_refused(client, world):
    theirs = world["theirs"]
    before = snapshot()
    for response in (
        client.get(url("listings_posting_history", theirs.pk)),
        client.get(url("listings_posting_delete", theirs.pk)),
        client.post(url("listings_posting_delete", theirs.pk), {"post": "yes"}),
    ):
        assert refused(response)
        assert "Globex" not in response.content.decode()
    assert snapshot() == before


def test_own_posting_history_is_shown_but_delete_is_not_allowed(client, world):
    ours = world["ours"]
    assert client.get(url("listings_posting_history", ours.pk)).status_code == 200
    before = snapshot()
    assert client.post(url("listings_posting_delete", ours.pk), {"post": "yes"}).status_code == 403
    assert snapshot() == before


def test_view_on_site_redirect_of_a_foreign_draft_is_refused(client, world):
    content_type = ContentType.objects.get_for_model(Posting).pk
    ours = client.get(url("view_on_site", content_type, world["ours"].pk))
    assert ours.status_code == 302 and ours["Location"].endswith(world["ours"].get_absolute_url())
    theirs = client.get(url("view_on_site", content_type, world["theirs"].pk))
    assert theirs.status_code == 404 and "secret" not in theirs.content.decode().lower()
    company = ContentType.objects.get_for_model(Company).pk
    assert client.get(url("view_on_site", company, world["globex"].pk)).status_code == 404
    assert client.get(url("view_on_site", company, world["acme"].pk)).status_code == 302


# --- bulk actions ------------------------------------------------------------------


def post_action(client, name, postings):
    return client.post(
        POSTINGS,
        {"action": name, "_selected_action": [str(p.pk) for p in postings], "index": "0"},
    )


@pytest.mark.parametrize("name", ["submit_for_review", "duplicate", "publish", "close",
                                  "extend_deadline", "delete_selected"])  # fmt: skip
def test_bulk_actions_over_foreign_ids_change_nothing(client, world, name):
    before = snapshot()
    response = post_action(client, name, [world["theirs"], world["theirs_pending"]])
    assert response.status_code in (200, 302)
    assert snapshot() == before


@pytest.mark.parametrize("name", ["publish", "close", "extend_deadline", "delete_selected"])
def test_editor_only_actions_are_not_offered_nor_accepted(client, world, name):
    html = client.get(POSTINGS).content.decode()
    assert f'value="{name}"' not in html
    before = snapshot()
    post_action(client, name, [world["ours"], world["ours_live"]])
    assert snapshot() == before


def test_mixed_selection_acts_on_their_own_postings_only(client, world):
    post_action(client, "submit_for_review", [world["ours"], world["theirs"]])
    world["ours"].refresh_from_db()
    world["theirs"].refresh_from_db()
    assert world["ours"].status == Status.PENDING
    assert world["theirs"].status == Status.DRAFT


def test_duplicate_of_own_posting_is_a_draft_of_their_company(client, world):
    post_action(client, "duplicate", [world["ours_live"], world["theirs"]])
    copies = Posting.objects.filter(title__in=["Acme Live", "Globex Secret Draft"]).exclude(
        pk__in=[world["ours_live"].pk, world["theirs"].pk]
    )
    assert [(c.title, c.company, c.status) for c in copies] == [
        ("Acme Live", world["acme"], Status.DRAFT)
    ]


# --- creating and editing postings ----------------------------------------------------


def test_add_form_offers_only_their_companies(client, world):
    form = client.get(ADD_POSTING).context["adminform"].form
    assert list(form.fields["company"].queryset) == [world["acme"]]
    assert form.initial["company"] == world["acme"].pk  # their only company
    assert [value for value, _ in form.fields["status"].choices] == ["draft", "pending", "closed"]


def test_creating_a_posting_for_a_foreign_company_is_refused(client, world):
    before = snapshot()
    response = client.post(ADD_POSTING, posting_form(company=str(world["globex"].pk)))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert snapshot() == before


def test_creating_a_published_posting_is_refused(client, world):
    before = snapshot()
    data = posting_form(company=str(world["acme"].pk), status="published")
    response = client.post(ADD_POSTING, data)
    assert response.status_code == 200
    assert "Select a valid choice. published is not one" in response.content.decode()
    assert snapshot() == before


def test_recruiter_creates_a_draft_for_their_company(client, world):
    data = posting_form(
        company=str(world["acme"].pk),
        title="Acme New Role",
        ranges=[{"states": ["NY"], "min": 25, "max": 30}],
    )
    assert client.post(ADD_POSTING, data).status_code == 302
    posting = Posting.objects.get(title="Acme New Role")
    assert posting.company == world["acme"] and posting.status == Status.DRAFT
    assert posting.pay_display_in("NY") == "$25 - $30"


def test_recruiter_submits_for_review_but_cannot_publish(client, world):
    ours = world["ours"]
    before = snapshot()
    response = client.post(
        url("listings_posting_change", ours.pk), posting_form(ours, status="published")
    )
    assert response.status_code == 200
    assert snapshot() == before

    response = client.post(
        url("listings_posting_change", ours.pk), posting_form(ours, status="pending")
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.status == Status.PENDING and ours.submitted_at is not None
    assert ours.published_at is None


def test_editing_a_published_posting_keeps_it_published_and_waits_for_review(client, world):
    live = world["ours_live"]
    data = posting_form(live, title="Acme Live (updated)")
    assert client.post(url("listings_posting_change", live.pk), data).status_code == 302
    live.refresh_from_db()
    # The change waits for an editor (tests/listings/test_revisions.py).
    assert live.title == "Acme Live" and live.status == Status.PUBLISHED
    assert live.revisions.get().data == {"title": "Acme Live (updated)"}


def test_moving_own_posting_to_a_foreign_company_is_refused(client, world):
    ours = world["ours"]
    before = snapshot()
    data = posting_form(ours, company=str(world["globex"].pk))
    response = client.post(url("listings_posting_change", ours.pk), data)
    assert response.status_code == 200
    assert snapshot() == before


def test_source_fields_are_read_only_for_recruiters(client, world):
    ours = world["ours"]
    data = posting_form(ours, source="forged", external_id="x-1")
    assert client.post(url("listings_posting_change", ours.pk), data).status_code == 302
    ours.refresh_from_db()
    assert (ours.source, ours.external_id) == ("", "")


def test_forged_pay_range_id_of_a_foreign_posting_changes_nothing(client, world):
    ours, theirs = world["ours"], world["theirs"]
    (their_range,) = theirs.pay_ranges.all()
    before = snapshot()
    data = posting_form(ours, ranges=[{"id": their_range.pk, "states": ["TX"], "min": 1, "max": 2}])
    response = client.post(url("listings_posting_change", ours.pk), data)
    assert response.status_code == 200
    assert "A pay range of this form no longer exists" in response.content.decode()
    assert snapshot() == before


# --- autocomplete ----------------------------------------------------------------------


def autocomplete(client, app_label, model_name, field_name, term=""):
    return client.get(
        AUTOCOMPLETE,
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )


def test_company_autocomplete_lists_only_their_companies(client, world):
    response = autocomplete(client, "listings", "posting", "company")
    assert response.status_code == 200
    assert [r["text"] for r in json.loads(response.content)["results"]] == ["Acme"]
    searched = autocomplete(client, "listings", "posting", "company", term="Glob")
    assert json.loads(searched.content)["results"] == []


def test_skill_autocomplete_works_for_recruiters(client, world):
    response = autocomplete(client, "listings", "posting", "skills", term="Pyth")
    assert [r["text"] for r in json.loads(response.content)["results"]] == ["Python"]


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name"),
    [
        ("companies", "company", "recruiters"),  # the users of every company
        ("auth", "user", "groups"),
        ("auth", "user", "user_permissions"),
        ("auth", "group", "permissions"),
        ("listings", "nosuchmodel", "company"),
        ("listings", "posting", "nosuchfield"),
    ],
)
def test_autocomplete_of_users_groups_and_unknown_fields_is_refused(
    client, world, app_label, model_name, field_name
):
    response = autocomplete(client, app_label, model_name, field_name)
    assert response.status_code in (403, 404)
    assert "rita" not in response.content.decode() and "Globex" not in response.content.decode()


def test_posting_autocomplete_lists_only_their_postings(client, world):
    response = autocomplete(client, "listings", "payrange", "posting")
    assert response.status_code == 200
    titles = {r["text"] for r in json.loads(response.content)["results"]}
    assert titles == {"Acme Draft at Acme", "Acme Live at Acme"}


# --- companies ---------------------------------------------------------------------------


def company_form(company, **fields):
    data = {"name": company.name, "slug": company.slug, "website": company.website,
            "size": str(company.size or ""), "about": company.about}  # fmt: skip
    data.update(fields)
    return data


def test_company_list_shows_only_their_companies(client, world):
    html = client.get(url("companies_company_changelist")).content.decode()
    assert "Acme" in html and "Globex" not in html


def test_foreign_company_change_history_and_delete_are_refused(client, world):
    globex = world["globex"]
    before = snapshot()
    for response in (
        client.get(url("companies_company_change", globex.pk)),
        client.post(
            url("companies_company_change", globex.pk), company_form(globex, about="pwned")
        ),
        client.get(url("companies_company_history", globex.pk)),
        client.post(url("companies_company_delete", globex.pk), {"post": "yes"}),
    ):
        assert refused(response)
    assert snapshot() == before


def test_recruiter_edits_their_company_profile_but_not_its_name_or_recruiters(client, world):
    acme = world["acme"]
    page = client.get(url("companies_company_change", acme.pk)).content.decode()
    assert 'name="recruiters"' not in page and 'name="name"' not in page
    data = company_form(acme, name="Globex", slug="hijack", about="We build rockets.",
                        recruiters=[str(world["other"].pk)])  # fmt: skip
    assert client.post(url("companies_company_change", acme.pk), data).status_code == 302
    acme.refresh_from_db()
    assert acme.about == "We build rockets."
    assert (acme.name, acme.slug) == ("Acme", "acme")
    assert list(acme.recruiters.all()) == [world["recruiter"]]


def test_recruiter_cannot_add_or_delete_companies(client, world):
    before = snapshot()
    assert client.get(url("companies_company_add")).status_code == 403
    new = {"name": "Initech", "slug": "initech", "website": "", "size": "", "about": ""}
    assert client.post(url("companies_company_add"), new).status_code == 403
    assert (
        client.post(url("companies_company_delete", world["acme"].pk), {"post": "yes"}).status_code
        == 403
    )
    assert snapshot() == before


# --- users, groups, labels, logs ---------------------------------------------------------


def test_users_and_groups_are_out_of_reach(client, world):
    recruiter = world["recruiter"]
    editors = Group.objects.get(name="Editors")
    before = snapshot()
    for path in (
        "auth_user_changelist",
        "auth_group_changelist",
        "auth_user_add",
        "auth_group_add",
    ):
        assert client.get(url(path)).status_code == 403, path
    assert client.get(url("auth_user_change", recruiter.pk)).status_code == 403
    # Promote themselves, join the editors, edit the Recruiters group: all refused.
    forged = {"username": "rita", "is_staff": "on", "is_superuser": "on", "is_active": "on",
              "groups": [str(editors.pk)], "date_joined_0": "2026-01-01", "date_joined_1": "00:00"}  # fmt: skip
    assert client.post(url("auth_user_change", recruiter.pk), forged).status_code == 403
    recruiters = Group.objects.get(name="Recruiters")
    assert (
        client.post(
            url("auth_group_change", recruiters.pk), {"name": "Recruiters", "permissions": []}
        ).status_code
        == 403
    )
    assert client.post(url("auth_group_delete", editors.pk), {"post": "yes"}).status_code == 403
    assert snapshot() == before
    recruiter.refresh_from_db()
    assert not recruiter.is_superuser


def test_labels_are_chosen_not_created_by_recruiters(client, world):
    assert client.get(url("listings_skill_changelist")).status_code == 200  # view only
    before = snapshot()
    assert (
        client.post(url("listings_skill_add"), {"name": "Spam", "slug": "spam"}).status_code == 403
    )
    python = Skill.objects.get(name="Python")
    data = {"name": "Renamed", "slug": "renamed"}
    assert client.post(url("listings_skill_change", python.pk), data).status_code == 403
    assert snapshot() == before


def test_there_is_no_admin_page_for_the_change_log(client, world):
    assert client.get("/admin/admin/logentry/").status_code == 404


def test_index_counts_only_their_postings_pending_review(client, world):
    world["ours"].status = Status.PENDING
    world["ours"].save()
    html = client.get(url("index")).content.decode()
    assert re.search(r"<strong>1</strong> posting pending review", html)  # not Globex's
    assert "an editor publishes them" in html
    assert "Users" not in re.sub(r"<title>.*?</title>", "", html)  # no auth app listed


def test_staff_user_in_no_group_sees_nothing(client, world):
    make_user("intern")
    client.force_login(User.objects.get(username="intern"))
    assert client.get(POSTINGS).status_code == 403
    assert client.get(url("listings_posting_change", world["ours"].pk)).status_code in (302, 403)
