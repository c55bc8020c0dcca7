"""Fetching a board over HTTP with httpx: a named User-Agent, a 20 s timeout,
up to 3 retries on 429/5xx honouring Retry-After, conditional GET by ETag."""

import contextlib
import email.utils
import functools
import hashlib
import ssl
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

import httpx
from django.conf import settings

from .jobs import BoardError

RETRIES = 3
# A board that sends no ETag is recognised by a fingerprint of its answer,
# stored in the same field with this prefix (and never sent to the server).
# The number changes whenever the reading of boards does, so that a better
# reading is applied to unchanged boards too.
FINGERPRINT = "sha256-v1:"


@functools.cache
def project_version():
    """The installed package's version, else the one pyproject.toml declares."""
    try:
        return version("internboard")
    except PackageNotFoundError:
        import tomllib

        pyproject = settings.BASE_DIR / "pyproject.toml"
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]


def user_agent():
    return f"Internboard/{project_version()} (+{settings.SITE_URL})"


@dataclass
class Answer:
    data: object = None  # the decoded JSON; None when unchanged
    etag: str = ""
    unchanged: bool = False


@functools.cache
def tls_context():
    """Loading the certificate store takes a good part of a small sync: once per process
    (a worker runs many syncs)."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def client():
    return httpx.Client(
        verify=tls_context(),
        timeout=settings.BOARD_TIMEOUT,
        headers={"User-Agent": user_agent(), "Accept": "application/json"},
        follow_redirects=True,
    )


def retry_wait(response, attempt):
    """Seconds to wait before retrying: Retry-After (seconds or an HTTP date)
    when given, else 1, 2, 4 s; never more than BOARD_RETRY_MAX_WAIT."""
    cap = settings.BOARD_RETRY_MAX_WAIT
    header = response.headers.get("Retry-After", "").strip()
    wait = 2**attempt
    if header.isdigit():
        wait = int(header)
    elif header:
        with contextlib.suppress(TypeError, ValueError):
            wait = email.utils.parsedate_to_datetime(header).timestamp() - time.time()
    return max(0.0, min(float(wait), cap))


def get_json(http, url, etag=""):
    """GET `url` and decode its JSON, or raise BoardError saying why not."""
    fingerprinted = etag.startswith(FINGERPRINT)
    headers = {"If-None-Match": etag} if etag and not fingerprinted else {}
    for attempt in range(RETRIES + 1):
        try:
            response = http.get(url, headers=headers)
        except httpx.TimeoutException:
            raise BoardError(f"timed out after {settings.BOARD_TIMEOUT:g} s") from None
        except httpx.HTTPError as exc:
            raise BoardError(f"no connection ({type(exc).__name__}: {exc})") from None
        if response.status_code == 304 and headers:
            return Answer(etag=etag, unchanged=True)
        if response.status_code == 429 or response.status_code >= 500:
            if attempt < RETRIES:
                time.sleep(retry_wait(response, attempt))
                continue
            raise BoardError(f"HTTP {response.status_code} after {RETRIES} retries")
        if response.status_code != 200:
            raise BoardError(f"HTTP {response.status_code}")
        new_etag = response.headers.get("ETag", "")
        if not new_etag:
            new_etag = FINGERPRINT + hashlib.sha256(response.content).hexdigest()
            if new_etag == etag:
                return Answer(etag=etag, unchanged=True)
        try:
            data = response.json()
        except ValueError as exc:
            raise BoardError(f"bad JSON ({exc})") from None
        return Answer(data=data, etag=new_etag)
    raise AssertionError("unreachable")
