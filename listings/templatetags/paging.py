"""The links every list page carries, rendered in Python: its sort links and
its pagination (on the list and the company list). As template loops they
cost a list page more than its twenty cards; the HTML is the same.

Addresses keep every other parameter of the query string, as Django's
`{% querystring %}` makes them.
"""

from django import template
from django.template.defaulttags import querystring
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_links(context, choices, chosen, searching):
    """<li> links to each sort of `choices`, `chosen` marked current;
    "relevance" only while `searching`."""
    query = context["request"].GET
    return mark_safe(
        "".join(
            format_html(
                '\n          <li><a href="{}"{}>{}</a></li>\n          ',
                querystring(None, query, sort=value, page=None),
                mark_safe(' aria-current="true"') if value == chosen else "",
                label,
            )
            for value, label in choices
            if value != "relevance" or searching
        )
    )


@register.simple_tag(takes_context=True)
def pagination(context, page, page_range):
    """Links to the pages of `page_range` (Paginator.get_elided_page_range,
    so the number of links never grows with the data), the previous and
    the next: nothing for a single page."""
    if not page.has_other_pages():
        return mark_safe("\n\n")
    query = context["request"].GET

    def link(number):
        return querystring(None, query, page=number)

    parts = ['\n\n<nav class="pagination" aria-label="Pages">\n  <ul>\n    ']
    if page.has_previous():
        parts.append(
            format_html(
                '<li><a href="{}" rel="prev">← Previous</a></li>', link(page.previous_page_number())
            )
        )
    parts.append("\n    ")
    for number in page_range:
        if number == page.paginator.ELLIPSIS:
            item = '<li><span class="gap">…</span></li>\n      '
        elif number == page.number:
            item = format_html(
                '<li><a href="{}" aria-current="page">{}</a></li>\n      ', link(number), number
            )
        else:
            item = format_html('<li><a href="{}">{}</a></li>', link(number), number)
        parts.append(f"\n      {item}\n    ")
    parts.append("\n    ")
    if page.has_next():
        parts.append(
            format_html(
                '<li><a href="{}" rel="next">Next →</a></li>', link(page.next_page_number())
            )
        )
    parts.append("\n  </ul>\n</nav>\n\n")
    return mark_safe("".join(parts))
