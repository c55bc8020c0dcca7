from decimal import Decimal

import pytest

from listings import pay

SEED = [
    pay.Range(Decimal(52), Decimal(52), frozenset({"CA", "NY", "CT", "NJ"})),
    pay.Range(Decimal(50), Decimal(50), frozenset({"WA"})),
    pay.Range(
        Decimal(48), Decimal(48), frozenset("OR DE ME MA MD NH RI VT DC PA VA CO TX IL HI".split())
    ),
    pay.Range(Decimal(44), Decimal(44)),
]


@pytest.mark.parametrize(
    ("state", "expected"),
    [("CA", 52), ("NY", 52), ("WA", 50), ("TX", 48), ("DC", 48), ("FL", 44), ("tx", 48)],
)
def test_effective_range_in_seed_states(state, expected):
    assert pay.effective_range(SEED, state).max == expected


def test_unknown_state_falls_back_to_all_other_states():
    assert pay.effective_range(SEED, "ZZ").max == 44
    assert pay.effective_range(SEED, None).max == 44


def test_no_other_states_range_means_unknown():
    assert pay.effective_range(SEED[:2], "FL") is None
    assert pay.effective_range([], "CA") is None


def test_overall_range_is_lowest_min_to_highest_max():
    assert pay.overall_range(SEED) == (44, 52)
    assert pay.format_range(*pay.overall_range(SEED)) == "$44 - $52"
    assert pay.overall_range([]) is None


@pytest.mark.parametrize(
    ("amount", "unit", "hours", "expected"),
    [
        (20, "hour", None, "20.00"),
        (800, "week", None, "20.00"),
        (800, "week", 20, "40.00"),
        (4000, "month", None, "23.08"),
        (52000, "year", 40, "25.00"),
    ],
)
def test_hourly_equivalents(amount, unit, hours, expected):
    assert pay.hourly(amount, unit, hours) == Decimal(expected)


def test_unknown_unit_is_an_error():
    with pytest.raises(ValueError):
        pay.hourly(1, "fortnight")


def test_format_amounts():
    assert pay.format_range(52, 52) == "$52"
    assert pay.format_amount(Decimal("22.50")) == "$22.50"
    assert pay.format_amount(60000) == "$60,000"
    assert pay.format_amount(30, "CAD") == "CA$30"
    assert pay.format_amount(30, "CHF") == "30 CHF"


# --- the rules of a set of ranges (pay.check_ranges) --------------------------------


def codes(ranges):
    return [(p.code, p.index) for p in pay.check_ranges(ranges)]


def test_valid_ranges_have_no_problem():
    assert codes([(52, 52, ["CA", "ny"]), (48, 50, ["TX"]), (44, 44, [])]) == []
    assert codes([]) == []


def test_each_rule_of_a_set_of_ranges():
    assert codes([(0, 5, [])]) == [("not_positive", 0)]
    assert codes([(9, 5, [])]) == [("max_below_min", 0)]
    assert codes([(1, 5, ["ZZ"])]) == [("unknown_state", 0)]
    assert codes([(1, 5, ["CA"]), (1, 5, ["ca", "TX"])]) == [("repeated_state", 1)]
    assert codes([(1, 5, []), (2, 6, ["CA"]), (3, 7, [])]) == [("second_other_states", 2)]


def test_problems_say_where_and_what():
    [repeated] = pay.check_ranges([(1, 5, ["CA"]), (1, 5, ["TX", "ca"])])
    assert (repeated.value, repeated.first, repeated.position) == ("CA", 0, 1)
    [unknown] = pay.check_ranges([(1, 5, ["TX", "Narnia"])])
    assert (unknown.value, unknown.position) == ("Narnia", 1)
    # Amounts the caller could not read (None) are its own to report.
    assert codes([(None, None, [])]) == []
