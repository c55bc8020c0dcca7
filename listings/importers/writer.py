"""Writing postings in bulk from canonical records (see docs/import-format.md).

Records arrive already validated, BATCH_SIZE at a time (`Import`, used by
import_listings and the board sync): each batch is matched with the stored
postings, compared and written before the next is read, so memory follows
the batch, not the file. Companies, locations, skills, categories and terms
are resolved in a constant number of queries per batch, and postings, their
many-to-many rows and their pay ranges are written with bulk_create.
"""

import collections
import dataclasses
import datetime
import functools
from decimal import Decimal
from urllib.parse import urlsplit

from django.db import connection, reset_queries, transaction
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

# Records planned and written at a time: 1,000 keep a 45 MB list's import
# within 3x the file (README, "Files are read a piece at a time").
BATCH_SIZE = 1000


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
    postings written have doubled since the last time (after 2,000, 4,000,
    8,000, ...): planned without them, the write path's per-batch statements
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
class BatchPlan:
    """What importing one batch of records will do, worked out by reading only."""

    create: list = dataclasses.field(default_factory=list)  # records (new postings)
    update: list = dataclasses.field(default_factory=list)  # (posting pk, record, changes)
    add_links: list = dataclasses.field(default_factory=list)  # (posting pk, Link)
    change_links: list = dataclasses.field(default_factory=list)  # (PostingSource pk, Link)

    @property
    def writes(self):
        return len(self.create) + len(self.update) + len(self.add_links) + len(self.change_links)


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


def batches(records):
    """Lists of BATCH_SIZE records from `records` (any iterable, read as it goes)."""
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


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


def _load_stored(pks):
    """What is stored of postings `pks`, in a few queries per 500: pk -> the
    compared field values, the company's key, the lower-cased label names,
    the location names and the pay ranges as (min, max, states) — everything
    a record is compared with."""
    stored = {}
    for chunk in _chunks(pks, 500):
        rows = Posting.objects.filter(pk__in=chunk).values_list(
            "pk", "source", "company_id", "company__name_key", *COMPARED_FIELDS
        )
        for pk, first_source, company_id, company_key_, *values in rows:
            stored[pk] = {
                "pk": pk,
                "source": first_source,
                "company_id": company_id,
                "values": dict(zip(COMPARED_FIELDS, values, strict=True)),
                "company": company_key_,
                **{key: set() for key in ("skills", "categories", "terms", "locations", "pay")},
            }
        for field_name, lookup in (
            ("skills", "skill__name"),
            ("categories", "category__name"),
            ("terms", "term__name"),
        ):
            through = getattr(Posting, field_name).through
            rows = through.objects.filter(posting_id__in=chunk).values_list("posting_id", lookup)
            for pk, name in rows:
                stored[pk][field_name].add(name.lower())
        rows = Posting.locations.through.objects.filter(posting_id__in=chunk).values_list(
            "posting_id", "location__name"
        )
        for pk, name in rows:
            stored[pk]["locations"].add(name)
        ranges = (
            PayRange.objects.filter(posting_id__in=chunk)
            .order_by()
            .with_state_codes()
            .values_list("pk", "posting_id", "min_amount", "max_amount", "state_codes")
        )
        for _pk, posting_id, low, high, codes in ranges:
            states = frozenset(code for code in (codes or "").split(",") if code)
            stored[posting_id]["pay"].add((low, high, states))
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
    is open follows the closing rule (_plan_batch), not this ranking."""
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


def _job_key(record):
    """(canonical apply URL, company key) two copies of one job share, or None
    when the URL is a careers page rather than a job's ("careers.oracle.com/jobs",
    "instacart.careers/current-openings/": one path segment and no query)."""
    url = canonical_apply_url(record["apply_url"])
    parts = urlsplit(url)
    if not parts.query and len([part for part in parts.path.split("/") if part]) < 2:
        return None
    return url, company_key(record["company"]["name"])


def _is_open(record):
    return (record.get("status") or Status.PUBLISHED) != Status.CLOSED


def _plan_batch(records, source, matched):
    """Match one batch of `source`'s canonical `records` with postings and work
    out what importing them changes; reads, never writes.

    A record matches the posting its (source, external_id) is linked to, else
    the posting whose canonical apply URL and company are its own (another
    source's copy, or the same job under a second id, this batch's or an
    earlier one's), else it is new. `matched` (posting pk -> how the posting
    was counted: "created", "updated" or "unchanged") holds the postings the
    earlier batches of the same file matched, and this batch's are added: a
    posting's fields follow the file's first record matching it. A posting is
    open while any of its links, of any source, is active.
    """
    plan = BatchPlan()
    known = {}  # external id -> (link pk, posting pk) of this source
    for chunk in _chunks([record["external_id"] for record in records], 500):
        rows = PostingSource.objects.filter(source=source, external_id__in=chunk)
        for pk, posting_id, external_id in rows.values_list("pk", "posting_id", "external_id"):
            known[external_id] = (pk, posting_id)
    keys = {}
    for record in records:
        if record["external_id"] not in known and (key := _job_key(record)):
            keys.setdefault(key[0], None)
    by_url = {}
    for chunk in _chunks(list(keys), 500):
        rows = Posting.objects.filter(apply_url_key__in=chunk).order_by("pk")
        for url, company, pk in rows.values_list("apply_url_key", "company__name_key", "pk"):
            by_url.setdefault((url, company), pk)  # the oldest copy
    pks = sorted({pk for _, pk in known.values()} | set(by_url.values()))
    links = {}  # posting pk -> {link pk: (source, active, company name)}
    for chunk in _chunks(pks, 500):
        rows = PostingSource.objects.filter(posting_id__in=chunk).values_list(
            "pk", "posting_id", "source", "active", "company_name"
        )
        for pk, posting_id, link_source, active, company_name in rows:
            links.setdefault(posting_id, {})[pk] = (link_source, active, company_name)
    stored = _load_stored(pks)

    new_by_key = {}  # job key -> record of this batch creating its posting
    groups = {}  # posting pk -> [(record, its link pk or None)] of this batch
    for record in records:
        link = _link(record)
        hit = known.get(record["external_id"])
        key = _job_key(record)
        pk = hit[1] if hit else by_url.get(key)
        if pk is None:
            if key and key in new_by_key:
                first = new_by_key[key]
                first["_links"].append(link)  # one posting, two ids in this file
                if link.active and not _is_open(first):
                    first["status"] = record.get("status") or Status.PUBLISHED  # open while one is
                continue
            record["_links"] = [link]
            if key:
                new_by_key[key] = record
            plan.create.append(record)
            continue
        if hit:
            _, active, company_name = links[pk][hit[0]]
            if (active, company_name) != (link.active, link.company_name):
                plan.change_links.append((hit[0], link))
        else:
            plan.add_links.append((pk, link))
        groups.setdefault(pk, []).append((record, hit and hit[0]))

    for pk, group in groups.items():
        entry, rows = stored[pk], links.get(pk, {})
        restated = {link_pk for _, link_pk in group}
        others_open = any(row[1] for link_pk, row in rows.items() if link_pk not in restated)
        opened = [record for record, _ in group if _is_open(record)]
        status = entry["values"]["status"]
        if pk in matched:
            # An earlier batch set its fields: these records only say whether it is open.
            if opened and status == Status.CLOSED:
                plan.update.append((pk, opened[0], {"status"}))
            elif not opened and not others_open and status != Status.CLOSED:
                plan.update.append((pk, group[0][0], {"status"}))
            else:
                continue
            if matched[pk] == "unchanged":
                matched[pk] = "updated"
            continue
        record, link_pk = group[0]
        if not _is_open(record) and (others_open or opened):
            # Another link lists it open: it stays open, or opens as that record says.
            kept = status != Status.CLOSED or not opened
            record = {**record, "status": status if kept else opened[0]["status"]}
        others = {row[0] for row in rows.values() if row[0] != source}
        changes = _ranked(_changes(entry, record), source, record, entry, others)
        if changes:
            plan.update.append((pk, record, changes))
        # A posting this source now lists beside another counts as updated.
        matched[pk] = "updated" if changes or link_pk is None else "unchanged"
    return plan


class Import:
    """Importing one source's records: `add` plans and writes a batch at a
    time, `close_missing` stops the source listing what the file left out,
    `finish` names the touched companies.

    Run it all inside one transaction (the caller's): a later batch then sees
    what earlier ones wrote (a job repeated further on under another id is
    the posting an earlier batch created), any error or interruption leaves
    the database as it was, and a dry run is the same import rolled back, so
    its counts are exactly what the import would do. Between batches only
    the postings already matched (with how each was counted) and the touched
    companies are kept.
    """

    def __init__(self, source):
        self.source = source
        self.matched = {}  # posting pk -> "created", "updated" or "unchanged"
        self.closed = 0
        self.wrote = False
        self.companies = set()  # ids of companies whose postings were written

    def counts(self):
        counted = collections.Counter(self.matched.values())
        return {
            "created": counted["created"],
            "updated": counted["updated"],
            "unchanged": counted["unchanged"],
            "closed": self.closed,
        }

    def add(self, records):
        """Import one batch of canonical records; returns whether it wrote anything."""
        # Under DEBUG Django keeps the last 9,000 statements, the bulk ones with
        # every value: the earlier batches' would hold more than the records.
        if not connection.force_debug_cursor:  # unless someone is capturing them
            reset_queries()
        plan = _plan_batch(records, self.source, self.matched)
        if not plan.writes:
            return False
        touched = _create_batch(plan.create) if plan.create else []
        self.matched.update((pk, "created") for pk in touched)
        if plan.update:
            postings = Posting.objects.in_bulk([pk for pk, _, _ in plan.update])
            _update_batch([(postings[pk], record, changes) for pk, record, changes in plan.update])
            touched += [pk for pk, _, _ in plan.update]
        writes.add_sources(plan.add_links)
        writes.update_sources([(PostingSource(pk=pk), link) for pk, link in plan.change_links])
        touched += [pk for pk, _ in plan.add_links]
        for pks in _chunks(sorted(set(touched)), 500):
            self.companies.update(
                Posting.objects.filter(pk__in=pks).values_list("company_id", flat=True)
            )
        self.wrote = True
        return True

    def close_missing(self, listed):
        """Stop the source listing its postings whose external id is not in
        `listed` (every id of the file, invalid records' included); close those
        no source lists open any more."""
        rows = PostingSource.objects.filter(source=self.source, active=True).values_list(
            "pk", "posting_id", "external_id", "company_name"
        )
        dropped = [row for row in rows.iterator(chunk_size=BATCH_SIZE) if row[2] not in listed]
        for batch in _chunks(dropped, BATCH_SIZE):
            writes.update_sources(
                [
                    (PostingSource(pk=pk), writes.Link(self.source, external_id, False, name))
                    for pk, _, external_id, name in batch
                ]
            )
        if dropped:
            self.closed += writes.close_unlisted(sorted({row[1] for row in dropped}))
            self.wrote = True

    def finish(self):
        rename_companies(self.companies)


def _update_batch(triples):
    """Write the changes of (posting, record, changes) triples through the
    write path: only the changed fields, relations and pay."""
    # Companies, labels and places of the records that change them (not of one that opens a posting).
    companies, labels, locations = _resolve(
        [record for _, record, changes in triples if changes & {"company", *RELATIONS}]
    )
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
