"""What crawlers read: the sitemap of open postings and companies, and robots.txt.

`/sitemap.xml` is a plain urlset while the whole site fits in one sitemap
file, and a sitemap index of `/sitemap-<section>.xml?p=N` pages once it does
not. Every page of every section costs the same few queries (a count and one
page of rows), however many postings there are.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property

from companies.models import Company

from .models import Posting

# The sitemaps protocol allows 50,000 URLs per file.
PAGE_SIZE = 50_000


class PagedSitemap(Sitemap):
    @property
    def limit(self):
        return PAGE_SIZE

    @cached_property
    def paginator(self):
        # Cached so that deciding between a urlset and an index, then
        # rendering, counts the rows once.
        return Paginator(self._items(), self.limit)


class PageSitemap(PagedSitemap):
    changefreq = "daily"

    def items(self):
        return ["listings:home", "listings:posting-list"]

    def location(self, item):
        return reverse(item)


class PostingSitemap(PagedSitemap):
    """Open postings only: closed ones leave the sitemap."""

    def items(self):
        return Posting.objects.open().only("pk", "slug", "updated_at")

    def lastmod(self, posting):
        return posting.updated_at

    def get_latest_lastmod(self):
        # The default would load every item to find the newest one.
        return Posting.objects.open().aggregate(latest=Max("updated_at"))["latest"]


class CompanySitemap(PagedSitemap):
    """Companies with at least one open posting; a page changes when the
    company or any of its open postings does."""

    def items(self):
        return (
            Company.objects.filter(postings__in=Posting.objects.open().values("pk"))
            .annotate(postings_updated_at=Max("postings__updated_at"))
            .only("pk", "slug", "updated_at")
            .order_by("name", "pk")
        )

    def lastmod(self, company):
        return max(company.updated_at, company.postings_updated_at)

    def get_latest_lastmod(self):
        return PostingSitemap().get_latest_lastmod()


SITEMAPS = {
    "pages": PageSitemap,
    "internships": PostingSitemap,
    "companies": CompanySitemap,
}


def sitemap_xml(request):
    """One urlset for a site that fits in one file, else a sitemap index."""
    sections = {name: sitemap() for name, sitemap in SITEMAPS.items()}
    if sum(sitemap.paginator.count for sitemap in sections.values()) <= PAGE_SIZE:
        return sitemap_views.sitemap(request, sections)
    return sitemap_views.index(request, sections, sitemap_url_name="sitemap-section")


def sitemap_section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /internships/*/apply/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
