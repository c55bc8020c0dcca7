from django.core.management.base import BaseCommand, CommandError

from boards import sync
from companies.models import BoardSystem


class Command(BaseCommand):
    help = (
        "Fetch the Greenhouse, Lever and Ashby boards of every company that has one "
        "(or of the named companies) and make their internship postings match: create, "
        "update, close what left a board, reopen what came back."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="companies to sync")
        parser.add_argument("--ats", choices=BoardSystem.values, help="only boards of this ATS")
        parser.add_argument(
            "--dry-run", action="store_true", help="fetch and compare; write nothing"
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue one background task per board for `db_worker` instead of syncing here",
        )

    def handle(self, *args, slugs, ats, dry_run, enqueue, **options):
        self.verbosity = options["verbosity"]
        companies = list(sync.companies_with_boards(slugs, ats))
        missing = sorted(set(slugs) - {c.slug for c in companies})
        if missing:
            raise CommandError(
                f"no company with a job board has the slug {', '.join(missing)} "
                "(set its ATS and board token in the admin)"
            )
        if enqueue:
            from boards.tasks import sync_board

            for company in companies:
                sync_board.enqueue(company.pk, dry_run)
            self.stdout.write(f"queued {len(companies)} board sync(s)")
            return
        report = sync.sync(companies, dry_run=dry_run, progress=self.progress)
        for slug, source, reason in report.failed:
            self.stderr.write(f"{slug} ({source}): failed: {reason}")
        for line in report.invalid[:50]:
            self.stderr.write(f"skipped invalid job {line}")
        if dry_run:
            self.stderr.write("dry run, nothing written")
        self.stdout.write(report.summary())
        if report.failed:
            raise CommandError(
                f"{len(report.failed)} board(s) failed: "
                + ", ".join(slug for slug, _, _ in report.failed)
            )

    def progress(self, line):
        if self.verbosity >= 2:
            self.stderr.write(line)
