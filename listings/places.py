"""Understanding location strings: "San Francisco, CA", "Toronto, ON, Canada",
"United States", "NYC", "Remote in USA"...

`parse_location` returns a Place with a display name, a city, a state or
province code and an ISO 3166 country code. Strings it cannot place are kept
as plain names with no country, never dropped.
"""

import re
from dataclasses import dataclass

from .pay import US_STATES

US_STATE_BY_NAME = {name.lower(): code for code, name in US_STATES.items()}

CANADIAN_PROVINCES = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
    "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
    "SK": "Saskatchewan", "YT": "Yukon",
}  # fmt: skip
PROVINCE_BY_NAME = {name.lower(): code for code, name in CANADIAN_PROVINCES.items()}

COUNTRIES = {
    "united states": "US", "united states of america": "US", "usa": "US", "us": "US",
    "u.s.": "US", "canada": "CA", "united kingdom": "GB", "uk": "GB", "england": "GB",
    "ireland": "IE", "germany": "DE", "france": "FR", "netherlands": "NL", "spain": "ES",
    "switzerland": "CH", "india": "IN", "china": "CN", "japan": "JP", "singapore": "SG",
    "australia": "AU", "israel": "IL", "mexico": "MX", "brazil": "BR", "poland": "PL",
    "sweden": "SE", "hong kong": "HK", "taiwan": "TW", "south korea": "KR",
}  # fmt: skip
COUNTRY_NAMES = {
    "US": "United States", "CA": "Canada", "GB": "United Kingdom", "IE": "Ireland",
    "DE": "Germany", "FR": "France", "NL": "Netherlands", "ES": "Spain",
    "CH": "Switzerland", "IN": "India", "CN": "China", "JP": "Japan", "SG": "Singapore",
    "AU": "Australia", "IL": "Israel", "MX": "Mexico", "BR": "Brazil", "PL": "Poland",
    "SE": "Sweden", "HK": "Hong Kong", "TW": "Taiwan", "KR": "South Korea",
}  # fmt: skip

# Shorthands seen in the community lists.
ALIASES = {
    "nyc": ("New York", "NY"),
    "new york city": ("New York", "NY"),
    "sf": ("San Francisco", "CA"),
    "la": ("Los Angeles", "CA"),
    "dc": ("Washington", "DC"),
    "washington dc": ("Washington", "DC"),
    "washington, d.c.": ("Washington", "DC"),
}

_REMOTE_RE = re.compile(r"^remote\b(?:\s*(?:in|[-–—,(])\s*)?(?P<rest>.*?)\)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    name: str
    city: str = ""
    region: str = ""
    country: str = ""
    remote: bool = False


def _clean(text):
    return " ".join(str(text).split()).strip(" ,")


def parse_location(text):
    """Parse one location string into a Place."""
    text = _clean(text)
    if not text:
        return None
    match = _REMOTE_RE.match(text)
    if match:
        rest = match.group("rest").strip()
        place = parse_location(rest) if rest else None
        if place is None:
            return Place(name="Remote", remote=True)
        return Place(place.name, place.city, place.region, place.country, remote=True)

    lowered = text.lower()
    if lowered in ALIASES:
        city, state = ALIASES[lowered]
        return Place(f"{city}, {state}", city, state, "US")
    if lowered in COUNTRIES:
        code = COUNTRIES[lowered]
        return Place(COUNTRY_NAMES[code], country=code)
    if lowered in US_STATE_BY_NAME:
        code = US_STATE_BY_NAME[lowered]
        return Place(US_STATES[code], region=code, country="US")
    if text.upper() in US_STATES and len(text) == 2:
        code = text.upper()
        return Place(US_STATES[code], region=code, country="US")

    parts = [_clean(part) for part in text.split(",") if _clean(part)]
    if len(parts) >= 2:
        city = parts[0]
        region_text = parts[1]
        country_text = parts[2] if len(parts) >= 3 else ""
        country = COUNTRIES.get(country_text.lower(), "") if country_text else ""
        region_upper = region_text.upper()
        if country in ("", "US") and (
            region_upper in US_STATES or region_text.lower() in US_STATE_BY_NAME
        ):
            code = (
                region_upper if region_upper in US_STATES else US_STATE_BY_NAME[region_text.lower()]
            )
            return Place(f"{city}, {code}", city, code, "US")
        if country in ("", "CA") and (
            region_upper in CANADIAN_PROVINCES or region_text.lower() in PROVINCE_BY_NAME
        ):
            code = (
                region_upper
                if region_upper in CANADIAN_PROVINCES
                else PROVINCE_BY_NAME[region_text.lower()]
            )
            return Place(f"{city}, {code}, Canada", city, code, "CA")
        if len(parts) == 2 and region_text.lower() in COUNTRIES:
            code = COUNTRIES[region_text.lower()]
            return Place(f"{city}, {COUNTRY_NAMES[code]}", city, "", code)
        if country:
            return Place(f"{city}, {region_text}, {COUNTRY_NAMES[country]}", city, "", country)
    return Place(text)
