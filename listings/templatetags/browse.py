"""The home page's browse lists, rendered in Python: a link and a count for
every category and term, each a template loop with a URL lookup and a
number format otherwise."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html_join

from .site_urls import cached_reverse

register = template.Library()


@register.simple_tag
def browse_links(parameter, labels):
    """<li> links to the list filtered by `parameter` for each (name, slug,
    count) of `labels`, with its count."""
    url = cached_reverse("listings:posting-list")
    return format_html_join(
        "",
        '<li><a href="{}?{}={}">{}</a> <span class="muted">{}</span></li>',
        ((url, parameter, slug, name, intcomma(count)) for name, slug, count in labels),
    )
