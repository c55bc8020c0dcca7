"""with_utm_source: the Apply Now destination is the stored URL plus utm_source."""

import pytest

from listings.links import with_utm_source


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
