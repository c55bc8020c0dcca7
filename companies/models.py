from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify

from config.generation import InvalidatingQuerySet
from config.urlpolicy import validate_website

from .names import company_key
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
    def editable_by(self, user):
        """Every company for editors; other staff only those they recruit for."""
        if is_editor(user):
            return self
        return self.filter(recruiters=user.pk)


class BoardSystem(models.TextChoices):
    """The applicant-tracking systems whose public job boards `sync_boards` reads."""

    GREENHOUSE = "greenhouse", "Greenhouse"
    LEVER = "lever", "Lever"
    ASHBY = "ashby", "Ashby"


class Company(models.Model):
    name = models.CharField(max_length=200)
    # company_key(name): what the importer matches spellings of one company by
    # ("PayPal, Inc." and "Paypal" are "paypal"); kept by save() and the importer.
    name_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
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
    # The company's own job board (PRODUCT.md section 10), read by `sync_boards`.
    ats = models.CharField(
        "applicant tracking system",
        max_length=20,
        choices=BoardSystem.choices,
        blank=True,
        help_text="Where the company publishes its jobs; blank when it has no board we read.",
    )
    board_token = models.CharField(
        max_length=100,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                "Letters, digits, dots, hyphens and underscores only, as in the board's address.",
            )
        ],
        help_text="The board's name in the ATS address: instacart in "
        "boards-api.greenhouse.io/v1/boards/instacart/jobs.",
    )
    board_synced_at = models.DateTimeField("last board sync", null=True, blank=True)
    board_sync_result = models.CharField("last sync result", max_length=500, blank=True)
    board_etag = models.CharField(
        max_length=500, blank=True, help_text="The board's ETag at the last sync."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="company_name_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(ats="") | ~models.Q(board_token=""),
                name="company_board_has_token",
                violation_error_message="A company with a job board needs its board token.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Company, self.name)
        self.name_key = company_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("companies:company-detail", args=[self.slug])

    @property
    def board_source(self):
        """The postings' source for this company's board ("greenhouse:instacart"), or ""."""
        return f"{self.ats}:{self.board_token}" if self.ats and self.board_token else ""

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
