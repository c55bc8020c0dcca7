"""Many sources, one posting (PRODUCT.md section 14): two community lists that
share jobs, companies under several spellings, postings placed only in the
country. On SQLite and PostgreSQL."""

import json

import pytest
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.models import Company
from listings.management.commands import import_listings
from listings.models import Posting, PostingSource, StatePay, Status

from .importing import run_import, write_file, writes_during

pytestmark = pytest.mark.django_db

POSTED = 1730548800  # 2024-11-02


def job(job_id, company, title, url, *, active=True, locations=("New York, NY",), **extra):
    """One record of a community list (the simplify format)."""
    return {
        "id": job_id,
        "company_name": company,
        "title": title,
        "locations": list(locations),
        "url": url,
        "date_posted": POSTED,
        "active": active,
        "is_visible": True,
        "sponsorship": "Offers Sponsorship",
        "terms": ["Summer 2029"],
        **extra,
    }


def summer_list():
    return [
        job("s-1", "PayPal", "Software Engineer Intern", "https://paypal.example.com/jobs/101"),
        job("s-2", "AQR Capital Management", "Quant Research Intern",
            "https://boards.greenhouse.io/aqr/jobs/7001"),
        job("s-3", "Ark Biotech (Sponsors Canadians)", "Bioprocess Intern",
            "https://jobs.lever.co/ark/abc-123"),
        job("s-4", "PayPal", "Data Science Intern", "https://paypal.example.com/jobs/102"),
    ]  # fmt: skip


def newgrad_list():
    """Repeats three of the summer list's jobs under its own ids, with its own
    spelling of the companies and its own tracking on the addresses."""
    return [
        job("n-9", "Paypal", "Software Engineer Intern",
            "HTTPS://PayPal.example.com/jobs/101/?utm_source=ouckah&ref=newgrad#apply"),
        job("n-8", "AQR Capital Management, LLC", "Quant Research Intern",
            "https://boards.greenhouse.io/aqr/jobs/7001?gh_src=RM"),
        job("n-7", "Ark Biotech", "Bioprocess Intern", "https://jobs.lever.co/ark/abc-123/"),
        job("n-6", "Paypal", "Security Intern", "https://paypal.example.com/jobs/103"),
    ]  # fmt: skip


def import_list(tmp_path, name, records, *args):
    return run_import(write_file(tmp_path, f"{name}.json", records), *args)[0]


def links_of(posting):
    return sorted(posting.sources.values_list("source", "external_id", "active"))


def test_the_same_job_in_two_lists_is_one_posting_with_two_sources(tmp_path):
    out = import_list(tmp_path, "summer", summer_list())
    assert "created 4, updated 0, unchanged 0, closed 0" in out
    assert "(source 'summer')" in out, "a list is named by its file"

    out = import_list(tmp_path, "newgrad", newgrad_list())

    assert "created 1, updated 3, unchanged 0, closed 0" in out
    assert Posting.objects.count() == 5
    swe = Posting.objects.get(title="Software Engineer Intern")
    assert links_of(swe) == [("newgrad", "n-9", True), ("summer", "s-1", True)]
    assert (swe.source, swe.external_id) == ("summer", "s-1"), "the first source stays"
    assert swe.apply_url == "https://paypal.example.com/jobs/101", "the first list's fields stay"
    aqr = Posting.objects.get(title="Quant Research Intern")
    assert links_of(aqr) == [("newgrad", "n-8", True), ("summer", "s-2", True)]
    assert "gh_src" not in aqr.apply_url, "no other site's tracking is stored"

    # Re-importing either file writes nothing.
    for name, records in (("summer", summer_list()), ("newgrad", newgrad_list())):
        path = write_file(tmp_path, f"{name}.json", records)
        outputs = []
        assert writes_during(lambda p=path, o=outputs: o.append(run_import(p))) == []
        assert "created 0, updated 0, unchanged 4, closed 0" in outputs[0][0]


def test_closing_one_lists_copy_leaves_the_job_open_while_the_other_lists_it(tmp_path):
    import_list(tmp_path, "summer", summer_list())
    import_list(tmp_path, "newgrad", newgrad_list())

    # The summer list drops the PayPal SWE job (listed by newgrad too) and s-4 (its own only).
    out = import_list(
        tmp_path, "summer", summer_list()[1:3], "--close-missing", "--source", "summer"
    )

    assert "closed 1" in out
    swe = Posting.objects.get(title="Software Engineer Intern")
    assert swe.status == Status.PUBLISHED
    assert links_of(swe) == [("newgrad", "n-9", True), ("summer", "s-1", False)]
    assert Posting.objects.get(title="Data Science Intern").status == Status.CLOSED
    assert Posting.objects.get(title="Security Intern").status == Status.PUBLISHED

    # A list marking its copy inactive does not close it either ...
    records = summer_list()[1:3]
    records[0]["active"] = False
    import_list(tmp_path, "summer", records, "--source", "summer")
    aqr = Posting.objects.get(title="Quant Research Intern")
    assert aqr.status == Status.PUBLISHED
    assert links_of(aqr) == [("newgrad", "n-8", True), ("summer", "s-2", False)]

    # ... until no source lists it open.
    out = import_list(
        tmp_path, "newgrad", newgrad_list()[2:], "--close-missing", "--source", "newgrad"
    )
    assert "closed 2" in out
    assert Posting.objects.get(title="Software Engineer Intern").status == Status.CLOSED
    assert Posting.objects.get(title="Quant Research Intern").status == Status.CLOSED
    assert Posting.objects.get(title="Bioprocess Intern").status == Status.PUBLISHED

    # Back in a list: open again.
    out = import_list(tmp_path, "newgrad", newgrad_list(), "--source", "newgrad")
    assert Posting.objects.get(title="Software Engineer Intern").status == Status.PUBLISHED


def test_close_missing_needs_the_source_it_closes(tmp_path):
    import_list(tmp_path, "summer", summer_list())
    with pytest.raises(CommandError, match="--close-missing needs --source"):
        import_list(tmp_path, "summer", summer_list()[:1], "--close-missing")
    assert not Posting.objects.filter(status=Status.CLOSED).exists()


def test_a_file_every_list_is_called_needs_a_source(tmp_path):
    with pytest.raises(CommandError, match="name it with --source"):
        import_list(tmp_path, "listings", summer_list())
    assert not Posting.objects.exists()
    out = import_list(tmp_path, "listings", summer_list(), "--source", "summer2025")
    assert "created 4" in out and "(source 'summer2025')" in out


def test_one_job_under_two_ids_in_one_list_is_one_posting(tmp_path):
    records = [
        *summer_list(),
        job("s-5", "PayPal, Inc.", "Software Engineer Intern",
            "https://paypal.example.com/jobs/101?utm_campaign=x"),
        # A careers page, not a job's address: two jobs may share it.
        job("s-6", "Oracle", "Cloud Intern", "https://careers.oracle.com/jobs"),
        job("s-7", "Oracle", "Apps Intern", "https://careers.oracle.com/jobs"),
    ]  # fmt: skip
    out = import_list(tmp_path, "summer", records)
    assert "created 6" in out
    swe = Posting.objects.get(title="Software Engineer Intern")
    assert links_of(swe) == [("summer", "s-1", True), ("summer", "s-5", True)]
    assert Posting.objects.filter(company__name="Oracle").count() == 2

    outputs = []
    path = write_file(tmp_path, "summer.json", records)
    assert writes_during(lambda: outputs.append(run_import(path))) == []


def test_companies_are_one_under_every_spelling_and_show_the_most_used(tmp_path):
    import_list(tmp_path, "summer", summer_list())
    ark = Posting.objects.get(title="Bioprocess Intern").company
    assert ark.name == "Ark Biotech", "a parenthesised note is not part of the name"
    assert Company.objects.filter(name__istartswith="paypal").count() == 1

    import_list(tmp_path, "newgrad", newgrad_list())
    more = [
        job("x-1", "Paypal", "Risk Intern", "https://paypal.example.com/jobs/201"),
        job("x-2", "PAYPAL", "Audit Intern", "https://paypal.example.com/jobs/202"),
    ]
    import_list(tmp_path, "extra", more)

    assert Company.objects.count() == 3
    paypal = Company.objects.get(name_key="paypal")
    # Spellings: PayPal x2 (summer), Paypal x2 (newgrad) + x1, PAYPAL x1.
    assert paypal.name == "Paypal", "the spelling most sources use"
    assert paypal.postings.count() == 5
    aqr = Company.objects.get(name_key="aqr capital management")
    assert aqr.name == "AQR Capital Management", "a tie goes to the name without a suffix"
    assert aqr.postings.count() == 1


def test_an_onsite_posting_in_the_country_only_is_listed_under_every_state(tmp_path, client):
    records = [
        job("c-1", "Apple", "Software Engineer Intern", "https://jobs.apple.example.com/en-us/1",
            locations=["United States"]),
        job("c-2", "Apple", "Hardware Intern", "https://jobs.apple.example.com/en-us/2",
            locations=["Multiple US Locations"]),
        job("c-3", "Apple", "Remote Intern", "https://jobs.apple.example.com/en-us/3",
            locations=["Remote in USA"]),
        job("c-4", "Apple", "Austin Intern", "https://jobs.apple.example.com/en-us/4",
            locations=["Austin, TX"]),
    ]  # fmt: skip
    import_list(tmp_path, "apple", records)
    onsite = Posting.objects.get(title="Software Engineer Intern")
    assert onsite.work_mode == "onsite"
    assert StatePay.objects.filter(posting=onsite).count() == 51
    assert StatePay.objects.filter(posting__title="Austin Intern").count() == 1

    response = client.get("/internships/?state=TX")
    shown = {p.title for p in response.context["page"].object_list}
    assert shown == {
        "Software Engineer Intern",
        "Hardware Intern",
        "Remote Intern",
        "Austin Intern",
    }
    html = response.content.decode()
    card = html[html.index("Software Engineer Intern") :]
    card = card[: card.index("</article>")]
    assert 'United States <span class="city-not-stated">(city not stated)</span>' in card
    remote = html[html.index("Remote Intern") :]
    assert "city not stated" not in remote[: remote.index("</article>")], "remote: no city needed"
    assert "(city not stated)" in client.get(onsite.get_absolute_url()).content.decode()
    ca = {p.title for p in client.get("/internships/?state=CA").context["page"].object_list}
    assert "Austin Intern" not in ca and "Hardware Intern" in ca


def test_a_bulk_import_analyzes_what_it_wrote_and_a_re_import_does_not(tmp_path):
    path = write_file(tmp_path, "summer.json", summer_list())
    with CaptureQueriesContext(connection) as first:
        run_import(path)
    with CaptureQueriesContext(connection) as again:
        run_import(path)
    analyzed = [q["sql"] for q in first.captured_queries if q["sql"].startswith("ANALYZE")]
    if connection.vendor == "postgresql":
        assert len(analyzed) == 1 and '"listings_posting"' in analyzed[0]
        assert '"listings_postingsource"' in analyzed[0]
    else:
        assert analyzed == [], "SQLite keeps no planner statistics to refresh"
    assert not [q for q in again.captured_queries if q["sql"].startswith("ANALYZE")]
    assert PostingSource.objects.count() == 4


@pytest.fixture(params=[2000, 2], ids=["one-batch", "batches-of-two"])
def batch_size(request, monkeypatch):
    """Imports in one batch, and in batches of two records: the fifth record
    then comes two batches after the first."""
    monkeypatch.setattr("listings.importers.writer.BATCH_SIZE", request.param)
    return request.param


def dry_then_real(tmp_path, name, records, *args):
    """Run the import dry, then for real: the dry run must have said exactly
    what the import did, and written nothing."""
    before = sorted(Posting.objects.values_list("pk", "status", "updated_at"))
    dry = import_list(tmp_path, name, records, "--dry-run", *args)
    assert sorted(Posting.objects.values_list("pk", "status", "updated_at")) == before
    real = import_list(tmp_path, name, records, *args)
    assert dry == f"dry run, nothing written: {real}"
    return real


def test_a_posting_under_two_ids_is_open_while_either_lists_it_open(tmp_path, batch_size):
    # s-5 is s-1's job again: one posting, whose fields are the file's first record's.
    records = [
        *summer_list(),
        job("s-5", "PayPal, Inc.", "Software Engineer Intern (again)",
            "https://paypal.example.com/jobs/101?utm_campaign=x"),
    ]  # fmt: skip
    out = dry_then_real(tmp_path, "summer", records)
    assert "created 4, updated 0, unchanged 0" in out
    swe = Posting.objects.get(sources__external_id="s-1")
    assert swe.title == "Software Engineer Intern", "the first record's fields, however batched"

    def again(first, second):
        records[0]["active"], records[4]["active"] = first, second
        out = dry_then_real(tmp_path, "summer", records)
        swe.refresh_from_db()
        return out

    assert "updated 1, unchanged 3" in again(False, False)
    assert swe.status == Status.CLOSED, "no link is active"
    assert links_of(swe) == [("summer", "s-1", False), ("summer", "s-5", False)]

    assert "updated 1, unchanged 3" in again(False, True)
    assert swe.status == Status.PUBLISHED, "the second id lists it open"
    assert links_of(swe) == [("summer", "s-1", False), ("summer", "s-5", True)]

    assert "updated 0, unchanged 4" in again(True, False)
    assert swe.status == Status.PUBLISHED, "the first id lists it open"
    assert links_of(swe) == [("summer", "s-1", True), ("summer", "s-5", False)]

    assert "updated 1, unchanged 3" in again(False, False)
    assert swe.status == Status.CLOSED

    path = write_file(tmp_path, "summer.json", records)
    outputs = []
    assert writes_during(lambda: outputs.append(run_import(path))) == []
    assert "created 0, updated 0, unchanged 4" in outputs[0][0]


def test_a_job_repeated_further_on_is_the_posting_created_before(tmp_path, batch_size):
    """A dry run counts what the import does, even when a job comes back in a
    later batch under another id and another spelling of its address."""
    records = [
        job("s-1", "PayPal", "Software Engineer Intern", "https://paypal.example.com/jobs/101",
            active=False),
        *summer_list()[1:],
        job("s-5", "PayPal, Inc.", "Software Engineer Intern",
            "https://PAYPAL.example.com/jobs/101/?utm_source=ouckah"),
    ]  # fmt: skip

    out = dry_then_real(tmp_path, "summer", records)

    assert "created 4, updated 0, unchanged 0, closed 0" in out
    swe = Posting.objects.get(title="Software Engineer Intern")
    assert links_of(swe) == [("summer", "s-1", False), ("summer", "s-5", True)]
    assert swe.status == Status.PUBLISHED, "open: its second id lists it open"

    # The other list repeats it at its end; then drops the first list's copy.
    out = dry_then_real(tmp_path, "newgrad", [*newgrad_list()[1:], newgrad_list()[0]])
    assert "created 1, updated 3, unchanged 0" in out
    out = dry_then_real(tmp_path, "summer", records[1:4], "--close-missing", "--source", "summer")
    assert "closed 0" in out, "newgrad still lists it"
    assert Posting.objects.get(pk=swe.pk).status == Status.PUBLISHED
    assert links_of(swe) == [
        ("newgrad", "n-9", True),
        ("summer", "s-1", False),
        ("summer", "s-5", False),
    ]


def test_a_file_changed_while_it_is_imported_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr("listings.importers.writer.BATCH_SIZE", 2)
    path = write_file(tmp_path, "summer.json", summer_list())

    def rewrite(self, done, total):
        path.write_text(json.dumps(summer_list()[:1]), encoding="utf-8")

    monkeypatch.setattr(import_listings.Command, "progress", rewrite)
    with pytest.raises(CommandError, match="changed while it was being imported; nothing was"):
        run_import(path)
    assert not Posting.objects.exists()
