"""Writing postings in bulk from canonical records (see docs/import-format.md).

Records arrive already validated. Companies, locations, skills, categories and
terms are resolved in a constant number of queries per batch, and postings,
their many-to-many rows and their pay ranges are written with bulk_create.
"""

import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from companies.models import Company

from .. import pay
from ..models import Category, Location, PayRange, PayRangeState, Posting, Skill, Term
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
        model.objects.bulk_create(model(name=wanted[k], slug=slugs[wanted[k]]) for k in missing)
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


def build_posting(record, company):
    """An unsaved Posting for a canonical record (many-to-many rows excluded)."""
    now = timezone.now()
    status = record.get("status") or "published"
    posting_pay = record.get("pay") or {}
    title = record["title"].strip()
    posting = Posting(
        title=title,
        slug=slugify(title)[:220] or "posting",
        company=company,
        work_mode=record.get("work_mode") or "onsite",
        posted_on=_date(record.get("posted_on")) or timezone.localdate(),
        closes_on=_date(record.get("closes_on")),
        responsibilities=record.get("responsibilities") or "",
        internship_type=record.get("internship_type") or "full_time",
        pay_currency=posting_pay.get("currency") or "USD",
        pay_unit=posting_pay.get("unit") or "hour",
        visa_sponsorship=record.get("visa_sponsorship") or "unknown",
        language=record.get("language") or "English",
        hours_per_week=record.get("hours_per_week"),
        about_role=clean_html(record.get("about_role") or ""),
        apply_url=record["apply_url"],
        status=status,
        source=record.get("source") or "",
        external_id=record.get("external_id") or "",
        **_pay_fields(record),
    )
    posting.stamp_status()
    if status == "published" and posting.published_at:
        posting.published_at = now
    return posting


def create_postings(records):
    """Create postings for canonical `records` (none may exist yet). Returns the count."""
    created = 0
    for start in range(0, len(records), BATCH_SIZE):
        batch = records[start : start + BATCH_SIZE]
        with transaction.atomic():
            created += _create_batch(batch)
    return created


def _create_batch(batch):
    companies = resolve_companies([r["company"] for r in batch])
    labels = {
        "skills": resolve_labels(Skill, [n for r in batch for n in r.get("skills") or []]),
        "categories": resolve_labels(
            Category, [n for r in batch for n in r.get("categories") or []]
        ),
        "terms": resolve_labels(Term, [n for r in batch for n in r.get("terms") or []]),
    }
    locations = resolve_locations({t for r in batch for t in r.get("locations") or []})
    postings = Posting.objects.bulk_create(
        build_posting(r, companies[r["company"]["name"].strip().lower()]) for r in batch
    )
    for field in ("skills", "categories", "terms"):
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
    rows = []
    for record, posting in zip(batch, postings, strict=True):
        seen = set()
        for text in record.get("locations") or []:
            location = locations.get(text)
            if location is not None and location.pk not in seen:
                seen.add(location.pk)
                rows.append((posting.pk, location.pk))
    insert_rows(Posting.locations.through, ["posting", "location"], rows)
    create_pay_ranges(zip(batch, postings, strict=True))
    Posting.objects.filter(pk__in=[p.pk for p in postings]).refresh_search()
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
