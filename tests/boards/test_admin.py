"""Board fields and "Sync board now" on the company admin: editors only."""

import pytest
from django.urls import reverse

from companies.models import Company
from listings.models import Posting
from tests.factories import make_editor, make_recruiter

from .boards import GH_PATH, greenhouse_board, greenhouse_job, make_board_company

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:companies_company_changelist")


def change_url(company):
    return reverse("admin:companies_company_change", args=[company.pk])


def test_an_editor_sets_a_board_and_syncs_it_now(client, boards_at):
    company = Company.objects.create(name="Acme", slug="acme")
    client.force_login(make_editor())
    page = client.get(change_url(company)).content.decode()
    assert 'name="ats"' in page and 'name="board_token"' in page
    form = {"name": "Acme", "slug": "acme", "website": "", "size": "", "about": "",
            "ats": "greenhouse", "board_token": "acme", "recruiters": []}  # fmt: skip
    assert client.post(change_url(company), form).status_code == 302
    company.refresh_from_db()
    assert (company.ats, company.board_token) == ("greenhouse", "acme")

    boards_at.expect_request(GH_PATH.format("acme")).respond_with_json(
        greenhouse_board(greenhouse_job(5, "Design Intern"), greenhouse_job(6, "Designer"))
    )
    response = client.post(
        CHANGELIST,
        {"action": "sync_board_now", "_selected_action": [company.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "boards 1 (failed 0); created 1, updated 0, unchanged 0, closed 0, skipped 1" in text
    assert Posting.objects.filter(source="greenhouse:acme").count() == 1
    page = client.get(change_url(company)).content.decode()
    assert "created 1, updated 0, unchanged 0, closed 0, skipped 1" in page


def test_a_board_needs_its_token(client):
    company = Company.objects.create(name="Acme", slug="acme")
    client.force_login(make_editor())
    form = {"name": "Acme", "slug": "acme", "ats": "lever", "board_token": "", "recruiters": []}
    response = client.post(change_url(company), form)
    assert response.status_code == 200
    assert "needs its board token" in response.content.decode()
    company.refresh_from_db()
    assert company.ats == ""


def test_a_recruiter_neither_sees_nor_syncs_the_board(client, boards_at):
    company = make_board_company("Acme", "greenhouse", "acme")
    client.force_login(make_recruiter(companies=[company]))
    page = client.get(change_url(company)).content.decode()
    assert 'name="ats"' not in page and "Sync board now" not in page
    assert "Sync board now" not in client.get(CHANGELIST).content.decode()
    client.post(CHANGELIST, {"action": "sync_board_now", "_selected_action": [company.pk]})
    form = {"website": "", "size": "", "about": "x", "ats": "", "board_token": "evil"}
    client.post(change_url(company), form)
    company.refresh_from_db()
    assert (company.ats, company.board_token) == ("greenhouse", "acme")
    assert not boards_at.log and not Posting.objects.exists()
