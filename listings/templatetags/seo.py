"""Tags for what search engines and link previews read: JSON-LD, canonical URLs."""

from django import template
from django.urls import reverse

from listings import seo, structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def job_posting_json_ld(context, posting):
    """The JobPosting JSON-LD script of an open posting; nothing for a closed one."""
    if not posting.is_open:
        return ""
    url = context["request"].build_absolute_uri(posting.get_absolute_url())
    return structured_data.json_ld_script(structured_data.job_posting(posting, url))


@register.simple_tag(takes_context=True)
def page_meta(context):
    """Title, description, canonical URL and Open Graph type of this page: the
    `meta` its view supplied (seo.page_meta), else the site's own."""
    return context.get("meta") or seo.site_meta(context.get("request"))


@register.simple_tag
def posting_feed_url(filterset):
    """The Atom feed of the search `filterset` describes (its filters, normalised)."""
    query = seo.filter_query(filterset, sort=False)
    return reverse("listings:posting-feed") + (f"?{query}" if query else "")
