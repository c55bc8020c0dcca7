"""Understanding location strings: "San Francisco, CA", "Toronto, ON, Canada",
"United States", "NYC", "Remote in USA"...

`parse_location` returns a Place with a display name, a city, a state or
province code and an ISO 3166 country code. Strings it cannot place are kept
as plain names with no country, never dropped.
"""

import functools
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
    "ukraine": "UA", "italy": "IT", "belgium": "BE", "denmark": "DK", "finland": "FI",
    "norway": "NO", "portugal": "PT", "austria": "AT", "czech republic": "CZ",
    "czechia": "CZ", "romania": "RO", "hungary": "HU", "greece": "GR", "turkey": "TR",
    "argentina": "AR", "colombia": "CO", "chile": "CL", "costa rica": "CR",
    "philippines": "PH", "vietnam": "VN", "malaysia": "MY", "indonesia": "ID",
    "thailand": "TH", "new zealand": "NZ", "south africa": "ZA", "nigeria": "NG",
    "kenya": "KE", "egypt": "EG", "united arab emirates": "AE", "uae": "AE",
    "saudi arabia": "SA", "pakistan": "PK", "estonia": "EE", "lithuania": "LT",
    "luxembourg": "LU", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "united states of america (usa)": "US", "u.s.a.": "US", "palestine": "PS",
}  # fmt: skip
COUNTRY_NAMES = {
    "US": "United States", "CA": "Canada", "GB": "United Kingdom", "IE": "Ireland",
    "DE": "Germany", "FR": "France", "NL": "Netherlands", "ES": "Spain",
    "CH": "Switzerland", "IN": "India", "CN": "China", "JP": "Japan", "SG": "Singapore",
    "AU": "Australia", "IL": "Israel", "MX": "Mexico", "BR": "Brazil", "PL": "Poland",
    "SE": "Sweden", "HK": "Hong Kong", "TW": "Taiwan", "KR": "South Korea",
    "UA": "Ukraine", "IT": "Italy", "BE": "Belgium", "DK": "Denmark", "FI": "Finland",
    "NO": "Norway", "PT": "Portugal", "AT": "Austria", "CZ": "Czechia", "RO": "Romania",
    "HU": "Hungary", "GR": "Greece", "TR": "Turkey", "AR": "Argentina", "CO": "Colombia",
    "CL": "Chile", "CR": "Costa Rica", "PH": "Philippines", "VN": "Vietnam",
    "MY": "Malaysia", "ID": "Indonesia", "TH": "Thailand", "NZ": "New Zealand",
    "ZA": "South Africa", "NG": "Nigeria", "KE": "Kenya", "EG": "Egypt",
    "AE": "United Arab Emirates", "SA": "Saudi Arabia", "PK": "Pakistan", "EE": "Estonia",
    "LT": "Lithuania", "LU": "Luxembourg", "PS": "Palestine",
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
# "US - Remote", "USA, Remote", "Canada (Remote)"
_REMOTE_SUFFIX_RE = re.compile(r"^(?P<rest>.+?)\s*(?:[-–—,(]\s*|\s)remote\)?$", re.IGNORECASE)
# "Sunnyvale CA", "St. Paul MN": a city and a state code with no comma.
_CITY_STATE_RE = re.compile(r"^(?P<city>[^,]+?)\s+(?P<code>[A-Z]{2})$")
# "Austin, TX US", "Beaverton, Oregon USA": a redundant country after the state.
_TRAILING_US_RE = re.compile(r"^(?P<rest>.+,.+?)\s+(?:US|USA)$")
_MULTIPLE_US_RE = re.compile(r"^multiple\s+(?:us|u\.s\.|usa|united states)\s+locations$", re.I)

# Where one string of the community lists holds several places: "Purchase, NY <br>
# Plano, TX", "Dallas, TX or Scottsdale, AZ", "Bridgewater USA; Austin USA".
_SEPARATOR_RE = re.compile(r"\s*(?:<br\s*/?>|;|\||\s+or\s+|\s+l\s+)\s*", re.IGNORECASE)
_STATE_ALTERNATIVES = "|".join(
    sorted([*US_STATES, *US_STATES.values(), *CANADIAN_PROVINCES], key=len, reverse=True)
)
# ", TX" or ", New Jersey" (optionally ", USA") followed by the start of another place.
_STATE_END_RE = re.compile(rf",\s*(?:{_STATE_ALTERNATIVES})(?:,\s*(?:USA|US|Canada))?(?=\s+[A-Z])")


@dataclass(frozen=True)
class Place:
    name: str
    city: str = ""
    region: str = ""
    country: str = ""
    remote: bool = False


def _clean(text):
    return " ".join(str(text).split()).strip(" ,")


def split_locations(text):
    """Split a string holding several places ("Austin, TX Chicago, IL") into one string each."""
    return list(_split_locations(text))


@functools.lru_cache(maxsize=8192)
def _split_locations(text):
    result = []
    for piece in _SEPARATOR_RE.split(_clean(text)):
        start = 0
        for match in _STATE_END_RE.finditer(piece):
            result.append(piece[start : match.end()])
            start = match.end()
        result.append(piece[start:])
    return tuple(cleaned for cleaned in (_clean(part) for part in result) if cleaned)


def _remote(place):
    if place is None:
        return Place(name="Remote", remote=True)
    return Place(place.name, place.city, place.region, place.country, remote=True)


def _country_code(text):
    """The ISO code of a country name ("Canada", "UK") or of an unambiguous code ("FR")."""
    text = re.sub(r"\s*\(.*\)$", "", text)  # "United States (Preferred)"
    code = COUNTRIES.get(text.lower(), "")
    upper = text.upper()
    if not code and upper in COUNTRY_NAMES and upper not in US_STATES | CANADIAN_PROVINCES.keys():
        code = upper
    return code


def _us_state(text):
    upper = text.upper()
    if len(text) == 2 and upper in US_STATES:
        return upper
    return US_STATE_BY_NAME.get(text.lower(), "")


def _province(text):
    upper = text.upper()
    if len(text) == 2 and upper in CANADIAN_PROVINCES:
        return upper
    return PROVINCE_BY_NAME.get(text.lower(), "")


@functools.lru_cache(maxsize=8192)
def parse_location(text):
    """Parse one location string into a Place (None for an empty string)."""
    text = re.sub(r"(?<=\b[A-Z]{2})\.$", "", _clean(text))  # "Minnetonka, MN."
    if not text:
        return None
    match = _REMOTE_RE.match(text)
    if match:
        rest = match.group("rest").strip()
        return _remote(parse_location(rest) if rest else None)
    match = _REMOTE_SUFFIX_RE.match(text)
    if match:
        return _remote(parse_location(match.group("rest")))

    lowered = text.lower()
    if lowered in ALIASES:
        city, state = ALIASES[lowered]
        return Place(f"{city}, {state}", city, state, "US")
    if lowered in COUNTRIES:
        code = COUNTRIES[lowered]
        return Place(COUNTRY_NAMES[code], country=code)
    if _MULTIPLE_US_RE.match(text):
        return Place(text, country="US")
    if lowered in US_STATE_BY_NAME or (len(text) == 2 and text.upper() in US_STATES):
        code = _us_state(text)
        return Place(US_STATES[code], region=code, country="US")
    if lowered in PROVINCE_BY_NAME:
        code = PROVINCE_BY_NAME[lowered]
        return Place(f"{CANADIAN_PROVINCES[code]}, Canada", region=code, country="CA")
    match = _CITY_STATE_RE.match(text)
    if match and match.group("code") in US_STATES:
        city, code = match.group("city"), match.group("code")
        return Place(f"{city}, {code}", city, code, "US")
    match = _TRAILING_US_RE.match(text)
    if match:
        place = parse_location(match.group("rest"))
        if place.country in ("", "US"):
            return place if place.country else Place(place.name, place.name, "", "US")

    parts = [_clean(part) for part in text.split(",") if _clean(part)]
    if len(parts) < 2:
        return Place(text)
    country = _country_code(parts[-1])
    if country:
        parts = parts[:-1]
    elif len(parts) >= 3 and _country_code(parts[0]):
        # "USA, WA, Seattle": country first, city last.
        country = _country_code(parts[0])
        parts = parts[:0:-1]
    city, region_text = ", ".join(parts[:-1]), parts[-1]
    if country in ("", "US") and city and _us_state(region_text):
        code = _us_state(region_text)
        return Place(f"{city}, {code}", city, code, "US")
    if country in ("", "CA") and city and _province(region_text):
        code = _province(region_text)
        return Place(f"{city}, {code}, Canada", city, code, "CA")
    if country:
        return Place(f"{', '.join(parts)}, {COUNTRY_NAMES[country]}", parts[0], "", country)
    return Place(text)
