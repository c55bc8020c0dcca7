from django.core.management.base import BaseCommand
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from listings.models import Posting, Status


class Command(BaseCommand):
    help = (
        "Close published postings whose application deadline has passed, or whose terms "
        "have all ended, and print how many. Visitors already stop seeing them the day "
        "after; this makes their status say so. Run it daily."
    )

    def handle(self, *args, **options):
        closed = Posting.objects.expired().update(
            status=Status.CLOSED,
            closed_at=Coalesce("closed_at", Value(timezone.now())),
            updated_at=timezone.now(),
        )
        self.stdout.write(f"Closed {closed} expired posting{'' if closed == 1 else 's'}.")
