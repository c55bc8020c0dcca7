"""Where every write of a posting goes (see docs/architecture.md, "Where a write goes").

A posting carries data derived from what editors and imports write: the
overall pay columns (`pay_min`, `pay_max` and their hourly equivalents, used
to filter and sort lists), each pay range's hourly equivalents, the per-state
table `StatePay` (the list's state filter and pay within a state), the
full-text search document (PostgreSQL) and the cache generation. The
functions below are the only writers of postings, their places, labels and
pay: each writes what it is given and then refreshes the derived data of
the postings it touched, set-based, in a constant number of queries per
batch of postings (`refresh`).

Single postings (admin, tests, shell): `create_posting`, `update_posting`,
`set_places`, `set_labels`, `set_pay`, `set_status`, `duplicate`.
Many at once (the importer, `load_demo`, future syncs): `create_postings`,
`update_postings`, `close`, `reopen`. After writes made elsewhere (the
admin's form and inline formsets, a Location edited): `refresh`.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.db import connection, models, transaction
from django.db.models import Max, Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Greatest
from django.utils import timezone

from config.generation import invalidate

from . import pay
from .links import canonical_apply_url
from .models import (
    Location,
    PayRange,
    PayRangeState,
    Posting,
    PostingSource,
    SearchDocument,
    StatePay,
    Status,
    WorkMode,
    fresh_on_for,
)

# Postings refreshed per statement: keeps SQLite within its parameter limit
# and gives PostgreSQL a literal id list to plan for.
BATCH = 500
# Django's bulk_update writes one CASE per field listing every row of a batch,
# which grows with the square of the batch: keep its batches small.
UPDATE_BATCH_SIZE = 250
LABELS = ("skills", "categories", "terms")
RELATIONS = ("locations", *LABELS)

# What each derived datum is made of: a change to one of these fields, or
# relations, calls for refreshing it.
SEARCHED = frozenset(
    {"title", "company", "company_id", "skills", "categories", "about_role", "responsibilities"}
)
PLACED = frozenset({"work_mode", "locations", "pay"})
PAID = frozenset({"pay", "pay_unit", "hours_per_week"})


# --- derived data -------------------------------------------------------------


def refresh(postings, *, pay=True, search=True, places=True):
    """Recompute the derived data of `postings` (a queryset, instances or ids):
    pay columns and range hourly equivalents (`pay`), the search document
    (`search`) and the StatePay rows (`places`, always redone with `pay`),
    then bump the cache generation. A few statements per BATCH postings."""
    ids = _ids(postings)
    with transaction.atomic():
        for chunk in _chunks(ids, BATCH):
            if pay:
                _refresh_pay(chunk)
            if search:
                _refresh_search(chunk)
            if places or pay:
                _refresh_state_pay(chunk)
            _refresh_terms_end(chunk)
    invalidate()


def _ids(postings):
    if isinstance(postings, models.QuerySet):
        return list(postings.order_by().values_list("pk", flat=True))
    if isinstance(postings, Posting):
        return [postings.pk]
    return [p.pk if isinstance(p, Posting) else p for p in postings]


def _chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def range_hourly(pay_range, unit, hours_per_week):
    """Set a PayRange's hourly equivalents from the posting's unit and hours."""
    pay_range.min_hourly = pay.hourly(pay_range.min_amount, unit, hours_per_week)
    pay_range.max_hourly = pay.hourly(pay_range.max_amount, unit, hours_per_week)


def _pay_columns(ranges):
    """The posting's overall pay columns from its (hourly-stamped) ranges."""
    if not ranges:
        return {"pay_min": None, "pay_max": None, "pay_min_hourly": None, "pay_max_hourly": None}
    return {
        "pay_min": min(r.min_amount for r in ranges),
        "pay_max": max(r.max_amount for r in ranges),
        "pay_min_hourly": min(r.min_hourly for r in ranges),
        "pay_max_hourly": max(r.max_hourly for r in ranges),
    }


def _refresh_pay(ids):
    """Range hourly equivalents in Python (Decimal rounding, as pay.hourly),
    written only where they changed; the posting columns in one UPDATE."""
    postings = {
        pk: (unit, hours)
        for pk, unit, hours in Posting.objects.filter(pk__in=ids)
        .order_by()
        .values_list("pk", "pay_unit", "hours_per_week")
    }
    changed = []
    for pay_range in (
        PayRange.objects.filter(posting_id__in=ids)
        .order_by()
        .only("pk", "posting_id", "min_amount", "max_amount", "min_hourly", "max_hourly")
    ):
        before = (pay_range.min_hourly, pay_range.max_hourly)
        range_hourly(pay_range, *postings[pay_range.posting_id])
        if before != (pay_range.min_hourly, pay_range.max_hourly):
            changed.append(pay_range)
    if changed:
        PayRange.objects.bulk_update(
            changed, ["min_hourly", "max_hourly"], batch_size=UPDATE_BATCH_SIZE
        )

    def aggregate(function, field):
        ranges = PayRange.objects.filter(posting_id=OuterRef("pk")).order_by().values("posting_id")
        return Subquery(ranges.annotate(value=function(field)).values("value"))

    Posting.objects.filter(pk__in=ids).order_by().update(
        pay_min=aggregate(Min, "min_amount"),
        pay_max=aggregate(Max, "max_amount"),
        pay_min_hourly=aggregate(Min, "min_hourly"),
        pay_max_hourly=aggregate(Max, "max_hourly"),
    )


def search_document(title, company_name, skill_names, category_names, about_role, texts):
    """The search document of values not yet stored (a new posting's)."""
    return SearchDocument(
        Value(title),
        Value(" ".join([company_name, *skill_names, *category_names])),
        Value(f"{about_role} {texts}"),
    )


def _refresh_search(ids):
    """Recompute the full-text search document of postings `ids` from their
    stored rows: title (weight A), company, skills and categories (B), the
    role's texts (C). PostgreSQL only; SQLite searches the fields directly."""
    if connection.vendor != "postgresql":
        return
    from django.contrib.postgres.aggregates import StringAgg

    from companies.models import Company

    def names(field):
        through = Posting._meta.get_field(field).remote_field.through
        target = Posting._meta.get_field(field).m2m_reverse_field_name()
        return Coalesce(
            Subquery(
                through.objects.filter(posting_id=OuterRef("pk"))
                .values("posting_id")
                .annotate(text=StringAgg(f"{target}__name", " "))
                .values("text")
            ),
            Value(""),
            output_field=models.TextField(),
        )

    company = Coalesce(
        Subquery(Company.objects.filter(pk=OuterRef("company_id")).values("name")),
        Value(""),
        output_field=models.TextField(),
    )
    space, text = Value(" "), models.TextField()
    vector = SearchDocument(
        "title",
        Concat(company, space, names("skills"), space, names("categories"), output_field=text),
        Concat("about_role", space, "responsibilities", output_field=text),
    )
    Posting.objects.filter(pk__in=ids).order_by().update(search_vector=vector)


def _refresh_terms_end(ids):
    """terms_end: the last end of the postings' terms (listings/terms.py), which
    the open condition reads; NULL when they name none or one whose end is
    unknown. One UPDATE with a correlated subquery, the same SQL on both
    databases."""
    if not ids:
        return
    table = Posting._meta.db_table
    through = Posting.terms.through._meta.db_table
    term = Posting.terms.field.related_model._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} SET terms_end = (
                SELECT CASE WHEN COUNT(*) = COUNT(t.end_on) THEN MAX(t.end_on) END
                  FROM {through} pt JOIN {term} t ON t.id = pt.term_id
                 WHERE pt.posting_id = {table}.id)
             WHERE id IN ({marks})""",
            list(ids),
        )


def _refresh_state_pay(ids):
    """Rewrite the StatePay rows of postings `ids`: a row for every US state
    each can be done from (onsite/hybrid: its US locations' states, and every
    state when one location is the country alone, "city not stated"; remote
    with a US location: every state), with the range listing the state, else
    the "all other states" range. Two statements, the same SQL on PostgreSQL
    and SQLite; a literal id list so that PostgreSQL plans for its size."""
    if not ids:
        return
    codes = list(pay.US_STATES)
    code_list = ", ".join(["%s"] * len(codes))
    code_rows = ", ".join(["(%s)"] * len(codes))
    marks = ", ".join(["%s"] * len(ids))
    t = {
        "posting": Posting._meta.db_table,
        "links": Posting.locations.through._meta.db_table,
        "location": Location._meta.db_table,
        "range": PayRange._meta.db_table,
        "range_state": PayRangeState._meta.db_table,
        "state_pay": StatePay._meta.db_table,
    }
    places = f"""
        SELECT p.id AS posting_id, l.region AS state
          FROM {t["posting"]} p
          JOIN {t["links"]} pl ON pl.posting_id = p.id
          JOIN {t["location"]} l ON l.id = pl.location_id
         WHERE p.work_mode IN (%s, %s) AND l.country = %s AND l.region IN ({code_list})
           AND p.id IN ({marks})
        UNION
        SELECT p.id, codes.column1
          FROM {t["posting"]} p
         CROSS JOIN (VALUES {code_rows}) codes
         WHERE p.id IN ({marks}) AND EXISTS (
               SELECT 1 FROM {t["links"]} pl
                 JOIN {t["location"]} l ON l.id = pl.location_id
                WHERE pl.posting_id = p.id AND l.country = %s
                  AND (p.work_mode = %s OR (l.region = '' AND l.city = '')))
    """
    insert = f"""
        INSERT INTO {t["state_pay"]} (posting_id, state, min_amount, max_amount, max_hourly)
        SELECT a.posting_id, a.state,
               COALESCE(listed.min_amount, other.min_amount),
               COALESCE(listed.max_amount, other.max_amount),
               COALESCE(listed.max_hourly, other.max_hourly)
          FROM ({places}) a
          LEFT JOIN {t["range_state"]} rs ON rs.posting_id = a.posting_id AND rs.state = a.state
          LEFT JOIN {t["range"]} listed ON listed.id = rs.pay_range_id
          LEFT JOIN {t["range"]} other
            ON other.posting_id = a.posting_id AND other.other_states = %s
    """
    params = [
        WorkMode.ONSITE, WorkMode.HYBRID, "US", *codes, *ids,
        *codes, *ids, "US", WorkMode.REMOTE, True,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {t['state_pay']} WHERE posting_id IN ({marks})", ids)
        cursor.execute(insert, params)


# --- rows written as tuples -----------------------------------------------------


def insert_rows(model, fields, rows):
    """INSERT plain tuples into `model`'s table, building no model instances.

    The link and pay-state tables take about a million rows for 100,000
    postings; a Django object per row costs several times the database's own
    work, so rows go in as tuples (COPY on PostgreSQL).
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


def _replace_relations(postings_relations):
    """Replace the given relations of postings: {posting_pk: {field: [objects]}}."""
    for field in RELATIONS:
        given = {
            pk: objs for pk, rels in postings_relations if (objs := rels.get(field)) is not None
        }
        if not given:
            continue
        through = getattr(Posting, field).through
        target = getattr(Posting, field).field.m2m_reverse_field_name()
        through.objects.filter(posting_id__in=list(given)).delete()
        rows = []
        for pk, objs in given.items():
            for obj_pk in dict.fromkeys(o.pk if hasattr(o, "pk") else o for o in objs):
                rows.append((pk, obj_pk))
        insert_rows(through, ["posting", target], rows)


def _normal_ranges(ranges):
    """[(min, max, states)] -> [(Decimal, Decimal, sorted upper-case codes)]."""
    return [
        (Decimal(str(low)), Decimal(str(high)), sorted({s.strip().upper() for s in states or []}))
        for low, high, states in ranges
    ]


def _write_ranges(postings_ranges):
    """Create the pay ranges of [(posting, ranges)], the postings' old ranges
    deleted first. Returns {posting_pk: [PayRange]} with hourly equivalents."""
    pks = [posting.pk for posting, _ in postings_ranges]
    PayRangeState.objects.filter(posting_id__in=pks).delete()
    PayRange.objects.filter(posting_id__in=pks).delete()
    new, states_of, by_posting = [], [], {pk: [] for pk in pks}
    for posting, ranges in postings_ranges:
        for low, high, states in _normal_ranges(ranges):
            pay_range = PayRange(
                posting_id=posting.pk, min_amount=low, max_amount=high, other_states=not states
            )
            range_hourly(pay_range, posting.pay_unit, posting.hours_per_week)
            new.append(pay_range)
            states_of.append(states)
            by_posting[posting.pk].append(pay_range)
    new = PayRange.objects.bulk_create(new)
    insert_rows(
        PayRangeState,
        ["pay_range", "posting", "state"],
        [(r.pk, r.posting_id, s) for r, states in zip(new, states_of, strict=True) for s in states],
    )
    return by_posting


# --- many postings at once --------------------------------------------------------


@dataclasses.dataclass
class Write:
    """One posting to create or update in bulk.

    `posting`: an unsaved Posting (create) or a loaded one with its new values
    set (update); its slug and cleaned HTML are the caller's (the importer
    computes them once per record). `fields`: for updates, the names of the
    fields changed. `relations`: {"locations"|"skills"|"categories"|"terms":
    [objects]} to replace (only those given; labels need their names for the
    search document of a new posting). `pay`: [(min, max, [states])] replacing
    the ranges, or None to keep them. `sources`: for creates, the sources
    listing the new posting, as Link tuples.
    """

    posting: Posting
    fields: frozenset = frozenset()
    relations: dict = dataclasses.field(default_factory=dict)
    pay: list | None = None
    sources: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class Link:
    """A source listing a posting (a PostingSource row to write)."""

    source: str
    external_id: str
    active: bool = True
    company_name: str = ""


def create_postings(writes):
    """Create the postings of `writes` (a list of Write) with their relations
    and pay, and every derived datum, in a constant number of queries.
    Returns the saved postings. Run it inside the caller's transaction (or
    it is one)."""
    if not writes:
        return []
    with transaction.atomic():
        for write in writes:
            posting = write.posting
            posting.stamp_status()
            posting.apply_url_key = canonical_apply_url(posting.apply_url or "")
            ranges = []
            for low, high, states in _normal_ranges(write.pay or []):
                pay_range = PayRange(min_amount=low, max_amount=high, other_states=not states)
                range_hourly(pay_range, posting.pay_unit, posting.hours_per_week)
                ranges.append(pay_range)
            for name, value in _pay_columns(ranges).items():
                setattr(posting, name, value)
            if connection.vendor == "postgresql":
                # Written with the row: spares rewriting every new row.
                names = [[o.name for o in write.relations.get(f) or []] for f in LABELS[:2]]
                posting.search_vector = search_document(
                    posting.title,
                    posting.company.name,
                    dict.fromkeys(names[0]),
                    dict.fromkeys(names[1]),
                    posting.about_role,
                    posting.responsibilities,
                )
        # BATCH rows a statement: the SQL of one row (its search document on
        # PostgreSQL) is ~14 KB while it is built, however many rows come.
        postings = Posting.objects.bulk_create([w.posting for w in writes], batch_size=BATCH)
        _insert_relations([(p.pk, w.relations) for p, w in zip(postings, writes, strict=True)])
        add_sources(
            [(p.pk, link) for p, w in zip(postings, writes, strict=True) for link in w.sources]
        )
        _write_ranges([(w.posting, w.pay) for w in writes if w.pay])
        ids = [p.pk for p in postings]
        for chunk in _chunks(ids, BATCH):
            _refresh_state_pay(chunk)
        termed = [p.pk for p, w in zip(postings, writes, strict=True) if w.relations.get("terms")]
        for chunk in _chunks(termed, BATCH):
            _refresh_terms_end(chunk)
    invalidate()
    return postings


def _insert_relations(postings_relations):
    for field in RELATIONS:
        through = getattr(Posting, field).through
        target = getattr(Posting, field).field.m2m_reverse_field_name()
        rows = []
        for pk, relations in postings_relations:
            for obj_pk in dict.fromkeys(o.pk for o in relations.get(field) or []):
                rows.append((pk, obj_pk))
        insert_rows(through, ["posting", target], rows)


def update_postings(writes):
    """Write the changes of `writes` (a list of Write of loaded postings):
    only the changed fields (postings changing the same fields share a
    query), only the given relations and pay, then the derived data the
    changes touch. Returns the number of postings."""
    if not writes:
        return 0
    now = timezone.now()
    with transaction.atomic():
        by_fields = {}
        for write in writes:
            posting, fields = write.posting, set(write.fields)
            if "status" in fields:
                posting.stamp_status()
                fields |= {"submitted_at", "published_at", "closed_at"}
            if "apply_url" in fields:
                posting.apply_url_key = canonical_apply_url(posting.apply_url or "")
                fields.add("apply_url_key")
            posting.updated_at = now
            fields.add("updated_at")
            fields.discard("pay")
            by_fields.setdefault(frozenset(fields), []).append(posting)
        for fields, postings in by_fields.items():
            Posting.objects.bulk_update(postings, sorted(fields), batch_size=UPDATE_BATCH_SIZE)
        _replace_relations([(w.posting.pk, w.relations) for w in writes if w.relations])
        priced = [w for w in writes if w.pay is not None]
        _write_ranges([(w.posting, w.pay) for w in priced])

        def touched(names):
            return [
                w.posting.pk
                for w in writes
                if (w.fields | set(w.relations) | ({"pay"} if w.pay is not None else set())) & names
            ]

        paid, searched, placed = touched(PAID), touched(SEARCHED), touched(PLACED | PAID)
        for chunk in _chunks(paid, BATCH):
            _refresh_pay(chunk)
        for chunk in _chunks(searched, BATCH):
            _refresh_search(chunk)
        for chunk in _chunks(placed, BATCH):
            _refresh_state_pay(chunk)
        for chunk in _chunks(touched({"terms"}), BATCH):
            _refresh_terms_end(chunk)
    invalidate()
    return len(writes)


def close(postings):
    """Close `postings` (a queryset) that are not closed yet; their first
    closing time is kept. Returns how many were closed. Nothing derived
    depends on the status but the cache generation, bumped by update()."""
    now = timezone.now()
    return postings.exclude(status=Status.CLOSED).update(
        status=Status.CLOSED, closed_at=Coalesce("closed_at", Value(now)), updated_at=now
    )


def reopen(postings):
    """Publish again the closed ones of `postings` (a queryset). Returns how many."""
    now = timezone.now()
    return postings.filter(status=Status.CLOSED).update(
        status=Status.PUBLISHED, published_at=Coalesce("published_at", Value(now)), updated_at=now
    )


# --- sources: who lists a posting (PRODUCT.md section 14) ---------------------------


def add_sources(rows):
    """Link postings to the sources listing them: [(posting_pk, Link)]."""
    now = timezone.now()
    PostingSource.objects.bulk_create(
        [
            PostingSource(
                posting_id=pk,
                source=link.source,
                external_id=link.external_id,
                active=link.active,
                last_seen_at=now,
                company_name=link.company_name[:200],
            )
            for pk, link in rows
        ],
        batch_size=BATCH,
    )


def update_sources(changes):
    """Set what sources now say of postings they list: [(PostingSource, Link)]
    (its active flag and company spelling; the link's last-seen time is stamped)."""
    now = timezone.now()
    rows = []
    for row, link in changes:
        row.active, row.company_name, row.last_seen_at = link.active, link.company_name, now
        rows.append(row)
    PostingSource.objects.bulk_update(
        rows, ["active", "company_name", "last_seen_at"], batch_size=UPDATE_BATCH_SIZE
    )


def close_unlisted(ids):
    """Close those of postings `ids` that no source lists open any more (each
    has at least one source and none of them is active). Returns how many."""
    total = 0
    for chunk in _chunks(ids, BATCH):
        listed = PostingSource.objects.filter(posting_id=OuterRef("pk"))
        total += close(
            Posting.objects.filter(pk__in=chunk)
            .filter(models.Exists(listed))
            .exclude(models.Exists(listed.filter(active=True)))
        )
    return total


def confirm(postings, at=None):
    """A company job board lists `postings` (a queryset), now or `at`: stamp
    confirmed_at and move fresh_on to match (fresh_on_for), in one UPDATE.
    Returns how many. The postings' other fields, updated_at included, stay."""
    at = at or timezone.now()
    # fresh_on_for(posted_on, at) is the later of posted_on and this day.
    confirmed_day = fresh_on_for(datetime.date.min, at)
    return postings.order_by().update(
        confirmed_at=at, fresh_on=Greatest("posted_on", Value(confirmed_day))
    )


ANALYZED_TABLES = (
    Posting, PostingSource, PayRange, PayRangeState, StatePay, Location,
    Posting.locations.through, Posting.skills.through, Posting.categories.through,
    Posting.terms.through,
)  # fmt: skip


def analyze():
    """Refresh PostgreSQL's planner statistics of the posting tables after a
    bulk write (an import, load_demo, a board sync): without them a fresh
    database plans the list's queries badly until autovacuum comes round.
    Nothing on SQLite."""
    if connection.vendor != "postgresql":
        return
    from companies.models import Company

    tables = [Company, *ANALYZED_TABLES]
    names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {names}")


# --- one posting ---------------------------------------------------------------------


def create_posting(*, locations=(), skills=(), categories=(), terms=(), pay=None, **fields):
    """Create one posting from field values (`company` included), its
    locations and labels (objects) and pay ([(min, max, [states])]);
    returns it with every derived datum stored."""
    with transaction.atomic():
        posting = Posting(**fields)
        posting.save()
        relations = {"locations": locations, "skills": skills, "categories": categories}
        _insert_relations([(posting.pk, {**relations, "terms": terms})])
        if pay:
            _write_ranges([(posting, pay)])
        refresh(posting)
    posting.refresh_from_db()
    return posting


def update_posting(posting, **fields):
    """Set `fields` on `posting`, save it and refresh what they feed."""
    for name, value in fields.items():
        setattr(posting, name, value)
    with transaction.atomic():
        posting.save()
        changed = set(fields) or SEARCHED | PLACED | PAID
        refresh(
            posting,
            pay=bool(changed & PAID),
            search=bool(changed & SEARCHED),
            places=bool(changed & PLACED),
        )
    posting.refresh_from_db()
    return posting


def set_places(posting, locations):
    """Replace the posting's locations (objects or ids)."""
    with transaction.atomic():
        _replace_relations([(posting.pk, {"locations": list(locations)})])
        refresh(posting, pay=False, search=False)
    posting.refresh_from_db()


def set_labels(posting, *, skills=None, categories=None, terms=None):
    """Replace the posting's skills, categories and/or terms (objects or ids)."""
    given = {
        name: list(value)
        for name, value in (("skills", skills), ("categories", categories), ("terms", terms))
        if value is not None
    }
    with transaction.atomic():
        _replace_relations([(posting.pk, given)])
        refresh(posting, pay=False, places=False, search=bool(set(given) & SEARCHED))
    posting.refresh_from_db()


def set_pay(posting, ranges, *, currency=None, unit=None):
    """Replace the posting's pay with `ranges`: [(min, max, [states])] (no
    states: all other states); the currency and unit too when given."""
    changed = {}
    if currency:
        changed["pay_currency"] = currency
    if unit:
        changed["pay_unit"] = unit
    for name, value in changed.items():
        setattr(posting, name, value)
    with transaction.atomic():
        if changed:
            Posting.objects.filter(pk=posting.pk).update(**changed)
        _write_ranges([(posting, ranges)])
        refresh(posting, search=False)
    posting.refresh_from_db()


def set_status(posting, status):
    """Move one posting to `status`, stamping when it entered it."""
    return update_posting(posting, status=status)


def duplicate(original):
    """A new draft with the same content, labels, locations and pay, posted
    today (a deadline already past is dropped)."""
    today = timezone.localdate()
    fields = {
        f.attname: getattr(original, f.attname)
        for f in Posting._meta.concrete_fields
        if f.editable and not f.primary_key
    }
    fields.update(status=Status.DRAFT, source="", external_id="", posted_on=today)
    if fields["closes_on"] and fields["closes_on"] < today:
        fields["closes_on"] = None
    ranges = [
        (r.min_amount, r.max_amount, r.state_list) for r in original.pay_ranges.with_state_codes()
    ]
    return create_posting(
        locations=list(original.locations.all()),
        skills=list(original.skills.all()),
        categories=list(original.categories.all()),
        terms=list(original.terms.all()),
        pay=ranges,
        **fields,
    )


# --- edits elsewhere that feed a posting's derived data ---------------------------
# Connected in ListingsConfig.ready: Locations, companies and labels are
# edited in their own admin pages, outside any posting write.


def location_saved(sender, instance, created=False, **kwargs):
    """An edited location (its country or state) moves its postings' StatePay rows."""
    if not created:
        refresh(Posting.objects.filter(locations=instance), pay=False, search=False)


def location_deleting(sender, instance, **kwargs):
    # The link rows go with the location: note its postings first.
    instance._posting_ids = list(instance.postings.values_list("pk", flat=True))


def location_deleted(sender, instance, **kwargs):
    refresh(getattr(instance, "_posting_ids", []), pay=False, search=False)


def name_saved(sender, instance, created=False, **kwargs):
    """A renamed company, skill or category is part of its postings' search document."""
    if not created and connection.vendor == "postgresql":
        refresh(instance.postings.all(), pay=False, places=False)


def terms_changed(sender, instance, action, reverse, pk_set=None, **kwargs):
    """Terms set through the relation (the admin form, a shell) move terms_end."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        ids = [instance.pk]
    elif action != "post_clear":
        ids = list(pk_set or [])
    else:
        return
    for chunk in _chunks(ids, BATCH):
        _refresh_terms_end(chunk)
    invalidate()


def term_saved(sender, instance, created=False, **kwargs):
    """A renamed term (its dates follow its name) moves its postings' terms_end."""
    if not created:
        ids = list(instance.postings.values_list("pk", flat=True))
        for chunk in _chunks(ids, BATCH):
            _refresh_terms_end(chunk)
        invalidate()
