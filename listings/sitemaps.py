"""What crawlers read: the sitemap of open postings and companies, and robots.txt.

`/sitemap.xml` is a plain urlset while the whole site fits in one sitemap
file, and a sitemap index of `/sitemap-<section>.xml?p=N` pages once it does
not. Every page of every section costs the same few queries (a count and one
page of rows), however many postings there are.

The urlset is written directly rather than through Django's sitemap template:
with tens of thousands of URLs per file the template (and a model instance and
a reverse() per posting) made a page take seconds; plain rows and string
formatting take a small fraction of that.
"""

import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.http import http_date

from companies.models import Company

from .models import Posting

# URLs per sitemap file. The protocol allows 50,000; 10,000 keeps each file
# around 1 MB and quick to build, at the cost of a few more files in the index.
PAGE_SIZE = 10_000

XML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)


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
        return Posting.objects.open().values_list("pk", "slug", "updated_at")

    @cached_property
    def _prefix(self):
        return reverse("listings:posting-list")

    def location(self, row):
        # The shape of Posting.get_absolute_url(), without a reverse() per row.
        pk, slug, _ = row
        return f"{self._prefix}{pk}/{slug or 'posting'}/"

    def lastmod(self, row):
        return row[2]

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


def _day(value):
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")


def urlset(request, sitemaps, page=1):
    """The urlset XML of one page of each of `sitemaps`."""
    site = get_current_site(request)
    parts = [XML_HEAD]
    latest = []
    for sitemap in sitemaps:
        try:
            urls = sitemap.get_urls(page=page, protocol=request.scheme, site=site)
        except (EmptyPage, PageNotAnInteger) as exc:
            raise Http404(f"No sitemap page {page!r}") from exc
        for url in urls:
            parts.append(f"<url><loc>{escape(url['location'])}</loc>")
            if url["lastmod"]:
                parts.append(f"<lastmod>{_day(url['lastmod'])}</lastmod>")
            if url["changefreq"]:
                parts.append(f"<changefreq>{url['changefreq']}</changefreq>")
            parts.append("</url>\n")
        latest.append(getattr(sitemap, "latest_lastmod", None))
    parts.append("</urlset>\n")
    response = HttpResponse("".join(parts), content_type="application/xml")
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    if latest and all(latest):
        response.headers["Last-Modified"] = http_date(max(latest).timestamp())
    return response


def sitemap_xml(request):
    """One urlset for a site that fits in one file, else a sitemap index."""
    sections = {name: sitemap() for name, sitemap in SITEMAPS.items()}
    if sum(sitemap.paginator.count for sitemap in sections.values()) <= PAGE_SIZE:
        return urlset(request, sections.values())
    return sitemap_views.index(request, sections, sitemap_url_name="sitemap-section")


def sitemap_section(request, section):
    if section not in SITEMAPS:
        raise Http404("No such sitemap")
    return urlset(request, [SITEMAPS[section]()], page=request.GET.get("p", 1))


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
