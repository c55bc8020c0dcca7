"""The filters of the internship list (PRODUCT.md section 5).

`PostingFilter(request.GET, queryset=Posting.objects.open(), request=request).qs`
is the filtered, ordered queryset; the list page and the Atom feed both use it.

Bad input never fails a request: a value a filter cannot use (an unknown
choice, a malformed number, a NUL byte, an unknown parameter) is left out of
the filtering and reported in `PostingFilter.ignored`, which the list shows
above its results and form. Repeatable parameters keep their good values and drop only the bad.
"""

import copy
import datetime
from decimal import Decimal

import django_filters
from django import forms
from django.db.models import F, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import Truncator, slugify

from companies.models import SIZE_BANDS

from . import pay, query
from .models import (
    DEADLINE,
    STATE_CHOICES,
    InternshipType,
    Location,
    Posting,
    Sponsorship,
    WorkMode,
)
from .places import COUNTRIES, US_STATE_BY_NAME
from .suggestions import label_ids

MAX_QUERY_LENGTH = 200
MAX_TEXT_LENGTH = 100
MAX_VALUES = 20  # per repeatable parameter; more than any form can send
MAX_MESSAGES = 6

POSTED_CHOICES = [("1", "Last 24 hours"), ("7", "Last 7 days"), ("30", "Last 30 days")]
SIZE_CHOICES = [(band, f"{band} employees") for band, _low, _high in SIZE_BANDS]
SORT_CHOICES = [
    ("newest", "Newest"),
    ("pay", "Highest pay (hourly equivalent)"),
    ("deadline", "Deadline soonest"),
    ("relevance", "Best match"),
]
# Single-choice filters whose chips show the choice's label.
CHOICE_LABELS = {"state", "posted", "size"}
VALUE_LABELS = {
    "mode": dict(WorkMode.choices),
    "type": dict(InternshipType.choices),
    "sponsorship": dict(Sponsorship.choices),
}
# What asks the language filter for postings that do not state one.
UNKNOWN_WORDS = {"unknown", "not stated"}
# Parameters the list understands besides the filters themselves.
OTHER_PARAMETERS = {"page"}


def short(value, length=40):
    """A value fit to show back to the visitor: bounded, no control characters."""
    text = "".join(ch if ch.isprintable() else "\ufffd" for ch in str(value)[: length * 2])
    return Truncator(text).chars(length)


# --- form fields -------------------------------------------------------------


class ChoiceField(forms.ChoiceField):
    """A choice compared after trimming and case-folding: `TX`, `tx` and ` Tx`."""

    def __init__(self, *, upper=False, aliases=None, **kwargs):
        self.upper = upper
        self.aliases = aliases or {}
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": "not one of " + ", ".join(str(c) for c, _ in kwargs["choices"])},
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value).strip()
        value = value.upper() if self.upper else value.lower()
        return self.aliases.get(value, value)

    def __deepcopy__(self, memo):
        # Every form copies its fields; the choices are constant tuples
        # (the 51 states), shared rather than copied for every request.
        return forms.Field.__deepcopy__(self, memo)


class ValuesField(forms.Field):
    """A repeatable parameter: keeps the usable values, remembers the others.

    `normalise(raw)` returns the value to filter on, or None when unusable.
    """

    widget = forms.MultipleHiddenInput

    def __init__(self, *, normalise, **kwargs):
        self.normalise = normalise
        self.dropped = []
        super().__init__(**kwargs)

    def clean(self, value):
        self.dropped = []
        kept = []
        for raw in (value or [])[:MAX_VALUES]:
            if not raw.strip():
                continue
            normalised = self.normalise(raw)
            if normalised is None:
                self.dropped.append(raw)
            elif normalised not in kept:
                kept.append(normalised)
        return kept


class SearchField(forms.CharField):
    """Free text capped at MAX_QUERY_LENGTH characters rather than refused."""

    def to_python(self, value):
        return " ".join(super().to_python(value).split())[:MAX_QUERY_LENGTH]


def choice_normaliser(choices):
    values = {str(value) for value, _label in choices}

    def normalise(raw):
        value = raw.strip().lower()
        return value if value in values else None

    return normalise


def slug_normaliser(raw):
    """A slug, or the name it comes from: `Summer 2026` and `summer-2026` alike."""
    if "\x00" in raw or len(raw) > MAX_TEXT_LENGTH:
        return None
    return slugify(raw) or None


class SharedArguments:
    """Every filterset copies its filters; what these hold (field arguments,
    choices, normalisers) never changes, so a shallow copy is enough."""

    def __deepcopy__(self, memo):
        copied = copy.copy(self)
        if copied.method is not None:
            copied.method = copied.method  # its FilterMethod calls the copy's parent
        return copied


class ValuesFilter(SharedArguments, django_filters.Filter):
    field_class = ValuesField


class OneOfFilter(SharedArguments, django_filters.Filter):
    field_class = ChoiceField


class SearchFilter(SharedArguments, django_filters.CharFilter):
    field_class = SearchField


# --- the filterset -------------------------------------------------------------


# Newest first, postings that may no longer be open (stale) last: fresh_on is
# posted_on unless a job board confirmed the posting.
NEWEST = ["-fresh_on", "-id"]


class PostingFilter(django_filters.FilterSet):
    q = SearchFilter(method="filter_q", label="Search")
    mode = ValuesFilter(
        field_name="work_mode",
        lookup_expr="in",
        label="Work mode",
        normalise=choice_normaliser(WorkMode.choices),
    )
    type = ValuesFilter(
        field_name="internship_type",
        lookup_expr="in",
        label="Type",
        normalise=choice_normaliser(InternshipType.choices),
    )
    state = OneOfFilter(
        method="keep",  # applied first, by filter_queryset()
        label="I will work from",
        choices=STATE_CHOICES,
        upper=True,
        error_messages={"invalid_choice": "not a US state or DC code"},
    )
    location = django_filters.CharFilter(
        method="filter_location", label="Location", max_length=MAX_TEXT_LENGTH
    )
    min_pay = django_filters.NumberFilter(
        method="filter_min_pay",
        label="Minimum pay per hour (hourly equivalent)",
        min_value=0,
        max_value=1_000_000,
        max_digits=9,
    )
    sponsorship = ValuesFilter(
        field_name="visa_sponsorship",
        lookup_expr="in",
        label="Visa sponsorship",
        normalise=choice_normaliser(Sponsorship.choices),
    )
    skill = ValuesFilter(method="filter_skill", label="Skill", normalise=slug_normaliser)
    category = ValuesFilter(method="filter_category", label="Category", normalise=slug_normaliser)
    term = ValuesFilter(method="filter_term", label="Term", normalise=slug_normaliser)
    company = ValuesFilter(
        field_name="company__slug", lookup_expr="in", label="Company", normalise=slug_normaliser
    )
    posted = OneOfFilter(method="filter_posted", label="Posted", choices=POSTED_CHOICES)
    size = OneOfFilter(
        method="filter_size",
        label="Company size",
        choices=SIZE_CHOICES,
        # A bare "+" in a URL reads as a space: ?size=10001+ arrives as "10001".
        aliases={"10001": "10001+"},
    )
    language = django_filters.CharFilter(method="filter_language", label="Language", max_length=50)
    sort = OneOfFilter(method="keep", label="Sort", choices=SORT_CHOICES)

    class Meta:
        model = Posting
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # Always bound: an empty query string is a valid, unfiltered list.
        if data is None:
            data = QueryDict()
        # What the visitor asked for, as sent; chips link to variants of it.
        self.asked = data
        data, self.parsed, self.from_query = understand(data)
        super().__init__(data, queryset=queryset, request=request, prefix=prefix)

    def get_form_class(self):
        # The filters, hence the form's fields, are the same for every request:
        # the class is built once (each form still copies its own fields).
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class

    # The effective pay depends on the state, and the order on everything
    # else, so both are applied around the individual filters: the state
    # first (it annotates what min_pay compares), the order last.
    def filter_queryset(self, queryset):
        queryset = queryset.with_pay_in(self.chosen_state or None)
        queryset = super().filter_queryset(queryset)
        if self.chosen_sort == "deadline":
            # Implied by open(), but as the index's own expression it lets
            # PostgreSQL start the walk at today's deadlines.
            queryset = queryset.alias(deadline=DEADLINE).filter(deadline__gte=timezone.localdate())
        return queryset.order_by(*self.ordering(queryset))

    def ordering(self, queryset):
        if self.chosen_sort == "pay":
            return [F("effective_max_hourly").desc(nulls_last=True), "-posted_on", "-id"]
        if self.chosen_sort == "deadline":
            return [DEADLINE.asc(), "-posted_on", "-id"]
        if self.ranks(queryset):
            return ["-rank", "-posted_on", "-id"]
        return NEWEST

    def ranks(self, queryset):
        """Whether `queryset` (filtered) is ordered best match first."""
        return self.chosen_sort == "relevance" and "rank" in queryset.query.annotations

    @property
    def chosen_state(self):
        """The chosen state code, or "" (cards show its pay when set)."""
        return self.cleaned("state") or ""

    @property
    def chosen_sort(self):
        """The order in effect: relevance needs words to be relevant to."""
        data = self.cleaned_data
        sort = data.get("sort") or ("relevance" if data.get("q") else "newest")
        return "newest" if sort == "relevance" and not data.get("q") else sort

    @property
    def cleaned_data(self):
        self.form.is_valid()
        return self.form.cleaned_data

    def cleaned(self, name):
        return self.cleaned_data.get(name)

    def count_key(self):
        """What decides how many postings match: every cleaned filter value
        but the sort (the key of the list's cached count)."""
        data = self.cleaned_data
        return tuple((name, repr(data.get(name))) for name in self.filters if name != "sort")

    # --- filter methods ------------------------------------------------------

    def keep(self, queryset, name, value):
        return queryset

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_location(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        matches = Q(name__icontains=text) | Q(city__iexact=text)
        state = pay.normalise_state(text) or US_STATE_BY_NAME.get(text.lower())
        if state:
            matches |= Q(country="US", region=state)
        country = COUNTRIES.get(text.lower())
        if country:
            matches |= Q(country=country)
        located = Posting.locations.through.objects.filter(
            location__in=Location.objects.filter(matches)
        )
        return queryset.filter(pk__in=located.values("posting_id"))

    def filter_min_pay(self, queryset, name, value):
        # effective_max_hourly is the state's range when a state is chosen,
        # else the overall max; NULL (no pay) never passes.
        return queryset.filter(effective_max_hourly__gte=value)

    def _labelled(self, queryset, field, kind, slugs):
        through = Posting._meta.get_field(field).remote_field.through
        target = Posting._meta.get_field(field).m2m_reverse_field_name()
        rows = through.objects.filter(**{f"{target}_id__in": label_ids(kind, slugs)})
        return queryset.filter(pk__in=rows.values("posting_id"))

    def filter_skill(self, queryset, name, value):
        return self._labelled(queryset, "skills", "skill", value)

    def filter_category(self, queryset, name, value):
        return self._labelled(queryset, "categories", "category", value)

    def filter_term(self, queryset, name, value):
        return self._labelled(queryset, "terms", "term", value)

    def filter_language(self, queryset, name, value):
        # A posting that does not state its language has none: "unknown".
        text = value.strip()
        if text.lower() in UNKNOWN_WORDS:
            return queryset.filter(language="")
        return queryset.filter(language__iexact=text) if text else queryset

    def filter_posted(self, queryset, name, value):
        since = timezone.localdate() - datetime.timedelta(days=int(value))
        return queryset.filter(posted_on__gte=since)

    def filter_size(self, queryset, name, value):
        for band, low, high in SIZE_BANDS:
            if band == value:
                queryset = queryset.filter(company__size__gte=low)
                if high is not None:
                    queryset = queryset.filter(company__size__lte=high)
        return queryset

    # --- what was ignored ----------------------------------------------------

    @property
    def ignored(self):
        """Messages naming every parameter or value that was not used."""
        messages = []
        for key in self.data:
            if key not in self.filters and key not in OTHER_PARAMETERS:
                messages.append(f"Ignored unknown parameter “{short(key)}”.")
        self.form.is_valid()
        for name, errors in self.form.errors.items():
            value = self.data.get(name, "")
            reason = errors[0].rstrip(".")
            messages.append(f"Ignored {name}=“{short(value)}”: {reason}.")
        for name, field in self.form.fields.items():
            for value in getattr(field, "dropped", []):
                messages.append(f"Ignored {name}=“{short(value)}”: not a known value.")
        if len(messages) > MAX_MESSAGES:
            rest = len(messages) - MAX_MESSAGES + 1
            messages = messages[: MAX_MESSAGES - 1] + [f"… and {rest} more ignored values."]
        return messages

    # --- what is in use ------------------------------------------------------

    def active(self):
        """[(text, query string without that value)] for every filter in use.

        The list shows them as removable chips, so that a search with too few
        results can be loosened one value at a time.
        """
        data = self.cleaned_data
        chips = []
        for name, filter_ in self.filters.items():
            value = data.get(name)
            if name == "sort" or value in (None, "", []):
                continue
            values = value if isinstance(value, list) else [value]
            for item in values:
                remaining = self.asked.copy()
                remaining.pop("page", None)
                found = self.from_query.get((name, str(item)))
                if found is not None or (name == "q" and self.parsed.found):
                    # Taken out of the words typed: remove it from them.
                    remaining["q"] = self.parsed.without(found)
                    if not remaining["q"]:
                        remaining.pop("q")
                elif isinstance(value, list):
                    normalise = self.form.fields[name].normalise
                    remaining.setlist(
                        name, [v for v in self.asked.getlist(name) if normalise(v) != item]
                    )
                else:
                    remaining.pop(name, None)
                chips.append(
                    (f"{filter_.label}: {self.describe(name, item)}", remaining.urlencode())
                )
        return chips

    def describe(self, name, value):
        if name in CHOICE_LABELS:
            choices = dict(self.form.fields[name].choices)
        else:
            choices = VALUE_LABELS.get(name, {})
        if name == "min_pay":
            return f"${value:,.2f}".replace(".00", "") + " an hour"
        return str(choices.get(value, value))

    def form_values(self):
        """What the filter form shows: the usable values, by parameter."""
        data = self.cleaned_data
        values = {name: data.get(name) or "" for name in self.filters}
        for name in ("mode", "type", "sponsorship", "skill", "category", "term", "company"):
            values[name] = data.get(name) or []
        return values


# Parameters a query's words may set, and whether they repeat.
UNDERSTOOD = {"state": False, "location": False, "min_pay": False, "mode": True, "term": True}


def understand(data):
    """`data` with the filters named inside `q` applied (listings.query.parse).

    Returns (data to filter on, the Parsed query or an empty one, {(param,
    value): Found} for each filter taken from the words). A parameter given
    explicitly wins: the words naming another value for it are dropped.
    """
    raw = data.get("q", "")
    if not isinstance(raw, str) or not raw.strip() or "\x00" in raw:
        return data, query.Parsed(text=raw or ""), {}
    parsed = query.parse(" ".join(raw.split())[:MAX_QUERY_LENGTH])
    merged = data.copy()
    merged["q"] = parsed.text
    from_query = {}
    explicit = {name for name in UNDERSTOOD if any(v.strip() for v in data.getlist(name))}
    for found in parsed.found:
        if found.param in explicit:
            continue
        if UNDERSTOOD[found.param]:
            merged.appendlist(found.param, found.value)
        else:
            merged[found.param] = found.value
        from_query[(found.param, normalised_value(found.param, found.value))] = found
    return merged, parsed, from_query


def normalised_value(param, value):
    """The value as the filter's cleaned data shows it (the chip's key)."""
    if param == "min_pay":
        return str(Decimal(value))
    if param == "term":
        return slug_normaliser(value)
    return value


FORM_CHOICES = {
    "mode": WorkMode.choices,
    "type": InternshipType.choices,
    "sponsorship": Sponsorship.choices,
    "posted": POSTED_CHOICES,
    "size": SIZE_CHOICES,
    "sort": SORT_CHOICES,
}
