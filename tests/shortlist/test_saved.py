"""Saved postings without an account: kept in the session, exported as CSV."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone

from listings.models import Posting, Status, WorkMode
from tests.factories import SEED_RANGES, make_company, make_posting

pytestmark = pytest.mark.django_db


def save(client, posting, **data):
    return client.post(f"/saved/{posting.pk}/", data)


def saved_titles(client, query=""):
    response = client.get("/saved/" + query)
    assert response.status_code == 200
    return [row["posting"].title for row in response.context["rows"]]


def test_saving_toggles_and_returns_to_where_the_student_was(client):
    posting = make_posting(title="Robotics Intern")
    response = save(client, posting, next="/internships/?mode=remote")
    assert response.status_code == 302
    assert response["Location"] == "/internships/?mode=remote"
    assert saved_titles(client) == ["Robotics Intern"]

    # Saving again removes it.
    response = save(client, posting, next="/internships/")
    assert saved_titles(client) == []


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/path", "javascript:alert(1)", "http:///evil"],
)
def test_an_unsafe_next_goes_to_the_referer_or_the_saved_list(client, next_url):
    posting = make_posting()
    response = save(client, posting, next=next_url)
    assert response["Location"] == "/saved/"
    response = client.post(
        f"/saved/{posting.pk}/",
        {"next": next_url},
        HTTP_REFERER="http://testserver/internships/?page=2",
    )
    assert response["Location"] == "http://testserver/internships/?page=2"
    response = client.post(
        f"/saved/{posting.pk}/", {"next": next_url}, HTTP_REFERER="https://evil.example/"
    )
    assert response["Location"] == "/saved/"


def test_the_save_page_holds_a_csrf_protected_button(client):
    posting = make_posting(title="Data Intern")
    page = client.get(f"/saved/{posting.pk}/", HTTP_REFERER="http://testserver/internships/?q=data")
    assert page.status_code == 200
    assert b"csrfmiddlewaretoken" in page.content
    assert b'name="next" value="/internships/?q=data"' not in page.content  # full URL kept
    assert b'value="http://testserver/internships/?q=data"' in page.content
    assert "no-store" in page["Cache-Control"]

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/saved/{posting.pk}/").status_code == 403
    assert strict.post(f"/saved/{posting.pk}/applied/").status_code == 403


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING])
def test_postings_never_public_are_404_on_every_saved_url(client, status):
    draft = make_posting(status=status)
    for path in (f"/saved/{draft.pk}/", f"/saved/{draft.pk}/applied/"):
        assert client.get(path).status_code in (404, 405)
        assert client.post(path).status_code == 404
    assert client.get("/saved/999999/").status_code == 404
    assert client.post("/saved/99999999999999999999999/").status_code == 404
    # Nor can a draft sneak into the list through a stale session entry.
    session = client.session
    session["saved"] = {str(draft.pk): {"applied": False}, "x": {}, "-3": None}
    session.save()
    assert saved_titles(client) == []


def test_marking_applied_and_the_csv_export(client):
    company = make_company(name="@Evil Corp")
    one = make_posting(title='=HYPERLINK("http://evil")', company=company, locations=["Austin, TX"])
    two = make_posting(title="Plain Intern", pay=SEED_RANGES, locations=["Austin, TX", "Remote"])
    save(client, one)
    save(client, two)
    response = client.post(f"/saved/{two.pk}/applied/", {"next": "/saved/"})
    assert response["Location"] == "/saved/"
    page = client.get("/saved/")
    assert b"Applied" in page.content

    export = client.get("/saved/export.csv?state=TX")
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in export["Content-Disposition"]
    text = export.content.decode("utf-8")
    assert text.splitlines()[0] == "title,company,places,pay,status,applied,apply_url"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["title"] for row in rows] == ["Plain Intern", '\'=HYPERLINK("http://evil")']
    plain, evil = rows
    assert plain["applied"] == "yes" and evil["applied"] == "no"
    assert evil["company"] == "'@Evil Corp"
    assert plain["places"] == "Austin, TX; Remote"
    assert plain["pay"] == "$48 / hour in TX"
    assert plain["status"] == "open"
    assert plain["apply_url"] == f"http://testserver/internships/{two.pk}/apply/"


def test_pay_in_the_chosen_state_is_remembered(client):
    posting = make_posting(
        title="Pay Intern", pay=SEED_RANGES, locations=["United States"], work_mode=WorkMode.REMOTE
    )
    save(client, posting)
    page = client.get("/saved/?state=CA")
    assert "$52 / hour in CA" in page.content.decode()
    # Next visit, no parameter: still California.
    assert "$52 / hour in CA" in client.get("/saved/").content.decode()
    assert "$44 - $52 / hour" in client.get("/saved/?state=").content.decode()


def test_closed_since_is_the_local_day_not_utcs(client, settings):
    # 21:30 in New York is 02:30 the next day in UTC: the day shown is New York's.
    settings.TIME_ZONE = "America/New_York"
    evening = datetime.datetime(2026, 3, 3, 21, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    closed = make_posting(
        title="Evening Close Intern", status=Status.CLOSED, posted_on=datetime.date(2026, 2, 1)
    )
    Posting.objects.filter(pk=closed.pk).update(closed_at=evening)
    save(client, closed)
    page = client.get("/saved/").content.decode()
    assert "Closed since 2026-03-03" in page and "2026-03-04" not in page


def test_closed_postings_say_since_when_and_offer_similar_open_ones(client):
    closed = make_posting(title="Closed ML Intern", categories=["AI"], status=Status.CLOSED)
    make_posting(title="Open ML Intern", categories=["AI"])
    make_posting(title="Unrelated Intern", categories=["Sales"])
    save(client, closed)
    page = client.get("/saved/").content.decode()
    assert f"Closed since {timezone.localdate().isoformat()}" in page
    assert "Open ML Intern" in page
    assert "Unrelated Intern" not in page


def test_cards_link_to_the_save_page_without_a_session_and_hold_the_button_with_one(client):
    posting = make_posting(title="Card Intern")
    for path in ("/internships/", posting.get_absolute_url(), "/"):
        content = client.get(path).content.decode()
        assert f'href="/saved/{posting.pk}/"' in content, path
        assert "csrfmiddlewaretoken" not in content, path
        assert "sessionid" not in client.cookies
    save(client, posting)
    content = client.get("/internships/").content.decode()
    assert f'action="/saved/{posting.pk}/"' in content
    assert "csrfmiddlewaretoken" in content
    assert "Saved ✓" in content


def test_the_list_links_to_an_alert_for_its_filters(client):
    make_posting()
    content = client.get("/internships/?mode=remote&skill=python&page=1&sort=pay").content.decode()
    assert 'href="/alerts/new/?mode=remote&amp;skill=python"' in content


JUNK = ["\x00", "x" * 100_000, "ü🎉", "' OR 1=1 --", "%00", "TX\x00"]


@pytest.mark.parametrize("value", JUNK)
def test_no_query_string_or_form_value_gives_a_server_error(client, value):
    posting = make_posting()
    save(client, posting)
    for path in ("/saved/", "/saved/export.csv", "/alerts/new/"):
        for name in ("state", "skill", "min_pay", "page", value[:50]):
            response = client.get(path, {name: value})
            assert response.status_code < 500, (path, name)
    for name in ("email", "state", "q", "min_pay", "next"):
        assert client.post("/alerts/", {name: value, "email": "a@example.com"}).status_code < 500
        assert client.post(f"/saved/{posting.pk}/", {name: value}).status_code < 500
    assert client.get(f"/alerts/confirm/{value[:500]}/").status_code in (404, 400)
    assert client.post(f"/alerts/unsubscribe/{value[:500]}/").status_code in (404, 400, 403)
