"""Email alerts end to end, against a real SMTP server on localhost."""

import datetime
import re
import time

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from listings.models import WorkMode
from shortlist.models import Alert
from shortlist.sending import send_alerts
from tests.factories import make_posting

from .conftest import free_port, html_of, text_of

pytestmark = pytest.mark.django_db

ADDRESS = "student@example.com"


def sign_up(client, email=ADDRESS, **filters):
    return client.post("/alerts/", {"email": email, **filters})


def link_in(message, kind):
    match = re.search(rf"http://testserver(/alerts/{kind}/[^/\s]+/)", text_of(message))
    assert match, text_of(message)
    return match.group(1)


def a_day_later():
    """As if the next daily run had come: the last mail was sent yesterday."""
    Alert.objects.update(last_sent_at=timezone.now() - datetime.timedelta(days=1))


def test_sign_up_confirm_and_get_new_matching_postings_once(smtp):
    client = Client(enforce_csrf_checks=False)
    make_posting(title="Older Python Intern", skills=["Python"], work_mode=WorkMode.REMOTE)

    form = client.get("/alerts/new/?skill=Python&mode=remote&sort=pay&page=3")
    assert form.status_code == 200
    assert b"Email me new internships like these" in form.content
    assert b'name="skill" value="python"' in form.content
    assert b'name="sort"' not in form.content

    response = sign_up(client, skill="python", mode="remote")
    assert response.status_code == 200
    assert b"Check your inbox" in response.content
    [confirmation] = smtp.to(ADDRESS)
    assert "Confirm" in confirmation["Subject"]
    alert = Alert.objects.get()
    assert (alert.email, alert.query, alert.confirmed_at) == (
        ADDRESS,
        "mode=remote&skill=python",
        None,
    )

    # Unconfirmed alerts get nothing.
    make_posting(title="Unseen Python Intern", skills=["Python"], work_mode=WorkMode.REMOTE)
    smtp.clear()
    call_command("send_alerts")
    assert smtp.messages == []

    confirm = link_in(confirmation, "confirm")
    page = client.get(confirm)
    assert b"Confirm my alert" in page.content
    assert not Alert.objects.get().confirmed_at  # a link checker's GET confirms nothing
    assert b"Your alert is on" in client.post(confirm).content
    assert Alert.objects.get().confirmed_at

    make_posting(title="Fresh Python Intern", skills=["Python"], work_mode=WorkMode.REMOTE)
    make_posting(title="Fresh Java Intern", skills=["Java"], work_mode=WorkMode.REMOTE)
    make_posting(title="Onsite Python Intern", skills=["Python"], work_mode=WorkMode.ONSITE)
    call_command("send_alerts")
    [digest] = smtp.to(ADDRESS)
    text, html = text_of(digest), html_of(digest)
    assert "Fresh Python Intern" in text and "Fresh Python Intern" in html
    for other in ("Older Python", "Unseen Python", "Java", "Onsite"):
        assert other not in text
    unsubscribe = link_in(digest, "unsubscribe")
    assert digest["List-Unsubscribe"].strip() == f"<http://testserver{unsubscribe}>"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The same day: nothing, even with a new match (at most one mail a day).
    smtp.clear()
    make_posting(title="Second Python Intern", skills=["Python"], work_mode=WorkMode.REMOTE)
    call_command("send_alerts")
    assert smtp.messages == []

    # The next day: only what is new since the last mail.
    a_day_later()
    call_command("send_alerts")
    [second] = smtp.to(ADDRESS)
    assert "Second Python Intern" in text_of(second)
    assert "Fresh Python Intern" not in text_of(second)
    smtp.clear()
    a_day_later()
    call_command("send_alerts")
    assert smtp.messages == []

    # RFC 8058 one-click: a POST from the mail provider, with no CSRF token.
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(
        unsubscribe,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    make_posting(title="Third Python Intern", skills=["Python"], work_mode=WorkMode.REMOTE)
    a_day_later()
    call_command("send_alerts")
    assert smtp.messages == []


def test_unsubscribe_page_asks_first_and_its_form_needs_a_csrf_token(smtp):
    alert = Alert.objects.create(email=ADDRESS, query="", confirmed_at=timezone.now())
    path = alert.unsubscribe_url()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(path)
    assert page.status_code == 200 and b"Unsubscribe from this alert?" in page.content
    assert Alert.objects.get().unsubscribed_at is None
    # A forged cross-site form POST without the one-click body is refused.
    assert browser.post(path, {"other": "1"}).status_code == 403
    assert Alert.objects.get().unsubscribed_at is None
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1)
    done = browser.post(path, {"csrfmiddlewaretoken": token.decode()})
    assert b"You are unsubscribed" in done.content
    assert Alert.objects.get().unsubscribed_at is not None


@pytest.mark.parametrize("bad", ["not-an-address", "a@b", "student@@example.com", "x" * 300, ""])
def test_a_bad_address_gets_a_form_error_and_no_mail(client, smtp, bad):
    response = sign_up(client, email=bad)
    assert response.status_code == 400
    assert b'aria-invalid="true"' in response.content
    assert smtp.messages == []
    assert not Alert.objects.exists()


def test_filters_the_list_would_ignore_are_refused(client, smtp):
    response = sign_up(client, state="ZZ", min_pay="lots")
    assert response.status_code == 400
    assert b"These filters were not understood" in response.content
    assert smtp.messages == [] and not Alert.objects.exists()


def test_too_many_filters_for_one_alert_are_refused(client, smtp):
    words = [f"{n:03d}-" + "x" * 95 for n in range(20)]
    response = sign_up(client, skill=words, category=words)
    assert response.status_code == 400
    assert b"too many for an alert" in response.content
    assert not Alert.objects.exists()


def test_at_most_five_alerts_per_address(client, smtp, settings):
    settings.ALERT_SIGNUPS_PER_ADDRESS = "100/h"
    for n in range(5):
        assert sign_up(client, q=f"word{n}").status_code == 200
    # Case does not make a new address.
    response = sign_up(client, email="Student@Example.com", q="word6")
    assert response.status_code == 400
    assert b"already has 5 alerts" in response.content
    assert len(smtp.to(ADDRESS)) == 5
    assert Alert.objects.count() == 5
    # Unsubscribing from one makes room.
    Alert.objects.filter(query="q=word0").update(unsubscribed_at=timezone.now())
    assert sign_up(client, q="word6").status_code == 200


def test_sign_ups_are_rate_limited_per_address(client, smtp, settings):
    settings.ALERT_SIGNUPS_PER_ADDRESS = "2/h"
    assert sign_up(client, q="a").status_code == 200
    assert sign_up(Client(REMOTE_ADDR="10.0.0.2"), q="b").status_code == 200
    refused = sign_up(Client(REMOTE_ADDR="10.0.0.3"), q="c")
    assert refused.status_code == 429
    assert b"Too many sign-ups" in refused.content
    assert len(smtp.messages) == 2 and Alert.objects.count() == 2
    # Another address is not held up by this one.
    assert sign_up(client, email="other@example.com").status_code == 200


def test_sign_ups_are_rate_limited_per_client(smtp, settings):
    settings.ALERT_SIGNUPS_PER_IP = "3/h"
    client = Client(REMOTE_ADDR="10.0.0.9")
    for n in range(3):
        assert sign_up(client, email=f"s{n}@example.com").status_code == 200
    assert sign_up(client, email="s9@example.com").status_code == 429
    assert len(smtp.messages) == 3
    assert sign_up(Client(REMOTE_ADDR="10.0.0.10"), email="s9@example.com").status_code == 200


def test_the_same_alert_twice_is_one_alert(client, smtp):
    sign_up(client, skill="python")
    sign_up(client, skill="Python")
    assert Alert.objects.count() == 1
    assert len(smtp.to(ADDRESS)) == 2  # the confirmation again, for a lost first mail


def test_a_mail_server_that_is_down_leaves_no_alert(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = (
        "127.0.0.1",
        free_port(),
        False,
    )
    response = sign_up(client)
    assert response.status_code == 503
    assert b"could not send the confirmation" in response.content
    assert not Alert.objects.exists()


def test_confirmation_links_expire_after_seven_days_and_cannot_be_forged(client, smtp, monkeypatch):
    alert = Alert.objects.create(email=ADDRESS)
    eight_days_ago = int(time.time()) - 8 * 86400
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(eight_days_ago)
    )
    old = alert.confirm_url()
    monkeypatch.undo()
    assert client.post(old).status_code == 404
    forged = alert.confirm_url()[:-3] + "AAA/"
    assert client.post(forged).status_code == 404
    # An unsubscribe token does not confirm, nor the other way round.
    token = alert.unsubscribe_token()
    assert client.post(f"/alerts/confirm/{token}/").status_code == 404
    assert Alert.objects.get().confirmed_at is None
    assert client.post(alert.confirm_url()).status_code == 200
    assert Alert.objects.get().confirmed_at is not None


def test_send_alerts_deletes_addresses_unsubscribed_or_unconfirmed_for_30_days(smtp):
    long_ago = timezone.now() - datetime.timedelta(days=31)
    recent = timezone.now() - datetime.timedelta(days=3)
    Alert.objects.create(email="old-unconfirmed@example.com", created_at=long_ago)
    Alert.objects.create(email="new-unconfirmed@example.com", created_at=recent)
    Alert.objects.create(
        email="old-unsubscribed@example.com",
        created_at=long_ago,
        confirmed_at=long_ago,
        unsubscribed_at=long_ago,
    )
    Alert.objects.create(
        email="old-confirmed@example.com", created_at=long_ago, confirmed_at=long_ago
    )
    call_command("send_alerts")
    assert set(Alert.objects.values_list("email", flat=True)) == {
        "new-unconfirmed@example.com",
        "old-confirmed@example.com",
    }


def confirmed_alerts(count, queries):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Alert.objects.bulk_create(
        Alert(
            email=f"s{n}@example.com",
            query=queries[n % len(queries)],
            created_at=yesterday,
            confirmed_at=yesterday,
            sent_through=yesterday,
        )
        for n in range(count)
    )


def test_send_alerts_runs_a_bounded_number_of_queries(smtp):
    """One search per distinct filter and a few queries per batch of mails,
    never a query per alert or per posting."""
    from django.core.cache import cache
    from django.db import connection

    queries = ["", "skill=python", "mode=remote", "mode=remote&skill=python"]
    for n in range(6):
        make_posting(
            title=f"Intern {n}",
            skills=["Python"] if n % 2 else ["Go"],
            work_mode=WorkMode.REMOTE if n % 3 else WorkMode.ONSITE,
        )
    confirmed_alerts(12, queries)
    with CaptureQueriesContext(connection) as small:
        report = send_alerts()
    assert report.sent == 12 and report.searches == 4
    assert len(smtp.messages) == 12

    Alert.objects.all().delete()
    smtp.clear()
    for n in range(6, 30):
        make_posting(title=f"Intern {n}", skills=["Python"], work_mode=WorkMode.REMOTE)
    confirmed_alerts(60, queries)
    with CaptureQueriesContext(connection) as large:
        report = send_alerts(batch=1000)
    assert report.sent == 60 and len(smtp.messages) == 60
    assert len(large) == len(small), [q["sql"][:120] for q in large][-50:]
    # In batches of 25: a fixed number more per batch.
    Alert.objects.all().delete()
    confirmed_alerts(60, queries)
    cache.clear()  # as cold as the runs above: the label filters read cached label ids
    with CaptureQueriesContext(connection) as batched:
        send_alerts(batch=25)
    assert len(batched) == len(small) + 2 * 3  # 3 batches instead of 1


@pytest.mark.django_db(transaction=True)
def test_send_alerts_can_be_queued_for_the_worker(smtp):
    import io

    alert = Alert.objects.create(
        email=ADDRESS,
        query="skill=python",
        confirmed_at=timezone.now() - datetime.timedelta(days=2),
    )
    make_posting(title="Queued Python Intern", skills=["Python"])
    out = io.StringIO()

    call_command("send_alerts", "--enqueue", stdout=out)

    assert out.getvalue().strip() == "queued send_alerts"
    assert smtp.messages == []  # nothing sent until a worker runs it
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    [digest] = smtp.to(ADDRESS)
    assert "Queued Python Intern" in text_of(digest)
    alert.refresh_from_db()
    assert alert.last_sent_at is not None
