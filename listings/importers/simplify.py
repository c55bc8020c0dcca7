"""The community internship-list format (the `listings.json` of the Simplify /
pittcsc "Summer Internships" lists), turned into canonical records.

- `id` is the external id; `company_name`, `title` are trimmed (tabs and runs
  of spaces become one space); `url` is the apply URL (an empty one makes the
  record invalid: there is nothing to apply to).
- `date_posted` (epoch seconds) becomes the posted date in TIME_ZONE.
- `active: false` imports the posting as closed; `is_visible: false` skips it.
- `sponsorship`: the four values of the lists, mapped below.
- `terms` (a list), or else `season` (plus `year` when present). A season
  without a year ("Summer") takes the year of the next such season after the
  posting date: see `season_year`.
- optional `category` (text or list) becomes categories; `degrees` has no
  field in Internboard and is ignored; `company_url` is used as the company's
  website for a new company unless it is Simplify's own profile page.
- each location string may hold several places ("Austin, TX Chicago, IL",
  "SF Remote in USA McLean, VA"); they are split into one name per place
  (listings/places.py, docs/places.md). Mode words set the work mode: any
  remote place makes the posting remote, else "Hybrid" hybrid, else "Onsite"
  onsite. A bare "Remote" or "Multiple Locations" means the US: the lists are
  US lists that name every other country.
- `url` loses other sites' tracking parameters (in validation, for every format).
"""

import datetime
import re

from django.utils import timezone

from ..models import Sponsorship, Status
from ..places import parse_places, work_mode_of
from .reading import Item, duplicate_problems, json_records

SPONSORSHIP = {
    "offers sponsorship": Sponsorship.YES,
    "does not offer sponsorship": Sponsorship.NO,
    "u.s. citizenship is required": Sponsorship.CITIZENS_ONLY,
    "other": Sponsorship.UNKNOWN,
}

# Canonical field -> the field of this format, so messages name what the operator sees.
FIELD_NAMES = {
    "external_id": "id",
    "company": "company_name",
    "company.name": "company_name",
    "company.website": "company_url",
    "apply_url": "url",
    "posted_on": "date_posted",
    "status": "active",
    "visa_sponsorship": "sponsorship",
    "categories": "category",
}


def read(path):
    """Yield an Item per record, reading the file as it goes."""
    tz = timezone.get_current_timezone()
    for where, raw, duplicates in json_records(path):
        item = to_item(where, raw, tz)
        item.problems += duplicate_problems(duplicates)
        yield item


def to_item(where, raw, tz=None):
    if not isinstance(raw, dict):
        return Item(where, raw)
    external_id = raw.get("id") if isinstance(raw.get("id"), str) else ""
    item = Item(where, None, external_id=external_id.strip())
    visible = raw.get("is_visible", True)
    if visible is False:
        item.skipped = "hidden (is_visible: false)"
        return item
    if not isinstance(visible, bool):
        item.problems.append(("is_visible", "must be true or false"))
    active = raw.get("active", True)
    if not isinstance(active, bool):
        item.problems.append(("active", "must be true or false"))
    locations, work_mode = _locations(raw.get("locations"))
    posted_on = _date(item, raw.get("date_posted"), tz or timezone.get_current_timezone())
    record = {
        "external_id": raw.get("id"),
        "title": raw.get("title"),
        "company": {"name": raw.get("company_name")},
        "locations": locations,
        "work_mode": work_mode or None,
        "apply_url": raw.get("url") if raw.get("url") is not None else "",
        "status": Status.PUBLISHED if active is not False else Status.CLOSED,
        "visa_sponsorship": _sponsorship(item, raw.get("sponsorship")),
        "posted_on": posted_on,
        "terms": _terms(item, raw, posted_on),
    }
    website = raw.get("company_url")
    if isinstance(website, str) and website.strip() and not _SIMPLIFY_PAGE_RE.match(website):
        record["company"]["website"] = website.strip()
    category = raw.get("category")
    if category not in (None, ""):
        record["categories"] = [category] if isinstance(category, str) else category
    item.record = {key: value for key, value in record.items() if value is not None}
    return item


def _locations(value):
    """(one name per place, the work mode the strings' words give)."""
    if not isinstance(value, list):
        return value, ""
    result, parsed = [], []
    for text in value:
        if isinstance(text, str):
            # The lists are lists of US internships that spell out every other
            # country, so a bare "Remote" there is remote in the US.
            parsed.append(parse_places(text, "US"))
            result.extend(place.name for place in parsed[-1].places)
        else:
            result.append(text)  # reported by the validator
    return list(dict.fromkeys(result)), work_mode_of(parsed)


def _sponsorship(item, value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return Sponsorship.UNKNOWN
    key = " ".join(value.split()).lower() if isinstance(value, str) else None
    if key not in SPONSORSHIP:
        allowed = ", ".join(f'"{name}"' for name in _SPONSORSHIP_NAMES)
        item.problems.append(("sponsorship", f"must be one of {allowed}, not {value!r}"[:300]))
        return None
    return SPONSORSHIP[key]


# Simplify's own page about a company, not the company's website.
_SIMPLIFY_PAGE_RE = re.compile(r"^\s*https?://(?:[\w-]+\.)*simplify\.jobs(?:[/:?#]|$)", re.I)

_SPONSORSHIP_NAMES = [
    "Offers Sponsorship",
    "Does Not Offer Sponsorship",
    "U.S. Citizenship is Required",
    "Other",
]


def _date(item, value, tz):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        item.problems.append(("date_posted", "must be a whole number of seconds since 1970"))
        return None
    try:
        return datetime.datetime.fromtimestamp(value, tz=tz).date().isoformat()
    except (OverflowError, OSError, ValueError):
        item.problems.append(("date_posted", f"{value} is out of range"))
        return None


def _terms(item, raw, posted_on):
    terms = raw.get("terms")
    if terms is not None:
        return terms
    season = raw.get("season")
    if season is None:
        return None
    if not isinstance(season, str):
        item.problems.append(("season", "must be text"))
        return None
    year = raw.get("year")
    if isinstance(year, int | str) and not isinstance(year, bool) and str(year).strip():
        return [f"{season.strip()} {str(year).strip()}"]
    posted = datetime.date.fromisoformat(posted_on) if posted_on else timezone.localdate()
    year = season_year(season, posted)
    if year is None:
        return [season.strip()]  # not a season name ("Co-op"): kept as the list wrote it
    return [f"{SEASON_NAMES[season.strip().lower()]} {year}"]


# The last day of each season (month, day). "Winter 2026" is January to March 2026.
SEASON_ENDS = {"spring": (5, 31), "summer": (8, 31), "fall": (12, 31), "winter": (3, 31)}
SEASON_NAMES = {
    "spring": "Spring", "summer": "Summer", "fall": "Fall", "autumn": "Fall", "winter": "Winter",
}  # fmt: skip


def season_year(season, posted_on):
    """The year of the first season called `season` that ends after `posted_on`
    (a date), or None when `season` is not a season name.

    A posting of 2024-11-02 for "Summer" is Summer 2025; one of 2025-06-10 is
    Summer 2025 (the summer under way); one of 2025-08-31, the last day of
    summer, is Summer 2026.
    """
    name = SEASON_NAMES.get(" ".join(season.split()).lower())
    if name is None:
        return None
    month, day = SEASON_ENDS[name.lower()]
    if datetime.date(posted_on.year, month, day) > posted_on:
        return posted_on.year
    return posted_on.year + 1
