import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from listings.templatetags.cards import card_body
from listings.templatetags.site_urls import cached_reverse
from shortlist import saved

register = template.Library()


@register.simple_tag(takes_context=True)
def saved_state(context, posting):
    """None for a visitor without a session (the page may be shared through the
    page cache: show a link), else whether `posting` is saved."""
    request = context.get("request")
    if request is None or not request.session.session_key:
        return None
    return saved.is_saved(request, posting.pk)


def save_url(pk):
    """The Save address of posting `pk` (on every card: worked out once per process)."""
    return cached_reverse("shortlist:save", pk)


@functools.lru_cache(maxsize=20000)
def _save_link(url):
    """The Save link of a visitor without a session: the same for all of them."""
    return format_html('\n<a class="save-link" href="{}" rel="nofollow">Save</a>\n\n', url)


@register.simple_tag(takes_context=True)
def save_control(context, posting):
    """Save for a posting card or detail page, rendered in Python (it is on
    every card, built for each visitor: see listings/fragments.py).

    Pages in the shared page cache (visitors without a session) get a link to
    a small page holding the CSRF-protected button; a visitor with a session
    gets the button in place. The control is named by its card or page (the
    title is not repeated in it, so the title's own link stays the only link
    of that name). The blank lines are those the template it replaced gave.
    """
    url = save_url(posting.pk)
    saved = saved_state(context, posting)
    if saved is None:
        return _save_link(url)
    token = context.get("csrf_token")
    csrf = (
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
        if token and token != "NOTPROVIDED"
        else ""
    )
    return format_html(
        '\n<form class="save-form" method="post" action="{}">{}'
        '<input type="hidden" name="next" value="{}">'
        '<button class="button-secondary" type="submit" aria-pressed="{}">{}</button></form>\n\n',
        url,
        csrf,
        context["request"].get_full_path(),
        "true" if saved else "false",
        "Saved ✓" if saved else "Save",
    )


@register.simple_tag(takes_context=True)
def posting_card(context, posting, state="", level=3):
    """A posting in a list: its card (kept, listings' card_body) and this
    visitor's Save control."""
    return mark_safe(
        card_body(posting, state, level) + save_control(context, posting) + "\n</article>\n\n"
    )


@register.simple_tag(takes_context=True)
def posting_cards(context, postings, state="", level=3):
    """The cards of a list page, in one tag rather than a template loop."""
    return mark_safe(
        "".join(
            f"\n      {posting_card(context, posting, state, level)}\n    " for posting in postings
        )
    )
