"""Mailing the confirmed alerts their new postings (`send_alerts`).

Bounded work whatever the number of alerts: alerts are grouped by their
(canonical) filter string, each distinct search runs once over the postings
published since the oldest high-water mark among its alerts, and mail goes
out in batches over one SMTP connection, each batch costing a fixed number
of queries (its postings, their locations, the alerts' new marks).
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.core import mail as django_mail
from django.http import QueryDict
from django.utils import timezone

from listings.models import Posting

from . import mail
from .forms import alert_filterset
from .models import Alert

logger = logging.getLogger(__name__)

BATCH = 500  # alerts per batch: one postings read, one update, one connection
SHOWN = 20  # postings listed in one mail; the rest are a link to the list
MATCHES_READ = 1000  # newest matches read per search (more only makes "and N more" exact)


@dataclass
class Report:
    sent: int = 0
    failed: int = 0
    nothing_new: int = 0
    deleted: int = 0
    searches: int = 0
    failures: list = field(default_factory=list)


def forget_old(now):
    """Delete the alerts (their addresses) unsubscribed or unconfirmed for 30 days."""
    deleted, _ = Alert.objects.forgettable(now).delete()
    return deleted


def matches_by_query(alerts):
    """{query: [(posting id, published_at)] newest first}, one search per distinct query."""
    oldest = defaultdict(lambda: None)
    for alert in alerts:
        mark = alert.sent_through or alert.confirmed_at
        if oldest[alert.query] is None or mark < oldest[alert.query]:
            oldest[alert.query] = mark
    found = {}
    for query, since in oldest.items():
        filterset = alert_filterset(QueryDict(query))
        found[query] = list(
            filterset.qs.filter(published_at__gt=since)
            .order_by("-published_at", "-id")
            .values_list("pk", "published_at")[:MATCHES_READ]
        )
    return found


def new_for(alert, matches):
    mark = alert.sent_through or alert.confirmed_at
    return [(pk, published) for pk, published in matches if published > mark]


def send_alerts(now=None, batch=BATCH):
    """Mail every due alert its new postings; returns a Report."""
    now = now or timezone.now()
    report = Report(deleted=forget_old(now))
    alerts = list(
        Alert.objects.due(now)
        .only("id", "email", "query", "created_at", "confirmed_at", "last_sent_at", "sent_through")
        .order_by("id")
    )
    if not alerts:
        return report
    found = matches_by_query(alerts)
    report.searches = len(found)

    pending = []
    for alert in alerts:
        new = new_for(alert, found[alert.query])
        if new:
            pending.append((alert, new))
        else:
            report.nothing_new += 1

    connection = django_mail.get_connection()
    connection.open()
    try:
        for start in range(0, len(pending), batch):
            send_batch(pending[start : start + batch], connection, now, report)
    finally:
        connection.close()
    return report


def send_batch(pending, connection, now, report):
    shown_ids = {pk for _alert, new in pending for pk, _published in new[:SHOWN]}
    postings = {
        posting.pk: mail.RenderedPosting(posting)
        for posting in Posting.objects.filter(pk__in=shown_ids)
        .select_related("company")
        .prefetch_related("locations")
        .defer("search_vector", "about_role", "responsibilities")
        .order_by()
    }
    # The marks move before the mail goes out, so that a crash halfway never
    # mails the same posting twice; a refused message puts its alert's back.
    before = {alert.pk: (alert.last_sent_at, alert.sent_through) for alert, _new in pending}
    for alert, new in pending:
        alert.last_sent_at = now
        alert.sent_through = new[0][1]
    Alert.objects.bulk_update([alert for alert, _ in pending], ["last_sent_at", "sent_through"])
    failed = []
    for alert, new in pending:
        shown = [postings[pk] for pk, _ in new[:SHOWN] if pk in postings]
        more = len(new) - len(shown)
        try:
            connection.send_messages([mail.digest(alert, shown, more, connection=connection)])
        except OSError as exc:
            # smtplib's errors are OSErrors: one refused address, or a lost server.
            logger.warning("alert %s: mail not sent: %s", alert.pk, exc)
            alert.last_sent_at, alert.sent_through = before[alert.pk]
            failed.append(alert)
            report.failures.append(alert.pk)
            connection.close()
            connection.open()
        else:
            report.sent += 1
    if failed:
        Alert.objects.bulk_update(failed, ["last_sent_at", "sent_through"])
        report.failed += len(failed)
