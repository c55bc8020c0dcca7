"""`{% site_url "name" %}`: `{% url "name" %}` for a URL without arguments,
worked out once per process. Every page's header and footer carry half a
dozen of them, and Django's reverse() is the costliest tag on a page whose
pieces are kept."""

import functools

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@functools.lru_cache(maxsize=64)
def _site_url(prefix, urlconf, name):
    return reverse(name)


@register.simple_tag
def site_url(name):
    return _site_url(get_script_prefix(), get_urlconf(), name)
