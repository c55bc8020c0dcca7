from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils.text import slugify

from config.urlpolicy import validate_website
from listings.cache import InvalidatingQuerySet

from .roles import is_editor

# Company size bands offered by the `size` filter, as (slug, low, high).
SIZE_BANDS = [
    ("1-50", 1, 50),
    ("51-200", 51, 200),
    ("201-1000", 201, 1000),
    ("1001-5000", 1001, 5000),
    ("5001-10000", 5001, 10000),
    ("10001+", 10001, None),
]


class CompanyQuerySet(InvalidatingQuerySet):
    def with_open_counts(self):
        from listings.models import open_condition

        return self.annotate(
            open_postings=models.Count("postings", filter=open_condition("postings__"))
        )

    def editable_by(self, user):
        """Every company for editors; other staff only those they recruit for."""
        if is_editor(user):
            return self
        return self.filter(recruiters=user.pk)

    def with_admin_counts(self):
        """Annotate the number of postings, of open postings, and the apply
        clicks they received in total (correlated subqueries, no GROUP BY)."""
        from listings.models import ApplyClick, Posting

        def count(queryset, by, total=None):
            total = total or models.Count("pk")
            rows = queryset.order_by().values(by).annotate(n=total).values("n")
            return Coalesce(Subquery(rows), 0, output_field=models.IntegerField())

        ours = {"company": OuterRef("pk")}
        return self.annotate(
            posting_count=count(Posting.objects.filter(**ours), "company"),
            open_count=count(Posting.objects.open().filter(**ours), "company"),
            clicks_total=count(
                ApplyClick.objects.filter(posting__company=OuterRef("pk")),
                "posting__company",
                models.Sum("count"),
            ),
        )


class Company(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    website = models.URLField(max_length=500, blank=True, validators=[validate_website])
    size = models.PositiveIntegerField(
        null=True, blank=True, help_text="Number of employees, if known."
    )
    about = models.TextField(blank=True)
    recruiters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="recruiting_for",
        help_text="Staff users who may edit this company and its postings.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="company_name_unique_ci"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Company, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("companies:company-detail", args=[self.slug])

    @property
    def size_band(self):
        if self.size is None:
            return ""
        for band, low, high in SIZE_BANDS:
            if self.size >= low and (high is None or self.size <= high):
                return band
        return ""


def unique_slug(model, text, max_length=200):
    """A slug for `text` not yet used by `model` (name-2, name-3, ... on clashes)."""
    base = slugify(text)[:max_length] or "item"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
