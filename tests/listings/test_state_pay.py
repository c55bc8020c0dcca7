"""StatePay, the list's "where can I do it from, and for what" table, follows
every write path: it always equals what the postings themselves say."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from listings import pay
from listings.models import Location, Posting, StatePay, WorkMode
from tests.admin_forms import posting_form
from tests.factories import SEED_RANGES, make_editor, make_location, make_posting
from tests.listings.importing import run_import, seed_record, write_file

pytestmark = pytest.mark.django_db


def expected_rows():
    """{(posting, state): (min, max, max_hourly)} worked out in Python from
    each posting's work mode, locations and ranges (PRODUCT.md section 3)."""
    rows = {}
    for posting in Posting.objects.prefetch_related("locations", "pay_ranges__states"):
        us = [loc for loc in posting.locations.all() if loc.country == "US"]
        if posting.work_mode == WorkMode.REMOTE:
            states = set(pay.US_STATES) if us else set()
        else:
            states = {loc.region for loc in us if loc.region in pay.US_STATES}
        ranges = [
            pay.Range(r.min_amount, r.max_amount, frozenset(s.state for s in r.states.all()))
            for r in posting.pay_ranges.all()
        ]
        for state in states:
            found = pay.effective_range(ranges, state)
            if found is None:
                rows[(posting.pk, state)] = (None, None, None)
            else:
                hourly = pay.hourly(found.max, posting.pay_unit, posting.hours_per_week)
                rows[(posting.pk, state)] = (found.min, found.max, hourly)
    return rows


def stored_rows():
    return {
        (row.posting_id, row.state): (row.min_amount, row.max_amount, row.max_hourly)
        for row in StatePay.objects.all()
    }


def assert_consistent():
    expected, stored = expected_rows(), stored_rows()
    assert stored == expected
    return stored


def test_factory_postings_onsite_remote_abroad_and_without_pay():
    seed = make_posting(locations=["San Francisco, CA", "Seattle, WA"], pay=SEED_RANGES)
    remote = make_posting(work_mode="remote", locations=["United States"], pay=[(30, 30, [])])
    abroad = make_posting(locations=["Toronto, ON"], pay=[(25, 25, [])])
    unpaid = make_posting(work_mode="hybrid", locations=["Austin, TX"])
    stored = assert_consistent()
    assert {s for p, s in stored if p == seed.pk} == {"CA", "WA"}
    assert stored[(seed.pk, "CA")][:2] == (52, 52)
    assert stored[(seed.pk, "WA")][:2] == (50, 50)
    assert len([1 for p, _ in stored if p == remote.pk]) == len(pay.US_STATES)
    assert not [1 for p, _ in stored if p == abroad.pk]
    assert stored[(unpaid.pk, "TX")] == (None, None, None)


def test_load_demo_then_the_importer_moves_the_seed_onsite_with_new_pay(tmp_path):
    call_command("load_demo", "--postings", "40", stdout=io.StringIO())
    stored = assert_consistent()
    assert {state for _, state in stored} >= {"CA", "NY", "TX"}
    seed = Posting.objects.get(title__startswith="Machine Learning Engineer, PhD")
    # Remote in the United States: every state, CA at its own range.
    assert len([1 for p, _ in stored if p == seed.pk]) == len(pay.US_STATES)
    assert stored[(seed.pk, "CA")][:2] == (52, 52)

    moved = dict(
        seed_record(),
        work_mode="onsite",
        locations=["Boston, MA"],
        pay={"currency": "USD", "unit": "hour", "ranges": [{"min": 40, "max": 45}]},
    )
    run_import(write_file(tmp_path, "moved.json", [moved]))
    stored = assert_consistent()
    assert [(s, v[:2]) for p, s in stored if p == seed.pk for v in [stored[(p, s)]]] == [
        ("MA", (40, 45))
    ]


def test_admin_change_of_mode_locations_and_pay(client):
    client.force_login(make_editor())
    posting = make_posting(locations=["Austin, TX"], pay=[(20, 25, [])])
    data = posting_form(
        posting,
        work_mode="hybrid",
        locations=[str(make_location("Denver, CO").pk), str(make_location("Austin, TX").pk)],
        ranges=[{"states": ["CO"], "min": 30, "max": 35}, {"states": [], "min": 20, "max": 25}],
    )
    data["pay_ranges-INITIAL_FORMS"] = "0"  # the old range is replaced by two new ones
    posting.pay_ranges.all().delete()
    response = client.post(reverse("admin:listings_posting_change", args=[posting.pk]), data)
    assert response.status_code == 302
    stored = assert_consistent()
    assert stored[(posting.pk, "CO")][:2] == (30, 35)
    assert stored[(posting.pk, "TX")][:2] == (20, 25)

    response = client.post(
        reverse("admin:listings_posting_changelist"),
        {"action": "duplicate", "_selected_action": [posting.pk]},
    )
    assert response.status_code == 302
    assert Posting.objects.count() == 2
    assert_consistent()


def test_set_pay_and_a_unit_change_follow():
    posting = make_posting(locations=["New York, NY"], pay=[(4000, 5000, [])], unit="month")
    before = assert_consistent()[(posting.pk, "NY")]
    posting.set_pay([(6000, 7000, ["NY"])], unit="month")
    after = assert_consistent()[(posting.pk, "NY")]
    assert after[2] > before[2]


def test_deleting_a_posting_removes_its_rows():
    posting = make_posting(locations=["Austin, TX"])
    assert StatePay.objects.filter(posting=posting).exists()
    posting.delete()
    assert not StatePay.objects.exists()


def test_a_location_without_a_state_code_is_no_state():
    location = Location.objects.create(name="Somewhere, US", country="US", region="")
    posting = make_posting(locations=[])
    posting.locations.set([location])
    Posting.objects.filter(pk=posting.pk).refresh_state_pay()
    assert not StatePay.objects.filter(posting=posting).exists()
    assert_consistent()


def test_the_list_by_state_and_pay_reads_it(client):
    """End to end: state pay on cards, min_pay and sort=pay within the state."""
    today = datetime.date.today()
    ca_high = make_posting(locations=["San Francisco, CA"], pay=[(60, 60, ["CA"]), (30, 30, [])])
    remote = make_posting(work_mode="remote", locations=["United States"], pay=[(45, 45, [])])
    make_posting(locations=["Austin, TX"], pay=[(99, 99, [])], posted_on=today)
    response = client.get("/internships/?state=CA&sort=pay&min_pay=40")
    shown = [p.pk for p in response.context["page"].object_list]
    assert shown == [ca_high.pk, remote.pk]
    assert b"$60" in response.content


def test_editing_or_deleting_a_location_moves_its_postings():
    """An editor fixing a mis-parsed place in the admin's Location pages."""
    posting = make_posting(locations=["Toronto, ON"], pay=[(30, 30, [])])
    assert not StatePay.objects.filter(posting=posting).exists()
    location = posting.locations.get()
    location.country, location.region = "US", "CA"
    location.save()
    assert_consistent()
    assert set(StatePay.objects.filter(posting=posting).values_list("state", flat=True)) == {"CA"}
    location.delete()
    assert_consistent()
    assert not StatePay.objects.filter(posting=posting).exists()
