"""Pay arithmetic: effective range in a state, overall range, hourly equivalents.

Plain functions over plain values so they can be tested without a database.
A posting's pay is a currency, a unit and a list of ranges; each range has a
min, a max and a set of US state codes, and at most one range has no states
and stands for "all other states".
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip

# States whose pay-transparency laws expect a range on the posting.
PAY_TRANSPARENCY_STATES = frozenset(
    ["CA", "CO", "WA", "NY", "HI", "DC", "MD", "IL", "MN", "VT", "MA", "NJ"]
)

DEFAULT_HOURS_PER_WEEK = 40
HOURS_PER_YEAR = 2080

CURRENCY_SYMBOLS = {"USD": "$", "CAD": "CA$", "EUR": "€", "GBP": "£"}

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Range:
    min: Decimal
    max: Decimal
    states: frozenset = field(default_factory=frozenset)

    @property
    def is_other_states(self):
        return not self.states


def normalise_state(value):
    """Return the upper-case code for a US state or DC, or None."""
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    return code if code in US_STATES else None


@dataclass(frozen=True)
class RangeProblem:
    """What is wrong in a set of ranges: `code` is "not_positive" (`end` is
    "min" or "max"), "max_below_min", "unknown_state" (`value` is the state as
    given, `position` its place in the range's list), "repeated_state"
    (`value` the code, `first` the range listing it first) or
    "second_other_states" (`first` the first such range)."""

    code: str
    index: int
    end: str = ""
    position: int | None = None
    value: object = None
    first: int | None = None


def check_ranges(ranges):
    """The pay rules of a posting, in one place (PRODUCT.md section 3).

    `ranges` are (min, max, states) with states as given (codes in any case;
    a min or max of None, already refused by the caller, is skipped). Each
    amount is more than zero and min <= max; every state is a US state (or
    DC) code listed in one range only; at most one range has no states (the
    "all other states" range). Returns the RangeProblems in the order of the
    ranges; callers word them for their audience (the admin, the importer).
    """
    problems, seen, other = [], {}, None
    for index, (low, high, states) in enumerate(ranges):
        for end, amount in (("min", low), ("max", high)):
            if amount is not None and amount <= 0:
                problems.append(RangeProblem("not_positive", index, end=end, value=amount))
        if low is not None and high is not None and low > 0 and low > high:
            problems.append(RangeProblem("max_below_min", index, value=(low, high)))
        states = list(states or [])
        for position, state in enumerate(states):
            code = normalise_state(state)
            if code is None:
                problems.append(
                    RangeProblem("unknown_state", index, position=position, value=state)
                )
            elif code in seen:
                problems.append(
                    RangeProblem(
                        "repeated_state", index, position=position, value=code, first=seen[code]
                    )
                )
            else:
                seen[code] = index
        if not states:
            if other is not None:
                problems.append(RangeProblem("second_other_states", index, first=other))
            else:
                other = index
    return problems


def hourly(amount, unit, hours_per_week=None):
    """The hourly equivalent of an amount paid per `unit`.

    week ÷ hours per week (40 when unknown), month × 12 ÷ 2080, year ÷ 2080.
    """
    if amount is None:
        return None
    amount = Decimal(amount)
    if unit == "hour":
        result = amount
    elif unit == "week":
        result = amount / Decimal(hours_per_week or DEFAULT_HOURS_PER_WEEK)
    elif unit == "month":
        result = amount * 12 / HOURS_PER_YEAR
    elif unit == "year":
        result = amount / HOURS_PER_YEAR
    else:
        raise ValueError(f"unknown pay unit {unit!r}")
    return result.quantize(CENT, rounding=ROUND_HALF_UP)


def effective_range(ranges, state):
    """The range that lists `state`, else the "all other states" range, else None."""
    code = normalise_state(state)
    other = None
    for pay_range in ranges:
        if code and code in pay_range.states:
            return pay_range
        if pay_range.is_other_states:
            other = pay_range
    return other


def overall_range(ranges):
    """(lowest min, highest max) over all ranges, or None when there are none."""
    ranges = list(ranges)
    if not ranges:
        return None
    return min(r.min for r in ranges), max(r.max for r in ranges)


def format_amount(amount, currency="USD"):
    amount = Decimal(amount)
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def format_range(low, high, currency="USD"):
    """'$44 - $52', or '$52' when both ends are the same."""
    if low is None or high is None:
        return ""
    if Decimal(low) == Decimal(high):
        return format_amount(low, currency)
    return f"{format_amount(low, currency)} - {format_amount(high, currency)}"


def transparency_states(places, remote=False):
    """The pay-transparency states a posting is located in or open to.

    `places` are the (country, region) pairs of its locations. A location in
    one of PAY_TRANSPARENCY_STATES counts whatever the work mode; a remote
    posting located in "United States" as a whole is open to all of them.
    Returns (sorted state codes, open_to_whole_us).
    """
    states, whole_us = set(), False
    for country, region in places:
        if country != "US":
            continue
        if region in PAY_TRANSPARENCY_STATES:
            states.add(region)
        elif remote and not region:
            whole_us = True
    return sorted(states), whole_us


# --- what a student compares: hourly equivalents and a whole term ---------------

WEEKS_PER_YEAR = 52


def weekly(amount, unit, hours_per_week=None):
    """What `amount` per `unit` makes in a week of `hours_per_week` (40 when unknown)."""
    if amount is None:
        return None
    amount = Decimal(amount)
    hours = Decimal(hours_per_week or DEFAULT_HOURS_PER_WEEK)
    if unit == "hour":
        return amount * hours
    if unit == "week":
        return amount
    if unit == "month":
        return amount * 12 / WEEKS_PER_YEAR
    if unit == "year":
        return amount / WEEKS_PER_YEAR
    raise ValueError(f"unknown pay unit {unit!r}")


def format_span(low, high, currency="USD"):
    """'$21,120 – $24,960' (whole units), or one amount when both ends agree."""
    if low is None or high is None:
        return ""
    low, high = (Decimal(v).quantize(Decimal(1), rounding=ROUND_HALF_UP) for v in (low, high))
    if low == high:
        return format_amount(low, currency)
    return f"{format_amount(low, currency)} – {format_amount(high, currency)}"


def hourly_span(low, high, unit, hours_per_week=None, currency="USD"):
    """'$25 – $30 an hour' for amounts per week, month or year ("" per hour)."""
    if low is None or high is None or unit == "hour":
        return ""
    low, high = hourly(low, unit, hours_per_week), hourly(high, unit, hours_per_week)
    return f"{format_span(low, high, currency)} an hour"


def term_total(low, high, unit, hours_per_week, weeks, currency="USD"):
    """'$21,120 – $24,960': what `weeks` weeks earn at `hours_per_week` hours."""
    if low is None or high is None or not weeks:
        return ""
    return format_span(
        weekly(low, unit, hours_per_week) * weeks,
        weekly(high, unit, hours_per_week) * weeks,
        currency,
    )
