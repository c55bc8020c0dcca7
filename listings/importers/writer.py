"""Writing postings in bulk from canonical records (see docs/import-format.md).

Records arrive already validated. Companies, locations, skills, categories and
terms are resolved in a constant number of queries per batch, and postings,
their many-to-many rows and their pay ranges are written with bulk_create.
"""

import dataclasses
import datetime
import functools
from decimal import Decimal
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from companies.models import Company
from companies.names import company_key, display_name, split_note

from .. import pay, writes
from ..links import canonical_apply_url
from ..models import (
    Category,
    InternshipType,
    Location,
    PayRange,
    PayUnit,
    Posting,
    PostingSource,
    Skill,
    Sponsorship,
    Status,
    Term,
    WorkMode,
    fresh_on_for,
    is_board_source,
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
    """Map company_key(name) -> Company, creating the missing ones (one query to
    match a batch). Spellings that differ only in case, punctuation, legal
    suffixes or a parenthesised note are one company; a new one is named by the
    first spelling seen without its note (rename_companies then shows the
    spelling most sources use)."""
    wanted = {}
    for record in company_records:
        wanted.setdefault(company_key(record["name"]), record)
    existing = {}
    for company in Company.objects.filter(name_key__in=list(wanted)).order_by("-pk"):
        existing[company.name_key] = company  # the oldest of legacy duplicates wins
    missing = [key for key in wanted if key not in existing]
    if missing:
        taken = set(Company.objects.values_list("slug", flat=True))
        names = {key: split_note(wanted[key]["name"].strip())[0][:200] for key in missing}
        slugs = _unique_slugs(list(names.values()), taken)
        Company.objects.bulk_create(
            Company(
                name=names[k],
                name_key=k,
                slug=slugs[names[k]],
                website=wanted[k].get("website") or "",
                size=wanted[k].get("size"),
                about=wanted[k].get("about") or "",
            )
            for k in missing
        )
        existing.update({c.name_key: c for c in Company.objects.filter(name_key__in=missing)})
    return existing


def rename_companies(company_ids):
    """Show each company under the spelling most of its sources use
    (companies/names.py display_name over the PostingSource spellings). A
    company with a job board keeps the name its editor gave it. Saves only
    the companies whose name changes (their postings' search documents follow)."""
    spellings = {}
    for chunk in _chunks(sorted(set(company_ids)), 500):
        rows = (
            PostingSource.objects.filter(posting__company_id__in=chunk)
            .exclude(company_name="")
            .order_by("pk")
            .values_list("posting__company_id", "company_name")
        )
        for company_id, name in rows:
            spellings.setdefault(company_id, []).append(name)
    renamed = 0
    for company in Company.objects.filter(pk__in=list(spellings), ats=""):
        name = display_name(spellings[company.pk])[:200]
        if name and name != company.name and company_key(name) == company.name_key:
            clash = Company.objects.filter(name__iexact=name).exclude(pk=company.pk).exists()
            if not clash:
                company.name = name
                company.save(update_fields=["name", "name_key", "updated_at"])
                renamed += 1
    return renamed


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
    """Create postings for canonical `records` (none may exist yet). Returns the count.

    Each batch commits. PostgreSQL's statistics are refreshed whenever the
    postings written have doubled since the last time (after 4,000, 8,000,
    16,000, ...): planned without them, the write path's per-batch statements
    grew slower with every batch (a 1,000,000-posting load_demo on a fresh
    database without autovacuum went from 21,000 postings a minute to 4,500).
    """
    created, analyze_at = 0, 2 * BATCH_SIZE
    for start in range(0, len(records), BATCH_SIZE):
        batch = records[start : start + BATCH_SIZE]
        with transaction.atomic():
            created += len(_create_batch(batch))
        if created >= analyze_at and start + BATCH_SIZE < len(records):
            writes.analyze()
            analyze_at = 2 * created
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
    created = writes.create_postings(
        [
            writes.Write(
                posting=build_posting(record, _company_of(record, companies)),
                relations=_relations(record, labels, locations),
                pay=_pay(record),
                sources=record.get("_links")
                or ([_link(record)] if record.get("external_id") else []),
            )
            for record in batch
        ]
    )
    return [posting.pk for posting in created]


def _company_of(record, companies):
    """The record's company: the one a board sync names (`_company`, the board's
    own), else the company its name matches."""
    return record.get("_company") or companies[company_key(record["company"]["name"])]


def _link(record, active=None):
    """The Link of the source a record comes from."""
    if active is None:
        active = (record.get("status") or Status.PUBLISHED) != Status.CLOSED
    return writes.Link(
        record.get("source") or "",
        record.get("external_id") or "",
        active,
        record["company"]["name"].strip(),
    )


# --- matching records with postings (PRODUCT.md sections 9 and 14) ------------------


@dataclasses.dataclass
class ImportPlan:
    """What an import will do, worked out by reading only."""

    source: str
    create: list = dataclasses.field(default_factory=list)  # records (new postings)
    update: list = dataclasses.field(default_factory=list)  # (Posting, record, changes)
    unchanged: int = 0
    close: list = dataclasses.field(default_factory=list)  # pks of postings no source lists open
    add_links: list = dataclasses.field(default_factory=list)  # (posting pk, Link)
    change_links: list = dataclasses.field(default_factory=list)  # (PostingSource pk, Link)
    linked: int = 0  # existing postings this source now lists too, nothing else changed

    @property
    def updated(self):
        return len(self.update) + self.linked

    @property
    def writes(self):
        return (
            len(self.create)
            + len(self.update)
            + len(self.close)
            + len(self.add_links)
            + len(self.change_links)
        )


# The fields a company job board gives (boards/jobs.py record): on a posting a
# board lists, a list's record changes none of them, and a board's record
# changes only these when other sources list the posting too.
BOARD_FIELDS = frozenset(
    {
        "title", "slug", "company", "apply_url", "about_role", "locations", "work_mode",
        "terms", "internship_type", "status", "posted_on", "pay", "pay_currency", "pay_unit",
    }
)  # fmt: skip
PAY_FIELDS = frozenset({"pay", "pay_currency", "pay_unit"})


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


def _load_stored(stored, posting_filter, through_filter):
    """Add to `stored` (pk -> entry) what is stored of the postings `posting_filter`
    selects, in a few queries: the compared field values, the company's key,
    the lower-cased label names, the location names and the pay ranges as
    (min, max, states) — everything a record is compared with."""
    rows = Posting.objects.filter(**posting_filter).values_list(
        "pk", "source", "company_id", "company__name_key", *COMPARED_FIELDS
    )
    found = False
    for pk, first_source, company_id, company_key_, *values in rows:
        found = True
        stored[pk] = {
            "pk": pk,
            "source": first_source,
            "company_id": company_id,
            "values": dict(zip(COMPARED_FIELDS, values, strict=True)),
            "company": company_key_,
            **{key: set() for key in ("skills", "categories", "terms", "locations", "pay")},
        }
    if not found:
        return
    for field_name, lookup in (
        ("skills", "skill__name"),
        ("categories", "category__name"),
        ("terms", "term__name"),
    ):
        through = getattr(Posting, field_name).through
        for pk, name in through.objects.filter(**through_filter).values_list("posting_id", lookup):
            stored[pk][field_name].add(name.lower())
    for pk, name in Posting.locations.through.objects.filter(**through_filter).values_list(
        "posting_id", "location__name"
    ):
        stored[pk]["locations"].add(name)
    ranges = (
        PayRange.objects.filter(**through_filter)
        .order_by()
        .with_state_codes()
        .values_list("pk", "posting_id", "min_amount", "max_amount", "state_codes")
    )
    for _pk, posting_id, low, high, codes in ranges:
        states = frozenset(code for code in (codes or "").split(",") if code)
        stored[posting_id]["pay"].add((low, high, states))


def _changes(stored, record):
    """What importing `record` would change in its stored posting, compared field
    by field: the names of the changed fields, "company", the changed relations
    ("skills", "categories", "terms", "locations") and "pay" (the ranges)."""
    values = posting_values(record)
    if "posted_on" not in record:
        values.pop("posted_on")
    current = stored["values"]
    changes = {name for name, value in values.items() if current[name] != value}
    if "apply_url" in changes and canonical_apply_url(current["apply_url"]) == canonical_apply_url(
        values["apply_url"]
    ):
        changes.discard("apply_url")  # the same address, spelt another way
    if stored["company"] != company_key(record["company"]["name"]):
        changes.add("company")
    elif record.get("_company") and record["_company"].pk != stored["company_id"]:
        changes.add("company")  # a board's job belongs to the board's company
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


def _ranked(changes, source, record, stored, other_sources):
    """The changes a source may make to a posting other sources list too: a
    board changes what it gives; a list changes nothing a board gives, and
    of the rest only what the list that first listed the posting gives (two
    lists do not overwrite each other back and forth). Whether the posting
    is open follows the closing rule (plan_import), not this ranking."""
    if not other_sources:
        return changes
    if is_board_source(source):
        given = BOARD_FIELDS if record.get("pay") else BOARD_FIELDS - PAY_FIELDS
        if "posted_on" not in record:
            given = given - {"posted_on"}
        return changes & given
    if stored["source"] != source:
        return changes & {"status"}
    if any(is_board_source(other) for other in other_sources):
        return changes - (BOARD_FIELDS - {"status"})
    return changes


class _Links:
    """Every source link of the postings an import may touch: who lists what, open or not."""

    def __init__(self):
        self.by_posting = {}  # posting pk -> {link pk: [source, external_id, active, company_name]}
        self.of_source = {}  # external_id -> (link pk, posting pk) of the imported source

    def load(self, source, queryset):
        rows = queryset.values_list(
            "pk", "posting_id", "source", "external_id", "active", "company_name"
        )
        for pk, posting_id, link_source, external_id, active, company_name in rows:
            self.by_posting.setdefault(posting_id, {})[pk] = [
                link_source,
                external_id,
                active,
                company_name,
            ]
            if link_source == source:
                self.of_source[external_id] = (pk, posting_id)

    def others(self, posting_pk, source, link_pk):
        """Sources other than `source` listing the posting, and whether any link
        but `link_pk` lists it open."""
        rows = self.by_posting.get(posting_pk, {})
        return (
            {row[0] for row in rows.values() if row[0] != source},
            any(row[2] for pk, row in rows.items() if pk != link_pk),
        )


def _job_key(record):
    """(canonical apply URL, company key) two copies of one job share, or None
    when the URL is a careers page rather than a job's ("careers.oracle.com/jobs",
    "instacart.careers/current-openings/": one path segment and no query)."""
    url = canonical_apply_url(record["apply_url"])
    parts = urlsplit(url)
    if not parts.query and len([part for part in parts.path.split("/") if part]) < 2:
        return None
    return url, company_key(record["company"]["name"])


def plan_import(records, source, *, close_missing=False, present=()):
    """Match canonical `records` of `source` with postings and work out what
    importing them changes; reads, never writes.

    A record matches the posting its (source, external_id) is linked to, else
    the posting whose canonical apply URL is its own (another source's copy,
    or the same job under a second id in this source), else it is new. A
    posting is open while any of its sources lists it open. `present` lists
    further external ids that are in the file but not being imported
    (invalid records skipped): --close-missing leaves those alone.
    """
    plan = ImportPlan(source=source)
    links = _Links()
    links.load(source, PostingSource.objects.filter(posting__sources__source=source).distinct())
    stored = {}
    _load_stored(stored, {"sources__source": source}, {"posting__sources__source": source})

    keys = {}
    for record in records:
        if record["external_id"] not in links.of_source and (key := _job_key(record)):
            keys.setdefault(key[0], None)
    by_url = {}
    for chunk in _chunks(list(keys), 500):
        rows = Posting.objects.filter(apply_url_key__in=chunk).order_by("pk")
        for url, company, pk in rows.values_list("apply_url_key", "company__name_key", "pk"):
            by_url.setdefault((url, company), pk)  # the oldest copy
    url_matched = sorted(set(by_url.values()) - set(stored))
    for chunk in _chunks(url_matched, 500):
        links.load(source, PostingSource.objects.filter(posting_id__in=chunk))
        _load_stored(stored, {"pk__in": chunk}, {"posting_id__in": chunk})

    new_by_url = {}  # canonical URL -> record of this file creating its posting
    matched = {}  # posting pk -> the first record of this file matching it
    changed = []
    for record in records:
        link = _link(record)
        known = links.of_source.get(record["external_id"])
        key = _job_key(record)
        if known is None and key and key in new_by_url:
            first = new_by_url[key]
            first["_links"].append(link)  # one posting, two ids in this file
            if link.active and first.get("status") == Status.CLOSED:
                first["status"] = record.get("status") or Status.PUBLISHED  # open while one is
            continue
        pk = known[1] if known else by_url.get(key)
        if pk is None:
            record["_links"] = [link]
            if key:
                new_by_url[key] = record
            plan.create.append(record)
            continue
        if known:
            row = links.by_posting[pk][known[0]]
            if (row[2], row[3]) != (link.active, link.company_name):
                plan.change_links.append((known[0], link))
        else:
            plan.add_links.append((pk, link))
        if pk in matched:
            continue  # the posting's fields follow the first of this file's records
        matched[pk] = record
        others, others_open = links.others(pk, source, known and known[0])
        entry = stored[pk]
        if others_open and record.get("status") == Status.CLOSED:
            record = {**record, "status": entry["values"]["status"]}  # another source lists it open
        changes = _ranked(_changes(entry, record), source, record, entry, others)
        if changes:
            changed.append((pk, record, changes))
        elif not known:
            plan.linked += 1
        else:
            plan.unchanged += 1
    for batch in _chunks(changed, BATCH_SIZE):
        postings = Posting.objects.in_bulk([pk for pk, _, _ in batch])
        plan.update.extend((postings[pk], record, changes) for pk, record, changes in batch)
    if close_missing:
        _plan_close(plan, links, {r["external_id"] for r in records} | set(present), stored)
    return plan


def _plan_close(plan, links, keep, stored):
    """Stop the source listing what is not in the file; close the postings no
    source lists open any more."""
    dropped = []
    for external_id, (link_pk, posting_pk) in links.of_source.items():
        source_name, _, active, company_name = links.by_posting[posting_pk][link_pk]
        if external_id in keep or not active:
            continue
        link = writes.Link(source_name, external_id, False, company_name)
        plan.change_links.append((link_pk, link))
        links.by_posting[posting_pk][link_pk][2] = False
        dropped.append(posting_pk)
    updated = {posting.pk for posting, _, _ in plan.update}
    for posting_pk in dict.fromkeys(dropped):
        entry = stored.get(posting_pk)
        if (
            entry is not None
            and entry["values"]["status"] != Status.CLOSED
            and not any(row[2] for row in links.by_posting[posting_pk].values())
            and posting_pk not in updated
        ):
            plan.close.append(posting_pk)


def apply_plan(plan, progress=None, batch_size=None):
    """Carry out `plan` in one transaction: all of it or, on any error or
    interruption (Ctrl-C included), none of it. `progress(done, total)` is
    called after each batch."""
    batch_size = batch_size or BATCH_SIZE
    total, done = len(plan.create) + len(plan.update) + len(plan.close), 0
    touched = set()
    with transaction.atomic():
        for batch in _chunks(plan.create, batch_size):
            touched.update(_create_batch(batch))
            done += len(batch)
            if progress:
                progress(done, total)
        for batch in _chunks(plan.update, batch_size):
            done += _update_batch(batch)
            touched.update(posting.pk for posting, _, _ in batch)
            if progress:
                progress(done, total)
        writes.add_sources(plan.add_links)
        writes.update_sources([(PostingSource(pk=pk), link) for pk, link in plan.change_links])
        touched.update(pk for pk, _ in plan.add_links)
        for pks in _chunks(plan.close, batch_size):
            writes.close_unlisted(pks)
            done += len(pks)
            if progress:
                progress(done, total)
        company_ids = set()
        for pks in _chunks(sorted(touched), 500):
            company_ids.update(
                Posting.objects.filter(pk__in=pks).values_list("company_id", flat=True)
            )
        rename_companies(company_ids)


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
            posting.company = _company_of(record, companies)
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
