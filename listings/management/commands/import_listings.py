import logging
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from config import generation
from listings import writes
from listings.importers import FORMATS, FileError, field_name, read_file
from listings.importers.checking import MAX_LISTED, check_file, valid_records
from listings.importers.validation import MAX_LENGTH, text_problem
from listings.importers.writer import Import, batches

# File names every community list uses: they cannot tell two lists apart.
GENERIC_LIST_NAMES = frozenset({"listings", "listing", "jobs", "internships", "data"})

# One structured line per import for the operator's logs (config/logs.py), next
# to the human summary the command prints last.
logger = logging.getLogger("internboard.import")


def _identity(path):
    """What tells whether the file changed between its two readings."""
    info = os.stat(path)
    return info.st_ino, info.st_size, info.st_mtime_ns


def _safe(text):
    """Text any terminal can print, whatever the file held (lone surrogates included)."""
    return str(text).encode("utf-8", "backslashreplace").decode("utf-8")


class Command(BaseCommand):
    help = (
        "Import postings from a canonical JSON/JSON Lines file, a CSV file or a community "
        "internship list (simplify). All or nothing: any invalid record stops the import "
        "unless --skip-invalid. See docs/import-format.md."
    )
    # A data command: the system checks guard serving requests, and skipping
    # them keeps a re-import of an unchanged file quick.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to import")
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            help="the file's format (default: guessed from the name and the first record)",
        )
        parser.add_argument(
            "--source",
            help="where the postings come from; with external_id it identifies a posting "
            "(default: the records' own source, else the file name without its extension; "
            "required with --close-missing)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would happen; write nothing"
        )
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the valid records, list the rest"
        )
        parser.add_argument(
            "--close-missing",
            action="store_true",
            help="stop --source listing its postings that are not in the file; a posting "
            "closes when no source lists it open any more",
        )

    def handle(self, *args, path, dry_run, skip_invalid, close_missing, **options):
        if close_missing and options["source"] is None:
            raise CommandError(
                "--close-missing needs --source: name the list whose missing postings to close"
            )
        try:
            fmt, items = read_file(path, options["format"])
            read_as = _identity(path)
            check = check_file(items)  # the first reading: validates, keeps no records
        except FileError as exc:
            raise CommandError(_safe(exc)) from None
        except KeyboardInterrupt:
            self.stderr.write("")
            raise CommandError("interrupted; nothing was written") from None
        source = self.choose_source(fmt, path, options["source"], check.sources())

        for item, problems in check.problems():
            for field, message in problems:
                self.stderr.write(_safe(f"{item.label()}: {field_name(fmt, field)}: {message}"))
        if check.invalid > MAX_LISTED:
            self.stderr.write(f"... and {check.invalid - MAX_LISTED} more invalid records")
        if check.invalid and not skip_invalid:
            logger.warning(
                "import refused",
                extra={"path": str(path), "format": fmt, "records_invalid": check.invalid},
            )
            raise CommandError(
                f"{check.invalid} invalid record{'s' if check.invalid != 1 else ''} in {path}; "
                "nothing was written (--skip-invalid imports the valid ones)"
            )
        if close_missing and not check.records:
            raise CommandError(
                f"{path} holds no records; refusing to close every posting of {source!r}"
            )

        run = Import(source)
        try:
            # All or nothing: one transaction, rolled back on any error, on
            # Ctrl-C, and at the end of a dry run (whose counts are thus exactly
            # the import's; it leaves the cache as it was).
            with generation.deferred(dry_run), transaction.atomic():
                self.write(run, path, fmt, check, progress=not dry_run)
                if close_missing:
                    run.close_missing(check.ids)
                run.finish()
                if _identity(path) != read_as:
                    raise FileError("changed")
                if dry_run:
                    transaction.set_rollback(True)
        except KeyboardInterrupt:
            self.stderr.write("")
            raise CommandError("interrupted; nothing was written") from None
        except FileError:  # the second reading found what the first did not
            raise CommandError(
                f"{path} changed while it was being imported; nothing was written"
            ) from None
        except DatabaseError as exc:
            first_line = _safe(str(exc).strip().splitlines()[0] if str(exc).strip() else exc)
            raise CommandError(
                f"the database refused the import ({first_line}); nothing was written"
            ) from None
        if run.wrote and not dry_run:
            writes.analyze()
        counts = run.counts()
        summary = (
            f"created {counts['created']}, updated {counts['updated']}, "
            f"unchanged {counts['unchanged']}, closed {counts['closed']}, "
            f"skipped {check.skipped}, invalid {check.invalid}"
        )
        if dry_run:
            summary = f"dry run, nothing written: {summary}"
        logger.info(
            "import finished",
            extra={
                "path": str(path),
                "format": fmt,
                "source": source,
                "dry_run": dry_run,
                "postings_created": counts["created"],
                "postings_updated": counts["updated"],
                "postings_unchanged": counts["unchanged"],
                "postings_closed": counts["closed"],
                "records_skipped": check.skipped,
                "records_invalid": check.invalid,
            },
        )
        self.stdout.write(f"{summary} (source {source!r})")

    def write(self, run, path, fmt, check, progress):
        """The second reading: the valid records, a batch at a time, to `run`."""

        def records():
            for record in valid_records(read_file(path, fmt)[1], check):
                record["source"] = run.source
                yield record

        total, done = check.records - check.skipped - check.invalid, 0
        for batch in batches(records()):
            run.add(batch)
            done += len(batch)
            if progress and run.wrote:  # a re-import that changes nothing stays quiet
                self.progress(done, total)

    def choose_source(self, fmt, path, given, sources):
        if given is not None:
            given = given.strip()
            if not given or len(given) > MAX_LENGTH["source"] or text_problem(given):
                raise CommandError(
                    f"--source must be 1 to {MAX_LENGTH['source']} characters of text"
                )
            return given
        sources = sorted(sources)
        if len(sources) > 1:
            names = ", ".join(repr(name) for name in sources[:5])
            raise CommandError(
                f"the records name several sources ({names}); choose one with --source"
            )
        if sources:
            return sources[0]
        stem = Path(path).stem[: MAX_LENGTH["source"]].strip()
        if fmt == "simplify" and stem.lower() in GENERIC_LIST_NAMES:
            # Every community list publishes a listings.json: two lists must not share a source.
            raise CommandError(
                f"{Path(path).name} could be any community list; name it with --source "
                "(for example --source simplify-summer2026)"
            )
        return stem or "import"

    def progress(self, done, total):
        if self.stderr.isatty():
            width = 30
            filled = width * done // max(total, 1)
            self.stderr.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} postings",
                ending="\n" if done >= total else "",
            )
            self.stderr.flush()
        else:
            self.stderr.write(f"wrote {done} of {total} postings")
