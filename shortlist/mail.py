"""The mails of alerts: the confirmation (sent during the sign-up request)
and the daily digest (send_alerts). Every mail has a plain-text and an HTML
part; digests carry the RFC 8058 one-click unsubscribe headers."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .models import CONFIRM_DAYS


def absolute(path):
    return settings.SITE_URL + path


def _message(subject, template, context, to, headers=None, connection=None):
    text = render_to_string(f"shortlist/email/{template}.txt", context)
    html = render_to_string(f"shortlist/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject, text, to=[to], headers=headers or {}, connection=connection
    )
    message.attach_alternative(html, "text/html")
    return message


def unsubscribe_headers(alert):
    return {
        "List-Unsubscribe": f"<{absolute(alert.unsubscribe_url())}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def confirmation(alert, description):
    """The double opt-in mail: nothing is sent to the address until it is confirmed."""
    context = {
        "alert": alert,
        "description": description,
        "confirm_url": absolute(alert.confirm_url()),
        "days": CONFIRM_DAYS,
    }
    return _message("Confirm your Internboard alert", "alert_confirm", context, alert.email)


class RenderedPosting:
    """A posting as it appears in digests, rendered once for every mail it is in."""

    def __init__(self, posting):
        context = {"posting": posting, "site_url": settings.SITE_URL}
        self.text = render_to_string("shortlist/email/posting.txt", context)
        self.html = render_to_string("shortlist/email/posting.html", context)


def digest(alert, postings, more, connection=None):
    """New postings (RenderedPosting) for one alert; `more` is how many
    matched beyond those shown."""
    context = {
        "alert": alert,
        "postings": postings,
        "more": more,
        "total": len(postings) + more,
        "list_url": absolute(alert.get_absolute_url()),
        "unsubscribe_url": absolute(alert.unsubscribe_url()),
        "site_url": settings.SITE_URL,
    }
    count = context["total"]
    subject = f"{count} new internship{'s' if count != 1 else ''} on Internboard"
    return _message(
        subject,
        "alert_digest",
        context,
        alert.email,
        headers=unsubscribe_headers(alert),
        connection=connection,
    )
