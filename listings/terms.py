"""Season arithmetic of internship terms (PRODUCT.md section 11).

A term's name such as "Summer 2026" gives its season and year, and so the day
it ends: Spring on May 31, Summer on August 31, Fall on December 31, Winter
on March 31 of its year. A name with a year but no season we know ("2026",
"Co-op 2026") ends with its year; a name without a year has no end.
"""

import datetime
import re

SPRING, SUMMER, FALL, WINTER = "spring", "summer", "fall", "winter"
SEASON_CHOICES = [(SPRING, "Spring"), (SUMMER, "Summer"), (FALL, "Fall"), (WINTER, "Winter")]
# (month, day) each season ends on, in its own year.
SEASON_ENDS = {SPRING: (5, 31), SUMMER: (8, 31), FALL: (12, 31), WINTER: (3, 31)}
ALIASES = {"autumn": FALL}
# Weeks a posting lasts when it does not say: Summer 12, other seasons 16,
# 12 when the posting names no term.
DEFAULT_WEEKS = 12
SEASON_WEEKS = {SUMMER: 12, SPRING: 16, FALL: 16, WINTER: 16}

_SEASON = re.compile(r"\b(spring|summer|fall|autumn|winter)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(20\d\d|19\d\d)\b")


def parse(name):
    """(season, year) of a term name; "" and None where the name gives none."""
    text = str(name or "")
    season = _SEASON.search(text)
    year = _YEAR.search(text)
    season = ALIASES.get(season.group(1).lower(), season.group(1).lower()) if season else ""
    return season, int(year.group(1)) if year else None


def end_date(season, year):
    """The last day of a season in `year` (December 31 when the season is unknown)."""
    if year is None:
        return None
    month, day = SEASON_ENDS.get(season, (12, 31))
    return datetime.date(year, month, day)


def describe(name):
    """{"season", "year", "end_on"} for a Term named `name`."""
    season, year = parse(name)
    return {"season": season, "year": year, "end_on": end_date(season, year)}


def sort_key(name):
    """Terms in date order (when they end); names with no end last, by name."""
    end = describe(name)["end_on"]
    return (end is None, end or datetime.date.max, str(name).lower())


def upcoming(today, count):
    """The names of the next `count` terms that have not ended on `today`, soonest first."""
    names = []
    year = today.year
    while len(names) < count:
        for season in (WINTER, SPRING, SUMMER, FALL):
            if end_date(season, year) >= today and len(names) < count:
                names.append(f"{season.capitalize()} {year}")
        year += 1
    return names


def default_weeks(seasons):
    """Weeks of a posting whose terms have `seasons`, in date order: those of
    its first season we know (Summer 12, others 16), else 12."""
    for season in seasons:
        if season in SEASON_WEEKS:
            return SEASON_WEEKS[season]
    return DEFAULT_WEEKS
