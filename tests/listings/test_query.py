"""The query parser and the abbreviation table: plain Python, no database."""

import pytest

from listings.query import ABBREVIATIONS, expand, parse

F = dict  # the filters expected, by parameter

PARSED = [
    # query, remaining text, filters taken out
    ("remote python internships in texas over $30/hr", "python",
     F(mode=["remote"], state=["TX"], min_pay=["30"])),
    ("python", "python", F()),
    ("", "", F()),
    ("nyc", "", F(location=["New York, NY"])),
    ("NYC software", "software", F(location=["New York, NY"])),
    ("new york city design", "design", F(location=["New York, NY"])),
    ("new york", "", F(state=["NY"])),
    ("machine learning new york", "machine learning", F(state=["NY"])),
    ("ml", "ml", F()),
    ("remote python", "python", F(mode=["remote"])),
    ("Remote", "", F(mode=["remote"])),
    ("hybrid data", "data", F(mode=["hybrid"])),
    ("onsite hardware", "hardware", F(mode=["onsite"])),
    ("on-site hardware", "hardware", F(mode=["onsite"])),
    ("in person design", "design", F(mode=["onsite"])),
    ("wfh writing", "writing", F(mode=["remote"])),
    ("remote or hybrid", "or", F(mode=["remote", "hybrid"])),
    ("texas", "", F(state=["TX"])),
    ("Texas", "", F(state=["TX"])),
    ("TX", "", F(state=["TX"])),
    ("tx", "tx", F()),  # lowercase two letters: not guessed
    ("in tx", "", F(state=["TX"])),
    ("data in ca", "data", F(state=["CA"])),
    ("CA data", "data", F(state=["CA"])),
    ("north carolina", "", F(state=["NC"])),
    ("south dakota ag", "ag", F(state=["SD"])),
    ("washington", "", F(state=["WA"])),
    ("washington software", "software", F(state=["WA"])),
    ("washington dc policy", "policy", F(location=["Washington, DC"])),
    ("Washington DC", "", F(location=["Washington, DC"])),
    ("washington d.c.", "", F(location=["Washington, DC"])),
    ("dc policy", "policy", F(location=["Washington, DC"])),
    ("OR", "OR", F()),  # a word, not Oregon
    ("python OR java", "python OR java", F()),
    ("jobs in OR", "", F(state=["OR"])),  # after "in": Oregon
    ("IN", "", F()),  # the noise word
    ("me", "me", F()),  # mechanical engineering, not Maine
    ("ME intern", "ME intern", F()),
    ("in me", "", F(state=["ME"])),
    ("pa", "pa", F()),
    ("PA", "PA", F()),  # ambiguous even in capitals
    ("in pa", "", F(state=["PA"])),
    ("la", "", F(location=["Los Angeles, CA"])),
    ("sf backend", "backend", F(location=["San Francisco, CA"])),
    ("san francisco", "", F(location=["San Francisco, CA"])),
    ("seattle", "", F(location=["Seattle, WA"])),
    ("salt lake city", "", F(location=["Salt Lake City, UT"])),
    ("boston or seattle", "or seattle", F(location=["Boston, MA"])),  # one location filter
    ("texas california", "california", F(state=["TX"])),  # one state filter
    ("over $30/hr", "", F(min_pay=["30"])),
    ("$40+", "", F(min_pay=["40"])),
    ("$40+ swe", "swe", F(min_pay=["40"])),
    ("at least 25 an hour", "", F(min_pay=["25"])),
    ("at least $25 an hour", "", F(min_pay=["25"])),
    ("25 per hour data", "data", F(min_pay=["25"])),
    ("30/hr", "", F(min_pay=["30"])),
    ("$32.50/hour", "", F(min_pay=["32.50"])),
    ("above $20", "", F(min_pay=["20"])),
    ("more than 45 dollars an hour", "", F(min_pay=["45"])),
    ("$50", "", F(min_pay=["50"])),
    ("$40k", "$40k", F()),  # a salary, not an hourly floor
    ("python 3", "python 3", F()),  # a bare number is not pay
    ("2026", "2026", F()),
    ("summer 2026", "", F(term=["summer-2026"])),
    ("Summer 2026 python", "python", F(term=["summer-2026"])),
    ("fall 2025 co-op", "co-op", F(term=["fall-2025"])),
    ("autumn 2026", "", F(term=["fall-2026"])),
    ("spring '27", "spring '27", F()),
    ("internships", "", F()),
    ("internship jobs", "", F()),
    ("data science internships in new york", "data science", F(state=["NY"])),
    ("remote ml internships summer 2026 over $35/hr", "ml",
     F(mode=["remote"], term=["summer-2026"], min_pay=["35"])),
    ("software engineer, texas", "software engineer", F(state=["TX"])),
    ("Austin", "", F(location=["Austin, TX"])),
    ("remote sensing", "sensing", F(mode=["remote"])),
]  # fmt: skip


@pytest.mark.parametrize(("q", "text", "filters"), PARSED)
def test_parse(q, text, filters):
    parsed = parse(q)
    assert parsed.text == text
    found = {}
    for item in parsed.found:
        found.setdefault(item.param, []).append(item.value)
    assert found == filters


def test_the_table_is_large_enough():
    assert len(PARSED) >= 60


def test_removing_one_filter_keeps_the_others():
    parsed = parse("remote python internships in texas over $30/hr")
    state = next(f for f in parsed.found if f.param == "state")
    rest = parse(parsed.without(state))
    assert rest.text == "python"
    assert [(f.param, f.value) for f in rest.found] == [("mode", "remote"), ("min_pay", "30")]
    # Without the text: only the filters remain.
    assert parse(parsed.without(None)).text == ""


EXPANDED = [
    ("nyc", [("nyc",)]),
    ("ml", [("ml", "machine learning")]),
    ("machine learning", [("machine learning", "ml")]),
    ("ai", [("ai", "artificial intelligence")]),
    ("swe", [("swe", "software engineer", "software engineering")]),
    ("sde", [("sde", "software development engineer", "software engineer")]),
    ("ds", [("ds", "data science", "data scientist")]),
    ("pm", [("pm", "product manager", "product management", "project manager")]),
    ("ux", [("ux", "user experience")]),
    ("qa", [("qa", "quality assurance")]),
    ("ee", [("ee", "electrical engineering", "electrical engineer")]),
    ("me", [("me", "mechanical engineering", "mechanical engineer")]),
    ("co-op", [("co-op", "coop", "co op")]),
    ("ml phd", [("ml", "machine learning"), ("phd",)]),
    ("Python, SQL", [("python",), ("sql",)]),
    ("python python", [("python",)]),
]


@pytest.mark.parametrize(("text", "groups"), EXPANDED)
def test_expand(text, groups):
    found = expand(text)
    assert len(found) == len(groups)
    for group, expected in zip(found, groups, strict=True):
        assert group.alternatives[: len(expected)] == tuple(expected)


@pytest.mark.parametrize(
    ("text", "cities", "states", "countries"),
    [
        ("nyc", ("New York",), (), ()),
        ("sf", ("San Francisco",), (), ()),
        ("la", ("Los Angeles",), (), ()),
        ("dc", ("Washington",), (), ()),
        ("texas", (), ("TX",), ()),
        ("tx", (), ("TX",), ()),
        ("canada", (), (), ("CA",)),
        ("germany", (), (), ("DE",)),
    ],
)
def test_places_in_the_search(text, cities, states, countries):
    (group,) = expand(text)
    assert group.place.cities == cities
    assert group.place.states == states
    assert group.place.countries == countries


def test_bay_area_is_its_cities():
    (group,) = expand("bay area")
    assert {"San Francisco", "San Jose", "Palo Alto"} <= set(group.place.cities)


def test_every_abbreviation_expands():
    for short, longs in ABBREVIATIONS.items():
        assert expand(short)[0].alternatives[1:][: len(longs)] == tuple(longs)
