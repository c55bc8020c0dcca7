"""A company's board and the community lists share postings (PRODUCT.md
sections 10 and 14): one posting per job, the board's fields winning, each
source closing only its own copy. On SQLite and PostgreSQL."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from listings.models import Posting, Status
from tests.listings.importing import run_import, write_file, writes_during

from .boards import GH_PATH, greenhouse_board, greenhouse_job, make_board_company

pytestmark = pytest.mark.django_db


def sync():
    out = io.StringIO()
    call_command("sync_boards", stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def list_record(job_id, url, title="SWE Intern", active=True):
    return {
        "id": job_id,
        "company_name": "Acme, Inc.",
        "title": title,
        "locations": ["Remote in USA"],
        "url": url,
        "date_posted": 1780000000,
        "active": active,
        "is_visible": True,
        "sponsorship": "Offers Sponsorship",
        "terms": ["Summer 2026"],
    }


def test_a_board_and_a_list_share_a_posting_and_the_board_wins(boards_at, tmp_path):
    company = make_board_company("Acme", "greenhouse", "acme")
    records = [
        list_record("l-1", "https://boards.greenhouse.io/acme/jobs/1?gh_src=simplify"),
        list_record("l-2", "https://boards.greenhouse.io/acme/jobs/9", title="Other Intern"),
    ]
    path = write_file(tmp_path, "summer.json", records)
    run_import(path)
    listed = Posting.objects.get(external_id="l-1")
    assert listed.company_id == company.pk, "Acme, Inc. is the board's Acme"
    assert listed.confirmed_at is None

    serve = boards_at.expect_request(GH_PATH.format("acme")).respond_with_json
    serve(greenhouse_board(greenhouse_job(1, "Software Engineering Intern (Summer 2026)")))
    with CaptureQueriesContext(connection) as queries:
        out = sync()

    assert out == "boards 1 (failed 0); created 0, updated 1, unchanged 0, closed 0, skipped 0"
    posting = Posting.objects.get(pk=listed.pk)
    assert Posting.objects.count() == 2
    assert sorted(posting.sources.values_list("source", "external_id", "active")) == [
        ("greenhouse:acme", "1", True),
        ("summer", "l-1", True),
    ]
    assert posting.title == "Software Engineering Intern (Summer 2026)", "the board's title"
    assert posting.about_role == "<p>Build things.</p>"
    assert (posting.work_mode, [loc.name for loc in posting.locations.all()]) == (
        "onsite",
        ["San Francisco, CA"],
    ), "the board's place"
    assert posting.visa_sponsorship == "yes", "what the board does not say stays the list's"
    assert posting.confirmed_at is not None, "still on its board: confirmed"
    assert posting.fresh_on >= posting.posted_on
    analyzed = [q for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]
    assert len(analyzed) == (1 if connection.vendor == "postgresql" else 0)

    # The list again: it changes none of the board's fields, and writes nothing.
    outputs = []
    assert writes_during(lambda: outputs.append(run_import(path))) == []
    assert "created 0, updated 0, unchanged 2" in outputs[0][0]
    assert Posting.objects.get(pk=posting.pk).title.startswith("Software Engineering")

    # The board drops the job: its copy closes, the list's keeps the posting open.
    boards_at.clear()
    serve = boards_at.expect_request(GH_PATH.format("acme")).respond_with_json
    serve(greenhouse_board(greenhouse_job(2, "Data Intern")))
    out = sync()
    assert out == "boards 1 (failed 0); created 1, updated 0, unchanged 0, closed 0, skipped 0"
    posting.refresh_from_db()
    assert posting.status == Status.PUBLISHED
    assert posting.sources.get(source="greenhouse:acme").active is False
    assert Posting.objects.get(external_id="l-2").status == Status.PUBLISHED, "not the board's"

    # The list drops it too: now nothing lists it open.
    out, _ = run_import(
        write_file(tmp_path, "summer.json", records[1:]), "--close-missing", "--source", "summer"
    )
    assert "closed 1" in out
    assert Posting.objects.get(pk=posting.pk).status == Status.CLOSED


def test_a_board_job_first_then_a_list_copy_keeps_the_boards_fields(boards_at, tmp_path):
    make_board_company("Acme", "greenhouse", "acme")
    boards_at.expect_request(GH_PATH.format("acme")).respond_with_json(
        greenhouse_board(greenhouse_job(5, "Platform Intern"))
    )
    sync()
    board_posting = Posting.objects.get()
    record = list_record("l-5", "https://boards.greenhouse.io/acme/jobs/5/", title="Platform")
    out, _ = run_import(write_file(tmp_path, "newgrad.json", [record]))
    assert "created 0, updated 1" in out
    posting = Posting.objects.get()
    assert posting.pk == board_posting.pk
    assert posting.title == "Platform Intern" and posting.work_mode == "onsite"
    assert posting.sources.count() == 2
    assert sorted(posting.sources.values_list("source", flat=True)) == [
        "greenhouse:acme",
        "newgrad",
    ]


def test_a_board_job_belongs_to_the_boards_company_whatever_shares_its_name(boards_at, tmp_path):
    from companies.models import Company

    # A list made "Acme LLC" before an editor gave Acme's board its own company.
    run_import(write_file(tmp_path, "summer.json", [
        list_record("l-1", "https://boards.greenhouse.io/acme/jobs/1"),
    ]))  # fmt: skip
    listed_company = Posting.objects.get().company
    board_company = Company.objects.create(
        name="Acme Corp", slug="acme-board", ats="greenhouse", board_token="acme"
    )
    assert board_company.name_key == listed_company.name_key == "acme"
    boards_at.expect_request(GH_PATH.format("acme")).respond_with_json(
        greenhouse_board(greenhouse_job(1, "Platform Intern"), greenhouse_job(2, "Data Intern"))
    )
    assert sync().endswith("created 1, updated 1, unchanged 0, closed 0, skipped 0")
    assert set(Posting.objects.values_list("company_id", flat=True)) == {board_company.pk}


def test_a_board_confirms_what_it_still_lists_even_when_not_modified(boards_at):
    import datetime

    from django.utils import timezone
    from werkzeug import Response

    from listings.models import fresh_on_for

    make_board_company("Tagged", "greenhouse", "tagged")
    body = greenhouse_board(greenhouse_job(1, "Platform Intern"))

    def answer(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(json.dumps(body), content_type="application/json", headers={"ETag": '"v1"'})

    boards_at.expect_request(GH_PATH.format("tagged")).respond_with_handler(answer)
    sync()
    old = timezone.now() - datetime.timedelta(days=40)
    Posting.objects.update(confirmed_at=old, fresh_on=fresh_on_for(datetime.date(2026, 2, 6), old))
    stamp = Posting.objects.get().updated_at

    assert sync().endswith("unchanged 1, closed 0, skipped 0")

    posting = Posting.objects.get()
    assert posting.confirmed_at > old + datetime.timedelta(days=39)
    assert posting.fresh_on == fresh_on_for(posting.posted_on, posting.confirmed_at)
    assert not posting.is_stale
    assert posting.updated_at == stamp, "nothing else is written"
