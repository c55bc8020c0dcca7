"""Form pieces rendered in Python: the 51 options of a state picker appear on
the list, detail and home pages, and a template loop over them costs more
than the rest of the form; the list's filter panel renders its checkboxes
and options here for the same reason (every search builds it)."""

import functools

from django import template
from django.template.defaultfilters import capfirst as _capfirst
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from ..models import STATE_CHOICES

register = template.Library()


@register.simple_tag
def state_options(chosen=""):
    """<option> elements for every US state and DC, `chosen` selected."""
    return _state_options(chosen if chosen in STATE_CODES else "")


STATE_CODES = frozenset(code for code, _ in STATE_CHOICES)


@functools.lru_cache(maxsize=64)  # one per state, and none chosen
def _state_options(chosen):
    return format_html_join(
        "",
        "<option value=\"{}\"{}>{}</option>",
        ((code, mark_safe(" selected") if code == chosen else "", name)
         for code, name in STATE_CHOICES),
    )  # fmt: skip


@functools.lru_cache(maxsize=32)
def _options(values):
    return format_html_join("", '<option value="{}">', ((value,) for value in values))


@register.simple_tag
def datalist_options(values):
    """<option> elements of a <datalist>: about 400 on every list page, the
    same until a write, so built once per set of values."""
    return _options(tuple(values))


@register.simple_tag
def checkboxes(name, choices, chosen, capfirst=False):
    """A labelled checkbox `name` for each (value, label) of `choices`, those
    in `chosen` checked (labels capitalised with `capfirst`)."""
    return format_html_join(
        "",
        '<label class="check"><input type="checkbox" name="{}" value="{}"{}> {}</label>',
        (
            (
                name,
                value,
                _CHECKED if value in chosen else "",
                _capfirst(label) if capfirst else label,
            )
            for value, label in choices
        ),
    )


@register.simple_tag
def options(choices, chosen):
    """An <option> for each (value, label) of `choices`, `chosen` selected."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, _SELECTED if value == chosen else "", label) for value, label in choices),
    )


_CHECKED = mark_safe(" checked")
_SELECTED = mark_safe(" selected")
