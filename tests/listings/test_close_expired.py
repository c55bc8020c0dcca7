import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from listings.models import Posting, Status
from tests.factories import make_posting

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def run():
    from io import StringIO

    out = StringIO()
    call_command("close_expired", stdout=out)
    return out.getvalue().strip()


def test_closes_published_postings_past_their_deadline_and_says_how_many():
    expired = [
        make_posting(status=Status.PUBLISHED, posted_on=days(-40), closes_on=days(-1)),
        make_posting(status=Status.PUBLISHED, posted_on=days(-40), closes_on=days(-30)),
    ]
    kept = {
        "deadline today": make_posting(
            status=Status.PUBLISHED, posted_on=days(-5), closes_on=days(0)
        ),
        "deadline ahead": make_posting(status=Status.PUBLISHED, closes_on=days(3)),
        "no deadline": make_posting(status=Status.PUBLISHED, closes_on=None),
        "draft": make_posting(status=Status.DRAFT, posted_on=days(-40), closes_on=days(-1)),
        "pending": make_posting(status=Status.PENDING, posted_on=days(-40), closes_on=days(-1)),
    }
    before = {name: Posting.objects.filter(pk=p.pk).values().get() for name, p in kept.items()}

    assert run() == "Closed 2 expired postings."

    for posting in expired:
        posting.refresh_from_db()
        assert posting.status == Status.CLOSED
        assert posting.closed_at is not None
        assert not Posting.objects.open().filter(pk=posting.pk).exists()
    for name, posting in kept.items():
        assert Posting.objects.filter(pk=posting.pk).values().get() == before[name], name
    assert run() == "Closed 0 expired postings."


def test_keeps_the_first_closing_date_of_a_posting_closed_before():
    earlier = timezone.now() - datetime.timedelta(days=100)
    posting = make_posting(status=Status.PUBLISHED, posted_on=days(-200), closes_on=days(-2))
    Posting.objects.filter(pk=posting.pk).update(closed_at=earlier)
    assert run() == "Closed 1 expired posting."
    posting.refresh_from_db()
    assert posting.status == Status.CLOSED and posting.closed_at == earlier
