"""Counting Apply Now clicks: which requests count, and the atomic increment.

A click is counted when a person follows the Apply Now link. Not counted:

- HEAD requests (link checkers and monitors; no one lands on the page);
- browser prefetches and prerenders, which announce themselves with
  `Sec-Purpose: prefetch` (or `prefetch;prerender`), `Purpose: prefetch`,
  `X-Purpose: preview` or `X-Moz: prefetch`;
- User-Agents that crawlerdetect's maintained list (the Python port of
  JayBizzle/Crawler-Detect, ~1,500 patterns) knows as crawlers, link
  previewers, monitors, headless browsers or HTTP tools and libraries
  (Googlebot, Google-InspectionTool, Mediapartners-Google, Slackbot, curl,
  PostmanRuntime, Apache-HttpClient, undici, Ruby, ...): scripts, not
  applicants. The list's generic words "Abbot" and "Robot" also occur in
  real browsers' strings (device and app names); in a string that is
  otherwise a browser's they do not make it a bot (`_BROWSER_WORDS`).

A request without a User-Agent is counted: browsers always send one, but the
header is optional and we would rather count a rare script than miss a person.
Only (posting, day, count) is stored; never an IP address or a User-Agent.
"""

import functools
import re

from crawlerdetect import CrawlerDetect
from django.db import connection
from django.utils import timezone

from .models import ApplyClick, Posting

# A browser's string: "Mozilla/5.0 (...) AppleWebKit/... or Gecko/... Firefox/".
_BROWSER_RE = re.compile(
    r"^Mozilla/5\.0 \([^)]*\) (?:AppleWebKit/[\d.]+ \(KHTML, like Gecko\)|Gecko/\d+)"
)
# crawlerdetect patterns that are also ordinary words in device and app names.
_BROWSER_WORDS = re.compile(r"abbot|robot", re.IGNORECASE)
# Distinct User-Agent strings remembered; the apply redirect asks on every click.
UA_CACHE_SIZE = 4096
_detector = CrawlerDetect()


@functools.lru_cache(maxsize=UA_CACHE_SIZE)
def is_bot(user_agent):
    """Whether `user_agent` belongs to a crawler, previewer, monitor or HTTP tool."""
    if not user_agent or not _detector.isCrawler(user_agent):
        return False
    if _BROWSER_RE.match(user_agent) and _BROWSER_WORDS.search(user_agent):
        # Only the ambiguous words matched? Ask again without them.
        return _detector.isCrawler(_BROWSER_WORDS.sub("", user_agent))
    return True


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
    return not is_bot(meta.get("HTTP_USER_AGENT", "")[:1000])


# What the redirect reads of a posting, and compares before counting a click
# on what it read earlier (`record_click_if_unchanged`).
TARGET_FIELDS = ("status", "closes_on", "terms_end", "apply_url")


def _insert_click(rows):
    """INSERT the click row `rows` gives (posting, day, 1), or add one to that
    day's row when it exists."""
    quote = connection.ops.quote_name
    table = quote(ApplyClick._meta.db_table)
    posting = quote(ApplyClick._meta.get_field("posting").column)
    day = quote(ApplyClick._meta.get_field("day").column)
    count = quote(ApplyClick._meta.get_field("count").column)
    return (
        f"INSERT INTO {table} ({posting}, {day}, {count}) {rows} "
        f"ON CONFLICT ({posting}, {day}) DO UPDATE SET {count} = {table}.{count} + 1"
    )


@functools.cache
def _upsert_sql(vendor):
    if vendor == "postgresql":
        # Commit without waiting for the WAL flush (synchronous_commit off
        # for this one statement's transaction): a click costs a round trip
        # instead of a disk sync. A database crash may forget the last
        # fraction of a second of clicks; it can never corrupt or double
        # them. SQLite's synchronous=NORMAL makes the same trade.
        return _insert_click(
            "SELECT %s, %s, 1 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS c"
        )
    return _insert_click("VALUES (%s, %s, 1)")


@functools.cache
def _upsert_if_unchanged_sql(vendor):
    if vendor == "postgresql":
        # The same statement, planned once per connection, with the same
        # parameters (migration 0010_count_click_function).
        return "SELECT internboard_count_click(%s, %s, %s, %s, %s, %s)"
    quote = connection.ops.quote_name
    pk = quote(Posting._meta.pk.column)
    # One row only if the posting still has exactly the values the caller
    # read (IS: null-safe, a NULL deadline equals NULL).
    unchanged = " AND ".join(
        f"p.{quote(Posting._meta.get_field(name).column)} IS %s" for name in TARGET_FIELDS
    )
    return _insert_click(
        f"SELECT p.{pk}, %s, 1 FROM {quote(Posting._meta.db_table)} AS p "
        f"WHERE p.{pk} = %s AND {unchanged}"
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


def record_click_if_unchanged(target, day=None):
    """Add one click for `target`, a posting read earlier with TARGET_FIELDS,
    only if the database still holds exactly those values; True if counted.

    The comparison and the increment are one statement: a posting closed,
    moved to another URL or deleted since it was read counts nothing, and
    the caller reads it again. So the redirect may keep what it read across
    requests without hearing of any write (config/generation.py).
    """
    if day is None:
        day = timezone.localdate()
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            _upsert_if_unchanged_sql(connection.vendor),
            [
                adapt(day),
                target.pk,
                target.status,
                adapt(target.closes_on),
                adapt(target.terms_end),
                target.apply_url,
            ],
        )
        if connection.vendor == "postgresql":
            return cursor.fetchone()[0]
        return cursor.rowcount == 1
