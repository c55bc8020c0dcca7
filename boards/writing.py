"""The one place where a board sync writes postings.

`write_board` takes the canonical records (docs/import-format.md) read from a
company's board and makes that board's postings match them: creates the new
ones, updates the changed ones, reopens the ones that came back and closes
those gone from the board — all in one transaction, nothing for a board that
did not change. Everything else in this app produces records and never
touches the posting tables.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from config.generation import deferred
from listings import writes
from listings.importers.validation import Problems, clean_record
from listings.importers.writer import Import, batches
from listings.models import Posting, PostingSource


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    skipped: int = 0

    def add(self, other):
        for name in ("created", "updated", "unchanged", "closed", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def __str__(self):
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"closed {self.closed}, skipped {self.skipped}"
        )


def write_board(company, source, records, dry_run=False):
    """Make `source`'s postings match `records`; returns (Counts, invalid).

    Records are matched as an import's are (PRODUCT.md section 14), by the
    same code: a job a community list already has becomes one posting with
    both sources, the board's fields winning; the board closes only what it
    alone listed open. Every posting still on the board is confirmed
    (confirmed_at, fresh_on). All in one transaction; a dry run is the same
    writes rolled back.

    Records the import rules refuse (say, an apply URL that is not public)
    are counted as skipped, listed in `invalid` as "external id: field:
    message", and their postings are left as they are (not closed).
    """
    valid, invalid, listed = [], [], set()
    for record in records:
        try:
            cleaned = clean_record(record)
        except Problems as exc:
            listed.add(str(record.get("external_id")))  # its posting stays as it is
            field, message = exc.problems[0]
            invalid.append(f"{record.get('external_id')}: {field}: {message}")
            continue
        cleaned["source"] = source
        cleaned["company"] = {**cleaned["company"], "name": company.name}
        cleaned["_company"] = company  # the board's own, whatever else shares its name
        valid.append(cleaned)
        listed.add(cleaned["external_id"])
    with deferred(dry_run), transaction.atomic():
        run = Import(source)
        for batch in batches(valid):
            run.add(batch)
        run.close_missing(listed)
        run.finish()
        if dry_run:
            transaction.set_rollback(True)
        else:
            confirm_board(source)
    counts = Counts(**run.counts(), skipped=len(invalid))
    return counts, invalid


def confirm_board(source, at=None):
    """The board lists its active postings: confirm them (one UPDATE)."""
    return writes.confirm(Posting.objects.filter(sources__source=source, sources__active=True), at)


def unchanged_boards(sources):
    """Counts of boards that answered as last time, by source: the postings
    they list stay as they are (one query)."""
    rows = (
        PostingSource.objects.filter(source__in=sources, active=True)
        .order_by()
        .values_list("source")
        .annotate(n=Count("pk"))
    )
    found = dict(rows)
    return {source: Counts(unchanged=found.get(source, 0)) for source in sources}
