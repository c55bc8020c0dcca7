"""merge_companies: an editor says two companies are one; nothing is lost."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from companies.models import Company
from listings.models import Posting
from tests.factories import make_company, make_posting, make_user

pytestmark = pytest.mark.django_db


def merge(*slugs):
    out = io.StringIO()
    call_command("merge_companies", *slugs, stdout=out)
    return out.getvalue()


def test_postings_move_to_the_kept_company_and_the_others_go(client):
    kept = make_company(name="AQR Capital Management", slug="aqr", website="", about="")
    other = make_company(
        name="AQR Capital Management, LLC", slug="aqr-llc", about="Quant investing.", size=2000
    )
    third = make_company(name="Aqr", slug="aqr-2")
    recruiter = make_user("recruiter")
    other.recruiters.add(recruiter)
    ours = make_posting(company=kept, title="Research Intern")
    theirs = [make_posting(company=other, title="Quant Intern"), make_posting(company=third)]

    out = merge("aqr", "aqr-llc", "aqr-2")

    assert "Merged 2 companies into aqr: 2 postings moved." in out
    assert set(Company.objects.values_list("slug", flat=True)) == {"aqr"}
    assert set(kept.postings.values_list("pk", flat=True)) == {ours.pk, *(p.pk for p in theirs)}
    kept.refresh_from_db()
    assert kept.name == "AQR Capital Management"
    assert kept.about == "Quant investing.", "a blank of the kept company is filled"
    assert kept.website == other.website
    assert kept.size == 250, "a field the kept company has is not overwritten"
    assert list(kept.recruiters.all()) == [recruiter]
    # Students searching for the company find the moved posting under its one name.
    found = Posting.objects.search("AQR Capital Quant").values_list("pk", flat=True)
    assert list(found) == [theirs[0].pk]
    assert client.get("/companies/aqr-llc/").status_code == 404
    assert "Quant Intern" in client.get("/companies/aqr/").content.decode()


@pytest.mark.parametrize(
    ("slugs", "message"),
    [
        (("aqr", "aqr-llc", "missing"), "no company with the slug 'missing'"),
        (("aqr", "aqr-llc", "aqr"), "'aqr' is both the company kept and one merged into it"),
    ],
)
def test_a_wrong_slug_changes_nothing(slugs, message):
    kept = make_company(slug="aqr")
    other = make_company(slug="aqr-llc")
    make_posting(company=other)
    with pytest.raises(CommandError, match=message):
        merge(*slugs)
    assert Company.objects.count() == 2
    assert other.postings.count() == 1 and kept.postings.count() == 0
