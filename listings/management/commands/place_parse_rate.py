"""`python manage.py place_parse_rate PATH`: how many of a community list's
location strings the place parser understands, and the ones it does not."""

from django.core.management.base import BaseCommand, CommandError

from listings.places import parse_rate


def location_strings(path):
    """Every location string of a simplify-format file (a JSON array), streamed."""
    import ijson

    with open(path, "rb") as file:
        yield from (
            text for text in ijson.items(file, "item.locations.item") if isinstance(text, str)
        )


def file_parse_rate(path):
    """(rate, number of strings, Counter of unparsed strings) for a simplify-format file."""
    texts = list(location_strings(path))
    rate, missed = parse_rate(texts, default_country="US")
    return rate, len(texts), missed


class Command(BaseCommand):
    help = "Print the place parse rate of a simplify-format file's location strings."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, path, **options):
        try:
            rate, total, missed = file_parse_rate(path)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        self.stdout.write(
            f"places parsed: {rate:.2%} of {total:,} location strings "
            f"({sum(missed.values())} not understood)"
        )
        for text, count in missed.most_common():
            self.stdout.write(f"  {count:>4} × {text!r}")
