"""Posting cards built once and reused by every page that shows them.

A card (includes/posting_card_body.html, everything but the Save control)
depends only on the posting, its company, locations and terms, the state
chosen for pay, the heading level and today's date ("3 days ago", "may no
longer be open"). Every write to any of those replaces the cache generation
(config/generation.py), so a card kept under (generation, today, posting,
updated_at, state, level) is exactly what rendering it again would give: a
new search or filter reuses every card an earlier page built.

The cards are kept in this process's memory, bounded (CARD_CACHE_SIZE): a
hit costs a dictionary lookup, never a round trip to the shared cache, and a
cache server that is down cannot stall a page. The generation is read once
per request. The Save control is not part of the card: it carries the
visitor's CSRF token and saved state (shortlist.templatetags.save_control).
"""

import logging
import threading
from collections import OrderedDict

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe

from config.generation import generation

logger = logging.getLogger(__name__)
register = template.Library()

BODY_TEMPLATE = "includes/posting_card_body.html"


class BoundedCache:
    """The most recently used `size` entries (least recently used dropped first)."""

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def set(self, key, value):
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


cards = BoundedCache(settings.CARD_CACHE_SIZE)


def _generation(request):
    """The cache generation, read once per request; None when the cache is down."""
    if request is not None:
        known = getattr(request, "_listings_generation", None)
        if known is not None:
            return known
    try:
        value = generation()
    except Exception:  # an unreachable cache builds every card, it does not fail the page
        logger.warning("cache unavailable", exc_info=True)
        return None
    if request is not None:
        request._listings_generation = value
    return value


@register.simple_tag(takes_context=True)
def card_body(context, posting, state, level):
    """The card of `posting` without its Save control, built or reused."""
    render = get_template(BODY_TEMPLATE).render
    values = {"posting": posting, "state": state, "level": level}
    current = _generation(context.get("request"))
    if current is None or cards.size <= 0:
        return mark_safe(render(values))
    key = (
        current,
        timezone.localdate(),
        posting.pk,
        posting.__dict__.get("updated_at"),
        state,
        level,
    )
    # (__dict__: a page that deferred updated_at must not pay a query per card)
    html = cards.get(key)
    if html is None:
        html = render(values)
        cards.set(key, html)
    return mark_safe(html)
