"""Writing postings in bulk from canonical records (see docs/import-format.md).

Records arrive already validated. Companies, locations, skills, categories and
terms are resolved in a constant number of queries per batch, and postings,
their many-to-many rows and their pay ranges are written with bulk_create.
"""

import dataclasses
import datetime
import functools
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.text import slugify

from companies.models import Company

from .. import pay
from ..models import (
    Category,
    InternshipType,
    Location,
    PayRange,
    PayRangeState,
    PayUnit,
    Posting,
    SearchDocument,
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


def insert_rows(model, fields, rows):
    """INSERT plain tuples into `model`'s table, building no model instances.

    The many-to-many and pay-state tables take about a million rows for
    100,000 postings; creating a Django object per row costs several times
    the database's own work, so rows go in as tuples (COPY on PostgreSQL).
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


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


def write_relations(batch, postings, labels, locations, fields=RELATIONS):
    """Bulk-create the skill, category, term and location rows of `postings`."""
    for field in ("skills", "categories", "terms"):
        if field not in fields:
            continue
        through = getattr(Posting, field).through
        target = getattr(Posting, field).field.m2m_reverse_field_name()
        rows = []
        for record, posting in zip(batch, postings, strict=True):
            seen = set()
            for name in record.get(field) or []:
                obj = labels[field][name.strip().lower()]
                if obj.pk not in seen:
                    seen.add(obj.pk)
                    rows.append((posting.pk, obj.pk))
        insert_rows(through, ["posting", target], rows)
    if "locations" not in fields:
        return
    rows = []
    for record, posting in zip(batch, postings, strict=True):
        seen = set()
        for text in record.get("locations") or []:
            location = locations.get(text)
            if location is not None and location.pk not in seen:
                seen.add(location.pk)
                rows.append((posting.pk, location.pk))
    insert_rows(Posting.locations.through, ["posting", "location"], rows)


def _search_document(record, posting, labels):
    """The new posting's search document from the record's values: written
    with the row, it spares PostgreSQL rewriting every new row (and the
    table carrying the dead copies) that refresh_search() afterwards would."""
    names = [
        " ".join(
            dict.fromkeys(labels[field][n.strip().lower()].name for n in record.get(field) or [])
        )
        for field in ("skills", "categories")
    ]
    return SearchDocument(
        Value(posting.title),
        Value(" ".join([posting.company.name, *names])),
        Value(f"{posting.about_role} {posting.responsibilities}"),
    )


def _create_batch(batch):
    companies, labels, locations = _resolve(batch)
    postings = [build_posting(r, companies[r["company"]["name"].strip().lower()]) for r in batch]
    if connection.vendor == "postgresql":
        for record, posting in zip(batch, postings, strict=True):
            posting.search_vector = _search_document(record, posting, labels)
    postings = Posting.objects.bulk_create(postings)
    write_relations(batch, postings, labels, locations)
    create_pay_ranges(zip(batch, postings, strict=True))
    created = Posting.objects.filter(pk__in=[p.pk for p in postings])
    created.refresh_state_pay()
    created.refresh_terms_end()
    return len(postings)


def create_pay_ranges(pairs):
    """Bulk-create the pay ranges (and their states) of (record, posting) pairs."""
    ranges, states_of = [], []
    for record, posting in pairs:
        posting_pay = record.get("pay") or {}
        unit = posting_pay.get("unit") or "hour"
        for item in posting_pay.get("ranges") or []:
            low, high = Decimal(str(item["min"])), Decimal(str(item["max"]))
            states = sorted({s.strip().upper() for s in item.get("states") or []})
            ranges.append(
                PayRange(
                    posting=posting,
                    min_amount=low,
                    max_amount=high,
                    other_states=not states,
                    min_hourly=pay.hourly(low, unit, record.get("hours_per_week")),
                    max_hourly=pay.hourly(high, unit, record.get("hours_per_week")),
                )
            )
            states_of.append(states)
    ranges = PayRange.objects.bulk_create(ranges)
    insert_rows(
        PayRangeState,
        ["pay_range", "posting", "state"],
        [
            (r.pk, r.posting_id, state)
            for r, states in zip(ranges, states_of, strict=True)
            for state in states
        ],
    )


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
        now = timezone.now()
        for pks in _chunks(plan.close, batch_size):
            Posting.objects.filter(pk__in=pks).update(
                status=Status.CLOSED,
                closed_at=Coalesce("closed_at", Value(now)),
                updated_at=now,
            )
            # Closing changes nothing the search document holds: no refresh_search().
            done += len(pks)
            if progress:
                progress(done, total)


# Changes that alter a posting's search document (see PostingQuerySet.refresh_search)
# and where and for what it can be done (PostingQuerySet.refresh_state_pay).
SEARCHED = {"title", "company", "skills", "categories", "about_role", "responsibilities"}
PLACED = {"work_mode", "locations", "pay"}
# Django's bulk_update writes one CASE per field listing every row of a batch,
# which grows with the square of the batch: keep its batches small.
UPDATE_BATCH_SIZE = 250


def _update_batch(triples):
    """Write the changes of (posting, record, changes) triples: only the changed
    fields (grouped so that postings changing the same fields share a query),
    and only the relations and pay ranges that differ."""
    records = [record for _, record, _ in triples]
    companies, labels, locations = _resolve(records)
    now = timezone.now()
    by_fields = {}
    for posting, record, changes in triples:
        values = posting_values(record)
        fields = {name for name in changes if name in values}
        for name in fields:
            setattr(posting, name, values[name])
        if "posted_on" in fields:
            posting.fresh_on = fresh_on_for(posting.posted_on, posting.confirmed_at)
            fields.add("fresh_on")
        if "company" in changes:
            posting.company = companies[record["company"]["name"].strip().lower()]
            fields.add("company")
        if "status" in changes:
            before = (posting.submitted_at, posting.published_at, posting.closed_at)
            posting.stamp_status()
            if before != (posting.submitted_at, posting.published_at, posting.closed_at):
                fields.update({"submitted_at", "published_at", "closed_at"})
        posting.updated_at = now
        fields.add("updated_at")
        by_fields.setdefault(frozenset(fields), []).append(posting)
    for fields, postings in by_fields.items():
        Posting.objects.bulk_update(postings, sorted(fields), batch_size=UPDATE_BATCH_SIZE)

    for part in (*RELATIONS, "pay"):
        changed = [(p, r) for p, r, changes in triples if part in changes]
        if not changed:
            continue
        ids = [p.pk for p, _ in changed]
        if part == "pay":
            PayRangeState.objects.filter(posting_id__in=ids).delete()
            PayRange.objects.filter(posting_id__in=ids).delete()
            create_pay_ranges((r, p) for p, r in changed)
        else:
            getattr(Posting, part).through.objects.filter(posting_id__in=ids).delete()
            write_relations(
                [r for _, r in changed], [p for p, _ in changed], labels, locations, {part}
            )
    searched = [p.pk for p, _, changes in triples if changes & SEARCHED]
    if searched:
        Posting.objects.filter(pk__in=searched).refresh_search()
    termed = [p.pk for p, _, changes in triples if "terms" in changes]
    if termed:
        Posting.objects.filter(pk__in=termed).refresh_terms_end()
    placed = [p.pk for p, _, changes in triples if changes & PLACED]
    if placed:
        Posting.objects.filter(pk__in=placed).refresh_state_pay()
    return len(triples)
