"""The Atom feed of any search: `/feeds/internships/?<list filters>`.

The feed takes the same parameters as the list page, so a student can follow a
search ("remote, Python, pays at least $30 an hour in Texas") in a feed reader.
It always holds the newest 50 matching open postings, whatever `sort` says.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Value
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from . import seo
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
        postings = list(
            filterset.qs.for_list()
            .prefetch_related("locations")
            .order_by("-posted_on", "-id")[:FEED_SIZE]
        )
        # Categories and terms of every entry in one query (an ORM UNION of
        # the two link tables), within the feed's budget of three queries.
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
        for posting in postings:
            posting.feed_state = filterset.chosen_state
            posting.feed_labels = [name for _, name in sorted(names[posting.pk])]
        return postings

    def item_title(self, posting):
        return seo.clean_text(f"{posting.title} at {posting.company.name}")

    def item_description(self, posting):
        # Atom writes the summary as type="html": readers render it as markup,
        # so text from postings and companies (an import file's company name
        # can be "<img src=x onerror=...>") is escaped into plain text here.
        return escape(seo.clean_text(seo.summary(posting, posting.feed_state)))

    def item_author_name(self, posting):
        return seo.clean_text(posting.company.name)

    def item_pubdate(self, posting):
        return timezone.make_aware(datetime.datetime.combine(posting.posted_on, datetime.time()))

    def item_updateddate(self, posting):
        return posting.updated_at

    def item_categories(self, posting):
        return [seo.clean_text(name) for name in posting.feed_labels]
