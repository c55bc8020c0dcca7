"""Reading pay per state from the shapes boards publish (PRODUCT.md section 10).
Titles and shapes are those seen on real Greenhouse, Lever and Ashby boards
and in the seed's About the Role."""

from decimal import Decimal

import pytest

from boards import pay_text
from boards.greenhouse import content_html

ALL = frozenset()

# (range title, the states it names; ALL = "all other states")
TITLES = [
    ("CA, NY, CT, NJ", {"CA", "NY", "CT", "NJ"}),
    ("WA", {"WA"}),
    (
        "OR, DE, ME, MA, MD, NH, RI, VT, DC, PA, VA, CO, TX, IL, HI",
        {"OR", "DE", "ME", "MA", "MD", "NH", "RI", "VT", "DC", "PA", "VA", "CO", "TX", "IL", "HI"},
    ),
    ("All other states", ALL),
    ("All Other States", ALL),
    ("Zone 1 (National Average)", ALL),
    ("National", ALL),
    ("Hourly Pay Range", ALL),
    ("United States Salary Range", ALL),
    ("US Base Salary Range", ALL),
    ("USD", ALL),
    ("California, New York", {"CA", "NY"}),
    ("Washington", {"WA"}),
    ("Washington, D.C.", {"DC"}),
    ("Washington DC Metro", {"DC"}),
    ("District of Columbia", {"DC"}),
    ("West Virginia", {"WV"}),
    ("Virginia", {"VA"}),
    ("New York City", {"NY"}),
    ("New York City, San Francisco Bay Area, Seattle", {"NY"}),
    ("San Francisco Bay Area", ALL),
    ("Zone A", ALL),
    ("California Pay Range", {"CA"}),
    ("Colorado Salary Range", {"CO"}),
    ("CA/NY/WA", {"CA", "NY", "WA"}),
    ("CA & NY", {"CA", "NY"}),
    ("NYC & CA", {"CA"}),
    ("Remote (US)", ALL),
    ("Tier 1", ALL),
    ("Intern", ALL),
    ("Or, in other states", ALL),  # "Or" is a word, not Oregon
    ("Hawaii and Alaska", {"HI", "AK"}),
    ("Massachusetts, Maryland and Illinois", {"MA", "MD", "IL"}),
    ("North Carolina", {"NC"}),
    ("Kansas and Arkansas", {"KS", "AR"}),
    ("Texas (Austin)", {"TX"}),
    ("Base pay for roles in NJ", {"NJ"}),
    ("USA - National", ALL),
    ("", ALL),
    (None, ALL),
]


@pytest.mark.parametrize(("title", "states"), TITLES)
def test_range_titles_name_their_states(title, states):
    assert pay_text.states_named(title) == set(states)


def test_at_least_forty_titles_are_checked():
    assert len(TITLES) >= 40


def block(*ranges, description=""):
    """A Greenhouse `content-pay-transparency` block of (title, range text) pairs."""
    inputs = "".join(
        f'<div class="pay-input">{description if i == 0 else ""}<div class="title">{title}</div>'
        f'<div class="pay-range">{text}</div></div>'
        for i, (title, text) in enumerate(ranges)
    )
    return f'<p>About us</p><div class="content-pay-transparency">{inputs}</div>'


def span(low, high):
    return f'<span>{low}</span><span class="divider">&mdash;</span><span>{high}</span>'


D = Decimal

CONTENT_CASES = [
    # (content, expected canonical pay or None)
    (
        block(
            ("CA, NY, CT, NJ", span("$52", "$52 USD")),
            ("WA", span("$50", "$50 USD")),
            ("All other states", span("$44", "$44 USD")),
        ),
        {"currency": "USD", "unit": "hour", "ranges": [
            {"states": ["CA", "CT", "NJ", "NY"], "min": D(52), "max": D(52)},
            {"states": ["WA"], "min": D(50), "max": D(50)},
            {"states": [], "min": D(44), "max": D(44)}]},
    ),
    (
        block(("United States Salary Range", span("$108,400", "$129,600 USD"))),
        {"currency": "USD", "unit": "year", "ranges": [
            {"states": [], "min": D(108400), "max": D(129600)}]},
    ),
    (
        block(("Hourly Pay Range", span("$2,500", "$3,000 USD"))),  # the words win over the size
        {"currency": "USD", "unit": "hour", "ranges": [
            {"states": [], "min": D(2500), "max": D(3000)}]},
    ),
    (
        block(("Monthly stipend", span("$6,000", "$7,500 USD"))),
        {"currency": "USD", "unit": "month", "ranges": [
            {"states": [], "min": D(6000), "max": D(7500)}]},
    ),
    (
        block(("Canada", span("$40", "$45 CAD"))),
        {"currency": "CAD", "unit": "hour", "ranges": [
            {"states": [], "min": D(40), "max": D(45)}]},
    ),
    (
        block(("Zone 1", span("$45", "$50")), ("Zone 2", span("$40", "$44"))),
        {"currency": "USD", "unit": "hour", "ranges": [
            {"states": [], "min": D(40), "max": D(50)}]},
    ),
    (
        block(("All locations", span("$1.3K", "$1.5K")), description='<div class="description"><p>paid per month</p></div>'),
        {"currency": "USD", "unit": "month", "ranges": [
            {"states": [], "min": D(1300), "max": D(1500)}]},
    ),
    (block(("Weekly", span("$2,400", "$2,400"))), {"currency": "USD", "unit": "week", "ranges": [
        {"states": [], "min": D(2400), "max": D(2400)}]}),
    # Unreadable or ambiguous: unknown, never a guess.
    (block(("All states", span("$4,000", "$5,000"))), None),  # per week? per month?
    (block(("CA", span("Competitive", "DOE"))), None),
    (block(("CA", span("$40", "$45")), ("California", span("$41", "$46"))), None),  # CA twice
    (block(("CA", "<span>$40 - $45 - $50</span>")), None),
    (block(("Hourly", span("$40", "$45")), ("Annual", span("$90,000", "$95,000"))), None),
    (block(("US", span("$45", "$50 USD")), ("UK", span("£30", "£35 GBP"))), None),
    ("<p>No pay here</p>", None),
]  # fmt: skip


@pytest.mark.parametrize(("content", "expected"), CONTENT_CASES)
def test_greenhouse_content_blocks(content, expected):
    assert pay_text.greenhouse_content_pay(content) == expected


def test_the_seed_about_the_role_gives_its_four_ranges():
    from tests.boards.boards import SEED_PAY_BLOCK

    pay = pay_text.greenhouse_content_pay(content_html(__import__("html").escape(SEED_PAY_BLOCK)))
    assert pay["unit"] == "hour" and pay["currency"] == "USD"
    assert [(r["states"], r["min"], r["max"]) for r in pay["ranges"]] == [
        (["CA", "CT", "NJ", "NY"], 52, 52),
        (["WA"], 50, 50),
        (sorted("OR DE ME MA MD NH RI VT DC PA VA CO TX IL HI".split()), 48, 48),
        ([], 44, 44),
    ]


@pytest.mark.parametrize(
    ("ranges", "expected"),
    [
        (
            [{"title": "CA, NY, CT, NJ", "min_cents": 5200, "max_cents": 5200,
              "currency_type": "USD"},
             {"title": "All other states", "min_cents": 4400, "max_cents": 4400,
              "currency_type": "USD"}],
            ("hour", [(["CA", "CT", "NJ", "NY"], 52, 52), ([], 44, 44)]),
        ),
        (
            [{"title": "Zone 1 (National Average)", "min_cents": 9000000, "max_cents": 12000000,
              "currency_type": "USD", "blurb": "<p>Annual base salary</p>"}],
            ("year", [([], 90000, 120000)]),
        ),
        (
            [{"title": "Hourly Pay Range", "min_cents": 3850, "max_cents": 4525,
              "currency_type": "USD"}],
            ("hour", [([], Decimal("38.50"), Decimal("45.25"))]),
        ),
        ([{"title": "CA", "min_cents": None, "max_cents": 5000}], None),
        ([{"title": "CA", "min_cents": 6000, "max_cents": 5000}], None),  # min above max
        ([], None),
        ("not a list", None),
    ],
)  # fmt: skip
def test_greenhouse_pay_input_ranges(ranges, expected):
    pay = pay_text.greenhouse_ranges(ranges)
    if expected is None:
        assert pay is None
    else:
        unit, rows = expected
        assert pay["unit"] == unit
        assert [(r["states"], r["min"], r["max"]) for r in pay["ranges"]] == rows


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        ({"interval": "per-year-salary", "currency": "USD", "min": 150000, "max": 180000},
         ("year", "USD", 150000, 180000)),
        ({"interval": "per-hour-wage", "currency": "USD", "min": 30, "max": 38},
         ("hour", "USD", 30, 38)),
        ({"interval": "per-month-salary", "currency": "EUR", "min": 1500, "max": 1800},
         ("month", "EUR", 1500, 1800)),
        ({"interval": "per-week-salary", "currency": "USD", "min": 1200, "max": 1200},
         ("week", "USD", 1200, 1200)),
        ({"currency": "USD", "min": 45, "max": 50}, ("hour", "USD", 45, 50)),  # by size
        ({"interval": "one-time", "currency": "USD", "min": 5000, "max": 5000}, None),
        ({"interval": "per-year-salary", "currency": "USD", "min": 0, "max": 0}, None),
        ({"interval": "per-year-salary", "currency": "USD", "min": "a lot"}, None),
        (None, None),
    ],
)  # fmt: skip
def test_lever_salary_range(salary, expected):
    pay = pay_text.lever_pay(salary)
    if expected is None:
        assert pay is None
    else:
        unit, currency, low, high = expected
        assert pay == {"currency": currency, "unit": unit,
                       "ranges": [{"states": [], "min": low, "max": high}]}  # fmt: skip


def salary(interval, low, high, currency="USD", kind="Salary"):
    return {"compensationType": kind, "interval": interval, "currencyCode": currency,
            "minValue": low, "maxValue": high}  # fmt: skip


@pytest.mark.parametrize(
    ("compensation", "expected"),
    [
        ({"compensationTiers": [{"title": "Tier 1", "components": [salary("1 HOUR", 40, 40)]}]},
         ("hour", "USD", [([], 40, 40)])),
        ({"compensationTiers": [{"title": None, "components": [salary("1 YEAR", 105000, 105000)]}]},
         ("year", "USD", [([], 105000, 105000)])),
        ({"compensationTiers": [{"title": "Intern", "components": [
            salary("1 MONTH", 2300, 2300, "EUR"), salary("1 YEAR", 0.01, 0.05, kind="EquityPercentage")]}]},
         ("month", "EUR", [([], 2300, 2300)])),
        ({"compensationTiers": [
            {"title": "California, Washington", "components": [salary("1 HOUR", 50, 55)]},
            {"title": "All other US locations", "components": [salary("1 HOUR", 42, 48)]}]},
         ("hour", "USD", [(["CA", "WA"], 50, 55), ([], 42, 48)])),
        ({"compensationTiers": [], "summaryComponents": [salary("1 WEEK", 2400, 2400)]},
         ("week", "USD", [([], 2400, 2400)])),
        ({"compensationTiers": [], "summaryComponents": [salary("1 HOUR", 45, None)]},
         ("hour", "USD", [([], 45, 45)])),
        ({"compensationTiers": [], "summaryComponents": [salary("2 WEEK", 4000, 4000)]}, None),
        ({"compensationTiers": [], "summaryComponents": []}, None),
        ({"compensationTiers": [{"title": None, "components": [salary("1 HOUR", None, None)]}]},
         None),
        (None, None),
    ],
)  # fmt: skip
def test_ashby_compensation(compensation, expected):
    pay = pay_text.ashby_pay(compensation)
    if expected is None:
        assert pay is None
    else:
        unit, currency, rows = expected
        assert (pay["unit"], pay["currency"]) == (unit, currency)
        assert [(r["states"], r["min"], r["max"]) for r in pay["ranges"]] == rows


@pytest.mark.parametrize(
    ("text", "unit"),
    [("$45/hr", "hour"), ("per hour", "hour"), ("Hourly", "hour"), ("Annual salary", "year"),
     ("$90k/yr", "year"), ("Monthly stipend", "month"), ("per week", "week"), ("Range", None)],
)  # fmt: skip
def test_unit_words(text, unit):
    assert pay_text.unit_from_words(text) == unit


def test_twice_escaped_greenhouse_content_is_read_as_html():
    once = "&lt;p&gt;Fish &amp;amp; chips&lt;/p&gt;"
    twice = "&amp;lt;p&amp;gt;Fish &amp;amp;amp; chips&amp;lt;/p&amp;gt;"
    assert content_html(once) == "<p>Fish &amp; chips</p>"
    assert content_html(twice) == "<p>Fish &amp; chips</p>"
