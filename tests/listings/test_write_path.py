"""Every way a posting is written leaves its derived data exactly as a fresh
recomputation gives it: the pay columns, each range's hourly equivalents, the
per-state table StatePay (the list's "where can I do it from, and for what"),
the search document (PostgreSQL) and a new cache generation.

The expected values are worked out here, in Python or (the search document)
in plain SQL from the rows' texts, independently of listings/writes.py."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config import generation as cache
from listings import pay, writes
from listings.models import (
    Category,
    Location,
    PayRange,
    Posting,
    Skill,
    StatePay,
    Status,
    Term,
    WorkMode,
)
from tests.admin_forms import posting_form
from tests.factories import (
    SEED_RANGES,
    make_company,
    make_editor,
    make_label,
    make_location,
    make_posting,
)
from tests.listings.importing import run_import, seed_job, write_file

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:listings_posting_changelist")


# --- a fresh recomputation ------------------------------------------------------


def expected_state_pay():
    """{(posting, state): (min, max, max_hourly)} from each posting's work mode,
    locations and ranges (PRODUCT.md section 3)."""
    rows = {}
    for posting in Posting.objects.prefetch_related("locations", "pay_ranges__states"):
        us = [loc for loc in posting.locations.all() if loc.country == "US"]
        if posting.work_mode == WorkMode.REMOTE:
            states = set(pay.US_STATES) if us else set()
        elif any(not loc.region and not loc.city for loc in us):
            states = set(pay.US_STATES)  # "United States": city not stated
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


def stored_state_pay():
    return {
        (row.posting_id, row.state): (row.min_amount, row.max_amount, row.max_hourly)
        for row in StatePay.objects.all()
    }


def expected_pay():
    """{posting: (pay columns, {range: (min_hourly, max_hourly)})}."""
    found = {}
    for posting in Posting.objects.prefetch_related("pay_ranges"):
        ranges = list(posting.pay_ranges.all())
        hourly = {
            r.pk: (
                pay.hourly(r.min_amount, posting.pay_unit, posting.hours_per_week),
                pay.hourly(r.max_amount, posting.pay_unit, posting.hours_per_week),
            )
            for r in ranges
        }
        columns = (
            (
                min(r.min_amount for r in ranges),
                max(r.max_amount for r in ranges),
                min(low for low, _ in hourly.values()),
                max(high for _, high in hourly.values()),
            )
            if ranges
            else (None, None, None, None)
        )
        found[posting.pk] = (columns, hourly)
    return found


def stored_pay():
    found = {}
    for posting in Posting.objects.prefetch_related("pay_ranges"):
        columns = (posting.pay_min, posting.pay_max, posting.pay_min_hourly, posting.pay_max_hourly)
        hourly = {r.pk: (r.min_hourly, r.max_hourly) for r in posting.pay_ranges.all()}
        found[posting.pk] = (columns, hourly)
    return found


def lexemes(vector_sql, params):
    """{(lexeme, weights)} of a tsvector: positions depend on the order the
    labels were joined in, which nothing promises."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT lexeme, weights FROM unnest(({vector_sql}))", params)
        return {(lexeme, "".join(sorted(set(weights)))) for lexeme, weights in cursor.fetchall()}


def expected_search():
    found = {}
    document = (
        "setweight(to_tsvector('english'::regconfig, %s), 'A') || "
        "setweight(to_tsvector('english'::regconfig, %s), 'B') || "
        "setweight(to_tsvector('english'::regconfig, %s), 'C')"
    )
    for posting in Posting.objects.select_related("company").prefetch_related(
        "skills", "categories"
    ):
        labels = [s.name for s in posting.skills.all()] + [c.name for c in posting.categories.all()]
        texts = [
            posting.title,
            " ".join([posting.company.name, *labels]),
            f"{posting.about_role} {posting.responsibilities}",
        ]
        found[posting.pk] = lexemes(document, texts)
    return found


def stored_search():
    table = Posting._meta.db_table
    return {
        pk: lexemes(f"SELECT search_vector FROM {table} WHERE id = %s", [pk])
        for pk in Posting.objects.values_list("pk", flat=True)
    }


def assert_fresh():
    """The derived data of every posting equals a fresh recomputation."""
    assert stored_pay() == expected_pay()
    state_pay = stored_state_pay()
    assert state_pay == expected_state_pay()
    if connection.vendor == "postgresql":
        assert stored_search() == expected_search()
    return state_pay


class Generation:
    """Whether the cache generation changed (every write must bump it)."""

    def __enter__(self):
        self.before = cache.generation()
        return self

    def __exit__(self, *exc):
        assert cache.generation() != self.before, "the write left the cache generation as it was"


# --- the write functions -----------------------------------------------------------


def test_create_update_places_labels_pay_status_directly():
    company = make_company(name="Acme Robotics")
    austin, denver = make_location("Austin, TX"), make_location("Denver, CO")
    python, go = make_label(Skill, "Python"), make_label(Skill, "Go")
    with Generation():
        posting = writes.create_posting(
            title="Data Intern",
            company=company,
            apply_url="https://jobs.example.com/1",
            locations=[austin],
            skills=[python],
            pay=[(20, 25, [])],
        )
    stored = assert_fresh()
    assert posting.pay_min == 20 and stored[(posting.pk, "TX")][:2] == (20, 25)
    with Generation():
        writes.update_posting(posting, work_mode=WorkMode.REMOTE, title="Robotics Intern")
    assert len(assert_fresh()) == len(pay.US_STATES)
    with Generation():
        writes.update_posting(posting, work_mode=WorkMode.HYBRID, hours_per_week=20)
    with Generation():
        writes.set_places(posting, [austin, denver])
    assert {s for _, s in assert_fresh()} == {"TX", "CO"}
    with Generation():
        writes.set_labels(posting, skills=[go], categories=[make_label(Category, "Data")])
    assert_fresh()
    with Generation():
        writes.set_pay(posting, [(900, 1000, ["co"]), (700, 800, [])], unit="week")
    stored = assert_fresh()
    assert stored[(posting.pk, "CO")] == (900, 1000, 50)  # 1000 a week of 20 hours
    assert posting.pay_max == 1000 and posting.pay_unit == "week"
    with Generation():
        writes.update_posting(posting, hours_per_week=40)
    assert assert_fresh()[(posting.pk, "CO")][2] == 25
    with Generation():
        writes.set_pay(posting, [])
    assert assert_fresh()[(posting.pk, "TX")] == (None, None, None)
    assert Posting.objects.get(pk=posting.pk).pay_min is None

    with Generation():
        writes.set_status(posting, Status.PUBLISHED)
    with Generation():
        assert writes.close(Posting.objects.filter(pk=posting.pk)) == 1
    closed = Posting.objects.get(pk=posting.pk)
    assert closed.status == Status.CLOSED and closed.closed_at is not None
    assert writes.close(Posting.objects.filter(pk=posting.pk)) == 0  # already closed
    with Generation():
        assert writes.reopen(Posting.objects.filter(pk=posting.pk)) == 1
    assert Posting.objects.get(pk=posting.pk).status == Status.PUBLISHED
    with Generation():
        copy = writes.duplicate(posting)
    assert copy.pk != posting.pk and copy.status == Status.DRAFT
    assert_fresh()


def test_bulk_create_and_update_refresh_per_batch_in_constant_queries(
    django_assert_max_num_queries,
):
    company = make_company()
    places = [make_location("Austin, TX"), make_location("Boston, MA")]
    term = make_label(Term, "Summer 2026")

    def batch(n):
        return [
            writes.Write(
                posting=Posting(
                    title=f"Intern {i}",
                    company=company,
                    apply_url=f"https://jobs.example.com/{i}",
                    work_mode=WorkMode.REMOTE if i % 3 == 0 else WorkMode.ONSITE,
                    status=Status.PUBLISHED,
                ),
                relations={"locations": places[: 1 + i % 2], "terms": [term]},
                pay=[(30 + i % 7, 40 + i % 7, ["MA"]), (20, 25, [])] if i % 4 else [],
            )
            for i in range(n)
        ]

    with django_assert_max_num_queries(12) as small:
        writes.create_postings(batch(5))
    # SQLite's limit on parameters splits Django's bulk_create into a few
    # INSERTs; nothing else grows with the postings of a batch.
    with django_assert_max_num_queries(30) as large:
        created = writes.create_postings(batch(300))
    if connection.vendor == "postgresql":
        assert len(large) == len(small), "the queries of a batch do not grow with its postings"
    assert_fresh()

    changes = []
    for posting in created:
        posting.work_mode = WorkMode.HYBRID
        posting.hours_per_week = 20
        changes.append(
            writes.Write(
                posting=posting,
                fields=frozenset({"work_mode", "hours_per_week"}),
                relations={"locations": places[1:]},
            )
        )
    # Two field groups at most, bulk_update in batches of 250, a few statements each.
    with django_assert_max_num_queries(20):
        assert writes.update_postings(changes) == 300
    stored = assert_fresh()
    ids = {p.pk for p in created}
    assert {s for p, s in stored if p in ids} == {"MA"}


# --- the admin --------------------------------------------------------------------


def test_admin_add_change_inline_pay_and_actions(client):
    client.force_login(make_editor())
    company = make_company()
    austin = make_location("Austin, TX")
    data = posting_form(
        company=str(company.pk),
        locations=[str(austin.pk)],
        skills=[str(make_label(Skill, "Python").pk)],
        ranges=[{"states": ["TX"], "min": 30, "max": 35}, {"states": [], "min": 20, "max": 25}],
    )
    with Generation():
        response = client.post(reverse("admin:listings_posting_add"), data)
    assert response.status_code == 302
    posting = Posting.objects.get()
    assert assert_fresh()[(posting.pk, "TX")][:2] == (30, 35)

    # Change: mode, places, text and the unit (hourly equivalents follow).
    data = posting_form(
        posting,
        work_mode="hybrid",
        pay_unit="week",
        title="Robotics Intern",
        locations=[str(make_location("Denver, CO").pk), str(austin.pk)],
    )
    with Generation():
        response = client.post(reverse("admin:listings_posting_change", args=[posting.pk]), data)
    assert response.status_code == 302
    stored = assert_fresh()
    assert stored[(posting.pk, "CO")][:2] == (20, 25)

    # Only the inline: one range edited, the other deleted, one added.
    posting.refresh_from_db()
    ranges = list(posting.pay_ranges.with_state_codes())
    by_states = {tuple(r.state_list): r for r in ranges}
    data = posting_form(
        posting,
        ranges=[
            {"id": by_states[("TX",)].pk, "states": ["TX"], "min": 800, "max": 900},
            {"id": by_states[()].pk, "states": [], "min": 1, "max": 2, "delete": True},
            {"states": ["CO"], "min": 1000, "max": 1200},
        ],
    )
    with Generation():
        response = client.post(reverse("admin:listings_posting_change", args=[posting.pk]), data)
    assert response.status_code == 302
    stored = assert_fresh()
    assert stored[(posting.pk, "CO")] == (1000, 1200, 30)  # 1200 a week of 40 hours

    today = timezone.localdate()
    Posting.objects.filter(pk=posting.pk).update(closes_on=today - datetime.timedelta(days=1))
    for name in ("submit_for_review", "publish", "extend_deadline", "duplicate", "close"):
        with Generation():
            response = client.post(
                CHANGELIST,
                {"action": name, "_selected_action": [str(posting.pk)], "index": "0"},
            )
        assert response.status_code == 302, name
        assert_fresh()
    assert Posting.objects.count() == 2
    posting.refresh_from_db()
    assert posting.status == Status.CLOSED and posting.closes_on > today


def test_renaming_a_company_skill_or_category_in_the_admin_refreshes_search(client):
    client.force_login(make_editor())
    posting = make_posting(skills=["Pyton"], categories=["Sofware"])
    for label in (Skill.objects.get(), posting.categories.get()):
        url = reverse(f"admin:listings_{type(label).__name__.lower()}_change", args=[label.pk])
        response = client.post(url, {"name": label.name.replace("Py", "Pyth"), "slug": label.slug})
        assert response.status_code == 302
    company = posting.company
    company.name = "Renamed Robotics"
    company.save()
    assert_fresh()
    if connection.vendor == "postgresql":
        assert Posting.objects.search("renamed").exists()


# --- the importer and load_demo -------------------------------------------------------


def test_load_demo_then_import_create_update_and_close_missing(tmp_path):
    with Generation():
        call_command("load_demo", "--postings", "40", stdout=io.StringIO())
    stored = assert_fresh()
    assert {state for _, state in stored} >= {"CA", "NY", "TX"}
    seed = Posting.objects.get(title__startswith="Machine Learning Engineer, PhD")
    # Remote in the United States: every state, CA at its own range.
    assert len([1 for p, _ in stored if p == seed.pk]) == len(pay.US_STATES)
    assert stored[(seed.pk, "CA")][:2] == (52, 52)

    record = seed_job(external_id="feed-1", source="feed")
    other = seed_job(external_id="feed-2", source="feed", title="Robotics Intern", skills=["ROS"])
    with Generation():
        run_import(write_file(tmp_path, "feed.json", [record, other]))
    assert_fresh()

    moved = dict(
        record,
        work_mode="onsite",
        title="Onsite Robotics Intern",
        locations=["Boston, MA"],
        skills=["C++"],
        hours_per_week=20,
        pay={"currency": "USD", "unit": "week", "ranges": [{"min": 800, "max": 900}]},
    )
    with Generation():
        out, _ = run_import(
            write_file(tmp_path, "moved.json", [moved]), "--close-missing", "--source", "feed"
        )
    assert "closed 1" in out
    stored = assert_fresh()
    posting = Posting.objects.get(source="feed", external_id="feed-1")
    assert [(s, v) for (p, s), v in stored.items() if p == posting.pk] == [("MA", (800, 900, 45))]
    assert Posting.objects.get(source="feed", external_id="feed-2").status == Status.CLOSED


# --- places edited in their own admin pages ---------------------------------------------


def test_editing_or_deleting_a_location_moves_its_postings():
    """An editor fixing a mis-parsed place in the admin's Location pages."""
    posting = make_posting(locations=["Toronto, ON"], pay=[(30, 30, [])])
    assert not StatePay.objects.filter(posting=posting).exists()
    location = posting.locations.get()
    location.country, location.region = "US", "CA"
    with Generation():
        location.save()
    assert_fresh()
    assert set(StatePay.objects.filter(posting=posting).values_list("state", flat=True)) == {"CA"}
    with Generation():
        location.delete()
    assert_fresh()
    assert not StatePay.objects.filter(posting=posting).exists()


def test_location_edit_in_the_admin(client):
    client.force_login(make_editor())
    posting = make_posting(locations=["Austin, TX"])
    location = posting.locations.get()
    url = reverse("admin:listings_location_change", args=[location.pk])
    data = {"name": "Dallas, TX", "city": "Dallas", "region": "OK", "country": "US"}
    assert client.post(url, data).status_code == 302
    assert set(assert_fresh()) == {(posting.pk, "OK")}


# --- what StatePay holds (kept from the first StatePay tests) ---------------------------


def test_factory_postings_onsite_remote_abroad_and_without_pay():
    seed = make_posting(locations=["San Francisco, CA", "Seattle, WA"], pay=SEED_RANGES)
    remote = make_posting(work_mode="remote", locations=["United States"], pay=[(30, 30, [])])
    abroad = make_posting(locations=["Toronto, ON"], pay=[(25, 25, [])])
    unpaid = make_posting(work_mode="hybrid", locations=["Austin, TX"])
    stored = assert_fresh()
    assert {s for p, s in stored if p == seed.pk} == {"CA", "WA"}
    assert stored[(seed.pk, "CA")][:2] == (52, 52)
    assert stored[(seed.pk, "WA")][:2] == (50, 50)
    assert len([1 for p, _ in stored if p == remote.pk]) == len(pay.US_STATES)
    assert not [1 for p, _ in stored if p == abroad.pk]
    assert stored[(unpaid.pk, "TX")] == (None, None, None)


def test_set_pay_and_a_unit_change_follow():
    posting = make_posting(locations=["New York, NY"], pay=[(4000, 5000, [])], unit="month")
    before = assert_fresh()[(posting.pk, "NY")]
    writes.set_pay(posting, [(6000, 7000, ["NY"])], unit="month")
    after = assert_fresh()[(posting.pk, "NY")]
    assert after[2] > before[2]


def test_deleting_a_posting_removes_its_rows():
    posting = make_posting(locations=["Austin, TX"])
    assert StatePay.objects.filter(posting=posting).exists()
    posting.delete()
    assert not StatePay.objects.exists() and not PayRange.objects.exists()


def test_a_location_without_a_state_code_is_no_state():
    location = Location.objects.create(
        name="Somewhere, US", city="Somewhere", country="US", region=""
    )
    posting = make_posting(locations=[])
    writes.set_places(posting, [location])
    assert not StatePay.objects.filter(posting=posting).exists()
    assert_fresh()


def test_the_list_by_state_and_pay_reads_it(client):
    """End to end: state pay on cards, min_pay and sort=pay within the state."""
    today = timezone.localdate()
    ca_high = make_posting(locations=["San Francisco, CA"], pay=[(60, 60, ["CA"]), (30, 30, [])])
    remote = make_posting(work_mode="remote", locations=["United States"], pay=[(45, 45, [])])
    make_posting(locations=["Austin, TX"], pay=[(99, 99, [])], posted_on=today)
    response = client.get("/internships/?state=CA&sort=pay&min_pay=40")
    shown = [p.pk for p in response.context["page"].object_list]
    assert shown == [ca_high.pk, remote.pk]
    assert b"$60" in response.content
