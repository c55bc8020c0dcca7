"""Companies seen through their postings: the company pages' queries, the
company list's open counts and the admin's posting and click figures.

They live here, where the postings do, so that the companies app stays the
lower floor: it knows who a company is and who recruits for it, nothing of
postings.
"""

from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, Lower

from companies.models import Company

from .models import ApplyClick, Posting, closed_condition, open_condition

POSTINGS_SHOWN = 20
CLOSED_SHOWN = 10


def directory():
    """Every company with a public page as (name, slug, size band, open
    postings): those with open postings first, then A to Z whatever the case
    ("Acadian" before "ASML"). Companies whose postings are all drafts have
    no public page, so they are not listed."""
    companies = (
        Company.objects.annotate(
            open_postings=Count("postings", filter=open_condition("postings__")),
            public_postings=Count(
                "postings", filter=open_condition("postings__") | closed_condition("postings__")
            ),
        )
        .filter(public_postings__gt=0)
        .order_by(Lower("name"), "name", "pk")
    )
    rows = [(c.name, c.slug, c.size_band, c.open_postings) for c in companies]
    rows.sort(key=lambda row: row[3] == 0)  # stable: keeps A to Z within each
    return rows


def with_page_counts(companies):
    """`companies` with `open_count` and `closed_count`, what a company page says."""
    return companies.annotate(
        open_count=Count("postings", filter=open_condition("postings__")),
        closed_count=Count("postings", filter=closed_condition("postings__")),
    )


def newest_open(company, limit=POSTINGS_SHOWN):
    """The company's newest open postings, for cards (fragments.load_card_labels)."""
    return Posting.objects.open().filter(company=company).for_list()[:limit]


def recently_closed(company, limit=CLOSED_SHOWN):
    """The company's closed postings, newest first, with only what a link needs."""
    if not getattr(company, "closed_count", True):
        return []
    return (
        Posting.objects.closed()
        .filter(company=company)
        .only("pk", "slug", "title", "posted_on", "closes_on", "status")
        .order_by("-posted_on", "-id")[:limit]
    )


def with_admin_counts(companies):
    """Annotate the number of postings, of open postings, and the apply clicks
    they received in total (correlated subqueries, no GROUP BY)."""

    def count(queryset, by, total=None):
        total = total or models.Count("pk")
        rows = queryset.order_by().values(by).annotate(n=total).values("n")
        return Coalesce(Subquery(rows), 0, output_field=models.IntegerField())

    ours = {"company": OuterRef("pk")}
    return companies.annotate(
        posting_count=count(Posting.objects.filter(**ours), "company"),
        open_count=count(Posting.objects.open().filter(**ours), "company"),
        clicks_total=count(
            ApplyClick.objects.filter(posting__company=OuterRef("pk")),
            "posting__company",
            models.Sum("count"),
        ),
    )
