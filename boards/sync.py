"""Syncing company job boards (PRODUCT.md section 10).

Boards are fetched and read in up to BOARD_CONCURRENCY threads, which never
touch the database; the main thread writes each board's postings in turn as
its answer arrives (writing.write_board), so the writes are as safe on SQLite
as on PostgreSQL. A board that fails changes none of its postings.
"""

import logging
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from companies.models import Company
from listings import writes

from . import ashby, fetch, greenhouse, lever, writing
from .jobs import BoardError

logger = logging.getLogger("internboard.boards")

NOT_MODIFIED = "not modified since the last sync"

CONNECTORS = {c.NAME: c for c in (greenhouse, lever, ashby)}


def base_url(ats):
    return {
        "greenhouse": settings.GREENHOUSE_API_URL,
        "lever": settings.LEVER_API_URL,
        "ashby": settings.ASHBY_API_URL,
    }[ats].rstrip("/")


@dataclass
class Board:
    """What a fetching thread needs of a company: plain values, no model instance."""

    pk: int
    slug: str
    name: str
    ats: str
    token: str
    etag: str

    @property
    def source(self):
        return f"{self.ats}:{self.token}"


@dataclass
class Fetched:
    board: Board
    records: list = field(default_factory=list)
    skipped: int = 0
    etag: str = ""
    unchanged: bool = False
    error: str = ""


@dataclass
class Report:
    boards: int = 0
    failed: list = field(default_factory=list)  # (slug, source, reason)
    counts: writing.Counts = field(default_factory=writing.Counts)
    internships: int = 0
    ranges: int = 0
    invalid: list = field(default_factory=list)

    def summary(self):
        return f"boards {self.boards} (failed {len(self.failed)}); {self.counts}"


def boards_of(companies):
    return [
        Board(c.pk, c.slug, c.name, c.ats, c.board_token, c.board_etag)
        for c in companies
        if c.ats in CONNECTORS and c.board_token
    ]


def companies_with_boards(slugs=(), ats=None):
    companies = Company.objects.exclude(ats="").exclude(board_token="").order_by("name")
    if slugs:
        companies = companies.filter(slug__in=slugs)
    if ats:
        companies = companies.filter(ats=ats)
    return companies


def fetch_board(http, board):
    """Fetch and read one board (no database access): a Fetched, with `error` on failure."""
    connector = CONNECTORS[board.ats]
    try:
        answer = fetch.get_json(http, connector.url(base_url(board.ats), board.token), board.etag)
        if answer.unchanged:
            return Fetched(board, etag=answer.etag, unchanged=True)
        records, skipped = connector.parse(answer.data, company=board.name, token=board.token)
    except BoardError as exc:
        return Fetched(board, error=str(exc))
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        # JSON of a shape no connector expects, deeper than its checks look.
        return Fetched(board, error=f"unexpected shape ({type(exc).__name__}: {exc})"[:300])
    return Fetched(board, records=records, skipped=skipped, etag=answer.etag)


def sync(companies, *, dry_run=False, progress=None):
    """Sync the boards of `companies`; returns a Report. `progress(line)` hears each board."""
    boards = boards_of(companies)
    report = Report(boards=len(boards))
    if not boards:
        return report
    workers = max(1, min(settings.BOARD_CONCURRENCY, len(boards)))
    unchanged = []
    with fetch.client() as http, ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(fetch_board, http, board) for board in boards]
        for future in as_completed(futures):
            fetched = future.result()
            if fetched.unchanged:
                unchanged.append(fetched.board)
                continue
            line = _write(fetched, report, dry_run)
            if progress:
                progress(line)
    if unchanged:
        _unchanged(unchanged, report, dry_run, progress)
    counts = report.counts
    if not dry_run and counts.created + counts.updated + counts.closed:
        writes.analyze()
    logger.info(
        "boards synced",
        extra={"summary": report.summary(), "dry_run": dry_run, "unchanged_boards": len(unchanged)},
    )
    return report


def _unchanged(boards, report, dry_run, progress):
    """Boards that answered as last time: nothing is read or written for them
    but their last sync time (two queries, however many boards)."""
    counts = writing.unchanged_boards([board.source for board in boards])
    for board in boards:
        report.counts.add(counts[board.source])
        if progress:
            progress(f"{board.slug} ({board.source}): {NOT_MODIFIED}")
    if not dry_run:
        Company.objects.filter(pk__in=[board.pk for board in boards]).update(
            board_synced_at=timezone.now(), board_sync_result=NOT_MODIFIED
        )
        for board in boards:  # an unchanged board still lists its jobs
            writing.confirm_board(board.source)


def _write(fetched, report, dry_run):
    board = fetched.board
    counts, invalid = writing.Counts(skipped=fetched.skipped), []
    if not fetched.error:
        try:
            written, invalid = writing.write_board(
                board_company(board), board.source, fetched.records, dry_run
            )
            counts.add(written)
        except DatabaseError as exc:
            fetched.error = f"the database refused the postings ({str(exc).strip()[:200]})"
    if fetched.error:
        report.failed.append((board.slug, board.source, fetched.error))
        result = f"failed: {fetched.error}"
        logger.warning("board sync failed", extra={"board": board.source, "reason": fetched.error})
    else:
        report.counts.add(counts)
        report.internships += len(fetched.records)
        report.ranges += sum(len((r.get("pay") or {}).get("ranges") or []) for r in fetched.records)
        report.invalid += [f"{board.slug}: {line}" for line in invalid]
        result = str(counts)
        logger.debug("board synced", extra={"board": board.source, "result": result})
    if not dry_run:
        values = {"board_synced_at": timezone.now(), "board_sync_result": result[:500]}
        if not fetched.error:
            values["board_etag"] = fetched.etag[:500]
        Company.objects.filter(pk=board.pk).update(**values)
    return f"{board.slug} ({board.source}): {result}"


def board_company(board):
    return Company.objects.get(pk=board.pk)
