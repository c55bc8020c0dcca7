"""Admin logins are throttled: repeated wrong passwords lock the user name out
from that address, the lockout is logged, and the right password no longer
gets in until the cool-off ends (django-axes, config/settings.py)."""

import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import make_editor

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "pw-Internboard-1"


def attempt(client, password, username="editor", ip="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_wrong_passwords_lock_the_user_out_and_the_lockout_is_logged(client, settings, caplog):
    make_editor()
    caplog.set_level(logging.WARNING, logger="axes")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "wrong")
        assert response.status_code == 200  # the form again, with its error
    response = attempt(client, "wrong")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    # The right password is refused too while the lock lasts.
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert any("Locking out" in r.getMessage() for r in caplog.records if r.name.startswith("axes"))
    assert AccessAttempt.objects.get(username="editor").failures_since_start >= 5


def test_another_address_is_not_locked_out(client, settings):
    make_editor()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong", ip="203.0.113.7")
    other = Client()
    response = attempt(other, PASSWORD, ip="198.51.100.20")
    assert response.status_code == 302
    assert "_auth_user_id" in other.session


def test_a_success_before_the_limit_resets_the_count(client, settings):
    make_editor()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200
    assert attempt(client, PASSWORD).status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, settings):
    import datetime

    from django.utils import timezone

    make_editor()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now()
        - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    )
    assert attempt(client, PASSWORD).status_code == 302
