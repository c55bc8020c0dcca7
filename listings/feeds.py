"""The Atom feed of any search: `/feeds/internships/?<list filters>`.

The feed takes the same parameters as the list page, so a student can follow a
search ("remote, Python, pays at least $30 an hour in Texas") in a feed reader.
It always holds the newest 50 matching open postings, whatever `sort` says.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from . import pay, seo
from .models import PayRange, Posting, prefetch_labels

FEED_SIZE = 50


class Search:
    """The parts of a request the feed needs: its filtered postings and links."""

    def __init__(self, request):
        self.query = request.GET.urlencode()
        self.state = pay.normalise_state(request.GET.get("state")) or ""
        self.description = ""
        self.postings = Posting.objects.open()

    def url(self, name):
        return reverse(name) + (f"?{self.query}" if self.query else "")


class PostingFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        return Search(request)

    def title(self, search):
        if search.description:
            return f"Internboard: internships — {search.description}"
        return "Internboard: newest internships"

    def subtitle(self, search):
        return "The newest open internships on Internboard, with their pay and location."

    def link(self, search):
        return search.url("listings:posting-list")

    def feed_url(self, search):
        return search.url("listings:posting-feed")

    def items(self, search):
        postings = search.postings.for_list().order_by("-posted_on", "-id")
        if search.state:
            # Only the chosen state's pay is shown, but that needs the ranges.
            postings = postings.prefetch_related(
                Prefetch("pay_ranges", queryset=PayRange.objects.with_state_codes())
            )
        postings = prefetch_labels(postings[:FEED_SIZE])
        for posting in postings:
            posting.feed_state = search.state
        return postings

    def item_title(self, posting):
        return f"{posting.title} at {posting.company.name}"

    def item_description(self, posting):
        return seo.summary(posting, posting.feed_state)

    def item_author_name(self, posting):
        return posting.company.name

    def item_pubdate(self, posting):
        return timezone.make_aware(datetime.datetime.combine(posting.posted_on, datetime.time()))

    def item_updateddate(self, posting):
        return posting.updated_at

    def item_categories(self, posting):
        return [label.name for label in (*posting.categories.all(), *posting.terms.all())]
