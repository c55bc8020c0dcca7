"""`sync_boards` against a real local HTTP server answering like Greenhouse,
Lever and Ashby (PRODUCT.md section 10), on SQLite and PostgreSQL."""

import io
import json
import time

import pytest
from django.core.management import CommandError, call_command
from werkzeug import Response

from companies.models import Company
from listings.models import Posting, Status
from tests.listings.importing import database_rows

from .boards import (
    ASHBY_PATH,
    GH_PATH,
    LEVER_PATH,
    SEED_PAY_BLOCK,
    ashby_board,
    ashby_job,
    greenhouse_board,
    greenhouse_job,
    lever_posting,
    make_board_company,
)

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("sync_boards", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def run_failing(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("sync_boards", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue(), str(failure.value)


def serve(server, path, payload, **headers):
    server.expect_request(path).respond_with_json(payload, headers=headers)


def test_the_seed_pay_block_gives_pay_per_state_on_the_list(boards_at, client):
    make_board_company("Instacart", "greenhouse", "instacart")
    job = greenhouse_job(
        4012, "Machine Learning Engineer, PhD Intern", location="United States - Remote",
        body="<p>Work on LLMs.</p>" + SEED_PAY_BLOCK,
    )  # fmt: skip
    boards_at.expect_request(
        GH_PATH.format("instacart"),
        query_string={"content": "true", "pay_transparency": "true"},
    ).respond_with_json(greenhouse_board(job))

    out, _ = run()

    assert out == "boards 1 (failed 0); created 1, updated 0, unchanged 0, closed 0, skipped 0"
    posting = Posting.objects.get()
    assert (posting.source, posting.external_id) == ("greenhouse:instacart", "4012")
    assert posting.status == Status.PUBLISHED and posting.work_mode == "remote"
    assert posting.apply_url == "https://boards.greenhouse.io/acme/jobs/4012"
    assert posting.posted_on.isoformat() == "2026-02-06"
    # The pay block stays in the text as the company wrote it (sanitised).
    assert posting.pay_unit == "hour" and "All other states" in posting.about_role
    for state, amount, others in (
        ("WA", "$50", "$52"),
        ("CA", "$52", "$50"),
        ("TX", "$48", "$52"),
        ("FL", "$44", "$48"),
    ):
        page = client.get(f"/internships/?state={state}").content.decode()
        assert "Machine Learning Engineer, PhD Intern" in page
        assert amount in page and others not in page, state
    request, _ = boards_at.log[0]
    assert request.headers["User-Agent"].startswith("Internboard/0.1.0 (+http")


def test_a_board_creates_updates_leaves_closes_and_reopens(boards_at):
    company = make_board_company("Acme", "greenhouse", "acme")
    first = [
        greenhouse_job(1, "Software Engineering Intern (Summer 2026)"),
        greenhouse_job(2, "Data Science Intern"),
        greenhouse_job(3, "Internal Audit Lead"),
    ]
    serve(boards_at, GH_PATH.format("acme"), greenhouse_board(*first))
    assert run()[0] == (
        "boards 1 (failed 0); created 2, updated 0, unchanged 0, closed 0, skipped 1"
    )
    summer = Posting.objects.get(external_id="1")
    assert [t.name for t in summer.terms.all()] == ["Summer 2026"]

    boards_at.clear()
    second = [greenhouse_job(1, "Software Engineering Intern (Summer 2026)", body="<p>New</p>")]
    serve(boards_at, GH_PATH.format("acme"), greenhouse_board(*second))
    assert run()[0] == (
        "boards 1 (failed 0); created 0, updated 1, unchanged 0, closed 1, skipped 0"
    )
    assert Posting.objects.get(external_id="2").status == Status.CLOSED
    assert Posting.objects.get(external_id="1").about_role == "<p>New</p>"

    boards_at.clear()
    serve(boards_at, GH_PATH.format("acme"), greenhouse_board(second[0], first[1]))
    assert run()[0] == (
        "boards 1 (failed 0); created 0, updated 1, unchanged 1, closed 0, skipped 0"
    )
    assert Posting.objects.get(external_id="2").status == Status.PUBLISHED
    company.refresh_from_db()
    assert company.board_synced_at is not None
    assert company.board_sync_result == ("created 0, updated 1, unchanged 1, closed 0, skipped 0")


def test_a_failing_board_changes_nothing_and_the_others_sync(boards_at, settings):
    settings.BOARD_TIMEOUT = (
        1.5  # generous: the healthy boards must answer in time on a busy machine
    )
    make_board_company("Broken", "greenhouse", "broken")
    make_board_company("Down", "ashby", "down")
    make_board_company("Slow", "lever", "slow")
    make_board_company("Fine", "lever", "fine")
    make_board_company("Odd", "ashby", "odd")
    serve(boards_at, GH_PATH.format("broken"), greenhouse_board(greenhouse_job(7, "Design Intern")))
    run("broken")
    assert Posting.objects.filter(source="greenhouse:broken", status=Status.PUBLISHED).count() == 1

    boards_at.clear()
    boards_at.expect_request(GH_PATH.format("broken")).respond_with_data(
        '{"jobs": [', content_type="application/json"
    )
    boards_at.expect_request(ASHBY_PATH.format("down")).respond_with_data("oops", status=500)
    boards_at.expect_request(LEVER_PATH.format("slow")).respond_with_handler(
        lambda request: (time.sleep(4), Response("[]"))[1]
    )
    serve(boards_at, ASHBY_PATH.format("odd"), {"jobs": {"not": "a list"}})
    serve(boards_at, LEVER_PATH.format("fine"), [lever_posting("f-1", "Backend Intern")])

    out, err, message = run_failing()

    assert out == "boards 5 (failed 4); created 1, updated 0, unchanged 0, closed 0, skipped 0"
    assert "broken (greenhouse:broken): failed: bad JSON" in err
    assert "down (ashby:down): failed: HTTP 500 after 3 retries" in err
    assert "slow (lever:slow): failed: timed out" in err
    assert "odd (ashby:odd): failed: unexpected shape" in err
    assert message.startswith("4 board(s) failed")
    # The broken board's posting is untouched: not closed.
    assert Posting.objects.get(source="greenhouse:broken").status == Status.PUBLISHED
    assert Posting.objects.filter(source="lever:fine").count() == 1
    assert Company.objects.get(slug="down").board_sync_result.startswith("failed: HTTP 500")
    # 1 try + 3 retries on the 500.
    assert sum(1 for r, _ in boards_at.log if r.path == ASHBY_PATH.format("down")) == 4


def test_retries_honour_retry_after(boards_at, settings):
    settings.BOARD_RETRY_MAX_WAIT = 0.3
    make_board_company("Busy", "ashby", "busy")
    path = ASHBY_PATH.format("busy")
    boards_at.expect_oneshot_request(path).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    boards_at.expect_oneshot_request(path).respond_with_data(
        "slow down", status=503, headers={"Retry-After": "120"}
    )
    serve(boards_at, path, ashby_board(ashby_job("a-1", "Research Intern")))
    started = time.monotonic()
    out, _ = run()
    assert out.startswith("boards 1 (failed 0); created 1")
    # Retry-After: 120 was honoured up to the configured cap, not ignored nor waited out.
    assert 0.25 <= time.monotonic() - started < 5
    assert [r.path for r, _ in boards_at.log] == [path] * 3


def test_an_unchanged_board_is_asked_with_its_etag_and_writes_nothing(boards_at):
    company = make_board_company("Tagged", "lever", "tagged")
    path = LEVER_PATH.format("tagged")
    body = json.dumps([lever_posting("t-1", "Platform Intern")])

    def answer(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(body, content_type="application/json", headers={"ETag": '"v1"'})

    boards_at.expect_request(path).respond_with_handler(answer)
    run()
    company.refresh_from_db()
    assert company.board_etag == '"v1"'
    stamp = Posting.objects.get().updated_at

    out, _ = run()

    assert out == "boards 1 (failed 0); created 0, updated 0, unchanged 1, closed 0, skipped 0"
    assert boards_at.log[-1][0].headers["If-None-Match"] == '"v1"'
    assert boards_at.log[-1][1].status_code == 304
    assert Posting.objects.get().updated_at == stamp


def test_internships_only_and_the_traps_of_real_boards(boards_at):
    make_board_company("Globex", "lever", "globex")
    make_board_company("Initech", "ashby", "initech")
    make_board_company("Hooli", "greenhouse", "hooli")
    serve(
        boards_at,
        LEVER_PATH.format("globex"),
        [
            lever_posting("l-1", "Engineering Summer Student", commitment="Intern"),
            lever_posting("l-2", "Internal Audit Lead", commitment="Full-time"),
            lever_posting(
                "l-3",
                "Werkstudent Intern",
                location="Berlin",
                country="DE",
                workplace="on-site",  # fmt: skip
                salary={
                    "interval": "per-month-salary",
                    "currency": "EUR",
                    "min": 1500,
                    "max": 1800,
                },
            ),  # fmt: skip
            lever_posting(
                "l-4",
                "Co-op, Firmware (Fall 2026)",
                commitment="Full-time",
                salary={"interval": "per-hour-wage", "currency": "USD", "min": 30, "max": 38},
            ),  # fmt: skip
        ],
    )
    serve(
        boards_at,
        ASHBY_PATH.format("initech"),
        ashby_board(
            ashby_job("a-1", "Founders Associate", workplace="Hybrid", remote=True),
            ashby_job("a-2", "International Sales Manager", employment="FullTime"),
            ashby_job(
                "a-3",
                "Apprentice Machinist",
                employment="FullTime",
                remote=True,
                address={
                    "addressRegion": "California, Washington",
                    "addressCountry": "USA",
                },  # fmt: skip
                compensation={
                    "compensationTiers": [],
                    "summaryComponents": [
                        {
                            "compensationType": "Salary",
                            "interval": "1 YEAR",
                            "currencyCode": "USD",
                            "minValue": 90000,
                            "maxValue": 105000,
                        }
                    ],
                },
            ),  # fmt: skip
            ashby_job("a-4", "Hidden Intern", listed=False),
        ),
    )
    serve(
        boards_at,
        GH_PATH.format("hooli"),
        greenhouse_board(
            greenhouse_job(
                9,
                "Internship Program",
                escape_times=2,
                body="<p>Twice &amp; escaped</p><img src=x onerror=alert(1)>",
            ),  # fmt: skip
            greenhouse_job(
                10,
                "Interns Lead Coordinator, Summer",
                location="Hybrid - Austin, TX",
                pay_input_ranges=[
                    {
                        "title": "Hourly Pay Range",
                        "min_cents": 2500,
                        "max_cents": 3150,
                        "currency_type": "USD",
                    }
                ],
            ),  # fmt: skip
        ),
    )

    out, _ = run()

    assert out == "boards 3 (failed 0); created 7, updated 0, unchanged 0, closed 0, skipped 3"
    by_id = {p.external_id: p for p in Posting.objects.prefetch_related("locations", "terms")}
    assert set(by_id) == {"l-1", "l-3", "l-4", "a-1", "a-3", "9", "10"}
    berlin = by_id["l-3"]
    assert [(loc.city, loc.country) for loc in berlin.locations.all()] == [("Berlin", "DE")]
    assert (berlin.pay_currency, berlin.pay_unit, berlin.pay_min) == ("EUR", "month", 1500)
    assert [t.name for t in by_id["l-4"].terms.all()] == ["Fall 2026"]
    assert by_id["l-4"].pay_max_hourly == 38
    assert by_id["a-1"].work_mode == "hybrid"  # isRemote is true for hybrid jobs
    assert by_id["a-3"].work_mode == "remote"  # no workplaceType: isRemote decides
    assert sorted(loc.region for loc in by_id["a-3"].locations.all()) == ["CA", "WA"]
    assert by_id["a-3"].pay_unit == "year" and by_id["a-3"].pay_max == 105000
    assert "<script>" not in by_id["a-1"].about_role and "Hello" in by_id["a-1"].about_role
    assert by_id["9"].about_role == "<p>Twice &amp; escaped</p>"
    assert by_id["10"].work_mode == "hybrid" and not by_id["10"].terms.exists()
    assert [loc.name for loc in by_id["10"].locations.all()] == ["Austin, TX"]
    assert (by_id["10"].pay_min, by_id["10"].pay_max) == (25, 31.5)
    lever_text = by_id["l-1"].about_role
    assert lever_text.index("Intro") < lever_text.index("Ship code") < lever_text.index("Benefits")


def test_dry_run_and_selection(boards_at):
    make_board_company("Acme", "greenhouse", "acme")
    make_board_company("Globex", "lever", "globex")
    serve(boards_at, GH_PATH.format("acme"), greenhouse_board(greenhouse_job(1, "Design Intern")))
    serve(boards_at, LEVER_PATH.format("globex"), [lever_posting("g", "QA Intern")])

    rows = database_rows()
    out, err = run("--dry-run")
    assert out == "boards 2 (failed 0); created 2, updated 0, unchanged 0, closed 0, skipped 0"
    assert "dry run" in err
    assert database_rows() == rows, "its writes are rolled back"
    assert not Posting.objects.exists()
    assert Company.objects.get(slug="acme").board_synced_at is None

    assert run("--ats", "lever")[0].startswith("boards 1 (failed 0); created 1")
    assert run("acme")[0].startswith("boards 1 (failed 0); created 1")
    assert Posting.objects.count() == 2
    with pytest.raises(CommandError, match="nope"):
        call_command("sync_boards", "nope", stdout=io.StringIO())


def test_a_board_without_etag_is_recognised_by_its_answer(boards_at):
    company = make_board_company("Plain", "ashby", "plain")
    path = ASHBY_PATH.format("plain")
    serve(boards_at, path, ashby_board(ashby_job("p-1", "Research Intern")))
    run()
    company.refresh_from_db()
    assert company.board_etag.startswith("sha256-v1:")
    stamp = Posting.objects.get().updated_at

    out, _ = run()

    assert out == "boards 1 (failed 0); created 0, updated 0, unchanged 1, closed 0, skipped 0"
    # The fingerprint is ours: it is never sent as If-None-Match.
    assert "If-None-Match" not in boards_at.log[-1][0].headers
    assert Posting.objects.get().updated_at == stamp

    boards_at.clear()
    serve(boards_at, path, ashby_board(ashby_job("p-2", "Design Intern")))
    assert run()[0] == (
        "boards 1 (failed 0); created 1, updated 0, unchanged 0, closed 1, skipped 0"
    )


def test_at_most_four_boards_are_fetched_at_once(boards_at, settings):
    import threading

    settings.BOARD_TIMEOUT = 5
    lock, active, most = threading.Lock(), [0], [0]

    def slow(request):
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        time.sleep(1)
        with lock:
            active[0] -= 1
        return Response("[]", content_type="application/json")

    for n in range(7):
        make_board_company(f"Board{n}", "lever", f"board{n}")
        boards_at.expect_request(LEVER_PATH.format(f"board{n}")).respond_with_handler(slow)

    assert run()[0].startswith("boards 7 (failed 0)")
    assert most[0] == 4
