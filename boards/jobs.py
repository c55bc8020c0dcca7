"""What every board connector shares: which jobs are internships, terms from
titles, places and work mode from location text, dates, and the canonical
record (docs/import-format.md) a job becomes. Database-free."""

import datetime
import re

from listings.places import COUNTRY_NAMES, parse_location, parse_places
from listings.sanitize import clean_html

# A word naming an internship: "Intern", "Internship", "Co-op", "Apprentice(ship)";
# "Internal Audit Lead" and "International Sales" are not.
_INTERNSHIP_RE = re.compile(
    r"(?<![\w-])(?:interns?|internships?|co-?ops?|apprentices?|apprenticeships?)(?![\w-])",
    re.IGNORECASE,
)
_SEASON_RE = re.compile(r"\b(spring|summer|fall|autumn|winter)\s*[-/']?\s*(20\d\d)\b", re.I)
_YEAR_SEASON_RE = re.compile(r"\b(20\d\d)\s+(spring|summer|fall|autumn|winter)\b", re.I)
_PART_TIME_RE = re.compile(r"\bpart[- ]time\b", re.I)
_FULL_TIME_RE = re.compile(r"\bfull[- ]time\b", re.I)
# Work-mode words in a location string: the mode, not a place.
_HYBRID_RE = re.compile(r"\bhybrid\b", re.I)
_MODE_WORDS_RE = re.compile(r"\(?\b(?:hybrid|on-?site|in[- ]office)\b\)?", re.I)


class BoardError(Exception):
    """A board that cannot be read: the message says why, for the operator."""


def is_internship_title(title):
    return bool(_INTERNSHIP_RE.search(title or ""))


def terms_in(title):
    """["Summer 2026"] when the title names a season with a year; a year-less season adds none."""
    found = []
    for season, year in _SEASON_RE.findall(title or ""):
        found.append(_term(season, year))
    for year, season in _YEAR_SEASON_RE.findall(title or ""):
        found.append(_term(season, year))
    return list(dict.fromkeys(found))


def _term(season, year):
    season = "Fall" if season.lower() == "autumn" else season.capitalize()
    return f"{season} {year}"


def internship_type(*texts):
    """part_time or full_time where the words say so; unknown otherwise (a fact
    the board did not give is not invented)."""
    if any(_PART_TIME_RE.search(t or "") for t in texts):
        return "part_time"
    if any(_FULL_TIME_RE.search(t or "") for t in texts):
        return "full_time"
    return "unknown"


def board_jobs(data):
    """The jobs of a Greenhouse or Ashby answer (an object with a "jobs" list),
    each checked to be an object with an id and a title; BoardError otherwise."""
    if not isinstance(data, dict):
        raise BoardError("unexpected shape: the answer is not an object with jobs")
    for job in require_list(data.get("jobs"), "jobs"):
        if not isinstance(job, dict) or not job.get("id") or not isinstance(job.get("title"), str):
            raise BoardError("unexpected shape: a job without id or title")
        yield job


def place_texts(text):
    """The place strings in a board's location text ("Austin, TX; Remote - US"),
    one per place; work-mode words are the mode, not a place."""
    if not isinstance(text, str) or not text.strip():
        return []
    # A remote place keeps its "Remote" word so that the work mode can be read
    # from it; the importer's validation stores it as the country itself.
    return [
        (f"Remote - {place.name}" if place.name != "Remote" else "Remote")
        if place.remote
        else place.name
        for place in parse_places(text).places
    ]


def mode_from_places(texts, *, hybrid=False):
    """remote when a place is remote, hybrid when the text says so, else onsite."""
    if hybrid:
        return "hybrid"
    if any(parse_location(t) and parse_location(t).remote for t in texts):
        return "remote"
    return "onsite"


def says_hybrid(*texts):
    return any(isinstance(t, str) and _HYBRID_RE.search(t) for t in texts)


def with_country(text, country_code):
    """`text` placed in `country_code` (ISO) when the text alone names another
    country or none: Lever's "Berlin" with country "DE" is Berlin, Germany,
    never Delaware."""
    code = (country_code or "").strip().upper()
    if not code or code not in COUNTRY_NAMES:
        return text
    place = parse_location(text)
    if place is None or place.country == code or place.remote:
        return text
    first = text.split(",")[0].strip()
    if place.country and place.country != code and first:
        return f"{first}, {COUNTRY_NAMES[code]}"
    return f"{text}, {COUNTRY_NAMES[code]}"


def date_from_iso(value):
    """The calendar date of an ISO 8601 timestamp as the board wrote it, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return datetime.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None


def date_from_millis(value):
    """The UTC date of a timestamp in milliseconds (Lever's createdAt), or None."""
    try:
        millis = int(value)
    except (TypeError, ValueError):
        return None
    try:
        return datetime.datetime.fromtimestamp(millis / 1000, tz=datetime.UTC).date()
    except (OverflowError, OSError, ValueError):
        return None


def record(
    *,
    company,
    source,
    external_id,
    title,
    apply_url,
    about_role,
    locations,
    work_mode,
    posted_on,
    pay,
    internship_type="unknown",
):
    """A canonical record (docs/import-format.md) for one internship on a board."""
    result = {
        "source": source,
        "external_id": str(external_id),
        "title": " ".join(str(title).split()),
        "company": {"name": company},
        "apply_url": apply_url if isinstance(apply_url, str) else None,
        "about_role": clean_html(about_role or ""),
        "locations": list(dict.fromkeys(locations)),
        "work_mode": work_mode,
        "terms": terms_in(title),
        "internship_type": internship_type,
        "status": "published",
    }
    if posted_on:
        result["posted_on"] = posted_on.isoformat()
    if pay:
        result["pay"] = pay
    return result


def require_list(value, what):
    if not isinstance(value, list):
        raise BoardError(f"unexpected shape: {what} is not a list")
    return value
