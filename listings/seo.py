"""What a page tells search engines and link previews about itself.

Each view supplies its page's title, description, canonical address and Open
Graph type as `meta` in its context, built with `page_meta()` (the pages
below have a small function each, from what the view already loaded); the
base template renders them once, so `<title>`, `og:title` and the Twitter card
always agree. A page without its own `meta` gets the site's name and
description at its own path (templatetags/seo.py). Nothing here runs a query.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.text import Truncator

from .models import WorkMode

SITE_NAME = "Internboard"
DEFAULT_DESCRIPTION = (
    "Find internships, see what each one pays in your state, and apply on the company's site."
)
DESCRIPTION_LENGTH = 160


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    canonical: str
    og_type: str = "website"


def summary(posting, state=""):
    """ "Acme · $20 - $25 per hour · Austin, TX (Hybrid)": what a reader needs
    to decide whether to open the posting. Uses the prefetched locations and,
    for a state, the pay annotated by PostingQuerySet.with_pay_in(state)."""
    if state and posting.state_pay_display:
        pay_text = f"{posting.state_pay_display} per {posting.pay_unit} in {state}"
    elif posting.has_pay:
        pay_text = f"{posting.pay_display} per {posting.pay_unit}"
    else:
        pay_text = "Pay not listed"
    places = "; ".join(
        location.name for location in posting.locations.all() if location.name != "Remote"
    )
    if posting.work_mode == WorkMode.REMOTE:
        where = f"Remote ({places})" if places else "Remote"
    else:
        where = f"{places or 'Location not listed'} ({posting.get_work_mode_display()})"
    return f"{posting.company.name} · {pay_text} · {where}"


# Control characters: not allowed in XML 1.0 (the feed) and a parse error in
# HTML attributes. Imported data and search boxes can carry them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value):
    """`value` on one line, without control characters."""
    return " ".join(_CONTROL.sub("", str(value)).split())


def _text(value):
    return clean_text(value)


def shorten(text, length=DESCRIPTION_LENGTH):
    return Truncator(_text(text)).chars(length)


def _plain(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def filter_query(filterset, *, sort=True, page=1):
    """The query string of the filters in use, normalised: known parameters
    only, in name order, each value cleaned (`state=tx` → `state=TX`), no empty
    values, no default sort and no `page=1`. Equal searches give equal URLs."""
    data = filterset.cleaned_data
    pairs = []
    for name in sorted(filterset.filters):
        value = data.get(name)
        if value in (None, "", []):
            continue
        if name == "sort" and (not sort or value == ("relevance" if data.get("q") else "newest")):
            continue
        values = sorted(value) if isinstance(value, list) else [value]
        pairs.extend((name, _plain(item)) for item in values)
    if page and page > 1:
        pairs.append(("page", str(page)))
    return urlencode(pairs)


def _url(request, path, query=""):
    return request.build_absolute_uri(path + (f"?{query}" if query else ""))


def page_meta(
    request, title, description=DEFAULT_DESCRIPTION, *, path=None, query="", og_type="website"
):
    """A page's meta: its `title` and `description` (cut to DESCRIPTION_LENGTH),
    and its canonical address, `path` (by default the request's own, without
    its query string) and `query` on the host the request came to."""
    return PageMeta(
        title=clean_text(title),
        description=shorten(description),
        canonical=_url(request, request.path if path is None else path, query),
        og_type=og_type,
    )


def _page_query(page):
    return f"page={page.number}" if page.number > 1 else ""


def _counted(count, singular, plural=None):
    """ "1 open internship", "2,048 open internships"."""
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"


def list_meta(request, page, filterset):
    """The list: its search, state and other filters in the title."""
    q = filterset.cleaned("q") or ""
    state = filterset.chosen_state
    skip = tuple(f"{filterset.filters[name].label}: " for name in ("q", "state"))
    others = [text for text, _ in filterset.active() if not text.startswith(skip)]
    title = (f"“{shorten(q, 60)}” – " if q else "") + "Internships"
    if state:
        title += f" in {state}"
    if others:
        title += f" ({shorten(', '.join(others), 60)})"
    if page.number > 1:
        title += f", page {page.number}"
    description = _counted(page.paginator.count, "open internship")
    if state:
        description += f" you can do from {state}"
    if others:
        description += f" ({', '.join(others)})"
    description += ", with their pay state by state."
    return page_meta(
        request,
        f"{title} · {SITE_NAME}",
        description,
        query=filter_query(filterset, page=page.number),
    )


def posting_description(posting):
    """What a posting's page says of it in its meta description (places loaded)."""
    text = summary(posting)
    if posting.responsibilities:
        text += f". {posting.responsibilities}"
    return text


def posting_meta(request, posting, description):
    """A posting's page: what it is, where, for how much; its one address."""
    return page_meta(
        request,
        f"{posting.title} at {posting.company.name} · {SITE_NAME}",
        description,
        path=posting.get_absolute_url(),
        og_type="article",
    )


def company_meta(request, company):
    """A company's page; `company` is annotated with `open_count`."""
    count = company.open_count
    text = f"{count:,} open internship{'' if count == 1 else 's'} at {company.name}"
    about = strip_tags(company.about)
    return page_meta(
        request,
        f"{company.name} internships · {SITE_NAME}",
        f"{text}: {about}" if about else f"{text}, with their pay.",
        path=company.get_absolute_url(),
    )


def company_list_meta(request, page, hiring):
    """The companies directory, page by page; `hiring`: how many have open postings."""
    more = f" (page {page.number})" if page.number > 1 else ""
    return page_meta(
        request,
        f"Companies hiring interns{more} · {SITE_NAME}",
        f"{_counted(hiring, 'company', 'companies')} with open internships on {SITE_NAME}.",
        query=_page_query(page),
    )


def site_meta(request=None):
    """The site's own meta, for a page that supplies none: its own path on
    the request's host; without a request (error pages), the home page as a
    relative address, so that an error page never shows a host name, not
    even a configured one."""
    if request is None:
        return PageMeta(title=SITE_NAME, description=DEFAULT_DESCRIPTION, canonical="/")
    return page_meta(request, SITE_NAME)
