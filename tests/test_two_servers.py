"""Two app servers sharing one database and one Redis stay consistent.

Two gunicorn processes serve the same SQLite file on different ports with
REDIS_URL set. Server B caches the company list, the list count and whole
pages; an
editor renames a company through server A's admin and `load_demo` adds
postings from a third process; server B shows both changes at once.
"""

import html.parser
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REDIS_DB = 9
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
PASSWORD = "pw-Internboard-two-servers"


def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (CI starts one)")
    return client


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """A cookie-keeping HTTP client for one server, following no redirects."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        headers = {"Referer": self.base + path}
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, data=body, headers=headers), timeout=30
            ) as response:
                self.headers = response.headers
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            self.headers = exc.headers
            return exc.code, exc.read().decode()

    def csrf(self):
        return next(c.value for c in self.cookies if c.name == "csrftoken")


class FormFields(html.parser.HTMLParser):
    """The values a browser would submit from the page's admin change form."""

    def __init__(self):
        super().__init__()
        self.fields, self._in_form, self._select, self._textarea = [], False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form or not attrs.get("name") and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value", "on")))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append(tuple(self._textarea))
            self._textarea = None


@pytest.fixture
def shared(tmp_path):
    """The environment of every process: one SQLite file, one Redis database."""
    redis_client().flushdb()
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        SQLITE_PATH=str(tmp_path / "shared.sqlite3"),
        REDIS_URL=REDIS_URL,
        PAGE_CACHE_SECONDS="60",
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    env.pop("DJANGO_ENV", None)

    def manage(*args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip

    manage("migrate", "--noinput")
    manage("load_demo", "--postings", "0")
    manage("createsuperuser", "--noinput", "--username", "editor", "--email", "e@example.com")
    yield env, manage
    redis_client().flushdb()


@pytest.fixture
def servers(shared):
    env, _ = shared
    procs, ports = [], []
    for _ in range(2):
        port = free_port()
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                ],  # fmt: skip
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        ports.append(port)
    try:
        for port, proc in zip(ports, procs, strict=True):
            for _ in range(300):
                assert proc.poll() is None, "gunicorn exited"
                try:
                    if Browser(port).request("/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
        yield Browser(ports[0]), Browser(ports[1])
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)


def company_list(browser):
    status, body = browser.request("/companies/")
    assert status == 200
    return body


def list_total(browser):
    status, body = browser.request("/internships/")
    assert status == 200
    found = re.search(r'class="count"><strong>([\d,]+)</strong> internship', body)
    return int(found.group(1).replace(",", ""))


def test_a_change_through_one_server_is_seen_through_the_other(servers, shared):
    server_a, server_b = servers
    _, manage = shared
    # Server B has the company list, the list count and whole pages cached, in Redis.
    assert "Instacart" in company_list(server_b)
    assert list_total(server_b) == 1
    assert "Instacart" in company_list(server_b)
    assert server_b.headers["X-Cache"] == "hit"
    assert ">Instacart<" in server_b.request("/internships/")[1]
    assert server_b.headers["X-Cache"] == "hit"
    assert any(b"listings:" in key for key in redis_client().scan_iter())

    # An editor renames the company through server A's admin.
    server_a.request("/admin/login/")
    status, _ = server_a.request(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": PASSWORD, "csrfmiddlewaretoken": server_a.csrf()},
    )
    assert status == 302
    status, body = server_a.request("/admin/companies/company/")
    change_url = re.search(r'href="(/admin/companies/company/\d+/change/)', body).group(1)
    status, body = server_a.request(change_url)
    assert status == 200
    form = FormFields()
    form.feed(body)
    fields = [(k, v) for k, v in form.fields if k != "name"] + [("name", "Instacart Labs")]
    status, _ = server_a.request(change_url, fields)
    assert status == 302, "the admin refused the change"

    assert "Instacart Labs" in company_list(server_b)
    assert "Instacart Labs" in company_list(server_a)
    assert ">Instacart Labs<" in server_b.request("/internships/")[1]

    # A bulk write from another process (the demo loader) reaches both servers too.
    manage("load_demo", "--postings", "30")
    assert list_total(server_b) == list_total(server_a) > 1
