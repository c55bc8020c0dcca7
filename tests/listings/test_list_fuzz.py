"""No query string a browser can send makes a page fail (docs/quality.md, Reliability).

Hypothesis throws random parameter lists at every browsing page: known and
unknown keys, repeated keys, NUL bytes, unicode, 100,000-character values and
raw percent-escapes that do not decode. Runs on whichever database
DATABASE_URL selects, so CI covers SQLite and PostgreSQL.
"""

from urllib.parse import quote

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listings.models import Posting

KNOWN_KEYS = [
    "q", "mode", "type", "state", "location", "min_pay", "sponsorship", "skill", "category",
    "term", "company", "posted", "size", "language", "sort", "page",
]  # fmt: skip
SPECIAL_VALUES = [
    "", " ", "\x00", "a\x00b", "x" * 100_000, "é" * 5_000, "TX", "tx", "remote", "pay",
    "relevance", "10001+", "1e999", "-1", "NaN", "inf", "0", "99999999999999999999999",
    "2.5", "summer-2030", "'; DROP TABLE listings_posting; --", "<script>alert(1)</script>",
    "%", "\\", "💸 intern", "ＴＸ", "\u202e", "\ufeff", "engineering & data | ! (",
]  # fmt: skip
RAW_FRAGMENTS = ["%FF", "%", "%%", "%zz", "=", "&&", "==x", "page=%C0%AF", "q=%00%00"]

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
keys = st.one_of(st.sampled_from(KNOWN_KEYS), text)
values = st.one_of(st.sampled_from(SPECIAL_VALUES), text)
pairs = st.lists(st.tuples(keys, values), max_size=8)
fragments = st.lists(st.sampled_from(RAW_FRAGMENTS), max_size=3)


def query_string(pair_list, raw):
    encoded = [f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pair_list]
    return "&".join(encoded + raw)


@pytest.fixture
def pages(db):
    """Demo data, made once per page: the requests only read it, so every
    Hypothesis example of a test can share it."""
    call_command("load_demo", postings=40)
    posting = Posting.objects.get(external_id="seed-instacart-ml-phd-intern")
    return {
        "home": "/",
        "list": "/internships/",
        "detail": posting.get_absolute_url(),
        "companies": "/companies/",
        "company": posting.company.get_absolute_url(),
    }


@pytest.mark.parametrize("page", ["home", "list", "detail", "companies", "company"])
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pair_list=pairs, raw=fragments)
def test_no_query_string_breaks_a_page(client, pages, page, pair_list, raw):
    response = client.get(pages[page], QUERY_STRING=query_string(pair_list, raw) or "x")
    if page == "list" and response.status_code == 301:
        # Empty parameters are dropped from the address, once.
        response = client.get(response["Location"])
    assert response.status_code == 200, (page, pair_list, raw)
