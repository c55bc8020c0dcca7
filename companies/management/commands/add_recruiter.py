from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from companies.models import Company
from companies.roles import RECRUITERS


class Command(BaseCommand):
    help = (
        "Make USERNAME a recruiter for the companies given by slug: a staff user in the "
        '"Recruiters" group who edits only those companies and their postings in /admin/. '
        "Creates the user (without a password) when it does not exist yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("company_slugs", nargs="+", metavar="COMPANY_SLUG")
        parser.add_argument("--email", default="", help="e-mail address for a new user")

    @transaction.atomic
    def handle(self, *args, username, company_slugs, email, **options):
        User = get_user_model()
        companies = list(Company.objects.filter(slug__in=company_slugs))
        missing = sorted(set(company_slugs) - {c.slug for c in companies})
        if missing:
            raise CommandError(
                f"No company with the slug {', '.join(missing)}. "
                "The slug is the last part of the company's page URL, /companies/<slug>/."
            )
        try:
            group = Group.objects.get(name=RECRUITERS)
        except Group.DoesNotExist as exc:
            raise CommandError(
                f'The "{RECRUITERS}" group is missing: run "manage.py migrate".'
            ) from exc

        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            try:
                User.username_validator(username)
            except ValidationError as exc:
                raise CommandError(f"Invalid username {username!r}: {exc.messages[0]}") from exc
            user = User.objects.create_user(username=username, email=email)
        if not user.is_staff or not user.is_active:
            user.is_staff = user.is_active = True
            user.save(update_fields=["is_staff", "is_active"])
        user.groups.add(group)
        for company in companies:
            company.recruiters.add(user)

        names = ", ".join(sorted(c.name for c in companies))
        self.stdout.write(
            f"{'Created' if created else 'Updated'} {username}: recruiter for {names}."
        )
        if not user.has_usable_password():
            self.stdout.write(f"Next, set a password: python manage.py changepassword {username}")
