import pytest
from django.core.management import call_command

from listings.models import PayRange, Posting, Status

pytestmark = pytest.mark.django_db

SEED_SKILLS = [
    "Machine Learning", "Python", "Golang", "Algorithms", "Optimization", "Generative AI", "LLM",
    "Data Management", "Knowledge Graphs", "User Behavior Prediction", "Search Relevance",
    "Ranking Systems", "Feedback Modeling", "Natural Language Processing", "E-commerce",
    "Research",
]  # fmt: skip
SEED_CATEGORIES = [
    "Technology",
    "Data & Analytics",
    "Engineering",
    "Science & Research",
    "Software",
]


def test_load_demo_loads_the_seed_exactly():
    call_command("load_demo", postings=0)
    posting = Posting.objects.get(title="Machine Learning Engineer, PhD Intern")
    assert posting.company.name == "Instacart"
    assert posting.company.size == 24131
    assert [loc.name for loc in posting.locations.all()] == ["United States"]
    assert posting.locations.get().country == "US"
    assert posting.work_mode == "remote"
    assert posting.posted_on.isoformat() == "2026-02-06"
    assert posting.internship_type == "full_time"
    assert posting.visa_sponsorship == "no"
    assert posting.language == "English"
    assert posting.hours_per_week == 40
    assert posting.pay_display == "$44 - $52"
    assert posting.pay_display_in("WA") == "$50"
    assert sorted(s.name for s in posting.skills.all()) == sorted(SEED_SKILLS)
    assert sorted(c.name for c in posting.categories.all()) == sorted(SEED_CATEGORIES)
    assert PayRange.objects.filter(posting=posting).count() == 4
    assert posting.apply_url.startswith("https://instacart.careers/")
    assert "Instacart is a Flex First team" in posting.about_role
    assert "<script" not in posting.about_role
    assert posting.status == Status.PUBLISHED and posting.is_open


def test_load_demo_twice_adds_nothing():
    call_command("load_demo", postings=60)
    counts = Posting.objects.count(), PayRange.objects.count()
    call_command("load_demo", postings=60)
    assert (Posting.objects.count(), PayRange.objects.count()) == counts == (counts[0], counts[1])
    assert counts[0] == 61


def test_generated_postings_cover_every_filter_value():
    call_command("load_demo", postings=200)
    postings = Posting.objects.all()
    assert set(postings.values_list("work_mode", flat=True)) == {"remote", "hybrid", "onsite"}
    assert set(postings.values_list("internship_type", flat=True)) == {
        "full_time",
        "part_time",
        "unknown",
    }
    assert set(postings.values_list("visa_sponsorship", flat=True)) == {
        "yes", "no", "citizens_only", "unknown"
    }  # fmt: skip
    assert set(postings.values_list("pay_unit", flat=True)) >= {"hour", "week", "month", "year"}
    assert postings.filter(status=Status.CLOSED).exists()
    assert (
        postings.filter(status=Status.PUBLISHED).exclude(pk__in=Posting.objects.open()).exists()
    ), "some postings are past their deadline"
    assert postings.filter(pay_min__isnull=True).exists()
    assert PayRange.objects.filter(other_states=False).exists()


def test_load_demo_is_deterministic():
    call_command("load_demo", postings=30, seed=5)
    first = list(Posting.objects.order_by("external_id").values_list("title", "pay_max"))
    Posting.objects.all().delete()
    call_command("load_demo", postings=30, seed=5)
    assert list(Posting.objects.order_by("external_id").values_list("title", "pay_max")) == first
