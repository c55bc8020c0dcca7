"""The Atom feed of any search: `/feeds/internships/?<list filters>`.

The feed takes the same parameters as the list page, so a student can follow a
search ("remote, Python, pays at least $30 an hour in Texas") in a feed reader.
It always holds the newest 50 matching open postings, whatever `sort` says.
"""

import datetime
import io

from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.db.models import Value, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from . import fragments, seo
from .filters import PostingFilter
from .models import Posting

FEED_SIZE = 50


def _url(name, query):
    return reverse(name) + (f"?{query}" if query else "")


class WrittenEntriesFeed(Atom1Feed):
    """An Atom feed whose entries arrive written, as (XML, updated) pairs."""

    entries = ()

    def latest_post_date(self):
        return max((updated for _, updated in self.entries), default=None) or (
            super().latest_post_date()
        )

    def write_items(self, handler):
        for xml, _ in self.entries:
            handler.ignorableWhitespace(xml)  # written as it is: already XML


class PostingFeed(Feed):
    feed_type = WrittenEntriesFeed

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
        # Entries come written (get_feed): the syndication framework's loop,
        # which asks a dozen hooks per entry, runs over none.
        return []

    def get_feed(self, filterset, request):
        feed = super().get_feed(filterset, request)
        base = add_domain(get_current_site(request).domain, "", request.is_secure())
        # The filters' own order (pay, deadline, relevance) is replaced: a
        # feed is read newest first.
        postings = filterset.qs.for_list().order_by("-posted_on", "-id")
        parts = ("feed", filterset.chosen_state or "", base)
        # Each entry is written once per posting version, state and site
        # address (listings/fragments.py): the others alone are read whole,
        # with their places and labels.
        postings = fragments.read_kept(postings, parts, FEED_SIZE)
        missing = [posting for posting in postings if not isinstance(posting, fragments.Kept)]
        labels = _labels(missing)
        prefetch_related_objects(missing, "locations")

        def write(posting):
            return _entry(feed, posting, filterset.chosen_state, labels[posting.pk], base)

        feed.entries = [
            posting.piece
            if isinstance(posting, fragments.Kept)
            else fragments.get_or_build(posting, parts, lambda p=posting: write(p))
            for posting in postings
        ]
        return feed


def _entry(feed, posting, state, labels, base):
    """One posting's <entry> as XML, with its updated time."""
    link = base + posting.get_absolute_url()
    updated = posting.updated_at
    feed.add_item(
        title=seo.clean_text(f"{posting.title} at {posting.company.name}"),
        link=link,
        # Atom writes the summary as type="html": readers render it as markup,
        # so text from postings and companies (an import file's company name
        # can be "<img src=x onerror=...>") is escaped into plain text here.
        description=escape(seo.clean_text(seo.summary(posting, state))),
        unique_id=link,
        pubdate=timezone.make_aware(datetime.datetime.combine(posting.posted_on, datetime.time())),
        updateddate=updated,
        author_name=seo.clean_text(posting.company.name),
        categories=[seo.clean_text(name) for name in labels],
    )
    item = feed.items.pop()
    out = io.StringIO()
    handler = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
    handler.startElement("entry", feed.item_attributes(item))
    feed.add_item_elements(handler, item)
    handler.endElement("entry")
    return out.getvalue(), updated


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
