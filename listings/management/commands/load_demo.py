import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from listings import writes
from listings.demo.generate import generate
from listings.importers.writer import create_postings
from listings.models import Posting

SEED_FILE = Path(__file__).resolve().parents[2] / "demo" / "seed_posting.json"


class Command(BaseCommand):
    help = (
        "Load the reference posting (Instacart, Machine Learning Engineer, PhD Intern) and N "
        "generated postings of fictional companies. Running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--postings", type=int, default=400, help="generated postings (400)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")

    def handle(self, *args, postings, seed, **options):
        if postings < 0:
            raise CommandError("--postings must be 0 or more")
        records = json.loads(SEED_FILE.read_text(encoding="utf-8"))
        records += list(generate(postings, seed=seed))
        existing = set(
            Posting.objects.filter(source="internboard-demo").values_list("external_id", flat=True)
        )
        new = [r for r in records if r["external_id"] not in existing]
        created = create_postings(new)
        if created:
            writes.analyze()
        self.stdout.write(
            f"load_demo: {created} postings created, {len(records) - len(new)} already present."
        )
