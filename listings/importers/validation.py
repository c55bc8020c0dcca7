"""Checking one canonical record before anything is written.

Every reader (canonical JSON, CSV, simplify) turns a file into canonical
records; `clean_record` applies the same rules as the model and the admin to
each one and returns either a normalised record or the list of problems, each
naming the field. Nothing here touches the database.
"""

import datetime
import functools
import math
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone

from companies.models import Company
from config.urlpolicy import validate_website

from .. import pay
from ..links import strip_tracking
from ..models import (
    InternshipType,
    Label,
    Location,
    PayUnit,
    Posting,
    Sponsorship,
    Status,
    WorkMode,
)
from ..places import parse_places, work_mode_of
from ..validators import validate_apply_url

FIELDS = {
    "source", "external_id", "title", "company", "locations", "work_mode", "posted_on",
    "closes_on", "responsibilities", "internship_type", "pay", "visa_sponsorship",
    "language", "hours_per_week", "about_role", "skills", "categories", "terms",
    "duration_weeks", "apply_url", "status",
}  # fmt: skip
COMPANY_FIELDS = {"name", "website", "size", "about"}
PAY_FIELDS = {"currency", "unit", "ranges"}
RANGE_FIELDS = {"states", "min", "max"}

# Lengths come from the models so the two never disagree.
MAX_LENGTH = {
    name: Posting._meta.get_field(name).max_length
    for name in ("title", "language", "apply_url", "source", "external_id")
}
COMPANY_NAME_LENGTH = Company._meta.get_field("name").max_length
COMPANY_WEBSITE_LENGTH = Company._meta.get_field("website").max_length
LABEL_LENGTH = Label._meta.get_field("name").max_length
LOCATION_LENGTH = Location._meta.get_field("name").max_length
CITY_LENGTH = Location._meta.get_field("city").max_length
MAX_TEXT_LENGTH = 100_000  # about_role, responsibilities, company about
MAX_AMOUNT = Decimal("9999999999.99")  # max_digits=12, decimal_places=2
MAX_HOURS_PER_WEEK = 168
MAX_DURATION_WEEKS = 104
MAX_COMPANY_SIZE = 2_147_483_647
MAX_LIST_ITEMS = 200  # locations, skills, categories, terms of one posting
MIN_DATE, MAX_DATE = datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)


class NonFinite:
    """What NaN, Infinity and -Infinity in a JSON file parse to, so the record
    holding one is reported instead of the whole file being refused."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


class Problems(Exception):
    """Raised while cleaning a record; carries [(field, message), ...]."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


def type_name(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, NonFinite):
        return value.text
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


_UNSTORABLE_RE = re.compile(r"[\x00\ud800-\udfff]")


def text_problem(value):
    """Why a string cannot be stored (NUL byte, lone surrogate), or None."""
    found = _UNSTORABLE_RE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "contains a NUL byte"
    return "contains an unpaired surrogate (not valid Unicode)"


@functools.cache
def _values(choices):
    return frozenset(choices.values)


class _Cleaner:
    def __init__(self, record):
        self.record = record
        self.problems = []

    def add(self, field, message):
        self.problems.append((field, message))

    def text(self, field, value, *, required=False, max_length=None, strip=True):
        if value is None or (isinstance(value, str) and not value.strip() and strip):
            if required:
                self.add(field, "is required")
            return None
        if not isinstance(value, str):
            self.add(field, f"must be text, not {type_name(value)}")
            return None
        problem = text_problem(value)
        if problem:
            self.add(field, problem)
            return None
        value = " ".join(value.split()) if strip else value
        if max_length and len(value) > max_length:
            self.add(field, f"is longer than {max_length} characters ({len(value)})")
            return None
        return value

    def choice(self, field, value, choices):
        if value is None:
            return None
        if not isinstance(value, str) or value not in _values(choices):
            allowed = ", ".join(choices.values)
            self.add(field, f"must be one of {allowed}, not {value!r}")
            return None
        return value

    def date(self, field, value):
        if value is None:
            return None
        if not isinstance(value, str):
            self.add(field, f"must be a date as YYYY-MM-DD text, not {type_name(value)}")
            return None
        try:
            result = datetime.date.fromisoformat(value.strip())
        except ValueError:
            self.add(field, f"is not a date (YYYY-MM-DD): {value[:40]!r}")
            return None
        if not MIN_DATE <= result <= MAX_DATE:
            self.add(field, f"must be between {MIN_DATE} and {MAX_DATE}")
            return None
        return result

    def integer(self, field, value, low, high):
        if value is None:
            return None
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(field, f"must be a whole number, not {type_name(value)}")
            return None
        if not low <= value <= high:
            self.add(field, f"must be between {low} and {high}")
            return None
        return value

    def amount(self, field, value):
        if isinstance(value, NonFinite):
            self.add(field, f"{value.text} is not a number")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.add(field, f"must be a number, not {type_name(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.add(field, f"{value} is not a number")
            return None
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            self.add(field, "is not a number")
            return None
        if not amount.is_finite():
            self.add(field, f"{value} is not a number")
            return None
        if amount > MAX_AMOUNT:
            self.add(field, f"must be at most {MAX_AMOUNT}")
            return None
        if amount != amount.quantize(Decimal("0.01")):
            self.add(field, "has more than 2 decimal places")
            return None
        return amount

    def names(self, field, value, max_length):
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(field, f"must be a list, not {type_name(value)}")
            return []
        if len(value) > MAX_LIST_ITEMS:
            self.add(field, f"has more than {MAX_LIST_ITEMS} items")
            return []
        result = []
        for i, item in enumerate(value):
            name = self.text(f"{field}[{i}]", item, required=True, max_length=max_length)
            if name is not None:
                result.append(name)
        return result


def clean_record(record):
    """Return the normalised canonical record, or raise Problems([(field, message), ...])."""
    if not isinstance(record, dict):
        raise Problems([("(record)", f"must be an object, not {type_name(record)}")])
    c = _Cleaner(record)
    for key in record:
        if key not in FIELDS:
            c.add(str(key), "is not a field of the import format")
    get = record.get
    out = {
        "source": c.text("source", get("source"), max_length=MAX_LENGTH["source"]),
        "external_id": c.text(
            "external_id", get("external_id"), required=True, max_length=MAX_LENGTH["external_id"]
        ),
        "title": c.text("title", get("title"), required=True, max_length=MAX_LENGTH["title"]),
        "company": _company(c, get("company")),
        "locations": _locations(c, get("locations")),
        # Mode words among the places ("Wayne, PA Hybrid", "Remote in USA").
        "work_mode_hint": _work_mode_hint(get("locations")),
        "work_mode": c.choice("work_mode", get("work_mode"), WorkMode),
        "posted_on": c.date("posted_on", get("posted_on")),
        "closes_on": c.date("closes_on", get("closes_on")),
        "responsibilities": c.text(
            "responsibilities", get("responsibilities"), max_length=MAX_TEXT_LENGTH, strip=False
        ),
        "internship_type": c.choice("internship_type", get("internship_type"), InternshipType),
        "pay": _pay(c, get("pay")),
        "visa_sponsorship": c.choice("visa_sponsorship", get("visa_sponsorship"), Sponsorship),
        "language": c.text("language", get("language"), max_length=MAX_LENGTH["language"]),
        "hours_per_week": c.integer("hours_per_week", get("hours_per_week"), 1, MAX_HOURS_PER_WEEK),
        "about_role": c.text(
            "about_role", get("about_role"), max_length=MAX_TEXT_LENGTH, strip=False
        ),
        "skills": c.names("skills", get("skills"), LABEL_LENGTH),
        "categories": c.names("categories", get("categories"), LABEL_LENGTH),
        "terms": c.names("terms", get("terms"), LABEL_LENGTH),
        "duration_weeks": c.integer("duration_weeks", get("duration_weeks"), 1, MAX_DURATION_WEEKS),
        "apply_url": _apply_url(c, get("apply_url")),
        "status": c.choice("status", get("status"), Status),
    }
    if out["closes_on"] and out["closes_on"] < (out["posted_on"] or timezone.localdate()):
        c.add("closes_on", "is before the posted date")
    hint = out.pop("work_mode_hint")
    if out["work_mode"] is None and hint:
        out["work_mode"] = WorkMode(hint)
    if c.problems:
        raise Problems(c.problems)
    return {key: value for key, value in out.items() if value is not None}


def _company(c, value):
    if isinstance(value, str):
        value = {"name": value}
    if value is None:
        c.add("company", "is required")
        return None
    if not isinstance(value, dict):
        c.add("company", f"must be an object or a name, not {type_name(value)}")
        return None
    for key in value:
        if key not in COMPANY_FIELDS:
            c.add(f"company.{key}", "is not a field of the import format")
    name = c.text("company.name", value.get("name"), required=True, max_length=COMPANY_NAME_LENGTH)
    website = c.text("company.website", value.get("website"), max_length=COMPANY_WEBSITE_LENGTH)
    if website:
        try:
            validate_website(website)
        except ValidationError as exc:
            c.add(
                "company.website",
                f"is not an allowed website ({website[:80]!r}): {exc.messages[0]}",
            )
            website = None
    size = c.integer("company.size", value.get("size"), 0, MAX_COMPANY_SIZE)
    about = c.text("company.about", value.get("about"), max_length=MAX_TEXT_LENGTH, strip=False)
    if name is None:
        return None
    return {"name": name, "website": website or "", "size": size, "about": about or ""}


def _locations(c, value):
    """One name per place: a string naming several ("NYC Bellevue, WA") gives
    several, a bare mode word ("Hybrid") none."""
    result = []
    for i, text in enumerate(c.names("locations", value, None)):
        for place in parse_places(text).places:
            if len(place.name) > LOCATION_LENGTH or len(place.city) > CITY_LENGTH:
                c.add(f"locations[{i}]", f"is longer than {LOCATION_LENGTH} characters")
            elif place.name not in result:
                result.append(place.name)
    return result


def _work_mode_hint(value):
    if not isinstance(value, list):
        return ""
    return work_mode_of(parse_places(text) for text in value if isinstance(text, str))


def _apply_url(c, value):
    if value is not None and not isinstance(value, str):
        c.add("apply_url", f"must be text, not {type_name(value)}")
        return None
    # Other sites' tracking parameters are not stored (docs/import-format.md).
    url = strip_tracking(value.strip()) if value else value
    try:
        validate_apply_url(url)
    except ValidationError as exc:
        c.add("apply_url", exc.messages[0])
        return None
    return url


def _pay(c, value):
    if value is None:
        return None
    if not isinstance(value, dict):
        c.add("pay", f"must be an object, not {type_name(value)}")
        return None
    for key in value:
        if key not in PAY_FIELDS:
            c.add(f"pay.{key}", "is not a field of the import format")
    currency = c.text("pay.currency", value.get("currency"), max_length=3) or "USD"
    if not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
        c.add("pay.currency", f"must be a three-letter code such as USD, not {currency!r}")
    unit = c.choice("pay.unit", value.get("unit"), PayUnit) or PayUnit.HOUR
    ranges = value.get("ranges")
    if ranges is None:
        ranges = []
    if not isinstance(ranges, list):
        c.add("pay.ranges", f"must be a list, not {type_name(ranges)}")
        ranges = []
    parsed = []
    for i, item in enumerate(ranges):
        field = f"pay.ranges[{i}]"
        if not isinstance(item, dict):
            c.add(field, f"must be an object, not {type_name(item)}")
            continue
        for key in item:
            if key not in RANGE_FIELDS:
                c.add(f"{field}.{key}", "is not a field of the import format")
        low = c.amount(f"{field}.min", item.get("min"))
        high = c.amount(f"{field}.max", item.get("max"))
        raw_states = item.get("states")
        if raw_states is None:
            raw_states = []
        if not isinstance(raw_states, list):
            c.add(f"{field}.states", f"must be a list, not {type_name(raw_states)}")
            raw_states = []
        parsed.append((i, low, high, raw_states))
    # The rules across ranges are the model's and the admin's (pay.check_ranges).
    for problem in pay.check_ranges([(low, high, states) for _, low, high, states in parsed]):
        field = f"pay.ranges[{parsed[problem.index][0]}]"
        c.add(*_range_problem(field, problem, parsed))
    cleaned = [
        {
            "states": [code for s in states if (code := pay.normalise_state(s))],
            "min": low,
            "max": high,
        }
        for _, low, high, states in parsed
    ]
    return {"currency": currency.upper(), "unit": unit, "ranges": cleaned}


def _range_problem(field, problem, parsed):
    """(field, message) of a pay.RangeProblem, in the import format's words."""
    if problem.code == "not_positive":
        return f"{field}.{problem.end}", "must be more than 0"
    if problem.code == "max_below_min":
        low, high = problem.value
        return f"{field}.max", f"is below the minimum ({high} < {low})"
    if problem.code == "unknown_state":
        return (
            f"{field}.states[{problem.position}]",
            f"is not a US state code: {str(problem.value)[:20]!r}",
        )
    first = f"pay.ranges[{parsed[problem.first][0]}]"
    if problem.code == "repeated_state":
        return f"{field}.states[{problem.position}]", f"{problem.value} is already in {first}"
    return f"{field}.states", f'a second "all other states" range (the first is {first})'
