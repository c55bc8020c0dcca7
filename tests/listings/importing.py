"""Helpers shared by the import tests."""

import io
import json
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from listings.models import Posting

FIXTURES = Path(__file__).parent / "fixtures"
SEED_FILE = Path(__file__).resolve().parents[2] / "listings" / "demo" / "seed_posting.json"
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE")


def run_import(path, *args, **options):
    """Run import_listings in-process; returns (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_listings", str(path), *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def write_file(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return path


def seed_record():
    return json.loads(SEED_FILE.read_text(encoding="utf-8"))[0]


def database_rows():
    """Every row of every table of postings and companies, as values."""
    rows = {}
    for label in ("listings", "companies"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            values = model._base_manager.order_by("pk").values_list()
            rows[model._meta.label] = [tuple(map(str, row)) for row in values]
    return rows


def writes_during(func):
    """Run func(); return the INSERT/UPDATE/DELETE statements it sent."""
    with CaptureQueriesContext(connection) as queries:
        func()
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(WRITE_VERBS)
    ]


def snapshot(posting):
    """Everything a visitor or editor sees of a posting, without ids and timestamps."""
    posting = Posting.objects.get(pk=posting.pk)
    company = posting.company
    return {
        "company": (company.name, company.website, company.size, company.about),
        "fields": {
            name: getattr(posting, name)
            for name in (
                "title",
                "slug",
                "work_mode",
                "posted_on",
                "closes_on",
                "responsibilities",
                "internship_type",
                "pay_currency",
                "pay_unit",
                "visa_sponsorship",
                "language",
                "hours_per_week",
                "about_role",
                "apply_url",
                "status",
                "source",
                "external_id",
                "pay_min",
                "pay_max",
                "pay_min_hourly",
                "pay_max_hourly",
            )
        },  # fmt: skip
        "locations": sorted(
            (loc.name, loc.city, loc.region, loc.country) for loc in posting.locations.all()
        ),
        "skills": sorted(s.name for s in posting.skills.all()),
        "categories": sorted(c.name for c in posting.categories.all()),
        "terms": sorted(t.name for t in posting.terms.all()),
        "pay": sorted(
            (
                r.min_amount,
                r.max_amount,
                r.other_states,
                r.min_hourly,
                r.max_hourly,
                tuple(r.state_list),
            )
            for r in posting.pay_ranges.all()
        ),
        "published": posting.published_at is not None,
    }


def failed_import(path, *args):
    """Run an import that must fail; returns (the one-line error, what it printed on stderr)."""
    from django.core.management.base import CommandError

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_listings", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return str(exc), err.getvalue()
    raise AssertionError(f"the import succeeded: {out.getvalue()}")


def seed_job(**changes):
    """The seed record as another job: its own apply URL (one per external id,
    as jobs of a list have; the same URL is the same job), with `changes`."""
    record = dict(seed_record(), **changes)
    if "apply_url" not in changes:
        record["apply_url"] = f"https://instacart.careers/current-openings/{record['external_id']}"
    return record
