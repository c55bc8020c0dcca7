"""Reading pay per state from what job boards publish (PRODUCT.md section 10).

Plain, database-free functions. Every reader returns a canonical `pay` object
(docs/import-format.md: {"currency", "unit", "ranges": [{"states", "min",
"max"}]}) or None when the board gives no pay or pay that cannot be read
without guessing.

- A range title naming states or state codes ("CA, NY, CT, NJ", "California,
  New York", "Washington") applies to those states; "All other states",
  "National", or a title naming no state is the "all other states" range.
- The unit comes from the board's interval, else from words ("per hour",
  "hourly", "annual", "salary", "monthly", "weekly"), else from the size of
  the amounts (under 500: per hour; from 15,000: per year); anything between
  is not guessed.
- Pay stays unknown (None) when an amount cannot be read, when the ranges
  mix units or currencies, or when two ranges claim the same state.
"""

import html
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from html.parser import HTMLParser

from listings.pay import US_STATES

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")
HOURLY_BELOW = Decimal(500)
YEARLY_FROM = Decimal(15000)

_STATE_NAMES = sorted(
    ((name.lower(), code) for code, name in US_STATES.items()),
    key=lambda item: -len(item[0]),
)
# "Washington, D.C." / "Washington DC" are DC, not the state of Washington.
_DC_RE = re.compile(r"\bwashington,?\s*d\.?\s*c\.?(?![a-z])|\bdistrict of columbia\b", re.I)
_NAME_RES = [(re.compile(rf"\b{re.escape(name)}\b", re.I), code) for name, code in _STATE_NAMES]
# Codes count only in capitals ("OR", "IN", "ME" are also words).
_CODE_RE = re.compile(r"(?<![A-Za-z])([A-Z]{2})(?![A-Za-z])")
# A country's name must not read as a state ("United States", "New Mexico" is fine).
_NOT_STATES_RE = re.compile(r"\bunited states\b|\bU\.?S\.?A?\b|\bUSD\b", re.I)

UNIT_WORDS = [
    ("hour", re.compile(r"\bhour(?:ly)?\b|/\s*h(?:ou)?r\b|\bph\b|\bper hr\b", re.I)),
    ("week", re.compile(r"\bweek(?:ly)?\b|/\s*wk\b", re.I)),
    ("month", re.compile(r"\bmonth(?:ly)?\b|/\s*mo\b", re.I)),
    ("year", re.compile(r"\bannual(?:ly)?\b|\byear(?:ly)?\b|/\s*yr\b|\bper annum\b", re.I)),
]
_SALARY_RE = re.compile(r"\bsalary\b", re.I)

CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}
_CURRENCY_CODE_RE = re.compile(r"\b(USD|CAD|EUR|GBP|AUD)\b")
# "$52", "$108,400", "52.50", "$1.3K", "120k"
_AMOUNT_RE = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*([kK])?(?![\w])")


def states_named(title):
    """The state codes a range title names (an empty set: "all other states")."""
    if not title:
        return set()
    text = str(title)
    codes = set()
    if _DC_RE.search(text):
        codes.add("DC")
        text = _DC_RE.sub(" ", text)
    text = _NOT_STATES_RE.sub(" ", text)
    for pattern, code in _NAME_RES:  # longest names first: West Virginia before Virginia
        if pattern.search(text):
            codes.add(code)
            text = pattern.sub(" ", text)
    codes.update(code for code in _CODE_RE.findall(text) if code in US_STATES)
    return codes


def unit_from_words(*texts):
    """'hour', 'week', 'month' or 'year' when the words say so, else None."""
    text = " ".join(t for t in texts if t)
    for unit, pattern in UNIT_WORDS:
        if pattern.search(text):
            return unit
    return None


def unit_from_size(lows, highs, words=""):
    """The unit the amounts' size implies, or None when they could be several."""
    if max(highs) < HOURLY_BELOW:
        return "hour"
    if min(lows) >= YEARLY_FROM or (_SALARY_RE.search(words or "") and min(lows) >= 1000):
        return "year"
    return None


def interval_unit(interval):
    """Ashby's "1 HOUR" / "1 YEAR" and Lever's "per-hour-wage" / "per-year-salary"."""
    text = str(interval or "").strip().lower()
    match = re.fullmatch(r"1\s+(hour|week|month|year)s?", text)
    if match:
        return match.group(1)
    match = re.fullmatch(r"per-(hour|week|month|year)(?:-\w+)?", text)
    if match:
        return match.group(1)
    return None


def amount(value):
    """A positive Decimal with at most two places, or None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or number <= 0 or number > MAX_AMOUNT:
        return None
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def amounts_in(text):
    """The amounts written in `text` ("$52 — $52 USD", "$1.3K – $1.5K"), or None if unreadable."""
    found = []
    for whole, fraction, thousands in _AMOUNT_RE.findall(text or ""):
        number = Decimal(whole.replace(",", "") + (fraction or ""))
        if thousands:
            number *= 1000
        value = amount(number)
        if value is None:
            return None
        found.append(value)
    return found


def currency_in(text, default="USD"):
    match = _CURRENCY_CODE_RE.search(text or "")
    if match:
        return match.group(1)
    for symbol, code in CURRENCY_SYMBOLS.items():
        if symbol in (text or ""):
            return code
    return default


def build_pay(items):
    """Canonical pay from (title, low, high, unit or None, currency, words) tuples.

    Ranges naming no state become one "all other states" range; when several
    name none they are read as one range from the lowest to the highest
    amount (each is the pay somewhere among "all other states"). Returns None
    when nothing can be read without guessing.
    """
    if not items:
        return None
    lows = [low for _, low, _, _, _, _ in items]
    highs = [high for _, _, high, _, _, _ in items]
    if any(
        low is None or high is None or low > high for low, high in zip(lows, highs, strict=True)
    ):
        return None
    units = {unit for _, _, _, unit, _, _ in items if unit}
    currencies = {currency for _, _, _, _, currency, _ in items}
    if len(units) > 1 or len(currencies) != 1:
        return None
    words = " ".join(w for *_, w in items if w)
    unit = units.pop() if units else unit_from_size(lows, highs, words)
    if unit is None:
        return None
    ranges, other, seen = [], None, set()
    for title, low, high, *_ in items:
        states = states_named(title)
        if states & seen:
            return None
        seen |= states
        if states:
            ranges.append({"states": sorted(states), "min": low, "max": high})
        elif other is None:
            other = {"states": [], "min": low, "max": high}
        else:
            other = {"states": [], "min": min(other["min"], low), "max": max(other["max"], high)}
    if other is not None:
        ranges.append(other)
    return {"currency": currencies.pop(), "unit": unit, "ranges": ranges}


# --- Greenhouse ---------------------------------------------------------------


def greenhouse_ranges(pay_input_ranges):
    """Greenhouse `pay_input_ranges`: [{"title", "min_cents", "max_cents", "currency_type", "blurb"}]."""
    if not isinstance(pay_input_ranges, list) or not pay_input_ranges:
        return None
    items = []
    for item in pay_input_ranges:
        if not isinstance(item, dict):
            return None
        title = str(item.get("title") or "")
        blurb = strip_tags(str(item.get("blurb") or ""))
        low, high = _cents(item.get("min_cents")), _cents(item.get("max_cents"))
        unit = unit_from_words(title, blurb)
        currency = str(item.get("currency_type") or "USD").upper()
        items.append((title, low, high, unit, currency, f"{title} {blurb}"))
    return build_pay(items)


def _cents(value):
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    number = amount(value)
    return amount(number / 100) if number is not None else None


class _PayBlocks(HTMLParser):
    """Collects the `pay-input` blocks of a `content-pay-transparency` block:
    each one's title, pay-range text and description text."""

    PARTS = ("title", "pay-range", "description")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, classes) of open elements
        self.blocks = []

    def _inside(self, name):
        return any(name in classes for _, classes in self.stack)

    def handle_starttag(self, tag, attrs):
        classes = (
            set(dict(attrs).get("class", "").split()) if tag not in ("br", "hr", "img") else set()
        )
        if tag in ("br", "hr", "img", "input", "meta", "link"):
            return
        if "pay-input" in classes and self._inside("content-pay-transparency"):
            self.blocks.append({part: "" for part in self.PARTS})
        self.stack.append((tag, classes))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self.blocks or not self._inside("pay-input"):
            return
        for part in self.PARTS:
            if self._inside(part):
                self.blocks[-1][part] += data + " "
                return


def content_pay_blocks(content_html):
    """[(title, pay-range text, description text)] of the pay blocks in Greenhouse `content`."""
    parser = _PayBlocks()
    parser.feed(content_html or "")
    parser.close()
    return [
        (b["title"].strip(), b["pay-range"].strip(), b["description"].strip())
        for b in parser.blocks
    ]


def greenhouse_content_pay(content_html):
    """Pay per state from the `content-pay-transparency` block of Greenhouse `content` (unescaped)."""
    if "pay-input" not in (content_html or ""):
        return None
    items = []
    for title, range_text, description in content_pay_blocks(content_html):
        found = amounts_in(range_text)
        if not found or len(found) > 2:
            return None
        low, high = found[0], found[-1]
        unit = unit_from_words(title, range_text)
        items.append((title, low, high, unit, currency_in(range_text), f"{title} {description}"))
    if items and not any(unit for _, _, _, unit, _, _ in items):
        # Words in a block's description ("hourly rate") speak for all the ranges.
        described = unit_from_words(*(words for *_, words in items))
        if described:
            items = [(t, lo, hi, described, c, w) for t, lo, hi, _, c, w in items]
    return build_pay(items)


def strip_tags(text):
    return re.sub(r"<[^>]*>", " ", html.unescape(text or ""))


# --- Lever and Ashby ----------------------------------------------------------


def lever_pay(salary_range):
    """Lever `salaryRange`: {"interval", "currency", "min", "max"}."""
    if not isinstance(salary_range, dict):
        return None
    low, high = amount(salary_range.get("min")), amount(salary_range.get("max"))
    unit = interval_unit(salary_range.get("interval"))
    currency = str(salary_range.get("currency") or "USD").upper()
    if unit is None and salary_range.get("interval"):
        return None  # "one-time" and other intervals that are not a rate of pay
    return build_pay([("", low, high, unit, currency, "")])


def ashby_pay(compensation):
    """Ashby `compensation`: its `compensationTiers` (one range per tier, the
    tier's title naming states), else its `summaryComponents`. Only base pay
    (compensationType "Salary") counts; equity and bonuses do not."""
    if not isinstance(compensation, dict):
        return None
    items = []
    for tier in compensation.get("compensationTiers") or []:
        if not isinstance(tier, dict):
            return None
        for component in _salary_components(tier.get("components")):
            item = _ashby_item(tier.get("title") or "", component)
            if item is None:
                return None
            items.append(item)
    if not items:
        for component in _salary_components(compensation.get("summaryComponents")):
            item = _ashby_item("", component)
            if item is None:
                return None
            items.append(item)
    return build_pay(items)


def _salary_components(components):
    if not isinstance(components, list):
        return []
    return [c for c in components if isinstance(c, dict) and c.get("compensationType") == "Salary"]


def _ashby_item(title, component):
    unit = interval_unit(component.get("interval"))
    if unit is None:
        return None
    low, high = amount(component.get("minValue")), amount(component.get("maxValue"))
    if low is None and high is not None:
        low = high
    if high is None and low is not None:
        high = low
    currency = str(component.get("currencyCode") or "USD").upper()
    return (str(title), low, high, unit, currency, str(title))
