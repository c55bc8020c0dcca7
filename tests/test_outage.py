"""Database outage, end to end: a real gunicorn serving the site while its
database refuses connections answers friendly 503 pages, and the same server
recovers by itself when the database comes back."""

import json

import pytest
from django.db import connection

from tests.factories import make_posting
from tests.livegunicorn import LiveGunicorn, TcpProxy, free_port


def log_lines(output):
    """The server's output: every line is one JSON object."""
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_pages_answer_503_when_the_database_refuses_connections(tmp_path):
    port = free_port()
    refused = f"postgres://postgres@127.0.0.1:{port}/internboard"
    with LiveGunicorn(tmp_path / "gunicorn.log", DATABASE_URL=refused) as server:
        for path in ["/", "/internships/", "/companies/", "/internships/1/some-slug/"]:
            status, headers, body = server.get(path)
            assert status == 503, (path, body)
            assert "Internboard is briefly unavailable" in body
            assert headers["Retry-After"] == "30"
            # Nothing about the failure leaks: no traceback, no database address.
            assert "Traceback" not in body and f":{port}" not in body
            assert "postgres" not in body.lower() and "OperationalError" not in body

        status, _, body = server.get("/healthz")
        assert (status, body) == (503, "unavailable: database")

        status, headers, _ = server.get(
            "/internships/?q=secret-term", {"X-Request-ID": "probe-0001"}
        )
        assert status == 503 and headers["X-Request-ID"] == "probe-0001"
    output = server.output()

    lines = [line for line in log_lines(output) if line.get("request_id") == "probe-0001"]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    errors = [line for line in lines if line["level"] == "error"]
    assert access == [access[0]] and access[0]["status"] == "503"
    assert access[0]["path"] == "/internships/"
    assert errors and errors[0]["path"] == "/internships/"
    assert "secret-term" not in output


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="recovery is shown on PostgreSQL (make test runs the suite there too)",
)
def test_site_recovers_by_itself_when_the_database_returns(transactional_db, tmp_path):
    posting = make_posting(title="Outage Survivor Intern")
    db = connection.settings_dict
    proxy = TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    proxy.start()
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    url = f"postgres://{db['USER']}{password}@127.0.0.1:{proxy.port}/{db['NAME']}"
    try:
        with LiveGunicorn(tmp_path / "gunicorn.log", DATABASE_URL=url) as server:
            status, _, body = server.get("/")
            assert status == 200 and "Outage Survivor Intern" in body
            assert server.get("/healthz")[:3:2] == (200, "ok")

            proxy.stop()  # the database goes away, taking open connections with it
            # (the home page may still come from values kept until the next
            # write; a list page always reads its rows)
            status, _, body = server.get("/internships/")
            assert status == 503 and "briefly unavailable" in body
            assert server.get(posting.get_absolute_url())[0] == 503
            assert server.get("/healthz")[:3:2] == (503, "unavailable: database")

            proxy.start()  # ...and comes back: the same server, no restart
            status, _, body = server.get("/internships/")
            assert status == 200 and "Outage Survivor Intern" in body
            assert server.get(posting.get_absolute_url())[0] == 200
            assert server.get("/healthz")[:3:2] == (200, "ok")
            assert server.process.poll() is None
    finally:
        if proxy.listener is not None:
            proxy.stop()


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the health check is PostgreSQL's (config/postgresql)"
)


def _other_backends(cursor):
    """Sessions on this test database other than the test's own."""
    cursor.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid()"
    )
    return [pid for (pid,) in cursor.fetchall()]


@postgres_only
def test_a_connection_the_server_dropped_is_replaced_before_the_next_request(
    transactional_db, tmp_path
):
    """A database restart or failover drops the connections gunicorn workers
    keep between requests; the next page must open a new one, not fail."""
    posting = make_posting(title="Reconnected Intern")
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with LiveGunicorn(tmp_path / "gunicorn.log", DATABASE_URL=f"{url}/{db['NAME']}") as server:
        assert server.get("/internships/")[0] == 200  # the worker now keeps a connection
        with connection.cursor() as cursor:
            dropped = _other_backends(cursor)
            assert dropped
            for pid in dropped:
                # With a timeout, it returns once the session has ended.
                cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])
                assert cursor.fetchone() == (True,)
        status, _, body = server.get("/internships/")
        assert status == 200 and "Reconnected Intern" in body
        assert server.get(posting.get_apply_url())[0] == 302
        with connection.cursor() as cursor:
            assert not set(dropped) & set(_other_backends(cursor))
        assert "Traceback" not in server.output()


@postgres_only
def test_a_kept_connection_is_reused_without_asking_the_server(transactional_db, monkeypatch):
    """Between requests an idle connection is checked by polling its socket:
    Django's `SELECT 1` runs only when the server has sent something."""
    from django.db import close_old_connections

    from listings.models import Posting

    asked = []
    monkeypatch.setattr(connection, "is_usable", lambda: asked.append(1) or True)
    Posting.objects.count()
    pid = connection.connection.info.backend_pid
    for _ in range(3):
        close_old_connections()  # what every request starts with
        Posting.objects.count()
    assert asked == [] and connection.connection.info.backend_pid == pid
