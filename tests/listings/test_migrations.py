"""Migrations stand on their own: 0004 fills StatePay with its own frozen SQL,
and what it writes for existing postings equals what the live code computes."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from listings import pay
from tests.factories import SEED_RANGES, make_posting
from tests.listings.test_write_path import expected_state_pay as expected_rows

BEFORE = ("listings", "0003_list_indexes_and_pay_joins")
STATE_PAY = ("listings", "0004_state_pay")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def state_pay_rows(apps):
    StatePay = apps.get_model("listings", "StatePay")
    return {
        (row.posting_id, row.state): (row.min_amount, row.max_amount, row.max_hourly)
        for row in StatePay.objects.all()
    }


@pytest.mark.django_db(transaction=True)
def test_migrating_0003_to_0004_fills_state_pay_for_existing_postings():
    postings = {
        "onsite": make_posting(
            internship_type="full_time",
            locations=["San Francisco, CA", "Seattle, WA"],
            pay=SEED_RANGES,
        ),
        "remote": make_posting(
            internship_type="full_time",
            work_mode="remote",
            locations=["United States"],
            pay=[(30, 40, ["NY"]), (25, 30, [])],
        ),
        "yearly": make_posting(
            internship_type="full_time",
            work_mode="hybrid",
            locations=["Austin, TX"],
            pay=[(52000, 60000, [])],
            unit="year",
        ),
        "abroad": make_posting(
            internship_type="full_time", locations=["Toronto, ON"], pay=[(25, 25, [])]
        ),
        "unpaid": make_posting(
            internship_type="full_time", work_mode="hybrid", locations=["Austin, TX"]
        ),
    }
    expected = expected_rows()
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate([BEFORE])
        executor = migrate([STATE_PAY])
        written = state_pay_rows(executor.loader.project_state([STATE_PAY]).apps)
    finally:
        migrate(leaf)

    assert written == expected
    by_posting = {
        name: {s for p, s in written if p == posting.pk} for name, posting in postings.items()
    }
    assert by_posting["onsite"] == {"CA", "WA"}
    assert by_posting["remote"] == set(pay.US_STATES)
    assert by_posting["abroad"] == set()
    assert written[(postings["remote"].pk, "NY")][:2] == (30, 40)
    assert written[(postings["remote"].pk, "CA")][:2] == (25, 30)
    assert written[(postings["yearly"].pk, "TX")][2] == expected[(postings["yearly"].pk, "TX")][2]
    assert written[(postings["unpaid"].pk, "TX")] == (None, None, None)


def test_the_migration_states_are_the_live_ones():
    """The frozen state list is the live one (a new state would need a migration)."""
    import importlib

    migration = importlib.import_module("listings.migrations.0004_state_pay")
    assert set(migration.STATES) == set(pay.US_STATES)


SOURCES_BEFORE = [
    ("listings", "0008_posting_revision"),
    ("companies", "0004_website_url_policy"),
]
SOURCES_AFTER = [("listings", "0009_posting_sources"), ("companies", "0005_company_name_key")]


@pytest.mark.django_db(transaction=True)
def test_migrating_to_posting_sources_links_every_imported_posting_once():
    from companies.models import Company
    from listings.links import canonical_apply_url
    from listings.models import Posting, PostingSource
    from tests.factories import make_company

    listed = make_posting(
        source="summer", external_id="s-1",
        apply_url="https://Jobs.Example.com/apply/1/?utm_source=ouckah#top",
        company=make_company(name="AQR Capital Management, LLC"),
    )  # fmt: skip
    closed = make_posting(source="summer", external_id="s-2", status="closed")
    edited = make_posting()  # made in the admin: no source
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate(SOURCES_BEFORE)
        migrate(SOURCES_AFTER)
    finally:
        migrate(leaf)

    links = sorted(
        PostingSource.objects.values_list("posting_id", "source", "external_id", "active")
    )
    assert links == [(listed.pk, "summer", "s-1", True), (closed.pk, "summer", "s-2", False)]
    assert not PostingSource.objects.filter(posting=edited).exists()
    for posting in Posting.objects.all():
        assert posting.apply_url_key == canonical_apply_url(posting.apply_url)
    assert Posting.objects.get(pk=listed.pk).apply_url_key == "https://jobs.example.com/apply/1"
    assert Company.objects.get(pk=listed.company_id).name_key == "aqr capital management"


@pytest.mark.parametrize(
    "text",
    ["https://A.example.com:443/x/?b=2&utm_medium=e&a=1&gh_src=z#f", "http://x.example.com:8080/",
     "https://x.example.com/p?Source=li&ref_src=t&id=4", "https://x.example.com/job/9?_hsenc=q"],
)  # fmt: skip
def test_the_frozen_url_key_is_the_live_one(text):
    import importlib

    from listings.links import canonical_apply_url

    migration = importlib.import_module("listings.migrations.0009_posting_sources")
    assert migration.url_key(text) == canonical_apply_url(text)


@pytest.mark.parametrize(
    "name",
    ["PayPal, Inc.", "Ark Biotech (Sponsors Canadians)", "D. E. Shaw & Co.", "Macy's", "Acme S.A.",
     "Société Générale", "(Stealth)"],
)  # fmt: skip
def test_the_frozen_company_key_is_the_live_one(name):
    import importlib

    from companies.names import company_key

    migration = importlib.import_module("companies.migrations.0005_company_name_key")
    assert migration.company_key(name) == company_key(name)
