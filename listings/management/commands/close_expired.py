from django.core.management.base import BaseCommand

from listings import writes
from listings.models import Posting


class Command(BaseCommand):
    help = (
        "Close published postings whose application deadline has passed, or whose terms "
        "have all ended, and print how many. Visitors already stop seeing them the day "
        "after; this makes their status say so. Run it daily."
    )

    def handle(self, *args, **options):
        closed = writes.close(Posting.objects.expired())
        self.stdout.write(f"Closed {closed} expired posting{'' if closed == 1 else 's'}.")
