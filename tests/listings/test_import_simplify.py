import datetime
import json
from pathlib import Path

import pytest

from companies.models import Company
from listings.models import Posting, PostingSource, Status

from .importing import FIXTURES, failed_import, run_import, write_file, writes_during

pytestmark = pytest.mark.django_db

SMALL = FIXTURES / "simplify_small.json"
REAL_FILE = Path("/work/shared/data/simplify-summer2025-listings.json")


def _record(**changes):
    record = json.loads(SMALL.read_text(encoding="utf-8"))[0]
    record.update(changes)
    return record


def test_the_community_list_format_is_understood():
    out, _ = run_import(SMALL)

    assert "created 4, updated 0, unchanged 0, closed 0, skipped 1, invalid 0" in out
    assert "(source 'simplify_small')" in out, "a list is named by its file"
    first = Posting.objects.get(external_id="a1f0c2d4-0001-4000-8000-000000000001")
    assert first.source == "simplify_small"
    assert first.title == "Software Engineer Intern", "whitespace and tabs trimmed"
    assert first.company.name == "Acme Analytics"
    assert first.company.website == "", "Simplify's own profile page is not the company's site"
    assert first.posted_on == datetime.date(2024, 6, 20), "epoch seconds, in TIME_ZONE"
    assert first.status == Status.PUBLISHED and first.published_at is not None
    assert first.visa_sponsorship == "yes"
    assert first.work_mode == "onsite"
    assert [t.name for t in first.terms.all()] == ["Summer 2029"]
    assert [c.name for c in first.categories.all()] == ["Software Engineering"]
    places = {loc.name: (loc.city, loc.region, loc.country) for loc in first.locations.all()}
    assert places == {
        "New York, NY": ("New York", "NY", "US"),
        "San Francisco, CA": ("San Francisco", "CA", "US"),
        "Toronto, ON, Canada": ("Toronto", "ON", "CA"),
    }

    second = Posting.objects.get(external_id__endswith="0002")
    assert second.company_id == first.company_id, "ACME Analytics and Acme Analytics are one"
    assert Company.objects.filter(name__iexact="acme analytics").count() == 1
    assert second.status == Status.CLOSED and second.closed_at is not None
    assert second.visa_sponsorship == "no"
    assert second.work_mode == "remote", "Remote in USA makes the posting remote"
    assert [(loc.name, loc.country) for loc in second.locations.all()] == [("United States", "US")]
    assert sorted(t.name for t in second.terms.all()) == ["Fall 2024", "Summer 2024"]

    third = Posting.objects.get(external_id__endswith="0003")
    assert third.title == "Hardware Intern – Robotics 🤖"
    assert third.visa_sponsorship == "citizens_only"
    assert third.company.website == "https://www.cedar-robotics.example.org"
    assert [t.name for t in third.terms.all()] == ["Fall 2029"], "season and year"
    assert sorted((loc.name, loc.region, loc.country) for loc in third.locations.all()) == [
        ("Austin, TX", "TX", "US"),
        ("California", "CA", "US"),
        ("Chicago, IL", "IL", "US"),
        ("Multiple US Locations", "", "US"),
    ], "several places in one string are split; 'Multiple Locations' in a US list is the US"

    fourth = Posting.objects.get(external_id__endswith="0004")
    assert fourth.visa_sponsorship == "unknown"
    assert fourth.work_mode == "remote"
    assert [(loc.name, loc.country) for loc in fourth.locations.all()] == [("United States", "US")]
    assert not fourth.terms.exists()

    assert not Posting.objects.filter(title="Hidden Intern").exists()


def test_reimport_of_a_community_list_writes_nothing():
    run_import(SMALL)
    outputs = []
    assert (
        writes_during(
            lambda: outputs.append(
                run_import(SMALL, "--close-missing", "--source", "simplify_small")
            )
        )
        == []
    )
    assert "created 0, updated 0, unchanged 4, closed 0, skipped 1" in outputs[0][0]


def test_a_record_that_becomes_inactive_is_closed_and_one_that_goes_hidden_with_close_missing(
    tmp_path,
):
    records = json.loads(SMALL.read_text(encoding="utf-8"))
    run_import(write_file(tmp_path, "summer-list.json", records))
    records[0]["active"] = False
    records[2]["is_visible"] = False
    out, _ = run_import(
        write_file(tmp_path, "summer-list.json", records),
        "--close-missing",
        "--source",
        "summer-list",
    )
    assert "created 0, updated 1, unchanged 2, closed 1, skipped 2" in out
    assert Posting.objects.get(external_id__endswith="0001").status == Status.CLOSED
    assert Posting.objects.get(external_id__endswith="0003").status == Status.CLOSED


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"url": ""}, "url: Enter the company's application URL."),
        (
            {"url": "https://none"},
            "url: The URL's host is not a valid public host name.",
        ),
        ({"sponsorship": "Sponsors"}, 'sponsorship: must be one of "Offers Sponsorship"'),
        ({"date_posted": "2024-06-20"}, "date_posted: must be a whole number of seconds"),
        ({"date_posted": 10**20}, "date_posted: 100000000000000000000 is out of range"),
        ({"active": "yes"}, "active: must be true or false"),
        ({"is_visible": 1}, "is_visible: must be true or false"),
        ({"company_name": ""}, "company_name: is required"),
        ({"title": None}, "title: is required"),
        ({"locations": "NYC"}, "locations: must be a list, not text"),
        ({"terms": "Summer 2029"}, "terms: must be a list, not text"),
        ({"id": 17}, "id: must be text, not a number"),
        ({"category": 3}, "category: must be a list, not a number"),
    ],
)
def test_invalid_community_records_use_the_formats_field_names(tmp_path, changes, message):
    path = write_file(tmp_path, "summer-list.json", [_record(**changes)])
    _, err = failed_import(path)
    assert message in err
    assert err.startswith("record 0")
    assert not Posting.objects.exists()


def test_duplicate_ids_in_a_community_list_name_both_records(tmp_path):
    path = write_file(tmp_path, "summer-list.json", [_record(), _record(title="Other")])
    _, err = failed_import(path)
    assert (
        "record 0 (id 'a1f0c2d4-0001-4000-8000-000000000001'): id: is used by record 0 and record 1"
        in err
    )


@pytest.mark.skipif(not REAL_FILE.exists(), reason="the real community list is not on this machine")
def test_the_real_community_list_imports():
    """The 6,497-record list of the Summer 2029 repository (read in place, never copied)."""
    error, err = failed_import(REAL_FILE)
    assert error.startswith("23 invalid records"), "empty or bad urls, and two shared ids"
    assert not Posting.objects.exists()

    out, err = run_import(REAL_FILE, "--skip-invalid")
    # Ten records repeat another's job (same company, same job address) under a
    # second id: one posting each, listed twice by the list.
    assert "created 5813, updated 0, unchanged 0, closed 0, skipped 651, invalid 23" in out
    assert PostingSource.objects.count() == 5823
    assert Company.objects.filter(name__iexact="pimco").count() == 1
    assert not Posting.objects.filter(apply_url="").exists()
    assert Posting.objects.filter(status=Status.CLOSED).count() == 4705, (
        "active: false (one copy open keeps a job open)"
    )
    assert Posting.objects.filter(work_mode="remote").exists()

    outputs = []
    writes = writes_during(lambda: outputs.append(run_import(REAL_FILE, "--skip-invalid")))
    assert writes == []
    assert "created 0, updated 0, unchanged 5813" in outputs[0][0]


def test_places_modes_tracking_and_year_less_seasons(tmp_path):
    """What the real lists write: several places in one string, mode words among
    the places, another list's tracking on the URL, a season with no year."""
    posted = int(datetime.datetime(2024, 11, 2, 12, tzinfo=datetime.UTC).timestamp())
    records = [
        _record(
            id="p-1",
            locations=["SF Remote in USA McLean, VA"],
            url="https://jobs.example.org/1?utm_source=ouckah&gh_jid=1",
        ),
        _record(
            id="p-2", locations=["Wayne, PA Hybrid", "Omaha, NB"], url="https://jobs.example.org/2"
        ),
        _record(
            id="p-3", locations=["Albany, NY, Sale Lake City, UT"], url="https://jobs.example.org/3"
        ),
        _record(
            id="p-4",
            locations=["Onsite", "Dallas-Fort Worth Metroplex"],
            url="https://jobs.example.org/4",
        ),
    ]
    for record in records:
        record.pop("terms")
        record.update(season="Summer", date_posted=posted)
    out, _ = run_import(write_file(tmp_path, "list.json", records), "--format", "simplify")
    assert "created 4" in out

    def places(external_id):
        posting = Posting.objects.get(external_id=external_id)
        return posting, sorted((loc.name, loc.region) for loc in posting.locations.all())

    first, first_places = places("p-1")
    assert first_places == [
        ("McLean, VA", "VA"),
        ("San Francisco, CA", "CA"),
        ("United States", ""),
    ]
    assert first.work_mode == "remote"
    assert first.apply_url == "https://jobs.example.org/1?gh_jid=1", "no other site's tracking"
    assert [t.name for t in first.terms.all()] == ["Summer 2025"], "the next summer after Nov 2024"

    second, second_places = places("p-2")
    assert second_places == [("Omaha, NE", "NE"), ("Wayne, PA", "PA")]
    assert second.work_mode == "hybrid"
    assert places("p-3")[1] == [("Albany, NY", "NY"), ("Sale Lake City, UT", "UT")]
    fourth, fourth_places = places("p-4")
    assert fourth_places == [("Dallas-Fort Worth, TX", "TX")]
    assert fourth.work_mode == "onsite"

    # Read again, the stored names and URLs give the same records: nothing is written.
    assert writes_during(lambda: run_import(tmp_path / "list.json", "--format", "simplify")) == []


@pytest.mark.parametrize(
    ("season", "posted", "term"),
    [
        ("Summer", datetime.date(2024, 11, 2), "Summer 2025"),
        ("Summer", datetime.date(2025, 6, 10), "Summer 2025"),
        ("Summer", datetime.date(2025, 8, 31), "Summer 2026"),
        ("summer ", datetime.date(2025, 1, 1), "Summer 2025"),
        ("Fall", datetime.date(2025, 3, 1), "Fall 2025"),
        ("Fall", datetime.date(2025, 12, 31), "Fall 2026"),
        ("Autumn", datetime.date(2025, 3, 1), "Fall 2025"),
        ("Winter", datetime.date(2025, 11, 15), "Winter 2026"),
        ("Winter", datetime.date(2026, 2, 1), "Winter 2026"),
        ("Spring", datetime.date(2025, 5, 31), "Spring 2026"),
        ("Spring", datetime.date(2025, 5, 30), "Spring 2025"),
    ],
)
def test_season_year_is_that_of_the_next_such_season(season, posted, term):
    from listings.importers.simplify import season_year

    assert f"{term.split()[0]} {season_year(season, posted)}" == term


def test_a_season_that_is_not_one_keeps_its_name():
    from listings.importers.simplify import season_year

    assert season_year("Co-op", datetime.date(2025, 1, 1)) is None
