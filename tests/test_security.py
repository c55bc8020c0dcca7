"""Security settings and headers, including the production settings as they load
from the environment (checked in a fresh Python process each time)."""

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.factories import make_posting, make_user

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k7Qz-test-only-" + "x9Lw2Rv8Tn5Yb3Mc6Pd1Hf4Jg7Ks0Aq" * 2,
    "ALLOWED_HOSTS": "internboard.example",
}


def run_django(args, env_overrides, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("SECURE_")}
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.fixture
def production_response(tmp_path, collected_static):
    def get(path, secure=True, extra_env=None, **headers):
        env = {
            "STATIC_ROOT": str(collected_static),
            "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
            **(extra_env or {}),
        }
        return _production_response(path, secure, env, **headers)

    return get


def _production_response(path, secure=True, extra_env=None, **headers):
    """Status, headers and cookies of one request handled by the production settings."""
    script = f"""
import json, django
django.setup()
from django.test import Client
r = Client().get({path!r}, secure={secure!r}, HTTP_HOST="internboard.example", headers={headers!r})
print(json.dumps({{"status": r.status_code, "headers": dict(r.headers),
    "cookies": {{k: {{"secure": bool(m["secure"]), "httponly": bool(m["httponly"])}} for k, m in r.cookies.items()}}}}))
"""
    env = {
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **(extra_env or {}),
    }
    result = run_django(["-c", script], env, drop=("DATABASE_URL",))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_passes_with_production_settings():
    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_hsts():
    # The check is real: turning HSTS off makes it fail.
    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {**PRODUCTION_ENV, "SECURE_HSTS_SECONDS": "0"},
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_django(["manage.py", "check"], env, drop=(missing,))
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


@pytest.mark.parametrize("empty", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_with_empty(empty):
    result = run_django(["manage.py", "check"], {**PRODUCTION_ENV, empty: " "})
    assert result.returncode != 0
    assert "must not be empty" in result.stderr


def test_production_sends_hsts_over_https(production_response):
    response = production_response("/no-such-page/")
    assert response["status"] == 404
    hsts = response["headers"]["Strict-Transport-Security"]
    assert re.fullmatch(r"max-age=(\d+); includeSubDomains; preload", hsts)
    assert int(hsts.split("=")[1].split(";")[0]) >= 31536000


def test_production_hsts_seconds_comes_from_environment(production_response):
    response = production_response("/no-such-page/", extra_env={"SECURE_HSTS_SECONDS": "3600"})
    assert response["headers"]["Strict-Transport-Security"].startswith("max-age=3600;")


def test_production_redirects_plain_http_to_https(production_response):
    response = production_response("/internships/?q=data", secure=False)
    assert response["status"] == 301
    assert response["headers"]["Location"] == "https://internboard.example/internships/?q=data"


def test_production_healthz_is_not_redirected_for_load_balancers(production_response):
    response = production_response("/healthz", secure=False)
    assert response["status"] == 200


def test_production_trusts_forwarded_proto_only_when_configured(production_response):
    proxied = {"X-Forwarded-Proto": "https"}
    untrusted = production_response("/no-such-page/", secure=False, **proxied)
    assert untrusted["status"] == 301
    trusted = production_response(
        "/no-such-page/",
        secure=False,
        extra_env={"SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"},
        **proxied,
    )
    assert trusted["status"] == 404
    assert "Strict-Transport-Security" in trusted["headers"]


def test_production_cookies_are_secure(production_response):
    response = production_response("/admin/login/")
    assert response["status"] == 200
    assert response["cookies"]["csrftoken"]["secure"] is True


def test_development_sends_no_hsts(client):
    response = client.get("/no-such-page/")
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/internships/", "/companies/", "/no-such-page/"])
def test_security_headers_on_every_page(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in csp.split(";")) if part
    )
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["script-src"].split()[0] == "'self'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.django_db
def test_detail_page_scripts_are_external_or_carry_the_nonce(client):
    posting = make_posting(pay=[(40, 50, [])])
    response = client.get(posting.get_absolute_url())
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    for attrs in ScriptTags.collect(response.content.decode()):
        executable = attrs.get("type", "text/javascript") in ("text/javascript", "module")
        if executable and "src" not in attrs:
            assert nonce and attrs.get("nonce") == nonce.group(1), attrs


class ScriptTags(HTMLParser):
    @classmethod
    def collect(cls, html):
        parser = cls()
        parser.found = []
        parser.feed(html)
        return parser.found

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.found.append(dict(attrs))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/listings/posting/",
        "/admin/listings/posting/add/",
        "/admin/companies/company/add/",
        "/admin/auth/user/",
    ],
)
def test_admin_works_under_the_policy(client, path):
    """The admin only loads external scripts, so the strict policy leaves it working
    (tests/e2e also loads it in Chromium and listens for CSP violations)."""
    client.force_login(make_user("root", superuser=True))
    response = client.get(path)
    assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers
    scripts = ScriptTags.collect(response.content.decode())
    assert scripts, "admin pages load their scripts"
    for attrs in scripts:
        assert "src" in attrs, attrs


def test_password_validators_are_on():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("password")
    with pytest.raises(ValidationError):
        validate_password("12345678901")


def test_test_users_get_the_fast_password_hasher(db):
    """tests/conftest.py: MD5 in tests only; the site keeps Django's default."""
    from django.contrib.auth.hashers import get_hasher

    from tests.factories import make_user

    assert make_user("hasher").password.startswith("md5$")
    assert get_hasher().algorithm == "md5"
