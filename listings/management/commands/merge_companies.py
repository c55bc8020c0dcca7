"""`python manage.py merge_companies KEEP_SLUG OTHER_SLUG [...]`: an editor says
several companies are one; the others' postings (and anything else pointing at
them) move to the kept company, blanks of the kept company are filled from the
others, its recruiters are joined, and the others are deleted. One transaction:
nothing is lost and a failure changes nothing.

It lives in listings because companies must not know about postings."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from companies.models import Company
from listings import writes
from listings.models import Posting

FILLED_FIELDS = ("website", "size", "about")


class Command(BaseCommand):
    help = "Merge companies into the first one: postings move, nothing is lost."

    def add_arguments(self, parser):
        parser.add_argument("keep", help="slug of the company that stays")
        parser.add_argument("others", nargs="+", help="slugs of the companies merged into it")

    @transaction.atomic
    def handle(self, keep, others, **options):
        if keep in others:
            raise CommandError(f"{keep!r} is both the company kept and one merged into it")
        found = {
            c.slug: c for c in Company.objects.select_for_update().filter(slug__in=[keep, *others])
        }
        missing = [slug for slug in [keep, *others] if slug not in found]
        if missing:
            raise CommandError(f"no company with the slug {missing[0]!r}")
        kept = found[keep]
        merged = [found[slug] for slug in dict.fromkeys(others)]

        for name in FILLED_FIELDS:
            if getattr(kept, name) in ("", None):
                value = next(
                    (getattr(c, name) for c in merged if getattr(c, name) not in ("", None)), None
                )
                if value is not None:
                    setattr(kept, name, value)
        kept.save()
        kept.recruiters.add(*{user for c in merged for user in c.recruiters.all()})

        moved = list(Posting.objects.filter(company__in=merged))
        moved_ids = [posting.pk for posting in moved]
        for posting in moved:
            posting.company = kept
        # Through the one write path: the company's name is in the search document.
        writes.update_postings(
            [writes.Write(posting, fields=frozenset({"company"})) for posting in moved]
        )
        other_links = _move_other_relations(kept, merged)

        for company in merged:
            company.delete()
        self.stdout.write(
            f"Merged {len(merged)} compan{'y' if len(merged) == 1 else 'ies'} into {kept.slug}: "
            f"{len(moved_ids)} posting{'' if len(moved_ids) == 1 else 's'} moved"
            + (
                f", {other_links} other link{'' if other_links == 1 else 's'}"
                if other_links
                else ""
            )
            + "."
        )


def _move_other_relations(kept, merged):
    """Point every other foreign key and many-to-many at the kept company, so a
    model added later (another app's link to a company) loses nothing either."""
    moved = 0
    for relation in Company._meta.related_objects:
        model, field = relation.related_model, relation.field
        if model is Posting:
            continue
        if relation.one_to_many:
            moved += model._base_manager.filter(**{f"{field.name}__in": merged}).update(
                **{field.name: kept}
            )
        elif relation.many_to_many:
            for obj in model._base_manager.filter(**{f"{field.name}__in": merged}).distinct():
                getattr(obj, field.name).add(kept)
                moved += 1
        elif (
            relation.one_to_one
            and model._base_manager.filter(**{f"{field.name}__in": merged}).exists()
        ):
            raise CommandError(f"{model._meta.verbose_name} is one per company; merge it by hand")
    return moved
