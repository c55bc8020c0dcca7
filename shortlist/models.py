"""Email alerts (PRODUCT.md section 13). Saved postings live in the session
(shortlist/saved.py): there is no account to keep them in.

An alert stores what it needs and nothing more: the address, the list's
filters as a cleaned query string, and when it was created, confirmed, last
mailed and unsubscribed. `sent_through` is the high-water mark: the
publication time of the newest posting already mailed (or the confirmation
time), so that no posting is ever mailed twice.
"""

import datetime

from django.core import signing
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

MAX_ALERTS_PER_ADDRESS = 5
CONFIRM_DAYS = 7
FORGET_AFTER_DAYS = 30
CONFIRM_SALT = "shortlist.alert.confirm"
UNSUBSCRIBE_SALT = "shortlist.alert.unsubscribe"


class AlertQuerySet(models.QuerySet):
    def active(self):
        """Not unsubscribed: what counts towards an address's limit."""
        return self.filter(unsubscribed_at__isnull=True)

    def for_address(self, email):
        return self.active().filter(email__iexact=email)

    def confirmed(self):
        return self.active().filter(confirmed_at__isnull=False)

    def due(self, now=None):
        """Confirmed alerts not yet mailed today (at most one mail a day)."""
        now = now or timezone.now()
        start_of_today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        return self.confirmed().filter(
            Q(last_sent_at__isnull=True) | Q(last_sent_at__lt=start_of_today)
        )

    def forgettable(self, now=None):
        """Unsubscribed, or never confirmed, for FORGET_AFTER_DAYS: deleted."""
        cutoff = (now or timezone.now()) - datetime.timedelta(days=FORGET_AFTER_DAYS)
        return self.filter(
            Q(unsubscribed_at__lt=cutoff) | Q(confirmed_at__isnull=True, created_at__lt=cutoff)
        )


class Alert(models.Model):
    email = models.EmailField(max_length=254)
    query = models.CharField(
        max_length=2000, blank=True, help_text="The list's filters, cleaned (a query string)."
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    sent_through = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The limit per address; send_alerts reads every confirmed alert anyway.
            models.Index(fields=["email"], name="alert_email"),
        ]

    def __str__(self):
        return f"Alert for {self.email}: {self.query or 'every internship'}"

    def get_absolute_url(self):
        return reverse("listings:posting-list") + (f"?{self.query}" if self.query else "")

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    # Tokens carry the id and the creation time, signed with SECRET_KEY: not
    # guessable, and not valid for a later alert that reuses a deleted id.
    def _payload(self):
        return [self.pk, int(self.created_at.timestamp())]

    def confirm_token(self):
        return signing.dumps(self._payload(), salt=CONFIRM_SALT, compress=True)

    def unsubscribe_token(self):
        return signing.dumps(self._payload(), salt=UNSUBSCRIBE_SALT, compress=True)

    def confirm_url(self):
        return reverse("shortlist:alert-confirm", kwargs={"token": self.confirm_token()})

    def unsubscribe_url(self):
        return reverse("shortlist:alert-unsubscribe", kwargs={"token": self.unsubscribe_token()})

    @classmethod
    def from_token(cls, token, *, salt, max_age=None):
        """The alert a token names, or None (bad signature, expired, deleted)."""
        try:
            pk, created = signing.loads(token, salt=salt, max_age=max_age)
            pk, created = int(pk), int(created)
        except (signing.BadSignature, TypeError, ValueError):
            return None
        alert = cls.objects.filter(pk=pk).first()
        if alert is None or int(alert.created_at.timestamp()) != created:
            return None
        return alert
