import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from companies.models import unique_slug
from companies.roles import is_editor

from . import pay
from .cache import InvalidatingQuerySet
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
# Postings whose StatePay rows one statement rewrites.
STATE_PAY_BATCH = 500
# Similar internships are looked for among this many newest open postings.
SIMILAR_AMONG = 2000


class WorkMode(models.TextChoices):
    REMOTE = "remote", "Remote"
    HYBRID = "hybrid", "Hybrid"
    ONSITE = "onsite", "Onsite"


class InternshipType(models.TextChoices):
    FULL_TIME = "full_time", "full time"
    PART_TIME = "part_time", "part time"


class Sponsorship(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    CITIZENS_ONLY = "citizens_only", "US citizens only"
    UNKNOWN = "unknown", "Unknown"


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
    """An internship season such as "Summer 2026" (slug `summer-2026`)."""

    filter_param = "term"

    class Meta(Label.Meta):
        pass


LABEL_KINDS = ("skills", "categories", "terms")


def _labels_sql(count):
    """The UNION ALL reading the labels of `count` postings, built per count."""
    parts = []
    for kind in LABEL_KINDS:
        field = Posting._meta.get_field(kind)
        through, label = field.remote_field.through, field.related_model
        column = through._meta.get_field(field.m2m_reverse_field_name()).column
        marks = ", ".join(["%s"] * count)
        parts.append(
            f"SELECT '{kind}', t.posting_id, l.id, l.name, l.slug "
            f"FROM {through._meta.db_table} t JOIN {label._meta.db_table} l ON l.id = t.{column} "
            f"WHERE t.posting_id IN ({marks})"
        )
    return " UNION ALL ".join(parts)


def prefetch_labels(postings):
    """Load the skills, categories and terms of `postings` in one query.

    A UNION ALL over the three through tables replaces three prefetch queries,
    which keeps list and detail pages within their query budget. Afterwards
    `posting.skills.all()` (and categories, terms) read from the cache. Plain
    SQL and plain querysets as the caches: this runs on every list, home,
    detail and company page, where building it with the ORM cost more than
    the database takes to answer. Iterate `.all()` only: a further
    `.filter()` on such a cache queries the whole label table, not the
    posting's labels.
    """
    postings = list(postings)
    if not postings:
        return postings
    ids = [p.pk for p in postings]
    found = {(pk, kind): [] for pk in ids for kind in LABEL_KINDS}
    label_models = {kind: Posting._meta.get_field(kind).related_model for kind in LABEL_KINDS}
    with connection.cursor() as cursor:
        cursor.execute(_labels_sql(len(ids)), ids * len(LABEL_KINDS))
        for kind, posting_pk, pk, name, slug in cursor.fetchall():
            found[(posting_pk, kind)].append(label_models[kind](pk=pk, name=name, slug=slug))
    for posting in postings:
        cache = getattr(posting, "_prefetched_objects_cache", None)
        if cache is None:
            cache = posting._prefetched_objects_cache = {}
        for kind in LABEL_KINDS:
            queryset = label_models[kind].objects.all()
            queryset._result_cache = sorted(found[(posting.pk, kind)], key=lambda o: o.name)
            queryset._prefetch_done = True
            cache[kind] = queryset
    return postings


def open_condition(prefix=""):
    """The "open" rule as a Q, for filters through a relation (`prefix="postings__"`)."""
    today = timezone.localdate()
    return Q(**{f"{prefix}status": Status.PUBLISHED}) & (
        Q(**{f"{prefix}closes_on__isnull": True}) | Q(**{f"{prefix}closes_on__gte": today})
    )


def closed_condition(prefix=""):
    """Postings that were open once: closed, or published and past the deadline."""
    today = timezone.localdate()
    return Q(**{f"{prefix}status": Status.CLOSED}) | Q(
        **{f"{prefix}status": Status.PUBLISHED, f"{prefix}closes_on__lt": today}
    )


def browse_labels():
    """Categories and terms with their numbers of open postings, in one query.

    Returns {"categories": [(name, slug, count)], "terms": [...]}, each by name.
    """
    parts = [
        model.objects.annotate(
            kind=models.Value(kind),
            open_count=models.Count("postings", filter=open_condition("postings__")),
        )
        .filter(open_count__gt=0)
        .values_list("kind", "name", "slug", "open_count")
        .order_by()
        for kind, model in (("categories", Category), ("terms", Term))
    ]
    found = {"categories": [], "terms": []}
    for kind, name, slug, count in parts[0].union(parts[1], all=True):
        found[kind].append((name, slug, count))
    for rows in found.values():
        rows.sort()
    return found


class SearchDocument(models.Func):
    """A posting's weighted full-text document (PostgreSQL) from three texts:
    the title (weight A), the company, skills and categories (B) and the
    role's text (C). refresh_search() builds it from the stored rows; the
    importer from a record's values as it inserts them. Plain SQL on purpose:
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
        """Published and not past the deadline: the only postings visitors browse."""
        today = timezone.localdate()
        return self.filter(status=Status.PUBLISHED).filter(
            Q(closes_on__isnull=True) | Q(closes_on__gte=today)
        )

    def closed(self):
        """Postings that no longer take applications (drafts are not included)."""
        return self.filter(closed_condition())

    def expired(self):
        """Published but past the deadline: hidden by open(), closed by close_expired."""
        return self.filter(status=Status.PUBLISHED, closes_on__lt=timezone.localdate())

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
        return (
            self.select_related("company")
            .prefetch_related("locations")
            .defer("search_vector", "about_role", "responsibilities")
        )

    def similar_to(self, posting, among=SIMILAR_AMONG):
        """Postings like `posting`, best first, from the `among` newest
        postings of this queryset, never `posting` itself.

        Ranked by the words their titles share with its title (beyond
        "intern" and the like), then by the skills and categories they
        share, then by place (a location in one of its states, or remote),
        then newest first. A posting must share a title word or a label.
        One query: the counts are correlated subqueries over the link tables.
        """
        words = title_words(posting.title)
        title_score = sum(
            (
                models.Case(models.When(_word_lookup("title", word), then=1), default=0)
                for word in words
            ),
            models.Value(0),
        )

        def shared(kind):
            field = Posting._meta.get_field(kind)
            through = field.remote_field.through
            column = field.m2m_reverse_field_name() + "_id"
            mine = through.objects.filter(posting_id=posting.pk).values(column)
            rows = (
                through.objects.filter(posting_id=OuterRef("pk"), **{f"{column}__in": mine})
                .order_by()
                .values("posting_id")
                .annotate(n=models.Count("pk"))
                .values("n")
            )
            return Coalesce(Subquery(rows), 0, output_field=models.IntegerField())

        states = Location.objects.filter(postings=posting.pk, country="US").values("region")
        same_place = Exists(
            Posting.locations.through.objects.filter(
                posting_id=OuterRef("pk"), location__country="US", location__region__in=states
            )
        )
        newest = self.order_by("-posted_on", "-id").values("posted_on")[among - 1 : among]
        cutoff = Coalesce(Subquery(newest), models.Value(datetime.date.min))
        return (
            self.exclude(pk=posting.pk)
            .filter(posted_on__gte=cutoff)
            .annotate(
                title_score=title_score,
                label_score=shared("skills") + shared("categories"),
                place_score=models.Case(
                    models.When(Q(work_mode=WorkMode.REMOTE) | Q(same_place), then=1),
                    default=0,
                ),
            )
            .filter(Q(title_score__gt=0) | Q(label_score__gt=0))
            .order_by("-title_score", "-label_score", "-place_score", "-posted_on", "-id")
        )

    def refresh_search(self):
        """Recompute the full-text search document of these postings.

        Every write path that changes a posting's title, company, skills,
        categories or about_role calls this afterwards (admin, import, demo;
        the importer writes new postings' documents as it inserts them). The
        document is a SearchDocument on PostgreSQL; SQLite searches the
        fields directly and keeps nothing.
        """
        if connection.vendor != "postgresql":
            return 0
        from django.contrib.postgres.aggregates import StringAgg

        from companies.models import Company

        def names(field):
            through = Posting._meta.get_field(field).remote_field.through
            target = Posting._meta.get_field(field).m2m_reverse_field_name()
            return Coalesce(
                Subquery(
                    through.objects.filter(posting_id=OuterRef("pk"))
                    .values("posting_id")
                    .annotate(text=StringAgg(f"{target}__name", " "))
                    .values("text")
                ),
                models.Value(""),
                output_field=models.TextField(),
            )

        company = Coalesce(
            Subquery(Company.objects.filter(pk=OuterRef("company_id")).values("name")),
            models.Value(""),
            output_field=models.TextField(),
        )
        space, text = models.Value(" "), models.TextField()
        vector = SearchDocument(
            "title",
            Concat(company, space, names("skills"), space, names("categories"), output_field=text),
            Concat("about_role", space, "responsibilities", output_field=text),
        )
        return self.order_by().update(search_vector=vector)

    def search(self, text):
        """Postings matching every word or phrase of `text`, best match first.

        listings.query.expand() groups the words: an abbreviation also matches
        what it stands for ("ml", "machine learning"), and a group naming a
        place (city, state name or code, country, "bay area") also matches the
        posting's locations. PostgreSQL: stemmed full-text search over the
        document kept by refresh_search(); SQLite: the same words,
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
        refresh_state_pay()), which exists exactly for those postings: on
        PostgreSQL a page is an index walk in its own order, newest or pay in
        the state. The annotations come after the filter so that they read
        the filter's join instead of adding a second one.
        """
        return self.filter(state_pay__state=state).annotate(
            state_pay_min=models.F("state_pay__min_amount"),
            state_pay_max=models.F("state_pay__max_amount"),
            effective_max_hourly=models.F("state_pay__max_hourly"),
        )

    def refresh_state_pay(self):
        """Recompute the StatePay rows of these postings: a row for every US
        state each posting can be done from, with its effective pay there.

        Every write path that changes a posting's work mode, locations or pay
        calls this afterwards (admin, import, demo, Posting.refresh_pay(),
        and the Location signals in ListingsConfig.ready for edited places).
        Set-based statements, two per 500 postings, the same SQL on
        PostgreSQL and SQLite.
        """
        ids = list(self.order_by().values_list("pk", flat=True))
        codes = list(pay.US_STATES)
        code_list = ", ".join(["%s"] * len(codes))
        code_rows = ", ".join(["(%s)"] * len(codes))
        tables = {
            "posting": Posting._meta.db_table,
            "links": Posting.locations.through._meta.db_table,
            "location": Location._meta.db_table,
            "range": PayRange._meta.db_table,
            "range_state": PayRangeState._meta.db_table,
            "state_pay": StatePay._meta.db_table,
        }
        # Where each posting can be done from: its US states when onsite or
        # hybrid; every state when remote with a US location.
        places = f"""
            SELECT p.id AS posting_id, l.region AS state
              FROM {tables["posting"]} p
              JOIN {tables["links"]} pl ON pl.posting_id = p.id
              JOIN {tables["location"]} l ON l.id = pl.location_id
             WHERE p.work_mode IN (%s, %s) AND l.country = %s AND l.region IN ({code_list})
               AND p.id IN ({{ids}})
            UNION
            SELECT p.id, codes.column1
              FROM {tables["posting"]} p
             CROSS JOIN (VALUES {code_rows}) codes
             WHERE p.work_mode = %s AND p.id IN ({{ids}}) AND EXISTS (
                   SELECT 1 FROM {tables["links"]} pl
                     JOIN {tables["location"]} l ON l.id = pl.location_id
                    WHERE pl.posting_id = p.id AND l.country = %s)
        """

        def places_params(chunk):
            return [
                WorkMode.ONSITE, WorkMode.HYBRID, "US", *codes, *chunk,
                *codes, WorkMode.REMOTE, *chunk, "US",
            ]  # fmt: skip

        # The range listing the state, else the "all other states" range.
        insert = f"""
            INSERT INTO {tables["state_pay"]} (posting_id, state, min_amount, max_amount, max_hourly)
            SELECT a.posting_id, a.state,
                   COALESCE(listed.min_amount, other.min_amount),
                   COALESCE(listed.max_amount, other.max_amount),
                   COALESCE(listed.max_hourly, other.max_hourly)
              FROM ({places}) a
              LEFT JOIN {tables["range_state"]} rs
                ON rs.posting_id = a.posting_id AND rs.state = a.state
              LEFT JOIN {tables["range"]} listed ON listed.id = rs.pay_range_id
              LEFT JOIN {tables["range"]} other
                ON other.posting_id = a.posting_id AND other.other_states = %s
        """
        # A literal list of ids per statement gives PostgreSQL the row count
        # to plan for (a subquery, during a bulk load with stale statistics,
        # was planned as a scan per row); chunks keep SQLite within its
        # limit on parameters.
        written = 0
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, len(ids), STATE_PAY_BATCH):
                chunk = ids[start : start + STATE_PAY_BATCH]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"DELETE FROM {tables['state_pay']} WHERE posting_id IN ({marks})", chunk
                )
                cursor.execute(insert.format(ids=marks), [*places_params(chunk), True])
                written += cursor.rowcount
        return written

    def for_detail(self):
        return (
            self.select_related("company")
            .defer("search_vector")
            .prefetch_related(
                "locations",
                models.Prefetch("pay_ranges", queryset=PayRange.objects.with_state_codes()),
            )
        )


class Posting(models.Model):
    # Fields in the order of the reference listing.
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, blank=True)
    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="postings"
    )
    locations = models.ManyToManyField(Location, related_name="postings", blank=True)
    work_mode = models.CharField(max_length=10, choices=WorkMode.choices, default=WorkMode.ONSITE)
    posted_on = models.DateField("posted", default=datetime.date.today)
    closes_on = models.DateField(
        "application deadline", null=True, blank=True, help_text="Leave empty for no deadline."
    )
    responsibilities = models.TextField("core responsibilities", blank=True)
    internship_type = models.CharField(
        max_length=10, choices=InternshipType.choices, default=InternshipType.FULL_TIME
    )
    pay_currency = models.CharField("currency", max_length=3, default="USD")
    pay_unit = models.CharField(
        "pay per", max_length=5, choices=PayUnit.choices, default=PayUnit.HOUR
    )
    visa_sponsorship = models.CharField(
        max_length=15, choices=Sponsorship.choices, default=Sponsorship.UNKNOWN
    )
    language = models.CharField(max_length=50, default="English")
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
    apply_url = models.URLField(
        "apply URL", max_length=MAX_URL_LENGTH, validators=[validate_apply_url]
    )

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    source = models.CharField(max_length=50, blank=True)
    external_id = models.CharField(max_length=200, blank=True)

    # The overall pay range in the posting's unit and as hourly equivalents,
    # kept by refresh_pay() so that lists filter and sort without a join.
    pay_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, editable=False)
    pay_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, editable=False)
    pay_min_hourly = models.DecimalField(max_digits=12, decimal_places=2, null=True, editable=False)
    pay_max_hourly = models.DecimalField(max_digits=12, decimal_places=2, null=True, editable=False)

    # The weighted full-text document, kept by PostingQuerySet.refresh_search()
    # on PostgreSQL (GIN index created by migration 0002 there); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostingQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_on", "-id"]
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
            # The newest-first list walks this index and stops after a page;
            # closes_on rides along so that counting open postings never
            # reads the (wide) table rows.
            models.Index(
                fields=["status", "-posted_on", "-id"],
                include=["closes_on"],
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

    @property
    def is_public(self):
        """Published or closed: a page anyone may see (closed ones with a banner)."""
        return self.status in (Status.PUBLISHED, Status.CLOSED)

    @property
    def is_open(self):
        return self.status == Status.PUBLISHED and (
            self.closes_on is None or self.closes_on >= timezone.localdate()
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

    @property
    def hourly_hint(self):
        """ "up to ≈ $58 an hour" for pay in weeks, months or years.

        Uses the `effective_max_hourly` annotation of the list, which is what
        `min_pay` and `sort=pay` compare; "" elsewhere.
        """
        value = getattr(self, "effective_max_hourly", None)
        if value is None or self.pay_unit == PayUnit.HOUR:
            return ""
        amount = pay.format_amount(
            Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP), self.pay_currency
        )
        return f"up to ≈ {amount} an hour"

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

    def refresh_pay(self, save=True):
        """Recompute the hourly equivalents of every range, the overall range
        and (with `save`) the pay in every state the posting can be done from.

        Call after the ranges, the unit, the working hours, the work mode or
        the locations change.
        """
        ranges = list(self.pay_ranges.all())
        for pay_range in ranges:
            pay_range.min_hourly = pay.hourly(
                pay_range.min_amount, self.pay_unit, self.hours_per_week
            )
            pay_range.max_hourly = pay.hourly(
                pay_range.max_amount, self.pay_unit, self.hours_per_week
            )
        if ranges:
            PayRange.objects.bulk_update(ranges, ["min_hourly", "max_hourly"])
            self.pay_min = min(r.min_amount for r in ranges)
            self.pay_max = max(r.max_amount for r in ranges)
            self.pay_min_hourly = min(r.min_hourly for r in ranges)
            self.pay_max_hourly = max(r.max_hourly for r in ranges)
        else:
            self.pay_min = self.pay_max = self.pay_min_hourly = self.pay_max_hourly = None
        if save:
            postings = Posting.objects.filter(pk=self.pk)
            postings.update(
                pay_min=self.pay_min,
                pay_max=self.pay_max,
                pay_min_hourly=self.pay_min_hourly,
                pay_max_hourly=self.pay_max_hourly,
            )
            postings.refresh_state_pay()

    def set_pay(self, ranges, currency=None, unit=None):
        """Replace this posting's pay with `ranges`: [(min, max, [states]), ...]."""
        if currency:
            self.pay_currency = currency
        if unit:
            self.pay_unit = unit
        if currency or unit:
            Posting.objects.filter(pk=self.pk).update(
                pay_currency=self.pay_currency, pay_unit=self.pay_unit
            )
        self.pay_ranges.all().delete()
        for low, high, states in ranges:
            pay_range = PayRange.objects.create(
                posting=self,
                min_amount=Decimal(low),
                max_amount=Decimal(high),
                other_states=not states,
            )
            PayRangeState.objects.bulk_create(
                PayRangeState(pay_range=pay_range, posting=self, state=code)
                for code in sorted({s.upper() for s in states})
            )
        if hasattr(self, "_prefetched_objects_cache"):
            self._prefetched_objects_cache.pop("pay_ranges", None)
        self.refresh_pay()


class StateCodes(models.Aggregate):
    """Comma-separated state codes of a pay range, in one query on both databases."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = models.CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


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
        if self.min_amount is not None and self.min_amount <= 0:
            raise ValidationError({"min_amount": "The minimum must be more than zero."})
        if (
            self.min_amount is not None
            and self.max_amount is not None
            and self.min_amount > self.max_amount
        ):
            raise ValidationError({"max_amount": "The maximum cannot be below the minimum."})

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

    Derived, never edited: PostingQuerySet.refresh_state_pay() rewrites a
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


def location_saved(sender, instance, created=False, **kwargs):
    """An edited location (its country or state) moves its postings' StatePay rows."""
    if not created:
        Posting.objects.filter(locations=instance).refresh_state_pay()


def location_deleting(sender, instance, **kwargs):
    # The link rows go with the location: note its postings first.
    instance._posting_ids = list(instance.postings.values_list("pk", flat=True))


def location_deleted(sender, instance, **kwargs):
    Posting.objects.filter(pk__in=getattr(instance, "_posting_ids", [])).refresh_state_pay()


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
