"""How old a posting is, in the words of its cards and page ("3 days ago")."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


def _plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'} ago"


@register.filter
def days_ago(value):
    """ "today", "yesterday", "3 days ago", "5 weeks ago", "4 months ago", "2 years ago"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    days = (timezone.localdate() - value).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return _plural(days, "day")
    if days < 60:
        return _plural(days // 7, "week")
    if days < 730:
        return _plural(days // 30, "month")
    return _plural(days // 365, "year")
