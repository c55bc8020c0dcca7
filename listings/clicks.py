"""Counting Apply Now clicks: which requests count, and the atomic increment.

A click is counted when a person follows the Apply Now link. Not counted:

- HEAD requests (link checkers and monitors; no one lands on the page);
- browser prefetches and prerenders, which announce themselves with
  `Sec-Purpose: prefetch` (or `prefetch;prerender`), `Purpose: prefetch`,
  `X-Purpose: preview` or `X-Moz: prefetch`;
- User-Agents matching `BOT_USER_AGENT` below: crawlers and link previewers
  (Googlebot, bingbot, Slurp, Baiduspider, Slackbot, facebookexternalhit,
  WhatsApp, ...), headless browsers and HTTP libraries/tools (curl, Wget,
  python-requests, Go-http-client, ...), which are scripts, not applicants.

A request without a User-Agent is counted: browsers always send one, but the
header is optional and we would rather count a rare script than miss a person.
Only (posting, day, count) is stored; never an IP address or a User-Agent.
"""

import functools
import re

from django.db import connection
from django.utils import timezone

from .models import ApplyClick

BOT_USER_AGENT = re.compile(
    r"(?<!cu)bot"  # Googlebot, bingbot, Slackbot, ...; not "CUBOT" phones
    r"|crawl|spider|slurp|preview|fetch|scan|monitor|archiver|headless|lighthouse"
    r"|facebookexternalhit|whatsapp|embedly"
    r"|curl|wget|httpie|python-|aiohttp|go-http-client|java/|okhttp|libwww|scrapy|axios",
    re.IGNORECASE,
)
_PURPOSE_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")
_SPECULATIVE = ("prefetch", "prerender", "preview")


def is_counted(request):
    """Whether this request to the apply redirect is a person's click."""
    if request.method != "GET":
        return False
    meta = request.META
    for header in _PURPOSE_HEADERS:
        value = meta.get(header)
        if value and any(word in value.lower() for word in _SPECULATIVE):
            return False
    return not BOT_USER_AGENT.search(meta.get("HTTP_USER_AGENT", ""))


@functools.cache
def _upsert_sql(vendor):
    quote = connection.ops.quote_name
    table = quote(ApplyClick._meta.db_table)
    posting = quote(ApplyClick._meta.get_field("posting").column)
    day = quote(ApplyClick._meta.get_field("day").column)
    count = quote(ApplyClick._meta.get_field("count").column)
    if vendor == "postgresql":
        # Commit without waiting for the WAL flush (synchronous_commit off
        # for this one statement's transaction): a click costs a round trip
        # instead of a disk sync. A database crash may forget the last
        # fraction of a second of clicks; it can never corrupt or double
        # them. SQLite's synchronous=NORMAL makes the same trade.
        values = "SELECT %s, %s, 1 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS c"
    else:
        values = "VALUES (%s, %s, 1)"
    return (
        f"INSERT INTO {table} ({posting}, {day}, {count}) {values} "
        f"ON CONFLICT ({posting}, {day}) DO UPDATE SET {count} = {table}.{count} + 1"
    )


def record_click(posting_id, day=None):
    """Add one click to (posting, day) in a single atomic statement.

    The database does the arithmetic: the first click of the day inserts the
    row, every later one (even a concurrent "first" one) hits the unique
    (posting, day) constraint and increments in place. No value is read and
    written back, so no click is lost under concurrency. INSERT ... ON
    CONFLICT DO UPDATE is PostgreSQL (9.5+) and SQLite (3.24+) syntax; the
    ORM cannot express an increment-on-conflict, hence the SQL.
    """
    if day is None:
        day = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            _upsert_sql(connection.vendor),
            [posting_id, connection.ops.adapt_datefield_value(day)],
        )
