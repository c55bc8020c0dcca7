"""Plain factory functions for tests: sensible defaults, override with kwargs."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from companies.models import Company
from listings import writes
from listings.models import Category, Location, Skill, Status, Term

_seq = itertools.count(1)

SEED_RANGES = [
    (52, 52, ["CA", "NY", "CT", "NJ"]),
    (50, 50, ["WA"]),
    (48, 48, "OR DE ME MA MD NH RI VT DC PA VA CO TX IL HI".split()),
    (44, 44, []),
]


def make_company(**kwargs):
    n = next(_seq)
    kwargs.setdefault("name", f"Company {n}")
    kwargs.setdefault("website", f"https://company{n}.example.com")
    kwargs.setdefault("size", 250)
    kwargs.setdefault("about", "We make things.")
    return Company.objects.create(**kwargs)


def make_location(name="San Francisco, CA", **kwargs):
    from listings.places import parse_location

    place = parse_location(name)
    kwargs.setdefault("city", place.city)
    kwargs.setdefault("region", place.region)
    kwargs.setdefault("country", place.country)
    location, _ = Location.objects.get_or_create(name=place.name, defaults=kwargs)
    return location


def make_label(model, name):
    obj, _ = model.objects.get_or_create(name=name)
    return obj


def make_posting(*, locations=("San Francisco, CA",), skills=(), categories=(), terms=(),
                 pay=None, currency=None, unit=None, **kwargs):  # fmt: skip
    """A published posting; `pay` is a list of (min, max, [states])."""
    n = next(_seq)
    kwargs.setdefault("title", f"Software Engineer Intern {n}")
    if "company" not in kwargs:
        kwargs["company"] = make_company()
    kwargs.setdefault("status", Status.PUBLISHED)
    kwargs.setdefault("posted_on", timezone.localdate() - datetime.timedelta(days=1))
    kwargs.setdefault("apply_url", f"https://jobs.example.com/apply/{n}")
    kwargs.setdefault("hours_per_week", 40)
    if currency:
        kwargs["pay_currency"] = currency
    if unit:
        kwargs["pay_unit"] = unit
    return writes.create_posting(
        locations=[make_location(name) for name in locations],
        skills=[make_label(Skill, name) for name in skills],
        categories=[make_label(Category, name) for name in categories],
        terms=[make_label(Term, name) for name in terms],
        pay=pay,
        **kwargs,
    )


def make_user(username="editor", *, staff=True, superuser=False, password="pw-Internboard-1"):
    User = get_user_model()
    user = User.objects.create_user(username=username, password=password)
    user.is_staff = staff
    user.is_superuser = superuser
    user.save()
    return user


def make_editor(username="editor", **kwargs):
    """A staff user in the "Editors" group (created by a migration)."""
    from django.contrib.auth.models import Group

    user = make_user(username, **kwargs)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def make_recruiter(username="recruiter", companies=(), **kwargs):
    """A staff user in the "Recruiters" group, recruiting for `companies`."""
    from django.contrib.auth.models import Group

    user = make_user(username, **kwargs)
    user.groups.add(Group.objects.get(name="Recruiters"))
    for company in companies:
        company.recruiters.add(user)
    return user
