"""Understanding what students type into the search box (PRODUCT.md section 12).

Plain Python, no database:

- `parse(q)` takes states, cities, work modes, terms and pay floors out of the
  query and returns them as list filters plus the rest as text:
  "remote python internships in texas over $30/hr" is mode=remote, state=TX,
  min_pay=30 and the text "python".
- `expand(text)` turns the text into groups of alternatives for the search:
  "ml intern" is ("ml" or "machine learning") and ("intern"); a group that
  names a place also matches the posting's locations.

Nothing is guessed when a word is ambiguous: a two-letter state code is a
state only when written in capitals ("TX") or after "in" ("in tx"), because
"in", "or", "me", "pa", "la" are words or abbreviations too; "Washington" is
the state unless followed by "DC".
"""

import re
from dataclasses import dataclass, field

from .pay import US_STATES
from .places import COUNTRIES, US_STATE_BY_NAME

# --- tables ----------------------------------------------------------------

# Abbreviation or synonym -> what it stands for. Searching for either side
# finds both: "ml" finds "Machine Learning", "machine learning" finds "ML".
ABBREVIATIONS = {
    "ml": ["machine learning"],
    "ai": ["artificial intelligence"],
    "swe": ["software engineer", "software engineering"],
    "sde": ["software development engineer", "software engineer"],
    "sre": ["site reliability"],
    "ds": ["data science", "data scientist"],
    "de": ["data engineer", "data engineering"],
    "pm": ["product manager", "product management", "project manager"],
    "tpm": ["technical program manager"],
    "ux": ["user experience"],
    "ui": ["user interface"],
    "qa": ["quality assurance"],
    "ee": ["electrical engineering", "electrical engineer"],
    "me": ["mechanical engineering", "mechanical engineer"],
    "ce": ["computer engineering"],
    "cs": ["computer science"],
    "nlp": ["natural language processing"],
    "cv": ["computer vision"],
    "hci": ["human computer interaction"],
    "mle": ["machine learning engineer"],
    "js": ["javascript"],
    "ib": ["investment banking"],
    "co-op": ["coop", "co op"],
    "coop": ["co-op"],
    "frontend": ["front end", "front-end"],
    "backend": ["back end", "back-end"],
    "fullstack": ["full stack", "full-stack"],
    "devops": ["dev ops"],
}
# The long forms point back to their abbreviation.
_LONG_FORMS = {}
for _short, _longs in ABBREVIATIONS.items():
    for _long in _longs:
        _LONG_FORMS.setdefault(_long, []).append(_short)


@dataclass(frozen=True)
class Place:
    """Locations a word names: cities (any state), states and countries."""

    cities: tuple = ()
    states: tuple = ()
    countries: tuple = ()


# City (as students write it) -> (the city's name in locations, its state).
CITIES = {
    "nyc": ("New York", "NY"),
    "new york city": ("New York", "NY"),
    "manhattan": ("New York", "NY"),
    "brooklyn": ("Brooklyn", "NY"),
    "sf": ("San Francisco", "CA"),
    "san francisco": ("San Francisco", "CA"),
    "la": ("Los Angeles", "CA"),
    "los angeles": ("Los Angeles", "CA"),
    "san jose": ("San Jose", "CA"),
    "san diego": ("San Diego", "CA"),
    "palo alto": ("Palo Alto", "CA"),
    "mountain view": ("Mountain View", "CA"),
    "sunnyvale": ("Sunnyvale", "CA"),
    "menlo park": ("Menlo Park", "CA"),
    "santa clara": ("Santa Clara", "CA"),
    "dc": ("Washington", "DC"),
    "d.c.": ("Washington", "DC"),
    "washington dc": ("Washington", "DC"),
    "washington d.c.": ("Washington", "DC"),
    "seattle": ("Seattle", "WA"),
    "redmond": ("Redmond", "WA"),
    "bellevue": ("Bellevue", "WA"),
    "boston": ("Boston", "MA"),
    "cambridge": ("Cambridge", "MA"),
    "austin": ("Austin", "TX"),
    "dallas": ("Dallas", "TX"),
    "houston": ("Houston", "TX"),
    "chicago": ("Chicago", "IL"),
    "atlanta": ("Atlanta", "GA"),
    "denver": ("Denver", "CO"),
    "boulder": ("Boulder", "CO"),
    "pittsburgh": ("Pittsburgh", "PA"),
    "philadelphia": ("Philadelphia", "PA"),
    "philly": ("Philadelphia", "PA"),
    "miami": ("Miami", "FL"),
    "phoenix": ("Phoenix", "AZ"),
    "portland": ("Portland", "OR"),
    "minneapolis": ("Minneapolis", "MN"),
    "detroit": ("Detroit", "MI"),
    "ann arbor": ("Ann Arbor", "MI"),
    "raleigh": ("Raleigh", "NC"),
    "durham": ("Durham", "NC"),
    "charlotte": ("Charlotte", "NC"),
    "salt lake city": ("Salt Lake City", "UT"),
    "nashville": ("Nashville", "TN"),
    "columbus": ("Columbus", "OH"),
    "baltimore": ("Baltimore", "MD"),
    "st. louis": ("St. Louis", "MO"),
    "st louis": ("St. Louis", "MO"),
    "san antonio": ("San Antonio", "TX"),
    "irvine": ("Irvine", "CA"),
    "jersey city": ("Jersey City", "NJ"),
}
# Regions searched as the cities they cover (not filters: no one city).
REGIONS = {
    "bay area": Place(
        cities=(
            "San Francisco",
            "San Jose",
            "Oakland",
            "Palo Alto",
            "Mountain View",
            "Sunnyvale",
            "Menlo Park",
            "Santa Clara",
            "Redwood City",
            "Berkeley",
            "Cupertino",
            "San Mateo",
            "Fremont",
            "South San Francisco",
        )
    ),  # fmt: skip
    "silicon valley": Place(
        cities=("San Jose", "Palo Alto", "Mountain View", "Sunnyvale", "Santa Clara", "Cupertino")
    ),
    "socal": Place(cities=("Los Angeles", "San Diego", "Irvine", "Santa Monica")),
    "tri-state": Place(states=("NY", "NJ", "CT")),
}
STATE_NAMES = {name: code for name, code in US_STATE_BY_NAME.items()}
# Codes that are also common words or abbreviations: never a state unless
# the query makes it plain ("in OR", "in me" is still a state after "in").
AMBIGUOUS_CODES = {"IN", "OR", "ME", "PA", "LA", "HI", "OK", "OH", "DE", "CO", "AL", "ID", "MA"}

MODES = {
    "remote": "remote",
    "wfh": "remote",
    "work from home": "remote",
    "hybrid": "hybrid",
    "onsite": "onsite",
    "on-site": "onsite",
    "on site": "onsite",
    "in person": "onsite",
    "in-person": "onsite",
    "in office": "onsite",
}
SEASONS = {"summer", "fall", "autumn", "winter", "spring"}
NOISE = {"internships", "internship", "in", "jobs", "job", "positions", "roles", "for", "near"}

_PAY_UNIT = r"(?:/\s*(?:hr|hour|h)\b|\s*(?:an|a|per)\s+hour\b|\s*hourly\b|\s*ph\b|\s*/\s*hourly\b)"
_PAY_LEAD = r"(?:(?:over|above|at\s+least|min(?:imum)?|more\s+than|from|>=?)\s*)"
PAY_RE = re.compile(
    rf"(?<![\w$]){_PAY_LEAD}?"
    rf"(?:\$\s*(?P<d>\d{{1,4}}(?:\.\d{{1,2}})?)(?!\s*[kK]\b)(?P<dplus>\+)?{_PAY_UNIT}?"
    rf"|(?P<n>\d{{1,4}}(?:\.\d{{1,2}})?)(?P<nplus>\+)?\s*(?:dollars?)?{_PAY_UNIT})"
    r"(?![\w$])",
    re.IGNORECASE,
)
TERM_RE = re.compile(r"\b(summer|fall|autumn|winter|spring)\s*'?(20\d\d)\b", re.IGNORECASE)
_WORD_RE = re.compile(r"[^\s,;]+")
_STRIP = ".,;:!?()[]\"'"

# The longest phrase looked up, in words ("salt lake city", "new york city").
MAX_PHRASE = 3


# --- parsing -----------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """One filter taken out of the query: parameter, value, the words it came from."""

    param: str
    value: str
    phrase: str
    at: int = 0  # where the words start in the query


@dataclass
class Parsed:
    text: str
    found: list = field(default_factory=list)

    def values(self, param):
        return [f.value for f in self.found if f.param == param]

    def without(self, removed):
        """The query as written minus `removed` (a Found, or None for the text).

        The filters' words keep their order, the text comes last: parsing
        the result finds the same filters but `removed`.
        """
        parts = [f.phrase for f in self.found if f is not removed]
        if removed is not None:
            parts.append(self.text)
        return " ".join(p for p in parts if p)


def _key(word):
    return word.strip(_STRIP).lower()


def parse(q):
    """Filters named in `q` and the remaining text (see the module's docstring)."""
    found = []
    rest = q or ""

    def take(match, param, value):
        found.append(Found(param, value, " ".join(match.group(0).split()), match.start()))
        return " " * len(match.group(0))  # keeps the other words' positions

    def pay(match):
        if any(f.param == "min_pay" for f in found):
            return match.group(0)
        return take(match, "min_pay", match.group("d") or match.group("n"))

    rest = PAY_RE.sub(pay, rest)
    rest = TERM_RE.sub(
        lambda m: take(m, "term", f"{m.group(1).lower().replace('autumn', 'fall')}-{m.group(2)}"),
        rest,
    )
    matches = list(_WORD_RE.finditer(rest))
    words = [m.group(0) for m in matches]
    keys = [_key(w) for w in words]
    kept = []
    i = 0
    while i < len(words):
        size, hit = _match(words, keys, i, found)
        if hit is None:
            if keys[i] not in NOISE and keys[i]:
                kept.append(words[i])
            i += 1
            continue
        param, value = hit
        phrase = " ".join(words[i : i + size])
        if param in ("state", "location", "min_pay") and any(f.param == param for f in found):
            kept.append(phrase)  # one of each; the others stay words to search
        elif not any(f.param == param and f.value == value for f in found):
            found.append(Found(param, value, phrase, matches[i].start()))
        i += size
    found.sort(key=lambda f: f.at)
    return Parsed(text=" ".join(kept), found=found)


def _match(words, keys, i, found):
    """(words used, (param, value)) for the phrase starting at `i`, or (1, None)."""
    for size in range(min(MAX_PHRASE, len(words) - i), 0, -1):
        phrase = " ".join(keys[i : i + size])
        following = keys[i + size] if i + size < len(keys) else ""
        if phrase in MODES:
            return size, ("mode", MODES[phrase])
        if phrase in CITIES:
            return size, ("location", "{}, {}".format(*CITIES[phrase]))
        if phrase == "washington" and following in ("dc", "d.c"):
            return size + 1, ("location", "Washington, DC")
        if phrase in STATE_NAMES:
            return size, ("state", STATE_NAMES[phrase])
    original = words[i].strip(_STRIP)
    code = original.upper()
    after_in = i > 0 and keys[i - 1] == "in"
    plain = after_in or (original.isupper() and code not in AMBIGUOUS_CODES)
    if len(original) == 2 and code in US_STATES and plain:
        return 1, ("state", code)
    return 1, None


# --- expansion for the search ------------------------------------------------


@dataclass(frozen=True)
class Group:
    """One word or phrase of the query: any of `alternatives` may match, in the
    posting's text or, when it names a place, in its locations."""

    alternatives: tuple
    place: Place | None = None


def place_of(phrase):
    """The Place a (lowercase) phrase names, or None."""
    if phrase in REGIONS:
        return REGIONS[phrase]
    if phrase in CITIES:
        return Place(cities=(CITIES[phrase][0],))
    if phrase in STATE_NAMES:
        return Place(states=(STATE_NAMES[phrase],))
    if len(phrase) == 2 and phrase.upper() in US_STATES:
        return Place(states=(phrase.upper(),))
    if phrase in COUNTRIES and len(phrase) > 2:
        return Place(countries=(COUNTRIES[phrase],))
    return None


_KNOWN_PHRASES = (
    set(ABBREVIATIONS) | set(_LONG_FORMS) | set(CITIES) | set(REGIONS) | set(STATE_NAMES)
)
_KNOWN_PHRASES |= {c for c in COUNTRIES if len(c) > 2}


def expand(text):
    """The groups of `text`, longest known phrases first, duplicates dropped."""
    keys = [k for k in (_key(w) for w in (text or "").split()) if k]
    groups, i = [], 0
    while i < len(keys):
        for size in range(min(4, len(keys) - i), 0, -1):
            phrase = " ".join(keys[i : i + size])
            if size == 1 or phrase in _KNOWN_PHRASES:
                break
        alternatives = [phrase]
        for other in ABBREVIATIONS.get(phrase, []) + _LONG_FORMS.get(phrase, []):
            if other not in alternatives:
                alternatives.append(other)
        group = Group(tuple(alternatives), place_of(phrase))
        if group not in groups:
            groups.append(group)
        i += size
    return groups
