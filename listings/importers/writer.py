"""Writing postings in bulk from canonical records (see docs/import-format.md).

Records arrive already validated. Companies, locations, skills, categories and
terms are resolved in a constant number of queries per batch, and postings,
their many-to-many rows and their pay ranges are written with bulk_create.
"""

import dataclasses
import datetime
import functools
from decimal import Decimal

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from companies.models import Company

from .. import pay, writes
from ..models import (
    Category,
    InternshipType,
    Location,
    PayRange,
    PayUnit,
    Posting,
    Skill,
    Sponsorship,
    Status,
    Term,
    WorkMode,
    fresh_on_for,
)
from ..places import parse_location
from ..sanitize import clean_html

BATCH_SIZE = 2000


def _unique_slugs(names, taken):
    """Slugs for `names`, none in `taken` (which is updated)."""
    result = {}
    for name in names:
        base = slugify(name)[:100] or "item"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        result[name] = slug
    return result


def resolve_companies(company_records):
    """Map lower-cased company name -> Company, creating the missing ones."""
    wanted = {}
    for record in company_records:
        wanted.setdefault(record["name"].strip().lower(), record)
    existing = {
        c.lname: c
        for c in Company.objects.annotate(lname=Lower("name")).filter(lname__in=list(wanted))
    }
    missing = [key for key in wanted if key not in existing]
    if missing:
        taken = set(Company.objects.values_list("slug", flat=True))
        slugs = _unique_slugs([wanted[k]["name"].strip() for k in missing], taken)
        Company.objects.bulk_create(
            Company(
                name=wanted[k]["name"].strip(),
                slug=slugs[wanted[k]["name"].strip()],
                website=wanted[k].get("website") or "",
                size=wanted[k].get("size"),
                about=wanted[k].get("about") or "",
            )
            for k in missing
        )
        existing.update(
            {
                c.lname: c
                for c in Company.objects.annotate(lname=Lower("name")).filter(lname__in=missing)
            }
        )
    return existing


def resolve_labels(model, names):
    """Map lower-cased name -> instance of Skill/Category/Term, creating missing ones."""
    wanted = {}
    for name in names:
        wanted.setdefault(name.strip().lower(), name.strip())
    existing = {
        obj.lname: obj
        for obj in model.objects.annotate(lname=Lower("name")).filter(lname__in=list(wanted))
    }
    missing = [key for key in wanted if key not in existing]
    if missing:
        taken = set(model.objects.values_list("slug", flat=True))
        slugs = _unique_slugs([wanted[k] for k in missing], taken)
        new = [model(name=wanted[k], slug=slugs[wanted[k]]) for k in missing]
        if model is Term:  # bulk_create skips save(): a term's dates come from its name
            new = [term.fill_dates() for term in new]
        model.objects.bulk_create(new)
        existing.update(
            {
                obj.lname: obj
                for obj in model.objects.annotate(lname=Lower("name")).filter(lname__in=missing)
            }
        )
    return existing


def resolve_locations(texts):
    """Map location text -> Location (parsed into city/region/country), creating missing ones."""
    places = {}
    for text in texts:
        place = parse_location(text)
        if place is not None:
            places[text] = place
    names = {place.name for place in places.values()}
    existing = {loc.name: loc for loc in Location.objects.filter(name__in=names)}
    missing = {}
    for place in places.values():
        if place.name not in existing:
            missing[place.name] = place
    if missing:
        Location.objects.bulk_create(
            Location(name=p.name, city=p.city, region=p.region, country=p.country)
            for p in missing.values()
        )
        existing.update({loc.name: loc for loc in Location.objects.filter(name__in=list(missing))})
    return {text: existing[place.name] for text, place in places.items()}


def _date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _pay_fields(record):
    ranges = (record.get("pay") or {}).get("ranges") or []
    unit = (record.get("pay") or {}).get("unit") or "hour"
    hours = record.get("hours_per_week")
    if not ranges:
        return {}
    lows = [Decimal(str(r["min"])) for r in ranges]
    highs = [Decimal(str(r["max"])) for r in ranges]
    return {
        "pay_min": min(lows),
        "pay_max": max(highs),
        "pay_min_hourly": pay.hourly(min(lows), unit, hours),
        "pay_max_hourly": pay.hourly(max(highs), unit, hours),
    }


@functools.lru_cache(maxsize=8192)
def _slug(title):
    return slugify(title)[:220] or "posting"


def posting_values(record):
    """The field values of the posting a canonical record describes.

    Company, many-to-many rows, pay ranges and workflow timestamps excluded.
    """
    posting_pay = record.get("pay") or {}
    title = record["title"].strip()
    values = {
        "title": title,
        "slug": _slug(title),
        "work_mode": record.get("work_mode") or WorkMode.ONSITE,
        "posted_on": _date(record.get("posted_on")) or timezone.localdate(),
        "closes_on": _date(record.get("closes_on")),
        "responsibilities": record.get("responsibilities") or "",
        # What the record does not give is unknown, never a default (section 11).
        "internship_type": record.get("internship_type") or InternshipType.UNKNOWN,
        "pay_currency": posting_pay.get("currency") or "USD",
        "pay_unit": posting_pay.get("unit") or PayUnit.HOUR,
        "visa_sponsorship": record.get("visa_sponsorship") or Sponsorship.UNKNOWN,
        "language": record.get("language") or "",
        "hours_per_week": record.get("hours_per_week"),
        "duration_weeks": record.get("duration_weeks"),
        "about_role": clean_html(record.get("about_role") or ""),
        "apply_url": record["apply_url"],
        "status": record.get("status") or Status.PUBLISHED,
        "pay_min": None,
        "pay_max": None,
        "pay_min_hourly": None,
        "pay_max_hourly": None,
        **_pay_fields(record),
    }
    return values


def build_posting(record, company):
    """An unsaved Posting for a canonical record (many-to-many rows excluded)."""
    posting = Posting(
        company=company,
        source=record.get("source") or "",
        external_id=record.get("external_id") or "",
        **posting_values(record),
    )
    posting.fresh_on = posting.posted_on  # bulk_create skips save(); nothing confirmed it yet
    posting.stamp_status()
    return posting


def create_postings(records):
    """Create postings for canonical `records` (none may exist yet). Returns the count."""
    created = 0
    for start in range(0, len(records), BATCH_SIZE):
        batch = records[start : start + BATCH_SIZE]
        with transaction.atomic():
            created += _create_batch(batch)
    return created


def _resolve(batch):
    """Companies, labels and locations of a batch of records, in a constant number of queries."""
    companies = resolve_companies([r["company"] for r in batch])
    labels = {
        "skills": resolve_labels(Skill, [n for r in batch for n in r.get("skills") or []]),
        "categories": resolve_labels(
            Category, [n for r in batch for n in r.get("categories") or []]
        ),
        "terms": resolve_labels(Term, [n for r in batch for n in r.get("terms") or []]),
    }
    locations = resolve_locations({t for r in batch for t in r.get("locations") or []})
    return companies, labels, locations


RELATIONS = ("skills", "categories", "terms", "locations")


def _relations(record, labels, locations, fields=RELATIONS):
    """{field: [objects]} of a record's labels and places, resolved."""
    found = {}
    for field in ("skills", "categories", "terms"):
        if field in fields:
            found[field] = [labels[field][n.strip().lower()] for n in record.get(field) or []]
    if "locations" in fields:
        places = (locations.get(text) for text in record.get("locations") or [])
        found["locations"] = [place for place in places if place is not None]
    return found


def _pay(record):
    """[(min, max, [states])] of a record."""
    return [
        (item["min"], item["max"], item.get("states") or [])
        for item in (record.get("pay") or {}).get("ranges") or []
    ]


def _create_batch(batch):
    companies, labels, locations = _resolve(batch)
    writes.create_postings(
        [
            writes.Write(
                posting=build_posting(record, companies[record["company"]["name"].strip().lower()]),
                relations=_relations(record, labels, locations),
                pay=_pay(record),
            )
            for record in batch
        ]
    )
    return len(batch)


# --- upsert by (source, external_id) -----------------------------------------


@dataclasses.dataclass
class ImportPlan:
    """What an import will do, worked out by reading only."""

    source: str
    create: list = dataclasses.field(default_factory=list)  # records
    update: list = dataclasses.field(default_factory=list)  # (Posting, record, changes)
    unchanged: int = 0
    close: list = dataclasses.field(default_factory=list)  # pks of postings absent from the file

    @property
    def writes(self):
        return len(self.create) + len(self.update) + len(self.close)


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _label_keys(names):
    return frozenset(name.strip().lower() for name in names or [])


def _record_pay(record):
    ranges = (record.get("pay") or {}).get("ranges") or []
    return frozenset(
        (
            Decimal(str(r["min"])),
            Decimal(str(r["max"])),
            frozenset(s.strip().upper() for s in r.get("states") or []),
        )
        for r in ranges
    )


# Fields compared between a record and its stored posting (posting_values' keys).
COMPARED_FIELDS = list(posting_values({"title": "x", "apply_url": ""}))


def _stored(source):
    """external_id -> what is stored of each posting of `source`, read in a few queries.

    Each entry holds the compared field values, the company's lower-cased name,
    the lower-cased label names, the location names and the pay ranges as
    (min, max, states) — everything a record is compared with.
    """
    stored = {}
    by_pk = {}
    rows = Posting.objects.filter(source=source).values_list(
        "pk", "external_id", "company__name", *COMPARED_FIELDS
    )
    for pk, external_id, company_name, *values in rows:
        entry = {
            "pk": pk,
            "values": dict(zip(COMPARED_FIELDS, values, strict=True)),
            "company": company_name.lower(),
            **{key: set() for key in ("skills", "categories", "terms", "locations", "pay")},
        }
        stored[external_id] = by_pk[pk] = entry
    if not stored:
        return stored
    for field_name, lookup in (
        ("skills", "skill__name"),
        ("categories", "category__name"),
        ("terms", "term__name"),
    ):
        through = getattr(Posting, field_name).through
        for pk, name in through.objects.filter(posting__source=source).values_list(
            "posting_id", lookup
        ):
            by_pk[pk][field_name].add(name.lower())
    for pk, name in Posting.locations.through.objects.filter(posting__source=source).values_list(
        "posting_id", "location__name"
    ):
        by_pk[pk]["locations"].add(name)
    ranges = (
        PayRange.objects.filter(posting__source=source)
        .order_by()
        .with_state_codes()
        .values_list("pk", "posting_id", "min_amount", "max_amount", "state_codes")
    )
    for _pk, posting_id, low, high, codes in ranges:
        states = frozenset(code for code in (codes or "").split(",") if code)
        by_pk[posting_id]["pay"].add((low, high, states))
    return stored


def _changes(stored, record):
    """What importing `record` would change in its stored posting, compared field
    by field: the names of the changed fields, "company", the changed relations
    ("skills", "categories", "terms", "locations") and "pay" (the ranges)."""
    values = posting_values(record)
    if "posted_on" not in record:
        values.pop("posted_on")
    current = stored["values"]
    changes = {name for name, value in values.items() if current[name] != value}
    if stored["company"] != record["company"]["name"].strip().lower():
        changes.add("company")
    for name in ("skills", "categories", "terms"):
        if stored[name] != _label_keys(record.get(name)):
            changes.add(name)
    places = (parse_location(text) for text in record.get("locations") or [])
    if stored["locations"] != {place.name for place in places if place}:
        changes.add("locations")
    # The ranges' hourly equivalents depend on the unit and the working hours.
    if stored["pay"] != _record_pay(record) or changes & {"pay_unit", "hours_per_week"}:
        changes.add("pay")
    return changes


def plan_import(records, source, *, close_missing=False, present=()):
    """Compare canonical `records` with `source`'s postings; reads, never writes.

    `present` lists further external ids that are in the file but not being
    imported (invalid records skipped): --close-missing leaves those alone.
    """
    plan = ImportPlan(source=source)
    stored = _stored(source)
    changed = []
    for record in records:
        entry = stored.get(record["external_id"])
        if entry is None:
            plan.create.append(record)
        elif changes := _changes(entry, record):
            changed.append((entry["pk"], record, changes))
        else:
            plan.unchanged += 1
    for batch in _chunks(changed, BATCH_SIZE):
        postings = Posting.objects.in_bulk([pk for pk, _, _ in batch])
        plan.update.extend((postings[pk], record, changes) for pk, record, changes in batch)
    if close_missing:
        keep = {r["external_id"] for r in records} | set(present)
        plan.close = [
            entry["pk"]
            for external_id, entry in stored.items()
            if external_id not in keep and entry["values"]["status"] != Status.CLOSED
        ]
    return plan


def apply_plan(plan, progress=None, batch_size=None):
    """Carry out `plan` in one transaction: all of it or, on any error or
    interruption (Ctrl-C included), none of it. `progress(done, total)` is
    called after each batch."""
    batch_size = batch_size or BATCH_SIZE
    total, done = plan.writes, 0
    with transaction.atomic():
        for batch in _chunks(plan.create, batch_size):
            done += _create_batch(batch)
            if progress:
                progress(done, total)
        for batch in _chunks(plan.update, batch_size):
            done += _update_batch(batch)
            if progress:
                progress(done, total)
        for pks in _chunks(plan.close, batch_size):
            writes.close(Posting.objects.filter(pk__in=pks))
            done += len(pks)
            if progress:
                progress(done, total)


def _update_batch(triples):
    """Write the changes of (posting, record, changes) triples through the
    write path: only the changed fields, relations and pay."""
    records = [record for _, record, _ in triples]
    companies, labels, locations = _resolve(records)
    batch = []
    for posting, record, changes in triples:
        values = posting_values(record)
        fields = {name for name in changes if name in values and not name.startswith("pay_m")}
        for name in fields:
            setattr(posting, name, values[name])
        if "posted_on" in fields:
            posting.fresh_on = fresh_on_for(posting.posted_on, posting.confirmed_at)
            fields.add("fresh_on")
        if "company" in changes:
            posting.company = companies[record["company"]["name"].strip().lower()]
            fields.add("company")
        batch.append(
            writes.Write(
                posting=posting,
                fields=frozenset(fields),
                relations=_relations(record, labels, locations, changes & set(RELATIONS)),
                pay=_pay(record) if "pay" in changes else None,
            )
        )
    return writes.update_postings(batch)
