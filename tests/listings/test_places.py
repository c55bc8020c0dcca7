import pytest

from listings.places import Place, parse_location, split_locations


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("San Francisco, CA", Place("San Francisco, CA", "San Francisco", "CA", "US")),
        ("  Austin,\tTX ", Place("Austin, TX", "Austin", "TX", "US")),
        ("Minnetonka, MN.", Place("Minnetonka, MN", "Minnetonka", "MN", "US")),
        ("Sunnyvale CA", Place("Sunnyvale, CA", "Sunnyvale", "CA", "US")),
        ("Austin, TX, USA", Place("Austin, TX", "Austin", "TX", "US")),
        ("Austin, TX US", Place("Austin, TX", "Austin", "TX", "US")),
        ("Denver, Colorado, United States", Place("Denver, CO", "Denver", "CO", "US")),
        ("USA, WA, Seattle", Place("Seattle, WA", "Seattle", "WA", "US")),
        (
            "La Jolla, San Diego, CA",
            Place("La Jolla, San Diego, CA", "La Jolla, San Diego", "CA", "US"),
        ),
        ("Toronto, ON, Canada", Place("Toronto, ON, Canada", "Toronto", "ON", "CA")),
        (
            "Vancouver, British Columbia, Canada",
            Place("Vancouver, BC, Canada", "Vancouver", "BC", "CA"),
        ),
        ("NYC", Place("New York, NY", "New York", "NY", "US")),
        ("SF", Place("San Francisco, CA", "San Francisco", "CA", "US")),
        ("LA", Place("Los Angeles, CA", "Los Angeles", "CA", "US")),
        ("United States", Place("United States", country="US")),
        ("California", Place("California", region="CA", country="US")),
        ("Ontario", Place("Ontario, Canada", region="ON", country="CA")),
        ("London, UK", Place("London, United Kingdom", "London", "", "GB")),
        ("Paris, FR", Place("Paris, France", "Paris", "", "FR")),
        ("Kyiv, Ukraine", Place("Kyiv, Ukraine", "Kyiv", "", "UA")),
        ("Remote in USA", Place("United States", country="US", remote=True)),
        ("US - Remote", Place("United States", country="US", remote=True)),
        ("Remote in Canada", Place("Canada", country="CA", remote=True)),
        ("Remote", Place("Remote", remote=True)),
        ("Multiple US Locations", Place("Multiple US Locations", country="US")),
        ("Multiple Locations", Place("Multiple Locations")),
        ("Dallas-Fort Worth Metroplex", Place("Dallas-Fort Worth Metroplex")),
    ],
)
def test_parse_location(text, place):
    assert parse_location(text) == place


def test_an_empty_string_is_no_place():
    assert parse_location("  ") is None


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Austin, TX Chicago, IL", ["Austin, TX", "Chicago, IL"]),
        ("Purchase, NY <br> Plano, TX", ["Purchase, NY", "Plano, TX"]),
        ("Dallas, TX or Scottsdale, AZ", ["Dallas, TX", "Scottsdale, AZ"]),
        ("Greensboro, NC or Simsbury, CT or Remote", ["Greensboro, NC", "Simsbury, CT", "Remote"]),
        ("Bridgewater USA; Austin USA", ["Bridgewater USA", "Austin USA"]),
        (
            "Basking Ridge, New Jersey Lake Mary, Florida",
            ["Basking Ridge, New Jersey", "Lake Mary, Florida"],
        ),
        ("Toronto, ON, Canada", ["Toronto, ON, Canada"]),
        ("New York, New York, United States", ["New York, New York, United States"]),
        ("Remote in USA", ["Remote in USA"]),
    ],
)
def test_split_locations(text, parts):
    assert split_locations(text) == parts
