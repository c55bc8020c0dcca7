"""What a page tells search engines and link previews about itself.

`page_meta()` gives every page its title, description, canonical URL and
Open Graph type from what the page's view already put in its context; the
base template renders them once, so `<title>`, `og:title` and the Twitter card
always agree. Nothing here runs a query.
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


def _page_number(context):
    page = context.get("page")
    return getattr(page, "number", 1) if page is not None else 1


def _page_query(context):
    number = _page_number(context)
    return f"page={number}" if number > 1 else ""


def _counted(count, singular, plural=None):
    """ "1 open internship", "2,048 open internships"."""
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"


def _count(context):
    page = context.get("page")
    return page.paginator.count if page is not None else None


def _list_meta(request, context, filterset):
    """The list: its search, state and other filters in the title."""
    number = _page_number(context)
    q = state = ""
    others = []
    if filterset is not None:
        q = filterset.cleaned("q") or ""
        state = filterset.chosen_state
        skip = tuple(f"{filterset.filters[name].label}: " for name in ("q", "state"))
        others = [text for text, _ in filterset.active() if not text.startswith(skip)]
    title = (f"“{shorten(q, 60)}” – " if q else "") + "Internships"
    if state:
        title += f" in {state}"
    if others:
        title += f" ({shorten(', '.join(others), 60)})"
    if number > 1:
        title += f", page {number}"
    count = _count(context)
    description = _counted(count, "open internship") if count is not None else "Open internships"
    if state:
        description += f" you can do from {state}"
    if others:
        description += f" ({', '.join(others)})"
    description += ", with their pay state by state."
    query = filter_query(filterset, page=number) if filterset is not None else _page_query(context)
    return PageMeta(
        title=f"{title} · {SITE_NAME}",
        description=shorten(description),
        canonical=_url(request, request.path, query),
    )


def site_meta():
    """The site's own PageMeta for a page rendered without a request (error
    pages): the home page as a relative address, so that an error page never
    shows a host name, not even a configured one."""
    return PageMeta(title=SITE_NAME, description=DEFAULT_DESCRIPTION, canonical="/")


def page_meta(request, context):
    """The PageMeta of the page being rendered with `context`.

    Pages are told apart by their URL name; each uses only what its view put
    in the context (already loaded), so describing a page costs no query.
    """
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match else ""
    posting = context.get("posting")
    company = context.get("company")

    if view in ("listings:posting-detail", "listings:posting-detail-short") and posting:
        text = summary(posting)
        if posting.responsibilities:
            text += f". {posting.responsibilities}"
        return PageMeta(
            title=f"{posting.title} at {posting.company.name} · {SITE_NAME}",
            description=shorten(text),
            canonical=_url(request, posting.get_absolute_url()),
            og_type="article",
        )

    if view == "listings:posting-list":
        return _list_meta(request, context, context.get("filter"))

    if view == "companies:company-detail" and company:
        count = getattr(company, "open_count", None)
        text = (
            f"{company.name}: open internships"
            if count is None
            else (f"{count:,} open internship{'' if count == 1 else 's'} at {company.name}")
        )
        about = strip_tags(company.about)
        return PageMeta(
            title=f"{company.name} internships · {SITE_NAME}",
            description=shorten(f"{text}: {about}" if about else f"{text}, with their pay."),
            canonical=_url(request, company.get_absolute_url()),
        )

    if view == "companies:company-list":
        number = _page_number(context)
        count = context.get("hiring", _count(context))  # the directory lists idle ones too
        return PageMeta(
            title=f"Companies hiring interns{f' (page {number})' if number > 1 else ''}"
            f" · {SITE_NAME}",
            description=(
                f"{_counted(count, 'company', 'companies')} with open internships on {SITE_NAME}."
                if count is not None
                else f"Companies with open internships on {SITE_NAME}."
            ),
            canonical=_url(request, request.path, _page_query(context)),
        )

    if view == "listings:home":
        return PageMeta(
            title=f"{SITE_NAME} – internships and what they pay in your state",
            description=DEFAULT_DESCRIPTION,
            canonical=_url(request, "/"),
        )

    if view == "listings:posting-apply" and posting and context.get("was_public"):
        # The 410 page of a posting that was public points at the posting;
        # it says nothing more (drafts are never named).
        return PageMeta(
            title=SITE_NAME,
            description=DEFAULT_DESCRIPTION,
            canonical=_url(request, posting.get_absolute_url()),
        )

    # Any other page (errors, a 410 page): the site's name and description,
    # and its own path without a query string as its address.
    return PageMeta(
        title=SITE_NAME,
        description=DEFAULT_DESCRIPTION,
        canonical=_url(request, request.path),
    )
