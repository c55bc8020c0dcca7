"""An operator's first hour: make targets, migrate on SQLite, the Docker image,
the README's steps, HEAD under gunicorn."""

import http.client
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.livegunicorn import LiveGunicorn

ROOT = Path(__file__).resolve().parent.parent


def make_dry_run(*args):
    result = subprocess.run(
        ["make", "-n", *args, "VENV=/nonexistent/venv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_make_run_installs_runtime_dependencies_only_and_takes_a_port():
    commands = make_dry_run("run", "PORT=8123")
    assert "pip install --quiet -e .\n" in commands
    assert "[dev]" not in commands
    assert "runserver 127.0.0.1:8123" in commands


def test_make_test_and_install_add_the_dev_extras():
    for target in ("test", "install", "lint"):
        assert 'pip install --quiet -e ".[dev]"' in make_dry_run(target), target


def test_make_manage_runs_any_command_in_the_venv():
    commands = make_dry_run("manage", "ARGS=createsuperuser")
    assert "/nonexistent/venv/bin/python manage.py createsuperuser" in commands


def test_migrate_on_sqlite_prints_no_warning(tmp_path):
    env = {**os.environ, "SQLITE_PATH": str(tmp_path / "fresh.sqlite3")}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "W040" not in result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_readme_walks_a_new_operator_through_admin_and_postgresql():
    readme = (ROOT / "README.md").read_text()
    assert "createsuperuser" in readme and "createdb" in readme
    # Every management command is shown with the project's virtualenv.
    bare = [
        line
        for line in readme.splitlines()
        if re.match(r"\s*python3? manage\.py", line) or " && python manage.py" in line
    ]
    assert bare == []
    assert 'make manage ARGS="createsuperuser"' in readme


def test_docker_image_holds_runtime_files_only_runs_as_non_root_with_a_healthcheck():
    dockerfile = (ROOT / "Dockerfile").read_text()
    ignore = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert ignore[0] == "*"  # an allow-list
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    assert not allowed & {"tests", "bench", "docs", ".ci", "README.md", "Makefile"}
    assert "COPY . ." not in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)
    assert "HEALTHCHECK" in dockerfile and "config.healthcheck" in dockerfile


@pytest.mark.django_db(transaction=True)
def test_the_image_healthcheck_asks_healthz(live_server, monkeypatch):
    from config import healthcheck

    port = live_server.url.rsplit(":", 1)[1]
    monkeypatch.setenv("ALLOWED_HOSTS", "localhost,internboard.example.org")
    assert healthcheck.check(port=port) == (True, "ok")
    monkeypatch.setenv("PORT", "1")
    assert healthcheck.main() == 1  # nothing listens there: unhealthy


@pytest.mark.django_db(transaction=True)
def test_head_under_gunicorn_sends_no_body_and_logs_no_warning(tmp_path, collected_static):
    from tests.factories import make_posting

    posting = make_posting()
    env = {"DJANGO_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "127.0.0.1"}
    env["SECURE_SSL_REDIRECT"] = "0"
    env["STATIC_ROOT"] = str(collected_static)
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        env["SQLITE_PATH"] = str(database["NAME"])
    else:
        env["DATABASE_URL"] = (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        )
    with LiveGunicorn(tmp_path / "gunicorn.log", **env) as server:
        for path in ("/", posting.get_absolute_url(), "/healthz"):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            conn.request("HEAD", path)
            response = conn.getresponse()
            assert response.status == 200, path
            assert response.read() == b""
            conn.close()
        assert server.get("/healthz")[0] == 200
        output = server.output()
    assert "sent body bytes" not in output
