"""A bulk load keeps PostgreSQL's planner statistics current while it writes
(importers/writer.create_postings): planned blind, each batch's statements
grew slower than the last."""

import pytest
from django.db import connection

from listings.importers import writer
from listings.models import Posting
from tests.listings.importing import seed_job

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics"),
]


def estimated_postings():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = %s", [Posting._meta.db_table]
        )
        return cursor.fetchone()[0]


def test_statistics_are_refreshed_as_the_postings_double(monkeypatch):
    monkeypatch.setattr(writer, "BATCH_SIZE", 2)
    records = [seed_job(external_id=f"job-{n}", source="bulk") for n in range(9)]
    assert writer.create_postings(records) == 9
    assert Posting.objects.count() == 9
    # Refreshed after 4 and after 8 postings; not after the last batch (the
    # caller analyses once it is done, as load_demo and import_listings do).
    assert estimated_postings() == 8
