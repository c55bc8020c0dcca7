"""Posting cards built once per posting version and reused by every page
that shows them (listings/fragments.py says when a kept card is exact).

`{% posting_card posting state level %}` (shortlist's tags, which add the Save
control) shows one on a page. A list view reads its postings through `fragments.load_cards` (or passes
them through `load_card_labels`): a kept card's posting is then not read
whole, and places and terms are read only for the cards not kept yet. The Save
control is not part of the card: it carries the visitor's CSRF token and
saved state (shortlist.templatetags.save_control).
"""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from listings import fragments

register = template.Library()

BODY_TEMPLATE = "includes/posting_card_body.html"


@register.simple_tag
def card_body(posting, state, level):
    """The card of `posting` without its Save control, built or reused."""
    if isinstance(posting, fragments.Kept):
        return mark_safe(posting.piece)

    def build():
        values = {"posting": posting, "state": state, "level": level}
        return get_template(BODY_TEMPLATE).render(values)

    return mark_safe(fragments.get_or_build(posting, fragments.card_parts(state, level), build))
