"""with_utm_source: the Apply Now destination is the stored URL plus utm_source."""

import pytest

from listings.links import canonical_apply_url, strip_tracking, with_utm_source


@pytest.mark.parametrize(
    ("stored", "destination"),
    [
        ("https://jobs.example.com", "https://jobs.example.com?utm_source=internboard"),
        ("https://jobs.example.com/", "https://jobs.example.com/?utm_source=internboard"),
        (
            "https://jobs.example.com/apply/1",
            "https://jobs.example.com/apply/1?utm_source=internboard",
        ),
        (
            "https://jobs.example.com/apply?b=2&a=1&b=3",
            "https://jobs.example.com/apply?b=2&a=1&b=3&utm_source=internboard",
        ),
        (
            "https://jobs.example.com/apply?gh_jid=7#app",
            "https://jobs.example.com/apply?gh_jid=7&utm_source=internboard#app",
        ),
        (
            "https://jobs.example.com/apply#section?x=1",
            "https://jobs.example.com/apply?utm_source=internboard#section?x=1",
        ),
        (
            "https://jobs.example.com/apply?#top",
            "https://jobs.example.com/apply?utm_source=internboard#top",
        ),
        (
            "https://jobs.example.com/apply?a=1&",
            "https://jobs.example.com/apply?a=1&utm_source=internboard",
        ),
        # Other parameters keep their exact encoding, empty values and flags.
        (
            "https://jobs.example.com/a%20b?q=a+b&x=%2F%3F&flag&empty=",
            "https://jobs.example.com/a%20b?q=a+b&x=%2F%3F&flag&empty=&utm_source=internboard",
        ),
        # Other utm_* parameters are not a utm_source.
        (
            "https://jobs.example.com/?utm_medium=board&utm_sourcex=1",
            "https://jobs.example.com/?utm_medium=board&utm_sourcex=1&utm_source=internboard",
        ),
        # A utm_source in the fragment is never sent to the company's server.
        (
            "https://jobs.example.com/#utm_source=x",
            "https://jobs.example.com/?utm_source=internboard#utm_source=x",
        ),
    ],
)
def test_adds_utm_source_and_keeps_everything_else(stored, destination):
    assert with_utm_source(stored) == destination


@pytest.mark.parametrize(
    "stored",
    [
        "https://jobs.example.com/?utm_source=linkedin",
        "https://jobs.example.com/?a=1&utm_source=linkedin&b=2#frag",
        "https://jobs.example.com/?utm_source=",
        "https://jobs.example.com/?utm_source",
        "https://jobs.example.com/?utm%5Fsource=newsletter",
    ],
)
def test_keeps_an_existing_utm_source(stored):
    assert with_utm_source(stored) == stored


def test_source_can_be_named():
    assert (
        with_utm_source("https://a.example.com/", "feed")
        == "https://a.example.com/?utm_source=feed"
    )


@pytest.mark.parametrize(
    ("found", "stored"),
    [
        ("https://jobs.example.com/apply/1", "https://jobs.example.com/apply/1"),
        (
            "https://jobs.example.com/apply/1?utm_source=ouckah",
            "https://jobs.example.com/apply/1",
        ),
        (
            "https://jobs.example.com/apply/1?utm_source=RM&utm_medium=list&id=7",
            "https://jobs.example.com/apply/1?id=7",
        ),
        (
            "https://boards.greenhouse.io/acme/jobs/12?gh_src=abc&gh_jid=12",
            "https://boards.greenhouse.io/acme/jobs/12?gh_jid=12",
        ),
        (
            "https://jobs.example.com/a?ref=simplify&src=x&source=joveo",
            "https://jobs.example.com/a",
        ),
        (
            "https://jobs.example.com/a?UTM_Campaign=x&b=2#apply",
            "https://jobs.example.com/a?b=2#apply",
        ),
        (
            "https://jobs.example.com/a?q=a%20b&utm_term=x&z=%2F",
            "https://jobs.example.com/a?q=a%20b&z=%2F",
        ),
        ("https://jobs.example.com/a?fbclid=1&gclid=2", "https://jobs.example.com/a"),
        ("https://jobs.example.com/a?reference=7", "https://jobs.example.com/a?reference=7"),
        ("https://jobs.example.com/a#x?utm_source=y", "https://jobs.example.com/a#x?utm_source=y"),
    ],
)
def test_strip_tracking_removes_other_sites_tracking_and_nothing_else(found, stored):
    assert strip_tracking(found) == stored


def test_a_stripped_url_still_gets_our_utm_source_on_the_way_out():
    stored = strip_tracking("https://jobs.example.com/a?utm_source=ouckah&id=3")
    assert with_utm_source(stored) == "https://jobs.example.com/a?id=3&utm_source=internboard"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("HTTPS://Jobs.Example.COM/apply/1/", "https://jobs.example.com/apply/1"),
        ("https://jobs.example.com/apply/1#top", "https://jobs.example.com/apply/1"),
        ("https://jobs.example.com/apply/1?utm_source=RM", "https://jobs.example.com/apply/1"),
        ("https://jobs.example.com/a?b=2&a=1&ref=x", "https://jobs.example.com/a?a=1&b=2"),
        ("https://jobs.example.com:443/a", "https://jobs.example.com/a"),
    ],
)
def test_canonical_apply_url_matches_the_same_job(one, other):
    assert canonical_apply_url(one) == canonical_apply_url(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://jobs.example.com/apply/1", "https://jobs.example.com/apply/2"),
        ("https://jobs.example.com/Apply/1", "https://jobs.example.com/apply/1"),
        ("https://jobs.example.com/a?id=1", "https://jobs.example.com/a?id=2"),
        ("https://jobs.example.com/a", "https://other.example.com/a"),
        ("https://jobs.example.com:8443/a", "https://jobs.example.com/a"),
    ],
)
def test_canonical_apply_url_keeps_different_jobs_apart(one, other):
    assert canonical_apply_url(one) != canonical_apply_url(other)
