"""The Atom feed of any search: `/feeds/internships/?<list filters>`.

The feed takes the same parameters as the list page, so a student can follow a
search ("remote, Python, pays at least $30 an hour in Texas") in a feed reader.
It always holds the newest 50 matching open postings, whatever `sort` says.
"""

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import Value, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from . import fragments, seo
from .filters import PostingFilter
from .models import Posting

FEED_SIZE = 50


def _url(name, query):
    return reverse(name) + (f"?{query}" if query else "")


class PostingFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        return PostingFilter(request.GET, queryset=Posting.objects.open(), request=request)

    def title(self, filterset):
        active = [text for text, _ in filterset.active()]
        if active:
            # shorten() also drops control characters a search may carry.
            return "Internboard: internships — " + seo.shorten(", ".join(active), 120)
        return "Internboard: newest internships"

    def subtitle(self, filterset):
        return "The newest open internships on Internboard, with their pay and location."

    def link(self, filterset):
        return _url("listings:posting-list", seo.filter_query(filterset))

    def feed_url(self, filterset):
        return _url("listings:posting-feed", seo.filter_query(filterset, sort=False))

    def items(self, filterset):
        # The filters' own order (pay, deadline, relevance) is replaced: a
        # feed is read newest first.
        postings = list(filterset.qs.for_list().order_by("-posted_on", "-id")[:FEED_SIZE])
        parts = ("feed", filterset.chosen_state or "")
        # Each entry is worked out once per posting version and state
        # (listings/fragments.py): places and labels are read for the others only.
        missing = [posting for posting in postings if not fragments.kept(posting, *parts)]
        labels = _labels(missing)
        prefetch_related_objects(missing, "locations")
        return [
            fragments.get_or_build(
                posting,
                parts,
                # (an entry dropped from the bounded store meanwhile reads its own labels)
                lambda p=posting: _entry(
                    p,
                    filterset.chosen_state,
                    labels[p.pk] if p.pk in labels else _labels([p])[p.pk],
                ),
            )
            for posting in postings
        ]

    def item_title(self, entry):
        return entry.title

    def item_link(self, entry):
        return entry.link

    def item_description(self, entry):
        return entry.description

    def item_author_name(self, entry):
        return entry.author

    def item_pubdate(self, entry):
        return entry.pubdate

    def item_updateddate(self, entry):
        return entry.updated

    def item_categories(self, entry):
        return entry.categories


@dataclass(frozen=True)
class Entry:
    """What the feed says of one posting: plain values, kept per posting version."""

    title: str
    link: str
    description: str
    author: str
    pubdate: datetime.datetime
    updated: datetime.datetime
    categories: tuple


def _entry(posting, state, labels):
    return Entry(
        title=seo.clean_text(f"{posting.title} at {posting.company.name}"),
        link=posting.get_absolute_url(),
        # Atom writes the summary as type="html": readers render it as markup,
        # so text from postings and companies (an import file's company name
        # can be "<img src=x onerror=...>") is escaped into plain text here.
        description=escape(seo.clean_text(seo.summary(posting, state))),
        author=seo.clean_text(posting.company.name),
        pubdate=timezone.make_aware(datetime.datetime.combine(posting.posted_on, datetime.time())),
        updated=posting.updated_at,
        categories=tuple(seo.clean_text(name) for name in labels),
    )


def _labels(postings):
    """{posting pk: [category names, then term names]} in one query (an ORM
    UNION of the two link tables), within the feed's budget of three queries."""
    names = {posting.pk: [] for posting in postings}
    parts = [
        getattr(Posting, kind)
        .through.objects.filter(posting_id__in=list(names))
        .annotate(kind=Value(order))
        .values_list("posting_id", "kind", f"{label}__name")
        .order_by()
        for order, (kind, label) in enumerate((("categories", "category"), ("terms", "term")))
    ]
    for pk, order, name in parts[0].union(parts[1], all=True) if names else ():
        names[pk].append((order, name))
    return {pk: [name for _, name in sorted(found)] for pk, found in names.items()}
