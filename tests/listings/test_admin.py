"""The posting admin as an editor uses it: pay ranges, actions, workflow,
apply-click figures and the pay-transparency warning."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from listings import writes
from listings.models import ApplyClick, PayRange, PayRangeState, Posting, Skill, Status
from tests.admin_forms import posting_form
from tests.factories import (
    SEED_RANGES,
    make_company,
    make_editor,
    make_location,
    make_posting,
    make_user,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:listings_posting_changelist")
ADD = reverse("admin:listings_posting_add")


def change_url(posting):
    return reverse("admin:listings_posting_change", args=[posting.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def editor(client):
    user = make_editor()
    client.force_login(user)
    return user


def ranges_of(posting):
    """{states tuple: (min, max)} as stored, "all other states" as ()."""
    return {
        tuple(r.state_list): (r.min_amount, r.max_amount, r.other_states)
        for r in posting.pay_ranges.with_state_codes()
    }


# --- the form -----------------------------------------------------------------


def test_change_form_follows_the_seed_order_with_pay_ranges_after_the_salary_fields(client, editor):
    posting = make_posting(pay=SEED_RANGES)
    html = client.get(change_url(posting)).content.decode()
    order = [
        'name="title"',
        'name="company"',
        'name="locations"',
        'name="work_mode"',
        'name="posted_on"',
        'name="closes_on"',
        'name="responsibilities"',
        'name="internship_type"',
        'name="pay_currency"',
        'name="pay_unit"',
        'name="pay_ranges-0-states"',
        'name="visa_sponsorship"',
        'name="language"',
        'name="hours_per_week"',
        'name="about_role"',
        'name="skills"',
        'name="categories"',
        'name="terms"',
        'name="apply_url"',
        'name="status"',
        "field-source",
        "field-listed_by",
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    # The states are one compact list per range, not typed text nor 51
    # checkboxes: the pay-transparency states first; the seed's are chosen.
    assert 'type="checkbox" name="pay_ranges-0-states"' not in html
    assert re.search(r'<select name="pay_ranges-0-states"[^>]*multiple', html)
    assert html.index('<optgroup label="Pay-transparency states">') < html.index(
        '<optgroup label="Other states">'
    )
    assert re.search(r'value="CA"[^>]*selected', html)
    # Autocomplete for company and labels, and a link to the public page.
    for field in ("company", "skills", "categories", "terms", "locations"):
        assert re.search(rf'<select[^>]*name="{field}"[^>]*admin-autocomplete', html), field
    assert "View on site" in html


def test_editor_creates_a_posting_with_pay_ranges_by_state(client, editor):
    company = make_company(name="Instacart")
    location = make_location("San Francisco, CA")
    data = posting_form(
        company=str(company.pk),
        locations=[str(location.pk)],
        ranges=[
            {"states": ["CA", "NY"], "min": 52, "max": 52},
            {"states": ["WA"], "min": 50, "max": 50},
            {"states": [], "min": 44, "max": 44},
        ],
    )
    response = client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    posting = Posting.objects.get(title="Data Science Intern")
    assert ranges_of(posting) == {
        ("CA", "NY"): (Decimal(52), Decimal(52), False),
        ("WA",): (Decimal(50), Decimal(50), False),
        (): (Decimal(44), Decimal(44), True),
    }
    # The write path ran: the overall range and hourly equivalents are stored.
    assert (posting.pay_min, posting.pay_max) == (Decimal(44), Decimal(52))
    assert posting.pay_max_hourly == Decimal(52)
    assert posting.pay_display_in("NY") == "$52"
    assert posting.pay_display_in("TX") == "$44"
    entry = LogEntry.objects.get(object_id=str(posting.pk))
    assert entry.action_flag == ADDITION and entry.user == editor


def test_moving_states_and_the_other_states_range_between_ranges_in_one_save(client, editor):
    posting = make_posting(pay=[(50, 50, ["CA"]), (40, 40, [])])
    ca, other = posting.pay_ranges.with_state_codes().order_by("other_states")
    # CA's range becomes "all other states" and the old other range takes CA:
    # both database constraints would trip if saved naively in form order.
    data = posting_form(
        posting,
        ranges=[
            {"id": ca.pk, "states": [], "min": 50, "max": 50},
            {"id": other.pk, "states": ["CA", "NV"], "min": 40, "max": 40},
        ],
    )
    response = client.post(change_url(posting), data)
    assert response.status_code == 302
    assert ranges_of(posting) == {
        (): (Decimal(50), Decimal(50), True),
        ("CA", "NV"): (Decimal(40), Decimal(40), False),
    }
    posting.refresh_from_db()
    assert posting.pay_display_in("CA") == "$40"
    assert posting.pay_display_in("TX") == "$50"
    entry = LogEntry.objects.get(object_id=str(posting.pk), action_flag=CHANGE)
    assert "pay range" in entry.get_change_message()


def test_ranges_saved_meanwhile_by_someone_else_are_kept_and_still_validated(client, editor):
    posting = make_posting(pay=[(50, 50, ["CA"])])
    form = posting_form(posting)  # the page as loaded: one range
    writes.set_pay(posting, [(50, 50, ["CA"]), (30, 30, ["TX"]), (20, 20, [])])  # another editor
    ca = posting.pay_ranges.get(states__state="CA")
    form.update({"pay_ranges-0-id": str(ca.pk), "pay_ranges-0-states": ["TX"]})
    response = client.post(change_url(posting), form)
    assert "listed more than once: TX" in response.content.decode()
    form.update({"pay_ranges-0-states": []})
    response = client.post(change_url(posting), form)
    assert "Only one range can apply to all other states" in response.content.decode()
    form.update({"pay_ranges-0-states": ["CA", "NV"]})
    assert client.post(change_url(posting), form).status_code == 302
    assert ranges_of(posting) == {
        ("CA", "NV"): (Decimal(50), Decimal(50), False),
        ("TX",): (Decimal(30), Decimal(30), False),
        (): (Decimal(20), Decimal(20), True),
    }


def test_deleting_every_range_clears_the_stored_pay(client, editor):
    posting = make_posting(pay=[(50, 60, ["CA"])])
    (only,) = posting.pay_ranges.all()
    data = posting_form(
        posting, ranges=[{"id": only.pk, "states": ["CA"], "min": 50, "max": 60, "delete": True}]
    )
    assert client.post(change_url(posting), data).status_code == 302
    posting.refresh_from_db()
    assert posting.pay_min is None and not PayRangeState.objects.filter(posting=posting).exists()


def test_changing_the_unit_recomputes_hourly_pay_without_touching_ranges(client, editor):
    posting = make_posting(pay=[(4160, 4160, [])])
    response = client.post(change_url(posting), posting_form(posting, pay_unit="month"))
    assert response.status_code == 302
    posting.refresh_from_db()
    assert posting.pay_max_hourly == Decimal("24.00")  # 4160 × 12 ÷ 2080


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        (
            [
                {"states": ["CA", "NY"], "min": 50, "max": 50},
                {"states": ["NY"], "min": 40, "max": 40},
            ],
            "A state can be in one range only; listed more than once: NY.",
        ),
        (
            [{"states": [], "min": 50, "max": 50}, {"states": [], "min": 40, "max": 40}],
            "Only one range can apply to all other states",
        ),
        ([{"states": ["CA"], "min": 0, "max": 50}], "The minimum must be more than zero."),
        ([{"states": ["CA"], "min": -5, "max": 50}], "The minimum must be more than zero."),
        ([{"states": ["CA"], "min": 60, "max": 50}], "The maximum cannot be below the minimum."),
        ([{"states": ["ZZ"], "min": 40, "max": 50}], "Select a valid choice. ZZ is not one"),
        ([{"states": ["CA"], "min": "lots", "max": 50}], "Enter a number."),
    ],
)
def test_invalid_pay_ranges_are_friendly_form_errors_and_change_nothing(
    client, editor, ranges, message
):
    posting = make_posting(pay=[(30, 30, [])], title="Before")
    before = ranges_of(posting)
    data = posting_form(posting, title="After", ranges=ranges)
    response = client.post(change_url(posting), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Please correct the error" in response.content.decode()
    posting.refresh_from_db()
    assert posting.title == "Before" and ranges_of(posting) == before


def test_new_posting_with_conflicting_ranges_is_not_created(client, editor):
    company = make_company()
    data = posting_form(
        company=str(company.pk),
        ranges=[{"states": ["CA"], "min": 50, "max": 50}, {"states": ["CA"], "min": 40, "max": 40}],
    )
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert not Posting.objects.exists() and not PayRange.objects.exists()


def test_unsafe_apply_url_is_refused_by_the_form(client, editor):
    posting = make_posting()
    data = posting_form(posting, apply_url="javascript:alert(1)")
    response = client.post(change_url(posting), data)
    assert response.status_code == 200
    posting.refresh_from_db()
    assert posting.apply_url.startswith("https://jobs.example.com/")


# --- list, filters, search ----------------------------------------------------


def test_changelist_filters_search_and_date_hierarchy(client, editor):
    acme = make_company(name="Acme")
    make_posting(
        title="Robotics Intern", company=acme, status=Status.PENDING, terms=["Summer 2030"]
    )
    make_posting(title="Finance Intern", status=Status.PUBLISHED)
    html = client.get(CHANGELIST).content.decode()
    for title in (
        "By status",
        "By work mode",
        "By internship type",
        "By visa sponsorship",
        "By terms",
        "By company",
    ):
        assert title in html
    assert '<nav class="toplinks">' in html and "posted_on__year=" in html  # date hierarchy
    pending = client.get(CHANGELIST, {"status__exact": "pending"}).content.decode()
    assert "Robotics Intern" in pending and "Finance Intern" not in pending
    found = client.get(CHANGELIST, {"q": "acme"}).content.decode()
    assert "Robotics Intern" in found and "Finance Intern" not in found


def test_changelist_shows_apply_clicks_today_7_30_days_and_total(client, editor):
    today = timezone.localdate()
    posting = make_posting(title="Clicked Intern")
    make_posting(title="Quiet Intern")
    for days_ago, count in [(0, 3), (3, 4), (10, 5), (40, 6)]:
        ApplyClick.objects.create(
            posting=posting, day=today - datetime.timedelta(days=days_ago), count=count
        )
    response = client.get(CHANGELIST, {"o": "-9"})  # most clicks first
    rows = response.context["cl"].result_list
    assert [(p.title, p.clicks_today, p.clicks_7d, p.clicks_30d, p.clicks_total) for p in rows] == [
        ("Clicked Intern", 3, 7, 12, 18),
        ("Quiet Intern", 0, 0, 0, 0),
    ]
    html = response.content.decode()
    assert re.search(r'<td class="field-clicks_total">18</td>', html)


def test_changelist_query_count_does_not_grow_with_postings(client, editor):
    """Guards against one query per row for company names or click figures."""
    make_posting(terms=["Summer 2030"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(CHANGELIST).status_code == 200
    for n in range(15):
        posting = make_posting(terms=["Summer 2030"])
        ApplyClick.objects.create(posting=posting, day=timezone.localdate(), count=n + 1)
    with CaptureQueriesContext(connection) as many:
        assert client.get(CHANGELIST).status_code == 200
    assert len(many) == len(few)


# --- apply clicks on the change form ----------------------------------------------


def test_change_form_chart_for_a_posting_with_clicks(client, editor):
    today = timezone.localdate()
    posting = make_posting()
    ApplyClick.objects.create(posting=posting, day=today, count=2)
    ApplyClick.objects.create(posting=posting, day=today - datetime.timedelta(days=5), count=8)
    ApplyClick.objects.create(posting=posting, day=today - datetime.timedelta(days=45), count=100)
    html = client.get(change_url(posting)).content.decode()
    figures = re.search(r'<dl class="apply-click-figures">.*?</dl>', html, re.S).group(0)
    assert re.findall(r"<dd>(\d+)</dd>", figures) == ["2", "10", "10", "110"]
    svg = re.search(r'<figure class="apply-click-chart">.*?</figure>', html, re.S).group(0)
    assert 'role="img"' in svg
    bars = re.findall(r'<rect class="bar"[^>]*height="([\d.]+)"', svg)
    assert sorted(float(h) for h in bars) == [20.0, 80.0]  # 2 and 8 clicks, 8 fills the plot
    assert "<script" not in svg
    assert f"{today:%b} {today.day}: 2 clicks" in svg


def test_change_form_chart_for_a_posting_without_clicks(client, editor):
    posting = make_posting()
    html = client.get(change_url(posting)).content.decode()
    svg = re.search(r'<figure class="apply-click-chart">.*?</figure>', html, re.S).group(0)
    assert "No apply clicks in the last 30 days" in svg
    assert '<rect class="bar"' not in svg
    figures = re.search(r'<dl class="apply-click-figures">.*?</dl>', html, re.S).group(0)
    assert re.findall(r"<dd>(\d+)</dd>", figures) == ["0", "0", "0", "0"]


def test_add_form_renders_without_a_chart(client, editor):
    html = client.get(ADD).content.decode()
    assert "apply-click-chart" not in html and "Counted from the first Apply Now click" in html


# --- actions --------------------------------------------------------------------


def action(client, name, postings):
    return client.post(
        CHANGELIST,
        {"action": name, "_selected_action": [str(p.pk) for p in postings], "index": "0"},
        follow=True,
    )


def test_publish_and_close_actions_stamp_dates_and_log_each_change(client, editor):
    pending = make_posting(status=Status.PENDING)
    draft = make_posting(status=Status.DRAFT)
    response = action(client, "publish", [pending, draft])
    assert "Published 2 posting(s)." in messages_of(response)
    for posting in (pending, draft):
        posting.refresh_from_db()
        assert posting.status == Status.PUBLISHED and posting.published_at is not None
    assert LogEntry.objects.filter(action_flag=CHANGE, user=editor).count() == 2

    response = action(client, "close", [pending])
    pending.refresh_from_db()
    assert pending.status == Status.CLOSED and pending.closed_at is not None
    assert "Closed 1 posting(s)." in messages_of(response)


def test_publishing_a_posting_past_its_deadline_warns(client, editor):
    today = timezone.localdate()
    old = make_posting(
        status=Status.CLOSED,
        posted_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=2),
    )
    response = action(client, "publish", [old])
    assert any("past their deadline" in m for m in messages_of(response))


def test_extend_deadline_action(client, editor):
    today = timezone.localdate()
    future = make_posting(closes_on=today + datetime.timedelta(days=5))
    past = make_posting(
        posted_on=today - datetime.timedelta(days=90), closes_on=today - datetime.timedelta(days=3)
    )
    none = make_posting(closes_on=None)
    response = action(client, "extend_deadline", [future, past, none])
    for posting in (future, past, none):
        posting.refresh_from_db()
    assert future.closes_on == today + datetime.timedelta(days=35)
    assert past.closes_on == today + datetime.timedelta(days=30)
    assert none.closes_on is None
    assert "1 posting(s) have no deadline to extend." in messages_of(response)


def test_duplicate_makes_a_draft_copy_with_labels_locations_and_pay(client, editor):
    original = make_posting(
        status=Status.PUBLISHED,
        source="simplify",
        external_id="abc-1",
        locations=["New York, NY", "United States"],
        skills=["Python"],
        categories=["Software"],
        terms=["Summer 2030"],
        pay=SEED_RANGES,
        about_role="<p>Hello</p>",
    )
    ApplyClick.objects.create(posting=original, day=timezone.localdate(), count=9)
    response = action(client, "duplicate", [original])
    copy = Posting.objects.exclude(pk=original.pk).get()
    assert response.redirect_chain[-1][0] == change_url(copy)
    assert copy.status == Status.DRAFT and copy.published_at is None
    assert (copy.source, copy.external_id) == ("", "")
    assert copy.title == original.title and copy.about_role == original.about_role
    assert copy.posted_on == timezone.localdate()
    for field in ("locations", "skills", "categories", "terms"):
        assert set(getattr(copy, field).all()) == set(getattr(original, field).all())
    assert ranges_of(copy) == ranges_of(original)
    assert (copy.pay_min, copy.pay_max) == (original.pay_min, original.pay_max)
    assert not copy.apply_clicks.exists()
    assert LogEntry.objects.get(object_id=str(copy.pk)).action_flag == ADDITION
    # The original is untouched.
    original.refresh_from_db()
    assert original.status == Status.PUBLISHED and original.external_id == "abc-1"


def test_submit_for_review_moves_only_drafts(client, editor):
    draft = make_posting(status=Status.DRAFT)
    published = make_posting(status=Status.PUBLISHED)
    action(client, "submit_for_review", [draft, published])
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == Status.PENDING and draft.submitted_at is not None
    assert published.status == Status.PUBLISHED


def test_history_lists_changes(client, editor):
    posting = make_posting(status=Status.PENDING)
    action(client, "publish", [posting])
    response = client.get(reverse("admin:listings_posting_history", args=[posting.pk]))
    assert response.status_code == 200
    assert "Changed Status." in response.content.decode()


def test_editor_deletes_a_posting_with_clicks_and_ranges(client, editor):
    posting = make_posting(pay=SEED_RANGES)
    ApplyClick.objects.create(posting=posting, day=timezone.localdate(), count=1)
    url = reverse("admin:listings_posting_delete", args=[posting.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Posting.objects.filter(pk=posting.pk).exists()


# --- review queue on the index ------------------------------------------------------


def test_admin_index_counts_postings_pending_review(client, editor):
    make_posting(status=Status.PENDING)
    make_posting(status=Status.PENDING)
    make_posting(status=Status.DRAFT)
    html = client.get(reverse("admin:index")).content.decode()
    assert re.search(r"<strong>2</strong> postings pending review", html)
    assert f'href="{CHANGELIST}?status__exact=pending"' in html


def test_admin_index_without_pending_postings(client, editor):
    html = client.get(reverse("admin:index")).content.decode()
    assert "No postings pending review." in html


# --- pay-transparency warning ---------------------------------------------------------


def save_posting(client, posting, **fields):
    return client.post(change_url(posting), posting_form(posting, **fields), follow=True)


def test_warns_about_a_missing_range_in_a_transparency_state(client, editor):
    posting = make_posting(locations=["Denver, CO", "Austin, TX"], work_mode="onsite")
    response = save_posting(client, posting)
    warnings = [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "is located in Colorado (CO), where pay-transparency laws" in str(warnings[0])
    assert "Texas" not in str(warnings[0])
    # A warning, not an error: the change was saved.
    assert response.redirect_chain[-1][0] == CHANGELIST


def test_warns_about_a_remote_posting_open_to_the_whole_us(client, editor):
    posting = make_posting(locations=["United States"], work_mode="remote")
    messages = messages_of(save_posting(client, posting))
    assert any(
        "is remote in the United States, including CA, CO, DC, HI, IL, MA, MD, MN, NJ, NY, VT, WA"
        in m
        for m in messages
    )


def test_warns_about_a_remote_posting_open_to_a_state(client, editor):
    posting = make_posting(locations=["Seattle, WA"], work_mode="remote")
    assert any(
        "is open to remote work in Washington (WA)" in m
        for m in messages_of(save_posting(client, posting))
    )


@pytest.mark.parametrize(
    ("locations", "work_mode", "pay"),
    [
        (["Denver, CO"], "onsite", [(30, 40, [])]),  # has a range
        (["Austin, TX"], "onsite", None),  # not a transparency state
        (["United States"], "onsite", None),  # no state to name
        (["Toronto, ON, Canada"], "remote", None),
    ],
)
def test_no_warning(client, editor, locations, work_mode, pay):
    posting = make_posting(locations=locations, work_mode=work_mode, pay=pay)
    assert not any("pay-transparency" in m for m in messages_of(save_posting(client, posting)))


# --- company admin -------------------------------------------------------------------------


def test_company_admin_counts_postings_and_apply_clicks(client, editor):
    acme = make_company(name="Acme")
    today = timezone.localdate()
    for n, status in enumerate([Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT]):
        posting = make_posting(company=acme, status=status, title=f"Acme role {n}")
        ApplyClick.objects.create(posting=posting, day=today, count=n + 1)
        ApplyClick.objects.create(
            posting=posting, day=today - datetime.timedelta(days=50), count=10
        )
    make_company(name="Quiet Co")
    response = client.get(reverse("admin:companies_company_changelist"))
    rows = {
        c.name: (c.posting_count, c.open_count, c.clicks_total)
        for c in response.context["cl"].result_list
    }
    assert rows == {"Acme": (3, 2, 36), "Quiet Co": (0, 0, 0)}
    html = client.get(reverse("admin:companies_company_change", args=[acme.pk])).content.decode()
    assert "Acme role 2" in html and "All 3 posting(s) of Acme" in html
    assert "36 apply click(s) in total" in html


def test_editor_attaches_a_recruiter_to_a_company(client, editor):
    acme = make_company(name="Acme")
    recruiter = make_user("jane")
    not_staff = make_user("visitor", staff=False)
    url = reverse("admin:companies_company_change", args=[acme.pk])
    form = client.get(url).context["adminform"].form
    assert set(form.fields["recruiters"].queryset) == {editor, recruiter}
    assert not_staff not in form.fields["recruiters"].queryset
    data = {"name": "Acme", "slug": acme.slug, "website": acme.website, "size": "10", "about": "x",
            "recruiters": [str(recruiter.pk)]}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert list(acme.recruiters.all()) == [recruiter]


# --- search document ------------------------------------------------------------------


def search(text):
    return set(Posting.objects.search(text).values_list("title", flat=True))


def test_saving_through_the_admin_keeps_search_current(client, editor):
    posting = make_posting(title="Plain Intern")
    python = Skill.objects.create(name="Python")
    data = posting_form(posting, title="Zebrafish Genomics Intern", skills=[str(python.pk)])
    assert client.post(change_url(posting), data).status_code == 302
    assert search("zebrafish") == {"Zebrafish Genomics Intern"}
    assert search("python") == {"Zebrafish Genomics Intern"}

    company_url = reverse("admin:companies_company_change", args=[posting.company_id])
    company = posting.company
    renamed = {"name": "Quokkasoft", "slug": company.slug, "website": company.website,
               "size": "10", "about": ""}  # fmt: skip
    assert client.post(company_url, renamed).status_code == 302
    assert search("quokkasoft") == {"Zebrafish Genomics Intern"}

    skill_url = reverse("admin:listings_skill_change", args=[python.pk])
    assert client.post(skill_url, {"name": "Haskell", "slug": "haskell"}).status_code == 302
    assert search("haskell") == {"Zebrafish Genomics Intern"}


def test_changelist_company_filter_is_a_search_box(client, editor):
    make_posting(title="At Acme", company=make_company(name="Acme Rockets"))
    make_posting(title="At Globex", company=make_company(name="Globex"))
    response = client.get("/admin/listings/posting/?company_name=acme&status__exact=published")
    html = response.content.decode()
    assert response.status_code == 200
    assert [p.title for p in response.context["cl"].result_list] == ["At Acme"]
    # The other filters travel with the search.
    assert '<input type="hidden" name="status__exact" value="published">' in html
    assert 'name="company_name" value="acme"' in html
    # No list of every company.
    assert "?company__id__exact=" not in html


def test_changelist_says_closed_when_the_deadline_passed(client, editor):
    make_posting(title="Expired", closes_on=timezone.localdate() - datetime.timedelta(days=1))
    make_posting(title="Open")
    html = client.get("/admin/listings/posting/").content.decode()
    assert html.count("Closed (deadline passed)") == 1
    assert "Published" in html
