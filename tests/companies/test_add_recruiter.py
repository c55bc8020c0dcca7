from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import make_company, make_posting, make_user

pytestmark = pytest.mark.django_db

User = get_user_model()


def add_recruiter(*args):
    out = StringIO()
    call_command("add_recruiter", *args, stdout=out)
    return out.getvalue()


def test_recruiter_set_up_from_the_command_line_works_in_the_admin(client):
    acme = make_company(name="Acme")
    make_posting(title="Acme Intern", company=acme)
    make_posting(title="Other Intern")

    out = add_recruiter("jane", acme.slug, "--email", "jane@acme.example")
    assert "Created jane: recruiter for Acme." in out
    assert "python manage.py changepassword jane" in out

    jane = User.objects.get(username="jane")
    assert jane.is_staff and not jane.is_superuser and not jane.has_usable_password()
    assert jane.email == "jane@acme.example"
    assert list(jane.groups.values_list("name", flat=True)) == ["Recruiters"]
    assert list(acme.recruiters.all()) == [jane]

    # The README's next step, changepassword, sets a password; then she logs in.
    jane.set_password("a-Long-passphrase-9")
    jane.save()
    # Through the login form: django-axes checks every login with its request.
    response = client.post(
        reverse("admin:login"), {"username": "jane", "password": "a-Long-passphrase-9"}
    )
    assert response.status_code == 302
    html = client.get(reverse("admin:listings_posting_changelist")).content.decode()
    assert "Acme Intern" in html and "Other Intern" not in html


def test_existing_user_gets_more_companies_and_running_twice_changes_nothing():
    acme, globex = make_company(name="Acme"), make_company(name="Globex")
    user = make_user("sam", staff=False)
    out = add_recruiter("sam", acme.slug, globex.slug)
    assert "Updated sam: recruiter for Acme, Globex." in out
    assert "changepassword" not in out  # sam already has a password
    add_recruiter("sam", acme.slug)
    user.refresh_from_db()
    assert user.is_staff
    assert set(user.recruiting_for.all()) == {acme, globex}
    assert user.groups.count() == 1


def test_unknown_company_is_an_error_and_creates_no_user():
    make_company(name="Acme")
    with pytest.raises(CommandError, match="No company with the slug nope"):
        add_recruiter("jane", "acme", "nope")
    assert not User.objects.filter(username="jane").exists()


def test_invalid_username_is_an_error():
    acme = make_company(name="Acme")
    with pytest.raises(CommandError, match="Invalid username"):
        add_recruiter("jane doe!", acme.slug)
    assert not User.objects.exists()
