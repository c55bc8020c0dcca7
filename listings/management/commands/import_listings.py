import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from listings import writes
from listings.importers import FORMATS, FileError, field_name, read_file
from listings.importers.validation import MAX_LENGTH, Problems, clean_record, text_problem
from listings.importers.writer import apply_plan, plan_import

# File names every community list uses: they cannot tell two lists apart.
GENERIC_LIST_NAMES = frozenset({"listings", "listing", "jobs", "internships", "data"})
MAX_LISTED = 50  # invalid records listed one per line; the rest are counted

# One structured line per import for the operator's logs (config/logs.py), next
# to the human summary the command prints last.
logger = logging.getLogger("internboard.import")


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
        except FileError as exc:
            raise CommandError(_safe(exc)) from None
        skipped = [item for item in items if item.skipped]
        valid, invalid = self.validate(fmt, [item for item in items if not item.skipped])
        source = self.choose_source(fmt, path, options["source"], [item.record for item in valid])
        for item in valid:
            item.record["source"] = source

        for item in invalid[:MAX_LISTED]:
            for field, message in item.problems:
                self.stderr.write(_safe(f"{item.label()}: {field_name(fmt, field)}: {message}"))
        if len(invalid) > MAX_LISTED:
            self.stderr.write(f"... and {len(invalid) - MAX_LISTED} more invalid records")
        if invalid and not skip_invalid:
            logger.warning(
                "import refused",
                extra={"path": str(path), "format": fmt, "records_invalid": len(invalid)},
            )
            raise CommandError(
                f"{len(invalid)} invalid record{'s' if len(invalid) != 1 else ''} in {path}; "
                "nothing was written (--skip-invalid imports the valid ones)"
            )
        if close_missing and not items:
            raise CommandError(
                f"{path} holds no records; refusing to close every posting of {source!r}"
            )

        plan = plan_import(
            [item.record for item in valid],
            source,
            close_missing=close_missing,
            present=[item.external_id for item in invalid if item.external_id],
        )
        if not dry_run and plan.writes:
            try:
                apply_plan(plan, progress=self.progress)
            except KeyboardInterrupt:
                self.stderr.write("")
                raise CommandError("interrupted; nothing was written") from None
            except DatabaseError as exc:
                first_line = _safe(str(exc).strip().splitlines()[0] if str(exc).strip() else exc)
                raise CommandError(
                    f"the database refused the import ({first_line}); nothing was written"
                ) from None
            writes.analyze()
        summary = (
            f"created {len(plan.create)}, updated {plan.updated}, "
            f"unchanged {plan.unchanged}, closed {len(plan.close)}, "
            f"skipped {len(skipped)}, invalid {len(invalid)}"
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
                "postings_created": len(plan.create),
                "postings_updated": plan.updated,
                "postings_unchanged": plan.unchanged,
                "postings_closed": len(plan.close),
                "records_skipped": len(skipped),
                "records_invalid": len(invalid),
            },
        )
        self.stdout.write(f"{summary} (source {source!r})")

    def validate(self, fmt, items):
        """Clean every record; returns (valid items, invalid items)."""
        for item in items:
            if item.record is not None or not item.problems:
                try:
                    item.record = clean_record(item.record)
                except Problems as exc:
                    item.problems.extend(exc.problems)
            if not item.problems:
                item.external_id = item.record["external_id"]
        by_id = {}
        for item in items:
            if item.external_id:
                by_id.setdefault(item.external_id, []).append(item)
        for same in by_id.values():
            if len(same) > 1:
                where = " and ".join(other.where for other in same)
                for item in same:
                    item.problems.append(("external_id", f"is used by {where}"))
        return (
            [item for item in items if not item.problems],
            [item for item in items if item.problems],
        )

    def choose_source(self, fmt, path, given, records):
        if given is not None:
            given = given.strip()
            if not given or len(given) > MAX_LENGTH["source"] or text_problem(given):
                raise CommandError(
                    f"--source must be 1 to {MAX_LENGTH['source']} characters of text"
                )
            return given
        sources = sorted({record["source"] for record in records if record.get("source")})
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
