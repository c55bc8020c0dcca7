"""`sync_boards --enqueue` queues one task per board; `db_worker` runs them."""

import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from listings.models import Posting

from .boards import (
    ASHBY_PATH,
    LEVER_PATH,
    ashby_board,
    ashby_job,
    lever_posting,
    make_board_company,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_enqueued_boards_are_synced_by_the_worker(boards_at):
    make_board_company("Globex", "lever", "globex")
    make_board_company("Initech", "ashby", "initech")
    boards_at.expect_request(LEVER_PATH.format("globex")).respond_with_json(
        [lever_posting("g-1", "QA Intern")]
    )
    boards_at.expect_request(ASHBY_PATH.format("initech")).respond_with_json(
        ashby_board(ashby_job("i-1", "Research Intern"), ashby_job("i-2", "Design Intern"))
    )
    out = io.StringIO()

    call_command("sync_boards", "--enqueue", stdout=out)

    assert out.getvalue().strip() == "queued 2 board sync(s)"
    assert DBTaskResult.objects.count() == 2
    assert not Posting.objects.exists()  # nothing fetched yet
    assert not boards_at.log

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())

    assert set(Posting.objects.values_list("source", "external_id")) == {
        ("lever:globex", "g-1"),
        ("ashby:initech", "i-1"),
        ("ashby:initech", "i-2"),
    }
    results = DBTaskResult.objects.order_by("enqueued_at")
    assert [r.status for r in results] == ["SUCCESSFUL", "SUCCESSFUL"]


def test_a_failing_board_fails_its_task_only(boards_at):
    make_board_company("Down", "lever", "down")
    make_board_company("Fine", "lever", "fine")
    boards_at.expect_request(LEVER_PATH.format("down")).respond_with_data("no", status=404)
    boards_at.expect_request(LEVER_PATH.format("fine")).respond_with_json(
        [lever_posting("f-1", "QA Intern")]
    )
    call_command("sync_boards", "--enqueue", stdout=io.StringIO())
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())

    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == ["FAILED", "SUCCESSFUL"]
    assert Posting.objects.filter(source="lever:fine").count() == 1
    assert not Posting.objects.filter(source="lever:down").exists()
