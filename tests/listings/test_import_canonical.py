import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from companies.models import Company
from config import generation
from listings import writes
from listings.management.commands import import_listings
from listings.models import PayRange, Posting, Status

from .importing import (
    FIXTURES,
    SEED_FILE,
    database_rows,
    run_import,
    seed_job,
    seed_record,
    snapshot,
    write_file,
    writes_during,
)

pytestmark = pytest.mark.django_db


def _demo_seed_snapshot():
    call_command("load_demo", postings=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return snapshot(Posting.objects.get())


def _forget_everything():
    Posting.objects.all().delete()
    Company.objects.all().delete()


def test_seed_json_imports_to_the_same_posting_as_load_demo():
    expected = _demo_seed_snapshot()
    _forget_everything()

    out, _ = run_import(SEED_FILE)

    assert "created 1, updated 0, unchanged 0, closed 0, skipped 0, invalid 0" in out
    assert snapshot(Posting.objects.get()) == expected
    assert expected["fields"]["source"] == "internboard-demo"
    assert expected["pay"][0][:2] == (Decimal("44"), Decimal("44"))


def test_seed_json_after_load_demo_is_unchanged_and_writes_nothing():
    _demo_seed_snapshot()
    before = Posting.objects.get().updated_at

    writes = writes_during(lambda: run_import(SEED_FILE))

    assert writes == []
    assert Posting.objects.get().updated_at == before


def test_reimport_of_the_same_file_creates_changes_and_writes_nothing(tmp_path):
    path = FIXTURES / "canonical_two.jsonl"
    out, _ = run_import(path)
    assert "created 2, updated 0, unchanged 0" in out
    stamps = dict(Posting.objects.values_list("external_id", "updated_at"))

    outputs = []
    writes = writes_during(
        lambda: outputs.append(run_import(path, "--close-missing", "--source", "canonical_two"))
    )

    assert writes == []
    assert "created 0, updated 0, unchanged 2, closed 0" in outputs[0][0]
    assert dict(Posting.objects.values_list("external_id", "updated_at")) == stamps


def test_json_lines_fields_land_where_they_belong():
    out, _ = run_import(FIXTURES / "canonical_two.jsonl")
    assert "(source 'canonical_two')" in out, "the file name is the default source"
    job = Posting.objects.get(external_id="job-1")
    assert job.source == "canonical_two"
    assert job.company.name == "Harbor Logistics" and job.company.size == 450
    assert job.work_mode == "remote", "a remote location makes the posting remote"
    assert job.internship_type == "part_time"
    assert job.closes_on == datetime.date(2026, 12, 31)
    assert job.pay_unit == "week"
    assert job.pay_display == "$1,000 - $1,400.50"
    assert job.pay_max_hourly == Decimal("70.03"), "1400.50 a week over 20 hours"
    assert job.pay_display_in("WA") == "$1,200 - $1,400.50"
    assert job.pay_display_in("TX") == "$1,000 - $1,200"
    assert sorted(loc.name for loc in job.locations.all()) == ["Seattle, WA", "United States"]
    draft = Posting.objects.get(external_id="job-2")
    assert draft.company_id == job.company_id, "a company given by name alone is the same one"
    assert draft.status == Status.DRAFT and draft.work_mode == "hybrid"
    assert draft.pay_min is None and not draft.pay_ranges.exists()


def test_changed_records_are_updated_with_their_labels_and_pay_replaced(tmp_path):
    record = seed_record()
    run_import(write_file(tmp_path, "feed.json", [record]))
    posting = Posting.objects.get()
    first_update = posting.updated_at

    record["title"] = "Machine Learning Engineer, PhD Intern (Search)"
    record["skills"] = ["Python", "Ranking Systems", "Rust"]
    record["pay"] = {
        "currency": "USD",
        "unit": "year",
        "ranges": [{"states": ["CA"], "min": 104000, "max": 120000}],
    }
    record["locations"] = ["San Francisco, CA"]
    out, _ = run_import(write_file(tmp_path, "feed.json", [record]))

    assert "created 0, updated 1, unchanged 0" in out
    posting = Posting.objects.get()
    assert posting.pk == Posting.objects.get().pk
    assert posting.title.endswith("(Search)")
    assert posting.slug == "machine-learning-engineer-phd-intern-search"
    assert sorted(s.name for s in posting.skills.all()) == ["Python", "Ranking Systems", "Rust"]
    assert [loc.name for loc in posting.locations.all()] == ["San Francisco, CA"]
    assert PayRange.objects.filter(posting=posting).count() == 1
    assert (posting.pay_min, posting.pay_max) == (Decimal("104000"), Decimal("120000"))
    assert posting.pay_max_hourly == Decimal("57.69")
    assert posting.pay_display_in("NY") == "", "only CA has pay now"
    assert posting.updated_at > first_update


def test_only_changed_postings_are_written(tmp_path):
    records = [seed_job(external_id=f"seed-{n}") for n in range(3)]
    run_import(write_file(tmp_path, "feed.json", records))
    stamps = dict(Posting.objects.values_list("external_id", "updated_at"))

    records[1]["visa_sponsorship"] = "yes"
    out, _ = run_import(write_file(tmp_path, "feed.json", records))

    assert "created 0, updated 1, unchanged 2" in out
    after = dict(Posting.objects.values_list("external_id", "updated_at"))
    assert after["seed-0"] == stamps["seed-0"] and after["seed-2"] == stamps["seed-2"]
    assert after["seed-1"] > stamps["seed-1"]


def test_close_missing_closes_only_that_sources_absent_postings(tmp_path):
    records = [seed_job(external_id=f"seed-{n}") for n in range(3)]
    run_import(write_file(tmp_path, "feed.json", records), "--source", "feed")
    other = [seed_job(external_id="other-0")]
    run_import(write_file(tmp_path, "other.json", other), "--source", "other")

    out, _ = run_import(write_file(tmp_path, "feed.json", records[:2]), "--source", "feed")
    assert "closed 0" in out, "without --close-missing nothing is closed"
    assert not Posting.objects.filter(status=Status.CLOSED).exists()

    out, _ = run_import(
        write_file(tmp_path, "feed.json", records[:2]), "--source", "feed", "--close-missing"
    )

    assert "created 0, updated 0, unchanged 2, closed 1" in out
    closed = Posting.objects.get(status=Status.CLOSED)
    assert (closed.source, closed.external_id) == ("feed", "seed-2")
    assert closed.closed_at is not None
    assert Posting.objects.filter(source="other", status=Status.PUBLISHED).count() == 1

    out, _ = run_import(write_file(tmp_path, "feed.json", records), "--source", "feed")
    assert "updated 1" in out, "a record back in the file reopens its posting"
    assert not Posting.objects.filter(status=Status.CLOSED).exists()


def test_close_missing_refuses_an_empty_file(tmp_path):
    run_import(SEED_FILE)
    with pytest.raises(CommandError, match="no records"):
        run_import(write_file(tmp_path, "empty.json", []), "--source", "internboard-demo",
                   "--close-missing")  # fmt: skip
    assert Posting.objects.get().status == Status.PUBLISHED


def test_dry_run_reports_the_same_summary_and_writes_nothing(tmp_path):
    path = FIXTURES / "canonical_two.jsonl"
    generation_before = generation.generation()
    out, _ = run_import(path, "--dry-run")
    assert "dry run" in out
    assert "created 2, updated 0, unchanged 0, closed 0, skipped 0, invalid 0" in out
    assert not Posting.objects.exists()
    assert not Company.objects.exists()
    assert generation.generation() == generation_before, "cached pages are kept"


def test_a_dry_run_is_the_import_rolled_back(tmp_path):
    """The dry run writes in a transaction it rolls back: every row stays as it
    was, and its counts are the import's."""
    run_import(SEED_FILE)
    records = [seed_job(title="Changed title"), seed_job(external_id="new", title="New Intern")]
    path = write_file(tmp_path, "feed.json", records)
    rows = database_rows()
    generation_before = generation.generation()

    dry, _ = run_import(path, "--source", "internboard-demo", "--dry-run")

    assert database_rows() == rows
    assert generation.generation() == generation_before
    real, _ = run_import(path, "--source", "internboard-demo")
    assert dry == f"dry run, nothing written: {real}"
    assert "created 1, updated 1, unchanged 0" in real


def test_source_option_overrides_the_records_source(tmp_path):
    run_import(SEED_FILE, "--source", "partner-feed")
    assert Posting.objects.get().source == "partner-feed"


def test_records_naming_several_sources_need_the_source_option(tmp_path):
    a = seed_job(source="one")
    b = seed_job(source="two", external_id="other")
    with pytest.raises(CommandError, match="several sources"):
        run_import(write_file(tmp_path, "mixed.json", [a, b]))
    assert not Posting.objects.exists()


def test_interrupted_import_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    run_import(SEED_FILE)
    before = snapshot(Posting.objects.get())
    records = [seed_job(external_id=f"new-{n}") for n in range(5)]
    changed = seed_job(title="Changed title")
    monkeypatch.setattr("listings.importers.writer.BATCH_SIZE", 2)

    def interrupt(self, done, total):
        raise KeyboardInterrupt

    monkeypatch.setattr(import_listings.Command, "progress", interrupt)
    with pytest.raises(CommandError, match="interrupted; nothing was written"):
        run_import(write_file(tmp_path, "feed.json", [changed, *records]), "--close-missing",
                   "--source", "internboard-demo")  # fmt: skip

    assert Posting.objects.count() == 1
    assert snapshot(Posting.objects.get()) == before


def test_progress_is_plain_lines_when_not_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr("listings.importers.writer.BATCH_SIZE", 2)
    records = [seed_job(external_id=f"seed-{n}") for n in range(3)]
    _, err = run_import(write_file(tmp_path, "feed.json", records))
    assert err.splitlines() == ["wrote 2 of 3 postings", "wrote 3 of 3 postings"]


def test_the_format_is_guessed_and_can_be_forced(tmp_path):
    path = write_file(tmp_path, "feed.txt", json.dumps([seed_record()]))
    out, _ = run_import(path)
    assert "created 1" in out
    with pytest.raises(CommandError, match="invalid"):
        run_import(path, "--format", "simplify", "--source", "again")


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_a_bar_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr("listings.importers.writer.BATCH_SIZE", 2)
    records = [seed_job(external_id=f"seed-{n}") for n in range(3)]
    err = _Terminal()
    call_command(
        "import_listings", str(write_file(tmp_path, "feed.json", records)), stderr=err,
        stdout=io.StringIO(),
    )  # fmt: skip
    assert err.getvalue() == (
        "\r[####################..........] 2/3 postings"
        "\r[##############################] 3/3 postings\n"
    )


def test_a_database_refusal_is_one_line_and_rolls_back(tmp_path):
    later = seed_job(posted_on="2099-01-01", closes_on="2099-02-01")
    run_import(write_file(tmp_path, "feed.json", [later]))
    before = snapshot(Posting.objects.get())
    # No posted_on: the stored 2099-01-01 is kept, and the new deadline is before it.
    soon = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    changed = seed_job(closes_on=soon, title="Changed")
    del changed["posted_on"]
    extra = seed_job(external_id="another")
    with pytest.raises(
        CommandError, match=r"^the database refused the import \(.*nothing was written$"
    ):
        run_import(write_file(tmp_path, "feed.json", [extra, changed]))
    assert Posting.objects.count() == 1
    assert snapshot(Posting.objects.get()) == before


def _queries_to_import(tmp_path, records, source):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = write_file(tmp_path, f"{source}.json", records)
    with CaptureQueriesContext(connection) as queries:
        run_import(path, "--source", source)
    return len(queries.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_records(tmp_path):
    """Companies, labels and locations are resolved in bulk and rows written with
    bulk_create/bulk_update: no query per record."""

    def records(count, prefix):
        return [
            dict(
                seed_record(),
                external_id=f"{prefix}-{n}",
                apply_url=f"https://instacart.careers/current-openings/{prefix}-{n}",
                company={"name": f"{prefix} company {n}"},
                skills=[f"{prefix} skill {n}", "Python"],
                locations=[f"{prefix} town {n}, TX"],
                # Few states: SQLite caps parameters per statement, so Django
                # splits a bulk insert of thousands of rows into several.
                pay={"ranges": [{"states": ["CA"], "min": 30, "max": 40}]},
            )
            for n in range(count)
        ]

    _queries_to_import(tmp_path, records(1, "w"), "w")  # the shared categories and terms exist
    few = _queries_to_import(tmp_path, records(2, "a"), "a")
    many = _queries_to_import(tmp_path, records(20, "b"), "b")
    assert few == many

    changed = [dict(r, title="Changed") for r in records(20, "b")]
    updates = _queries_to_import(tmp_path, changed, "b")
    changed_few = [dict(r, title="Changed") for r in records(2, "a")]
    assert _queries_to_import(tmp_path, changed_few, "a") == updates


def test_an_update_rewrites_only_what_changed(tmp_path):
    record = seed_record()
    run_import(write_file(tmp_path, "feed.json", [record]))
    posting = Posting.objects.get()
    range_ids = set(posting.pay_ranges.values_list("pk", flat=True))
    skill_rows = set(Posting.skills.through.objects.values_list("pk", flat=True))

    record["status"] = "closed"
    out, _ = run_import(write_file(tmp_path, "feed.json", [record]))

    assert "updated 1" in out
    posting = Posting.objects.get()
    assert posting.status == Status.CLOSED and posting.closed_at is not None
    assert set(posting.pay_ranges.values_list("pk", flat=True)) == range_ids
    assert set(Posting.skills.through.objects.values_list("pk", flat=True)) == skill_rows


def test_a_new_pay_unit_recomputes_the_hourly_equivalents_of_the_same_ranges(tmp_path):
    record = seed_record()
    run_import(write_file(tmp_path, "feed.json", [record]))
    record["pay"] = dict(record["pay"], unit="week")
    record["hours_per_week"] = 20

    out, _ = run_import(write_file(tmp_path, "feed.json", [record]))

    assert "updated 1" in out
    posting = Posting.objects.get()
    assert posting.pay_unit == "week"
    assert posting.pay_max_hourly == Decimal("2.60"), "$52 a week over 20 hours"
    assert sorted(posting.pay_ranges.values_list("max_hourly", flat=True)) == [
        Decimal("2.20"), Decimal("2.40"), Decimal("2.50"), Decimal("2.60")
    ]  # fmt: skip


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search documents are PostgreSQL's")
def test_new_postings_are_inserted_with_the_search_document_writes_path_computes(tmp_path):
    record = seed_job(skills=["Python"], categories=["Machine Learning"])
    run_import(write_file(tmp_path, "one.json", [record]))
    posting = Posting.objects.get()
    inserted = Posting.objects.values_list("search_vector", flat=True).get()
    writes.refresh(posting)
    assert Posting.objects.values_list("search_vector", flat=True).get() == inserted
    # Title (A), company and labels (B), the role's text (C).
    assert "'engin':3A" in inserted and "'instacart':" in inserted and "'python':" in inserted


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search documents are PostgreSQL's")
def test_a_re_import_that_changes_only_the_responsibilities_refreshes_the_search(tmp_path):
    record = seed_record()
    run_import(write_file(tmp_path, "first.json", [record]))
    changed = dict(record, responsibilities="Tune quokka classifiers.")
    run_import(write_file(tmp_path, "second.json", [changed]))
    assert Posting.objects.search("quokka").exists()


def test_canonical_and_csv_records_lose_tracking_and_have_their_places_split(tmp_path):
    record = {
        "external_id": "t-1",
        "title": "Data Intern",
        "company": "Harbor Logistics",
        "apply_url": "https://harbor.example.com/careers/1?utm_source=RM&utm_medium=x&id=4",
        "locations": ["NYC Bellevue, WA", "Hybrid"],
    }
    run_import(write_file(tmp_path, "one.json", [record]))
    posting = Posting.objects.get(external_id="t-1")
    assert posting.apply_url == "https://harbor.example.com/careers/1?id=4"
    assert sorted(loc.name for loc in posting.locations.all()) == ["Bellevue, WA", "New York, NY"]
    assert posting.work_mode == "hybrid"

    csv_text = (
        "external_id,title,company,apply_url,locations\n"
        "t-2,Ops Intern,Harbor Logistics,https://harbor.example.com/careers/2?gh_src=li,"
        "Addison. TX;Remote - US\n"
    )
    run_import(write_file(tmp_path, "two.csv", csv_text))
    posting = Posting.objects.get(external_id="t-2")
    assert posting.apply_url == "https://harbor.example.com/careers/2"
    assert sorted(loc.name for loc in posting.locations.all()) == ["Addison, TX", "United States"]
    assert posting.work_mode == "remote"
