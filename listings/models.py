import datetime
import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import slugify

from companies.models import unique_slug
from companies.roles import is_editor
from config.generation import InvalidatingQuerySet

from . import pay, terms
from .links import canonical_apply_url
from .sanitize import clean_html
from .validators import MAX_URL_LENGTH, validate_apply_url

STATE_CHOICES = sorted(pay.US_STATES.items(), key=lambda item: item[1])

# Text search: the PostgreSQL dictionary (stemming, stop words), and how many
# distinct words SQLite looks for.
SEARCH_CONFIG = "english"
SQLITE_MAX_WORDS = 10
# The deadline sort's key: the deadline, or for postings without one a date
# after every deadline, so that they come last.
DEADLINE = Coalesce("closes_on", models.Value(datetime.date.max))
# Similar internships are looked for among this many newest open postings.
SIMILAR_AMONG = 2000
# A posting older than this that no company job board confirmed within
# CONFIRMED_WITHIN_DAYS "may no longer be open" and ranks after fresh ones.
STALE_AFTER_DAYS = 120
CONFIRMED_WITHIN_DAYS = 30


class WorkMode(models.TextChoices):
    REMOTE = "remote", "Remote"
    HYBRID = "hybrid", "Hybrid"
    ONSITE = "onsite", "Onsite"


class InternshipType(models.TextChoices):
    FULL_TIME = "full_time", "Full time"
    PART_TIME = "part_time", "Part time"
    UNKNOWN = "unknown", "Not stated"


class Sponsorship(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    CITIZENS_ONLY = "citizens_only", "US citizens only"
    UNKNOWN = "unknown", "Not stated"


class PayUnit(models.TextChoices):
    HOUR = "hour", "hour"
    WEEK = "week", "week"
    MONTH = "month", "month"
    YEAR = "year", "year"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PENDING = "pending", "Pending review"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed"


class Location(models.Model):
    """A place a posting is located in: a city, a state or province, or a country."""

    name = models.CharField(max_length=200, unique=True)
    city = models.CharField(max_length=120, blank=True)
    region = models.CharField(
        max_length=3, blank=True, help_text="State or province code, e.g. CA or ON."
    )
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 alpha-2 code.")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["country", "region"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("listings:posting-list") + "?" + f"location={self.name}"

    @property
    def city_not_stated(self):
        """A whole country ("United States", "Multiple US Locations"): an onsite or
        hybrid posting placed only so is listed under every state of it."""
        return bool(self.country) and not self.region and not self.city


class Label(models.Model):
    """Skills, categories and terms: a name and a slug used in filter URLs."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=110, unique=True)

    filter_param = None

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.name, max_length=100)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("listings:posting-list") + f"?{self.filter_param}={self.slug}"


class Skill(Label):
    filter_param = "skill"

    class Meta(Label.Meta):
        pass


class Category(Label):
    filter_param = "category"

    class Meta(Label.Meta):
        verbose_name_plural = "categories"


class Term(Label):
    """An internship season such as "Summer 2026" (slug `summer-2026`).

    Its season, year and end date come from its name when it is saved
    (listings.terms); the importer, which bulk-creates terms, calls
    fill_dates() itself.
    """

    filter_param = "term"
    season = models.CharField(max_length=10, choices=terms.SEASON_CHOICES, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_on = models.DateField(
        "ends on", null=True, blank=True, help_text="From the name: Summer 2026 ends 31 Aug 2026."
    )

    class Meta(Label.Meta):
        ordering = [models.F("end_on").asc(nulls_last=True), "name"]

    def save(self, *args, **kwargs):
        self.fill_dates()
        super().save(*args, **kwargs)

    def fill_dates(self):
        for field, value in terms.describe(self.name).items():
            setattr(self, field, value)
        return self


LABEL_KINDS = ("skills", "categories", "terms")


def ended_condition(prefix=""):
    """Past the deadline, or every term of the posting has ended (section 11)."""
    today = timezone.localdate()
    return Q(**{f"{prefix}closes_on__lt": today}) | Q(**{f"{prefix}terms_end__lt": today})


def open_condition(prefix=""):
    """The "open" rule as a Q, for filters through a relation (`prefix="postings__"`):
    published, not past the deadline, and not every term ended."""
    today = timezone.localdate()
    return (
        Q(**{f"{prefix}status": Status.PUBLISHED})
        & (Q(**{f"{prefix}closes_on__isnull": True}) | Q(**{f"{prefix}closes_on__gte": today}))
        & (Q(**{f"{prefix}terms_end__isnull": True}) | Q(**{f"{prefix}terms_end__gte": today}))
    )


def closed_condition(prefix=""):
    """Postings that were open once: closed, or published and past the deadline or terms."""
    return Q(**{f"{prefix}status": Status.CLOSED}) | (
        Q(**{f"{prefix}status": Status.PUBLISHED}) & ended_condition(prefix)
    )


def fresh_on_for(posted_on, confirmed_at=None):
    """The day a posting's freshness counts from: its posted date, or a board's
    last confirmation less (STALE_AFTER_DAYS - CONFIRMED_WITHIN_DAYS) days when
    that is later.

    A posting is stale exactly when this is more than STALE_AFTER_DAYS ago
    (posted over 120 days ago and not confirmed in the last 30), whatever
    today is; so ordering by it, newest first, puts every fresh posting
    before every stale one with a stored, indexed key.
    """
    if confirmed_at is None:
        return posted_on
    confirmed = timezone.localtime(confirmed_at).date() - datetime.timedelta(
        days=STALE_AFTER_DAYS - CONFIRMED_WITHIN_DAYS
    )
    return max(posted_on, confirmed)


def browse_labels():
    """Categories and terms with their numbers of open postings, in one query.

    Returns {"categories": [(name, slug, count)], "terms": [...]}: categories
    by name, terms by date and only those that have not ended.
    """
    parts = [
        model.annotate(
            kind=models.Value(kind),
            open_count=models.Count("postings", filter=open_condition("postings__")),
        )
        .filter(open_count__gt=0)
        .values_list("kind", "name", "slug", "open_count")
        .order_by()
        for kind, model in (
            ("categories", Category.objects.all()),
            ("terms", Term.objects.exclude(end_on__lt=timezone.localdate())),
        )
    ]
    found = {"categories": [], "terms": []}
    for kind, name, slug, count in parts[0].union(parts[1], all=True):
        found[kind].append((name, slug, count))
    found["categories"].sort()
    found["terms"].sort(key=lambda row: terms.sort_key(row[0]))
    return found


class SearchDocument(models.Func):
    """A posting's weighted full-text document (PostgreSQL) from three texts:
    the title (weight A), the company, skills and categories (B) and the
    role's text (C). listings/writes.py builds it: from the stored rows, or
    from a new posting's values as it inserts them. Plain SQL on purpose:
    the importer compiles one per new posting."""

    output_field = SearchVectorField()

    def __init__(self, title, labels, text):
        super().__init__(title, labels, text)

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression, weight in zip(self.source_expressions, "ABC", strict=True):
            sql, part_params = compiler.compile(expression)
            parts.append(
                f"setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, COALESCE({sql}, '')), "
                f"'{weight}')"
            )
            params.extend(part_params)
        return " || ".join(parts), params


def _word_lookup(field, text):
    """`field` contains `text`; short words only as whole words ("ml" is not
    in "HTML")."""
    if len(text) <= 3 and re.fullmatch(r"[\w-]+", text):
        return Q(**{f"{field}__iregex": rf"(^|\W){re.escape(text)}($|\W)"})
    return Q(**{f"{field}__icontains": text})


# Title words that say nothing about what the internship is.
GENERIC_TITLE_WORDS = {
    "intern", "interns", "internship", "internships", "co-op", "coop", "summer", "fall",
    "winter", "spring", "the", "and", "for", "of", "in", "at", "to", "a", "an", "with",
    "student", "students", "program", "2024", "2025", "2026", "2027", "i", "ii", "iii",
    "&", "-", "–", "|", "(", ")", "/", "usa", "us", "remote", "hybrid", "onsite",
}  # fmt: skip


def title_words(title, limit=8):
    """The distinct meaningful words of a title, lowercased, in order."""
    words = []
    for raw in re.split(r"[\s,/()|:;\[\]]+", title.lower()):
        word = raw.strip(".-–'\"")
        meaningful = len(word) > 1 and not word.isdigit() and word not in GENERIC_TITLE_WORDS
        if meaningful and word not in words:
            words.append(word)
    return words[:limit]


def _text_matches(text):
    """SQLite search: `text` in the title, company, labels or the role's text."""
    return (
        _word_lookup("title", text)
        | _word_lookup("company__name", text)
        | _word_lookup("about_role", text)
        | _word_lookup("responsibilities", text)
        | Exists(
            Posting.skills.through.objects.filter(posting_id=OuterRef("pk")).filter(
                _word_lookup("skill__name", text)
            )
        )
        | Exists(
            Posting.categories.through.objects.filter(posting_id=OuterRef("pk")).filter(
                _word_lookup("category__name", text)
            )
        )
    )


def _located(place):
    """The ids of postings located in a query.Place (city, state or country)."""
    matches = Q(pk__in=[])
    for city in place.cities:
        matches |= Q(city__iexact=city) | Q(name__istartswith=city + ",")
    if place.states:
        matches |= Q(country="US", region__in=place.states)
    if place.countries:
        matches |= Q(country__in=place.countries)
    return Posting.locations.through.objects.filter(
        location__in=Location.objects.filter(matches)
    ).values("posting_id")


class PostingQuerySet(InvalidatingQuerySet):
    def open(self):
        """Published, not past the deadline, and not every term ended: the only
        postings visitors browse."""
        return self.filter(open_condition())

    def closed(self):
        """Postings that no longer take applications (drafts are not included)."""
        return self.filter(closed_condition())

    def expired(self):
        """Published but past the deadline or all its terms: hidden by open(),
        closed by close_expired."""
        return self.filter(Q(status=Status.PUBLISHED) & ended_condition())

    def editable_by(self, user):
        """Every posting for editors; other staff only their companies' postings."""
        from companies.models import Company

        if is_editor(user):
            return self
        return self.filter(company__in=Company.objects.editable_by(user).values("pk"))

    def with_click_counts(self):
        """Annotate apply clicks today, in the last 7 and 30 days (today included)
        and in total: one correlated subquery each, so a page of postings costs
        one query whatever its length."""
        today = timezone.localdate()

        def clicks_since(day=None):
            clicks = ApplyClick.objects.filter(posting=OuterRef("pk"))
            if day is not None:
                clicks = clicks.filter(day__gte=day)
            total = clicks.order_by().values("posting").annotate(n=Sum("count")).values("n")
            return Coalesce(Subquery(total), 0, output_field=models.IntegerField())

        return self.annotate(
            clicks_today=clicks_since(today),
            clicks_7d=clicks_since(today - datetime.timedelta(days=6)),
            clicks_30d=clicks_since(today - datetime.timedelta(days=29)),
            clicks_total=clicks_since(),
        )

    def for_list(self):
        # Cards show neither long text; the search document is only ever used
        # inside the database. Narrow rows are cheaper to sort and to send.
        # Places and terms are loaded by fragments.load_card_labels, only for
        # the cards not built yet.
        return self.select_related("company").defer(
            "search_vector", "about_role", "responsibilities"
        )

    def similar_to(self, posting, limit=None, among=SIMILAR_AMONG):
        """Postings like `posting`, best first, from the `among` newest
        postings of this queryset, never `posting` itself.

        Ranked by the words their titles share with its title (beyond
        "intern" and the like), then by the skills and categories they
        share, then by place (a location in one of its states, or remote),
        then newest first. A posting must share a title word or a label.
        One query: the counts are correlated subqueries over the link tables,
        run, when the caller says it shows only the first `limit`, for the
        candidates that can still be among them.
        """
        words = title_words(posting.title)
        title_score = sum(
            (
                models.Case(models.When(_word_lookup("title", word), then=1), default=0)
                for word in words
            ),
            models.Value(0),
        )

        # The posting's own labels, as ids when already read (its page reads
        # them): each candidate's count is then one index lookup.
        labels = posting.__dict__.get("labels")

        def shared(kind):
            field = Posting._meta.get_field(kind)
            through = field.remote_field.through
            column = field.m2m_reverse_field_name() + "_id"
            if labels is not None:
                mine = [label.pk for label in labels[kind]]
                if not mine:  # (an empty IN would void the whole sum)
                    return models.Value(0)
            else:
                mine = through.objects.filter(posting_id=posting.pk).values(column)
            rows = (
                through.objects.filter(posting_id=OuterRef("pk"), **{f"{column}__in": mine})
                .order_by()
                .annotate(n=models.Func(models.F("pk"), function="COUNT"))
                .values("n")
            )
            return Subquery(rows, output_field=models.IntegerField())

        states = Location.objects.filter(postings=posting.pk, country="US").values("region")
        # (a count, not EXISTS: PostgreSQL would read every posting in those
        # states to hash them, where only the few candidates left need it)
        same_place = Subquery(
            Posting.locations.through.objects.filter(
                posting_id=OuterRef("pk"), location__country="US", location__region__in=states
            )
            .order_by()
            .annotate(n=models.Func(models.F("pk"), function="COUNT"))
            .values("n"),
            output_field=models.IntegerField(),
        )
        newest = self.order_by("-posted_on", "-id")
        cutoff = Coalesce(
            Subquery(newest.values("posted_on")[among - 1 : among]),
            models.Value(datetime.date.min),
        )
        candidates = (
            self.exclude(pk=posting.pk)
            .filter(posted_on__gte=cutoff)
            .annotate(title_score=title_score)
        )
        if limit:
            # Only a candidate sharing at least as many title words as the
            # `limit`-th best of the `among` newest can be among the first
            # `limit` (titles rank first): labels and places are counted for
            # those alone.
            bar = (
                self.filter(pk__in=newest.values("pk")[:among])
                .exclude(pk=posting.pk)
                .annotate(title_score=title_score)
                .filter(title_score__gt=0)
                .order_by("-title_score")
                .values("title_score")[limit - 1 : limit]
            )
            candidates = candidates.filter(title_score__gte=Coalesce(Subquery(bar), 0))
        return (
            candidates.annotate(
                label_score=shared("skills") + shared("categories"),
                place_score=models.Case(
                    models.When(work_mode=WorkMode.REMOTE, then=1),
                    models.When(GreaterThan(same_place, 0), then=1),
                    default=0,
                ),
            )
            .filter(Q(title_score__gt=0) | Q(label_score__gt=0))
            .order_by("-title_score", "-label_score", "-place_score", "-posted_on", "-id")
        )

    def search(self, text):
        """Postings matching every word or phrase of `text`, best match first.

        listings.query.expand() groups the words: an abbreviation also matches
        what it stands for ("ml", "machine learning"), and a group naming a
        place (city, state name or code, country, "bay area") also matches the
        posting's locations. PostgreSQL: stemmed full-text search over the
        document kept by listings/writes.py; SQLite: the same words,
        case-insensitively, in the title, company, a skill, a category, the
        about text or the responsibilities. Both annotate `rank`, title
        matches first.
        """
        from .query import expand

        groups = expand(text)[:SQLITE_MAX_WORDS]
        if not groups:
            return self
        if connection.vendor == "postgresql":
            return self._search_postgresql(groups)
        queryset = self
        title_hits = []
        for group in groups:
            matches, in_title = Q(), Q()
            for alternative in group.alternatives:
                matches |= _text_matches(alternative)
                in_title |= _word_lookup("title", alternative)
            if group.place:
                matches |= Q(pk__in=_located(group.place))
            queryset = queryset.filter(matches)
            title_hits.append(models.Case(models.When(in_title, then=1), default=0))
        return queryset.annotate(rank=sum(title_hits[1:], title_hits[0]))

    def _search_postgresql(self, groups):
        def tsquery(group):
            query = None
            for alternative in group.alternatives:
                kind = "phrase" if " " in alternative else "plain"
                part = SearchQuery(alternative, config=SEARCH_CONFIG, search_type=kind)
                query = part if query is None else query | part
            return query

        queryset, everything = self, None
        text_query = None
        for group in groups:
            query = tsquery(group)
            everything = query if everything is None else everything & query
            if group.place:
                # Not part of the indexed match: the words may be in the
                # locations only.
                queryset = queryset.filter(Q(search_vector=query) | Q(pk__in=_located(group.place)))
            else:
                text_query = query if text_query is None else text_query & query
        if text_query is not None:
            queryset = queryset.filter(search_vector=text_query)
        vector = models.F("search_vector")
        # The title (weight A) counts most: a title that says what was asked
        # for beats a long text repeating it.
        rank = SearchRank(vector, everything, weights=[0, 0, 0, 1]) * 4 + SearchRank(
            vector, everything
        )
        return queryset.annotate(rank=rank)

    def with_pay_in(self, state=None):
        """Annotate the pay that `min_pay` and `sort=pay` compare,
        `effective_max_hourly` (PRODUCT.md section 3): the overall hourly max,
        or with a state the hourly max of the range that applies there, which
        also keeps only the postings one can do from the state (available_in).
        """
        if state:
            return self.available_in(state)
        return self.annotate(effective_max_hourly=models.F("pay_max_hourly"))

    def available_in(self, state):
        """ "I will work from `state`": onsite and hybrid postings located in the
        state, plus remote postings open to the US (one of their locations is
        in the US); annotated with their pay there: `effective_max_hourly`
        (NULL when no range applies) and, in the posting's unit, what cards
        show, `state_pay_min` / `state_pay_max`.

        One join with the posting's StatePay row for the state (kept by
        listings/writes.py), which exists exactly for those postings: on
        PostgreSQL a page is an index walk in its own order, newest or pay in
        the state. The annotations come after the filter so that they read
        the filter's join instead of adding a second one.
        """
        return self.filter(state_pay__state=state).annotate(
            state_pay_min=models.F("state_pay__min_amount"),
            state_pay_max=models.F("state_pay__max_amount"),
            effective_max_hourly=models.F("state_pay__max_hourly"),
        )

    def for_detail(self):
        # Places and pay ranges: fragments.load_detail, only for a page not kept yet.
        return self.select_related("company").defer("search_vector")


class Posting(models.Model):
    # Fields in the order of the reference listing.
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, blank=True)
    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="postings"
    )
    locations = models.ManyToManyField(Location, related_name="postings", blank=True)
    work_mode = models.CharField(max_length=10, choices=WorkMode.choices, default=WorkMode.ONSITE)
    posted_on = models.DateField("posted", default=timezone.localdate)
    closes_on = models.DateField(
        "application deadline", null=True, blank=True, help_text="Leave empty for no deadline."
    )
    responsibilities = models.TextField("core responsibilities", blank=True)
    internship_type = models.CharField(
        max_length=10, choices=InternshipType.choices, default=InternshipType.UNKNOWN
    )
    pay_currency = models.CharField("currency", max_length=3, default="USD")
    pay_unit = models.CharField(
        "pay per", max_length=5, choices=PayUnit.choices, default=PayUnit.HOUR
    )
    visa_sponsorship = models.CharField(
        max_length=15, choices=Sponsorship.choices, default=Sponsorship.UNKNOWN
    )
    language = models.CharField(
        max_length=50, blank=True, help_text="Leave empty when the posting does not say."
    )
    hours_per_week = models.PositiveSmallIntegerField(
        "working hours",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Hours per week.",
    )
    about_role = models.TextField(
        "about the role", blank=True, help_text="HTML; cleaned of anything unsafe when saved."
    )
    skills = models.ManyToManyField(Skill, related_name="postings", blank=True)
    categories = models.ManyToManyField(Category, related_name="postings", blank=True)
    terms = models.ManyToManyField(Term, related_name="postings", blank=True)
    duration_weeks = models.PositiveSmallIntegerField(
        "duration in weeks",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Leave empty for the term's usual length: Summer 12, other seasons 16, "
        "12 when no term is named.",
    )
    apply_url = models.URLField(
        "apply URL", max_length=MAX_URL_LENGTH, validators=[validate_apply_url]
    )
    # canonical_apply_url(apply_url), kept by save() and listings/writes.py:
    # what the importer matches two sources' copies of one job by.
    apply_url_key = models.CharField(
        max_length=MAX_URL_LENGTH, blank=True, editable=False, db_index=True
    )

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The source that first listed the posting and its id there (blank for
    # postings made in the admin). Every source listing it, this one included,
    # has a PostingSource row: those decide matching and closing.
    source = models.CharField(max_length=50, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    confirmed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a company job board last listed this posting.",
    )
    # The last day of the posting's terms (NULL: none, or one without an
    # end), kept by listings/writes.py so that open() needs no join.
    terms_end = models.DateField(null=True, blank=True, editable=False)
    # The default order's key, fresh_on_for(posted_on, confirmed_at): set by
    # save(), the importer and confirm().
    fresh_on = models.DateField(default=timezone.localdate, editable=False)

    # The overall pay range in the posting's unit and as hourly equivalents,
    # kept by listings/writes.py so that lists filter and sort without a join.
    pay_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, editable=False)
    pay_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, editable=False)
    pay_min_hourly = models.DecimalField(max_digits=12, decimal_places=2, null=True, editable=False)
    pay_max_hourly = models.DecimalField(max_digits=12, decimal_places=2, null=True, editable=False)

    # The weighted full-text document, kept by listings/writes.py
    # on PostgreSQL (GIN index created by migration 0002 there); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostingQuerySet.as_manager()

    class Meta:
        # Newest first, stale last (fresh_on is posted_on unless confirmed).
        ordering = ["-fresh_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="posting_unique_source_external_id",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=models.F("posted_on")),
                name="posting_deadline_after_posted",
            ),
            models.CheckConstraint(
                condition=Q(work_mode__in=WorkMode.values), name="posting_work_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(internship_type__in=InternshipType.values),
                name="posting_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(visa_sponsorship__in=Sponsorship.values),
                name="posting_sponsorship_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="posting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(pay_unit__in=PayUnit.values), name="posting_pay_unit_valid"
            ),
        ]
        indexes = [
            # The newest-first list walks this index and stops after a page:
            # fresh_on orders fresh postings before stale ones (posted_on
            # for every posting no board confirmed). closes_on and terms_end
            # ride along so that counting open postings never reads the
            # (wide) table rows.
            models.Index(
                fields=["status", "-fresh_on", "-id"],
                include=["closes_on", "terms_end"],
                name="posting_status_fresh",
            ),
            # Newest by posted date (similar postings' walk and cut-off).
            models.Index(
                fields=["status", "-posted_on", "-id"],
                include=["closes_on", "terms_end"],
                name="posting_status_posted",
            ),
            # sort=deadline in exactly the order the list asks for (no deadline
            # last, as the far-future date), starting at today: a page is an
            # index walk that never passes over expired postings. sort=pay's
            # index (pay_max_hourly DESC NULLS LAST, ...) exists on PostgreSQL
            # only, created by migration 0003: SQLite cannot put NULLS LAST in
            # an index.
            models.Index(
                models.F("status"),
                DEADLINE,
                models.F("posted_on").desc(),
                models.F("id").desc(),
                name="posting_deadline",
            ),
            models.Index(fields=["company", "status"], name="posting_company_status"),
        ]

    def __str__(self):
        return f"{self.title} at {self.company}" if self.company_id else self.title

    def save(self, *args, **kwargs):
        self.slug = slugify(self.title)[:220] or "posting"
        # Whatever path the HTML takes in (admin, import, shell), what is
        # stored is what is rendered, so it is cleaned here.
        self.about_role = clean_html(self.about_role)
        self.stamp_status()
        self.fresh_on = fresh_on_for(self.posted_on, self.confirmed_at)
        self.apply_url_key = canonical_apply_url(self.apply_url or "")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "listings:posting-detail", kwargs={"pk": self.pk, "slug": self.slug or "posting"}
        )

    def get_apply_url(self):
        return reverse("listings:posting-apply", kwargs={"pk": self.pk})

    def clean(self):
        if self.closes_on and self.posted_on and self.closes_on < self.posted_on:
            raise ValidationError({"closes_on": "The deadline cannot be before the posted date."})

    def stamp_status(self):
        """Record when the posting entered its current workflow state."""
        field = {
            Status.PENDING: "submitted_at",
            Status.PUBLISHED: "published_at",
            Status.CLOSED: "closed_at",
        }.get(self.status)
        if field and getattr(self, field) is None:
            setattr(self, field, timezone.now())

    # --- display rules ------------------------------------------------------

    @cached_property
    def labels(self):
        """The posting's skills, categories and terms, each by name, in one query:
        {"skills": [Skill], "categories": [Category], "terms": [Term]}.

        The detail page shows all three; one ORM UNION of the three link
        tables keeps it within its query budget where three prefetches would
        not. Lists show terms only and read them with the places
        (fragments.load_card_labels).
        """
        parts = [
            Posting._meta.get_field(kind)
            .related_model.objects.filter(postings=self.pk)
            .annotate(kind=models.Value(kind))
            .values_list("kind", "pk", "name", "slug")
            .order_by()
            for kind in LABEL_KINDS
        ]
        found = {kind: [] for kind in LABEL_KINDS}
        for kind, pk, name, slug in parts[0].union(*parts[1:], all=True):
            found[kind].append(
                Posting._meta.get_field(kind).related_model(pk=pk, name=name, slug=slug)
            )
        for kind, rows in found.items():
            rows.sort(
                key=(lambda t: terms.sort_key(t.name))
                if kind == "terms"
                else (lambda label: label.name)
            )
        return found

    @property
    def is_public(self):
        """Published or closed: a page anyone may see (closed ones with a banner)."""
        return self.status in (Status.PUBLISHED, Status.CLOSED)

    @property
    def is_open(self):
        return self.is_open_on(timezone.localdate())

    def is_open_on(self, day):
        return (
            self.status == Status.PUBLISHED
            and (self.closes_on is None or self.closes_on >= day)
            and (self.terms_end is None or self.terms_end >= day)
        )

    @property
    def closed_on(self):
        """The day it stopped taking applications ("Closed on 3 March 2026"), or None."""
        if self.is_open or not self.is_public:
            return None
        today = timezone.localdate()
        ended = [d for d in (self.closes_on, self.terms_end) if d is not None and d < today]
        if self.status == Status.CLOSED and self.closed_at:
            ended.append(timezone.localtime(self.closed_at).date())
        return min(ended) if ended else None

    @property
    def has_about_role(self):
        """Whether the role's HTML holds any text (an empty <p></p> does not)."""
        return bool(strip_tags(self.about_role or "").replace("\xa0", " ").strip())

    @property
    def is_stale(self):
        """Older than STALE_AFTER_DAYS and not confirmed lately: "may no longer be open"."""
        fresh_on = fresh_on_for(self.posted_on, self.confirmed_at)
        return (timezone.localdate() - fresh_on).days > STALE_AFTER_DAYS

    @property
    def weeks(self):
        """duration_weeks, else the usual length of its first term's season."""
        if self.duration_weeks:
            return self.duration_weeks
        return terms.default_weeks(
            terms.parse(term.name)[0]
            for term in sorted(self.term_list, key=lambda t: terms.sort_key(t.name))
        )

    @property
    def term_list(self):
        """The posting's terms without a query of their own: loaded on lists
        (fragments.load_card_labels), read with the other labels on detail pages."""
        if "terms" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.terms.all())
        return self.labels["terms"]

    @property
    def estimate_hours(self):
        return self.hours_per_week or pay.DEFAULT_HOURS_PER_WEEK

    def _shown_range(self):
        """The range a card shows: the chosen state's (list annotation) or the overall one."""
        if hasattr(self, "state_pay_min"):
            return self.state_pay_min, self.state_pay_max
        return self.pay_min, self.pay_max

    @property
    def hourly_span(self):
        """ "$25 – $30 an hour" for pay by the week, month or year; "" per hour."""
        low, high = self._shown_range()
        return pay.hourly_span(low, high, self.pay_unit, self.hours_per_week, self.pay_currency)

    @property
    def term_total(self):
        """ "$21,120 – $24,960": what the whole internship pays (weeks × hours)."""
        low, high = self._shown_range()
        return pay.term_total(
            low, high, self.pay_unit, self.estimate_hours, self.weeks, self.pay_currency
        )

    def term_total_in(self, state):
        pay_range = self.pay_in(state)
        if pay_range is None:
            return ""
        return pay.term_total(
            pay_range.min, pay_range.max, self.pay_unit, self.estimate_hours, self.weeks,
            self.pay_currency,
        )  # fmt: skip

    def hourly_span_in(self, state):
        pay_range = self.pay_in(state)
        if pay_range is None:
            return ""
        return pay.hourly_span(
            pay_range.min, pay_range.max, self.pay_unit, self.hours_per_week, self.pay_currency
        )

    @property
    def has_pay(self):
        return self.pay_min is not None

    @property
    def pay_display(self):
        """The overall range, "$44 - $52"."""
        return pay.format_range(self.pay_min, self.pay_max, self.pay_currency)

    @property
    def state_pay_display(self):
        """The effective range in the state chosen on the list ("" when unknown).

        Needs the annotations of PostingQuerySet.with_pay_in(state).
        """
        return pay.format_range(
            getattr(self, "state_pay_min", None),
            getattr(self, "state_pay_max", None),
            self.pay_currency,
        )

    def pay_ranges_list(self):
        """This posting's ranges as pay.Range values (uses prefetched ranges)."""
        return [r.as_range() for r in self.pay_ranges.all()]

    def pay_in(self, state):
        """The pay.Range that applies in `state` (None when unknown)."""
        return pay.effective_range(self.pay_ranges_list(), state)

    def pay_display_in(self, state):
        pay_range = self.pay_in(state)
        if pay_range is None:
            return ""
        return pay.format_range(pay_range.min, pay_range.max, self.pay_currency)


class StateCodes(models.Aggregate):
    """Comma-separated state codes of a pay range, in one query on both databases."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = models.CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


BOARD_SOURCE_PREFIXES = ("greenhouse:", "lever:", "ashby:")


def is_board_source(source):
    """Whether `source` is a company job board (greenhouse:instacart), not a list."""
    return source.startswith(BOARD_SOURCE_PREFIXES)


class PostingSource(models.Model):
    """One source listing a posting: a community list, a company's job board or
    an import file, with the posting's id there (PRODUCT.md section 14).

    `active`: the source lists it open; a posting closes only when none of
    its sources does. `last_seen_at`: when this source's listing last
    changed (created, reopened, closed, renamed) or, for a board, when a sync
    last saw it. `company_name`: the company's spelling in this source,
    counted for the name the company shows (companies/names.py)."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="sources")
    source = models.CharField(max_length=50)
    external_id = models.CharField(max_length=200)
    active = models.BooleanField(default=True)
    last_seen_at = models.DateTimeField(default=timezone.now)
    company_name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="postingsource_unique_source_id"
            )
        ]
        indexes = [models.Index(fields=["posting", "active"], name="postingsource_posting")]

    def __str__(self):
        return f"{self.source}: {self.external_id}"


class PayRangeQuerySet(InvalidatingQuerySet):
    def with_state_codes(self):
        return self.annotate(state_codes=StateCodes("states__state"))


class PayRange(models.Model):
    """One pay range of a posting, for a set of states or for all other states."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="pay_ranges")
    min_amount = models.DecimalField("min", max_digits=12, decimal_places=2)
    max_amount = models.DecimalField("max", max_digits=12, decimal_places=2)
    other_states = models.BooleanField(
        "all other states",
        default=False,
        help_text="This range applies in every state no other range lists.",
    )
    min_hourly = models.DecimalField(max_digits=12, decimal_places=2, null=True, editable=False)
    max_hourly = models.DecimalField(max_digits=12, decimal_places=2, null=True, editable=False)

    objects = PayRangeQuerySet.as_manager()

    class Meta:
        ordering = ["other_states", "-max_amount", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(min_amount__gt=0), name="payrange_min_positive"),
            models.CheckConstraint(
                condition=Q(min_amount__lte=models.F("max_amount")), name="payrange_min_le_max"
            ),
            models.UniqueConstraint(
                fields=["posting"],
                condition=Q(other_states=True),
                name="payrange_one_other_states_range",
            ),
        ]

    def __str__(self):
        return f"{self.states_display}: {pay.format_range(self.min_amount, self.max_amount)}"

    def clean(self):
        # The posting's other ranges are checked with this one by the admin's
        # formset; both call pay.check_ranges, as the importer does.
        messages = {
            ("not_positive", "min"): ("min_amount", "The minimum must be more than zero."),
            ("not_positive", "max"): ("max_amount", "The maximum must be more than zero."),
            ("max_below_min", ""): ("max_amount", "The maximum cannot be below the minimum."),
        }
        errors = {}
        for problem in pay.check_ranges([(self.min_amount, self.max_amount, ())]):
            if (problem.code, problem.end) in messages:
                field, message = messages[(problem.code, problem.end)]
                errors.setdefault(field, message)
        if errors:
            raise ValidationError(errors)

    @property
    def state_list(self):
        if hasattr(self, "state_codes"):  # annotated by with_state_codes()
            codes = (self.state_codes or "").split(",")
        else:
            codes = self.states.values_list("state", flat=True)
        return sorted(code for code in codes if code)

    @property
    def states_display(self):
        return "All other states" if self.other_states else ", ".join(self.state_list)

    @property
    def display(self):
        """ "$48", or "$44 - $52", in the posting's currency."""
        return pay.format_range(self.min_amount, self.max_amount, self.posting.pay_currency)

    def as_range(self):
        return pay.Range(self.min_amount, self.max_amount, frozenset(self.state_list))


class PayRangeState(models.Model):
    """A state a pay range applies in. The posting is repeated here so that the
    database itself refuses a state listed in two ranges of one posting."""

    pay_range = models.ForeignKey(PayRange, on_delete=models.CASCADE, related_name="states")
    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="pay_range_states")
    state = models.CharField(max_length=2, choices=STATE_CHOICES)

    class Meta:
        ordering = ["state"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "state"], name="payrangestate_state_once_per_posting"
            ),
            models.CheckConstraint(
                condition=Q(state__in=list(pay.US_STATES)), name="payrangestate_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["state", "posting"], name="payrangestate_state_posting")]

    def __str__(self):
        return self.state


class StatePay(models.Model):
    """A US state a posting can be done from, with the posting's pay there.

    Derived, never edited: listings/writes.py rewrites a
    posting's rows from its work mode, locations and pay ranges. It turns the
    list's `state` filter, and `min_pay` and `sort=pay` within a state, into
    one indexed join instead of a search through locations and pay ranges.
    """

    # No index of its own: the unique (posting, state) constraint serves.
    posting = models.ForeignKey(
        Posting, on_delete=models.CASCADE, related_name="state_pay", db_index=False
    )
    state = models.CharField(max_length=2, choices=STATE_CHOICES)
    # The range that applies in the state, in the posting's unit and hourly;
    # NULL when no range does (pay not listed there).
    min_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    max_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    max_hourly = models.DecimalField(max_digits=12, decimal_places=2, null=True)

    class Meta:
        # sort=pay within a state walks (state, max_hourly DESC NULLS LAST):
        # a PostgreSQL-only index created by migration 0004, as SQLite has no
        # NULLS LAST in index definitions.
        constraints = [
            models.UniqueConstraint(fields=["posting", "state"], name="statepay_posting_state"),
        ]

    def __str__(self):
        return f"{self.posting_id} in {self.state}"


class ApplyClick(models.Model):
    """Apply Now clicks of one posting on one day; no personal data is kept."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="apply_clicks")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "day"], name="applyclick_posting_day"),
        ]

    def __str__(self):
        return f"{self.posting_id} on {self.day}: {self.count}"


# Recruiters' changes to public postings, waiting for an editor (listings/revisions.py).
from .revisions import PostingRevision, RevisionStatus  # noqa: E402, F401
