import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from companies.models import Company
from listings.models import PayRange, PayRangeState, Posting, Skill, Status
from tests.factories import SEED_RANGES, make_company, make_posting

pytestmark = pytest.mark.django_db


def refused(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_company_names_are_unique_regardless_of_case():
    make_company(name="Pimco", slug="pimco")
    refused(lambda: Company.objects.create(name="PIMCO", slug="pimco-2"))


def test_company_slugs_are_unique():
    make_company(name="A", slug="same")
    refused(lambda: Company.objects.create(name="B", slug="same"))


def test_company_with_postings_cannot_be_deleted():
    from django.db.models import ProtectedError

    posting = make_posting()
    with pytest.raises(ProtectedError):
        posting.company.delete()


def test_label_slugs_are_unique():
    Skill.objects.create(name="Python", slug="python")
    refused(lambda: Skill.objects.create(name="Python 3", slug="python"))


def test_source_and_external_id_are_unique_together_when_set():
    make_posting(source="simplify", external_id="abc")
    refused(lambda: make_posting(source="simplify", external_id="abc"))
    make_posting(source="other", external_id="abc")
    # Hand-made postings have no external id and never clash.
    make_posting(source="", external_id="")
    make_posting(source="", external_id="")


def test_pay_range_min_must_be_positive():
    posting = make_posting()
    refused(lambda: PayRange.objects.create(posting=posting, min_amount=0, max_amount=10))
    refused(lambda: PayRange.objects.create(posting=posting, min_amount=-5, max_amount=10))


def test_pay_range_min_cannot_exceed_max():
    posting = make_posting()
    refused(lambda: PayRange.objects.create(posting=posting, min_amount=30, max_amount=20))
    with pytest.raises(ValidationError):
        PayRange(posting=posting, min_amount=30, max_amount=20).full_clean()


def test_only_one_all_other_states_range():
    posting = make_posting(pay=[(20, 30, [])])
    refused(
        lambda: PayRange.objects.create(
            posting=posting, min_amount=10, max_amount=20, other_states=True
        )
    )


def test_a_state_appears_in_one_range_at_most():
    posting = make_posting(pay=[(40, 50, ["CA"]), (20, 30, ["WA"])])
    second = posting.pay_ranges.get(min_amount=20)
    refused(lambda: PayRangeState.objects.create(pay_range=second, posting=posting, state="CA"))


def test_state_codes_must_be_real():
    posting = make_posting(pay=[(40, 50, ["CA"])])
    refused(
        lambda: PayRangeState.objects.create(
            pay_range=posting.pay_ranges.get(), posting=posting, state="ZZ"
        )
    )


def test_enums_are_enforced_by_the_database():
    posting = make_posting()
    for field in ("work_mode", "internship_type", "visa_sponsorship", "status", "pay_unit"):
        refused(lambda f=field: Posting.objects.filter(pk=posting.pk).update(**{f: "bogus"}))


def test_deadline_cannot_precede_posting_date():
    today = timezone.localdate()
    refused(lambda: make_posting(posted_on=today, closes_on=today - datetime.timedelta(days=1)))


def test_open_rule():
    today = timezone.localdate()
    published = make_posting()
    due_today = make_posting(closes_on=today)
    later = make_posting(closes_on=today + datetime.timedelta(days=3))
    past = make_posting(
        posted_on=today - datetime.timedelta(days=10), closes_on=today - datetime.timedelta(days=1)
    )
    draft = make_posting(status=Status.DRAFT)
    pending = make_posting(status=Status.PENDING)
    closed = make_posting(status=Status.CLOSED)
    open_ids = set(Posting.objects.open().values_list("pk", flat=True))
    assert open_ids == {published.pk, due_today.pk, later.pk}
    for posting in (published, due_today, later):
        assert posting.is_open
    for posting in (past, draft, pending, closed):
        assert not posting.is_open


def test_seed_pay_table_gives_state_pay_and_overall_range():
    posting = make_posting(pay=SEED_RANGES)
    posting = Posting.objects.for_detail().get(pk=posting.pk)
    assert posting.pay_display == "$44 - $52"
    assert posting.pay_display_in("CA") == "$52"
    assert posting.pay_display_in("WA") == "$50"
    assert posting.pay_display_in("TX") == "$48"
    assert posting.pay_display_in("FL") == "$44"
    assert posting.pay_min_hourly == Decimal(44)
    assert posting.pay_max_hourly == Decimal(52)


def test_hourly_equivalents_are_stored_for_other_units():
    posting = make_posting(pay=[(4160, 4160, [])], unit="month")
    posting.refresh_from_db()
    assert posting.pay_max_hourly == Decimal("24.00")
    assert posting.pay_ranges.get().max_hourly == Decimal("24.00")


def test_workflow_dates_are_recorded():
    posting = make_posting(status=Status.DRAFT)
    assert posting.published_at is None
    posting.status = Status.PENDING
    posting.save()
    assert posting.submitted_at is not None
    posting.status = Status.PUBLISHED
    posting.save()
    assert posting.published_at is not None


def test_similar_postings_share_a_category_or_skill():
    posting = make_posting(title="Alpha", skills=["Python"], categories=["Software"])
    by_skill = make_posting(title="Beta", skills=["Python"], categories=["Design"])
    by_category = make_posting(title="Gamma", skills=["Figma"], categories=["Software"])
    make_posting(title="Delta", skills=["Excel"], categories=["Finance"])
    similar = set(Posting.objects.open().similar_to(posting).values_list("pk", flat=True))
    assert similar == {by_skill.pk, by_category.pk}


def test_similar_postings_are_looked_for_among_the_newest_only():
    today = timezone.localdate()

    def make(title, skill, days):
        return make_posting(
            title=title, skills=[skill], posted_on=today - datetime.timedelta(days=days)
        )

    posting = make("Alpha", "Python", 30)
    old = make("Beta", "Python", 20)
    newer = make("Gamma", "Go", 2)
    newest = make("Delta", "Python", 0)
    open_postings = Posting.objects.open()
    assert list(open_postings.similar_to(posting)) == [newest, old]
    # Among the 3 newest open postings (newest, newer, old) only.
    assert list(open_postings.similar_to(posting, among=3)) == [newest, old]
    assert list(open_postings.similar_to(posting, among=2)) == [newest]
    assert newer not in open_postings.similar_to(posting)
