"""`{% site_url "name" %}`: `{% url "name" %}` for a URL without arguments,
worked out once per process. Every page's header and footer carry half a
dozen of them, and Django's reverse() is the costliest tag on a page whose
pieces are kept. `cached_reverse` serves Python code the same way (the Save
address on every card)."""

import functools

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@functools.lru_cache(maxsize=20000)
def _reverse(prefix, urlconf, name, args):
    return reverse(name, args=args)


def cached_reverse(name, *args):
    """reverse(name, args=args), once per process for each (name, args)."""
    return _reverse(get_script_prefix(), get_urlconf(), name, args)


@register.simple_tag
def site_url(name):
    return cached_reverse(name)
