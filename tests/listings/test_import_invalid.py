"""Invalid input never writes anything and always names the record and the field."""

import json

import pytest

from companies.models import Company
from listings.importers import reading
from listings.models import Category, Location, Posting, Skill

from .importing import failed_import, run_import, seed_record, write_file

pytestmark = pytest.mark.django_db


def _nothing_written():
    return not (
        Posting.objects.exists()
        or Company.objects.exists()
        or Skill.objects.exists()
        or Category.objects.exists()
        or Location.objects.exists()
    )


def _with(**changes):
    record = seed_record()
    for key, value in changes.items():
        if value is _DROP:
            record.pop(key)
        else:
            record[key] = value
    return record


_DROP = object()
SEED_PAY = seed_record()["pay"]


def _pay(*ranges, unit="hour"):
    return {"currency": "USD", "unit": unit, "ranges": list(ranges)}


INVALID = [
    ("title", "\u0000 NUL", "title: contains a NUL byte"),
    ("about_role", "<p>\ud800</p>", "about_role: contains an unpaired surrogate"),
    ("title", 5, "title: must be text, not a number"),
    ("skills", ["ok", "bad\u0000"], "skills[1]: contains a NUL byte"),
    ("company", {"name": "A\ud83d"}, "company.name: contains an unpaired surrogate"),
    ("hours_per_week", float("nan"), "hours_per_week: must be a whole number, not NaN"),
    ("responsibilities", float("inf"), "responsibilities: must be text, not Infinity"),
    ("title", "   ", "title: is required"),
    ("title", "x" * 201, "title: is longer than 200 characters"),
    ("external_id", _DROP, "external_id: is required"),
    ("external_id", ["a"], "external_id: must be text, not a list"),
    ("company", _DROP, "company: is required"),
    ("company", {"name": "A", "ceo": "B"}, "company.ceo: is not a field"),
    ("company", {"name": "A", "size": -1}, "company.size: must be between 0"),
    ("company", {"name": "A", "website": "ftp://a.example.com"}, "company.website: is not"),
    ("company", {"name": "A", "website": "http://127.0.0.1.nip.io/"}, "wildcard-DNS"),
    ("company", {"name": "A", "website": "https://good.com@evil.com/"}, "user name"),
    ("apply_url", "https://xn--80ak6aa92e.com/", "imitate Latin"),
    ("work_mode", "space", "work_mode: must be one of remote, hybrid, onsite, not 'space'"),
    ("internship_type", "FULL_TIME", "internship_type: must be one of full_time, part_time"),
    ("visa_sponsorship", "maybe", "visa_sponsorship: must be one of yes, no"),
    ("status", "archived", "status: must be one of draft, pending, published, closed"),
    ("posted_on", "2026-02-30", "posted_on: is not a date (YYYY-MM-DD)"),
    ("posted_on", 20260206, "posted_on: must be a date as YYYY-MM-DD text"),
    ("closes_on", "2026-01-01", "closes_on: is before the posted date"),
    ("hours_per_week", 0, "hours_per_week: must be between 1 and 168"),
    ("hours_per_week", True, "hours_per_week: must be a whole number, not true/false"),
    ("hours_per_week", 37.5, "hours_per_week: must be a whole number"),
    ("language", "x" * 51, "language: is longer than 50 characters"),
    ("skills", "Python", "skills: must be a list, not text"),
    ("skills", ["Python", None], "skills[1]: is required"),
    ("terms", ["x" * 101], "terms[0]: is longer than 100 characters"),
    ("locations", ["x" * 201], "locations[0]: is longer than 200 characters"),
    ("apply_url", "javascript:alert(1)", "apply_url: The URL must start with http"),
    ("apply_url", "https://127.0.0.1/apply", "apply_url: The URL must use a host name"),
    (
        "apply_url",
        "https://localhost/apply",
        "apply_url: The URL must not point at localhost",
    ),
    ("apply_url", "https://user@evil.example.com/", "apply_url: The URL must not carry"),
    ("apply_url", "", "apply_url: Enter the company's application URL"),
    ("apply_url", "https://a.example.com/" + "x" * 2048, "apply_url: The URL is longer"),
    ("salary", 10, "salary: is not a field of the import format"),
    ("pay", "$44-$52", "pay: must be an object, not text"),
    ("pay", _pay({"states": ["CA"], "min": 0, "max": 5}), "pay.ranges[0].min: must be more than 0"),
    ("pay", _pay({"states": [], "min": 9, "max": 5}), "pay.ranges[0].max: is below the minimum"),
    ("pay", _pay({"states": ["CA"], "min": "9", "max": 10}), "pay.ranges[0].min: must be a number"),
    ("pay", _pay({"states": ["XX"], "min": 9, "max": 10}), "pay.ranges[0].states[0]: is not a US"),
    ("pay", _pay({"min": 1.005, "max": 10}), "pay.ranges[0].min: has more than 2 decimal places"),
    ("pay", _pay({"min": 1e12, "max": 1e12}), "pay.ranges[0].min: must be at most"),
    ("pay", _pay({"min": 1, "max": 2}, unit="day"), "pay.unit: must be one of hour, week"),
    ("pay", {**SEED_PAY, "currency": "dollars"}, "pay.currency: is longer than 3 characters"),
    (
        "pay",
        _pay({"states": ["CA", "NY"], "min": 9, "max": 10}, {"states": ["ny"], "min": 1, "max": 2}),
        "pay.ranges[1].states[0]: NY is already in pay.ranges[0]",
    ),
    (
        "pay",
        _pay({"states": [], "min": 9, "max": 10}, {"min": 1, "max": 2}),
        'pay.ranges[1].states: a second "all other states" range',
    ),
]


@pytest.mark.parametrize(("field", "value", "message"), INVALID)
def test_an_invalid_field_names_record_and_field_and_writes_nothing(
    tmp_path, field, value, message
):
    records = [_with(external_id="good-one"), _with(**{field: value})]
    error, err = failed_import(write_file(tmp_path, "feed.json", records))
    assert error.startswith("1 invalid record in ")
    assert "nothing was written" in error
    line = err.strip().splitlines()[0]
    assert line.startswith("record 1"), "the second record of the array is record 1"
    assert message in line
    assert _nothing_written()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"min": NaN', "pay.ranges[0].min: NaN is not a number"),
        ('"min": Infinity', "pay.ranges[0].min: Infinity is not a number"),
        ('"min": -Infinity', "pay.ranges[0].min: -Infinity is not a number"),
    ],
)
def test_nan_and_infinity_name_the_record(tmp_path, text, message):
    content = json.dumps([seed_record()]).replace('"min": 52', text, 1)
    error, err = failed_import(write_file(tmp_path, "feed.json", content))
    assert "record 0 (id 'seed-instacart-ml-phd-intern'): " + message in err
    assert _nothing_written()


def test_record_that_is_not_an_object(tmp_path):
    _, err = failed_import(write_file(tmp_path, "feed.json", [seed_record(), "hello"]))
    assert "record 1: (record): must be an object, not text" in err
    assert _nothing_written()


def test_lone_surrogate_in_a_field_name_is_reported_not_printed_raw(tmp_path):
    content = json.dumps([seed_record()]).replace('"language"', '"lang\\ud800"', 1)
    _, err = failed_import(write_file(tmp_path, "feed.json", content))
    assert "record 0 (id 'seed-instacart-ml-phd-intern'): lang\\ud800: is not a field" in err
    assert _nothing_written()


def test_two_records_with_the_same_id_are_both_reported(tmp_path):
    records = [seed_record(), _with(title="Another"), _with(external_id="other")]
    error, err = failed_import(write_file(tmp_path, "feed.json", records))
    assert error.startswith("2 invalid records")
    assert (
        "record 0 (id 'seed-instacart-ml-phd-intern'): external_id: is used by record 0 and record 1"
        in err
    )
    assert "record 1 (id 'seed-instacart-ml-phd-intern'): external_id: is used by" in err
    assert _nothing_written()


def test_skip_invalid_imports_the_rest_and_lists_what_it_skipped(tmp_path):
    records = [
        _with(external_id="a"),
        _with(external_id="b", apply_url="http://10.0.0.1/"),
        _with(external_id="c"),
        _with(external_id="c", title="Same id"),
    ]
    out, err = run_import(write_file(tmp_path, "feed.json", records), "--skip-invalid")
    assert "created 1, updated 0, unchanged 0, closed 0, skipped 0, invalid 3" in out
    assert list(Posting.objects.values_list("external_id", flat=True)) == ["a"]
    assert "record 1 (id 'b'): apply_url: The URL must use a host name" in err
    assert "record 2 (id 'c'): external_id: is used by record 2 and record 3" in err


def test_skip_invalid_with_close_missing_leaves_invalid_records_postings_open(tmp_path):
    records = [
        _with(external_id=name, apply_url=f"https://instacart.careers/current-openings/{name}")
        for name in "ab"
    ]
    run_import(write_file(tmp_path, "feed.json", records))
    records[1]["apply_url"] = "not a url"
    out, _ = run_import(
        write_file(tmp_path, "feed.json", records), "--skip-invalid", "--close-missing",
        "--source", "internboard-demo",
    )  # fmt: skip
    assert "unchanged 1, closed 0, skipped 0, invalid 1" in out
    assert Posting.objects.filter(status="published").count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"title": "x",}]', "the file is not valid JSON: Expecting property name"),
        ("[1, 2", "the file is not valid JSON"),
        ('{"title": "x"}\n{"title": ', "line 2 is not valid JSON"),
        ('{\n  "title": "x"\n}\n', "the file is not a list of records (it holds one object)"),
        ('"just text"', "the file is not a list of records (it holds a string)"),
        ("42", "the file is not a list of records"),
        ("", "the file is empty"),
        ("   \n", "the file is empty"),
        ("[" * 200_000 + "]" * 200_000, "nested too deeply"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is not UTF-8 text (byte 0x89 at offset 0)"),
        ('[{"title": "caf\u00e9"}]'.encode("latin-1"), "is not UTF-8 text (byte 0xe9"),
    ],
)
def test_a_broken_file_is_a_one_line_error(tmp_path, content, message):
    error, _ = failed_import(write_file(tmp_path, "feed.json", content), "--format", "canonical")
    assert message in error
    assert "\n" not in error
    assert _nothing_written()


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 1024 * 1024)
    path = write_file(tmp_path, "big.json", "[" + " " * (2 * 1024 * 1024) + "]")
    error, _ = failed_import(path)
    assert error.endswith("big.json is 2 MB; the limit is 1 MB")
    assert _nothing_written()


def test_the_default_size_limit_is_documented():
    assert reading.MAX_FILE_BYTES == 200 * 1024 * 1024


def test_a_missing_file_or_a_directory(tmp_path):
    error, _ = failed_import(tmp_path / "nope.json")
    assert "cannot read" in error and "No such file" in error
    error, _ = failed_import(tmp_path)
    assert "is not a file" in error


def test_a_csv_cell_over_the_field_limit(tmp_path):
    path = write_file(
        tmp_path, "feed.csv", 'external_id,title,company,apply_url\na,"' + "x" * 200_000 + '",b,c\n'
    )
    error, _ = failed_import(path)
    assert error.startswith("the CSV file is malformed at line")
    assert _nothing_written()


def test_a_bad_source_option(tmp_path):
    path = write_file(tmp_path, "feed.json", [seed_record()])
    error, _ = failed_import(path, "--source", "x" * 51)
    assert error == "--source must be 1 to 50 characters of text"
    assert _nothing_written()
