"""The community internship-list format (the `listings.json` of the Simplify /
pittcsc "Summer Internships" lists), turned into canonical records.

- `id` is the external id; `company_name`, `title` are trimmed (tabs and runs
  of spaces become one space); `url` is the apply URL (an empty one makes the
  record invalid: there is nothing to apply to).
- `date_posted` (epoch seconds) becomes the posted date in TIME_ZONE.
- `active: false` imports the posting as closed; `is_visible: false` skips it.
- `sponsorship`: the four values of the lists, mapped below.
- `terms` (a list), or else `season` (plus `year` when present).
- optional `category` (text or list) becomes categories; `degrees` has no
  field in Internboard and is ignored; `company_url` is used as the company's
  website for a new company unless it is Simplify's own profile page.
- each location string may hold several places ("Austin, TX Chicago, IL",
  "Dallas, TX or Scottsdale, AZ"); they are split, and a remote one makes the
  posting remote. A bare "Remote" means remote in the US: the lists are US
  lists that name every other country.
"""

import datetime
import re

from django.utils import timezone

from ..models import Sponsorship, Status
from ..places import split_locations
from .reading import Item, load_json_records, read_text

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
    tz = timezone.get_current_timezone()
    return [to_item(where, raw, tz) for where, raw in load_json_records(read_text(path))]


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
    record = {
        "external_id": raw.get("id"),
        "title": raw.get("title"),
        "company": {"name": raw.get("company_name")},
        "locations": _locations(raw.get("locations")),
        "apply_url": raw.get("url") if raw.get("url") is not None else "",
        "status": Status.PUBLISHED if active is not False else Status.CLOSED,
        "visa_sponsorship": _sponsorship(item, raw.get("sponsorship")),
        "posted_on": _date(item, raw.get("date_posted"), tz or timezone.get_current_timezone()),
        "terms": _terms(item, raw),
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
    if not isinstance(value, list):
        return value
    result = []
    for text in value:
        if isinstance(text, str):
            # The lists are lists of US internships that spell out every other
            # country, so a bare "Remote" there is remote in the US.
            result.extend(
                "Remote in USA" if part.lower() == "remote" else part
                for part in split_locations(text)
            )
        else:
            result.append(text)  # reported by the validator
    return result


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


def _terms(item, raw):
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
    return [season.strip()]
