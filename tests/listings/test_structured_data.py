"""The schema.org JobPosting JSON-LD that search engines read on posting pages."""

import datetime
import json
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.utils import timezone

from listings import structured_data
from listings.models import InternshipType, Posting, Status, WorkMode
from tests.factories import make_company, make_posting

pytestmark = pytest.mark.django_db

PAYLOAD = "</script><script>alert(1)</script>"


class Elements(HTMLParser):
    """Collects <script> and <meta> elements the way a browser tokenises them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts = []  # (attrs, text)
        self.metas = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._script = (dict(attrs), [])
        elif tag == "meta":
            self.metas.append(dict(attrs))

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None


def parse_page(client, posting):
    response = client.get(posting.get_absolute_url())
    assert response.status_code == 200
    elements = Elements()
    elements.feed(response.content.decode())
    elements.close()
    return elements


def json_ld(client, posting):
    elements = parse_page(client, posting)
    found = [
        json.loads(text)
        for attrs, text in elements.scripts
        if attrs.get("type") == "application/ld+json"
    ]
    assert len(found) == 1, "an open posting page embeds exactly one JSON-LD script"
    return found[0]


def assert_google_required(data):
    assert data["@context"] in ("https://schema.org/", "https://schema.org")
    assert data["@type"] == "JobPosting"
    for key in ("title", "description", "datePosted", "hiringOrganization"):
        assert data[key], f"{key} is required"
    assert data["hiringOrganization"]["name"]
    assert "jobLocation" in data or (
        data.get("jobLocationType") == "TELECOMMUTE" and data["applicantLocationRequirements"]
    )


@pytest.fixture
def seed():
    call_command("load_demo", postings=0)
    return Posting.objects.get(external_id="seed-instacart-ml-phd-intern")


def test_seed_posting_json_ld(client, seed):
    data = json_ld(client, seed)
    assert_google_required(data)
    assert data["title"] == "Machine Learning Engineer, PhD Intern"
    assert data["description"] == seed.about_role
    assert "We're transforming the grocery industry" in data["description"]
    assert data["datePosted"] == "2026-02-06"
    assert "validThrough" not in data
    assert data["employmentType"] == ["INTERN", "FULL_TIME"]
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Instacart",
        "sameAs": "https://www.instacart.com",
        "url": "https://www.instacart.com",
    }
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [{"@type": "Country", "name": "US"}]
    assert "jobLocation" not in data
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {"@type": "QuantitativeValue", "minValue": 44, "maxValue": 52, "unitText": "HOUR"},
    }
    assert data["directApply"] is False
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "name": "Internboard",
        "value": str(seed.pk),
    }
    assert data["url"] == f"http://testserver{seed.get_absolute_url()}"
    assert "Machine Learning" in data["skills"]
    assert "User Behavior Prediction" in data["skills"]
    assert data["workHours"] == "40 hours per week"
    assert data["responsibilities"].startswith("The intern will work on high-impact problems")


def test_onsite_posting_json_ld(client):
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    posting = make_posting(
        title="Data Analyst Intern",
        company=make_company(name="Acme Analytics", website="https://acme.example.com"),
        work_mode=WorkMode.ONSITE,
        internship_type=InternshipType.PART_TIME,
        locations=["San Francisco, CA", "Toronto, ON, Canada"],
        closes_on=deadline,
        hours_per_week=20,
        responsibilities="Build dashboards.",
        about_role="<p>Work with our data team.</p>",
        skills=["SQL", "Python"],
        pay=[(60000, 65000, ["CA"]), (52000.50, 58000, [])],
        currency="CAD",
        unit="year",
    )
    data = json_ld(client, posting)
    assert_google_required(data)
    assert data["title"] == "Data Analyst Intern"
    assert data["description"] == "<p>Work with our data team.</p>"
    assert data["employmentType"] == ["INTERN", "PART_TIME"]
    assert data["hiringOrganization"]["sameAs"] == "https://acme.example.com"
    assert "jobLocationType" not in data
    assert "applicantLocationRequirements" not in data
    addresses = sorted(
        (place["@type"], place["address"]["@type"], json.dumps(place["address"], sort_keys=True))
        for place in data["jobLocation"]
    )
    assert [a[:2] for a in addresses] == [("Place", "PostalAddress")] * 2
    assert {
        "@type": "PostalAddress",
        "addressLocality": "San Francisco",
        "addressRegion": "CA",
        "addressCountry": "US",
    } in [place["address"] for place in data["jobLocation"]]
    assert {
        "@type": "PostalAddress",
        "addressLocality": "Toronto",
        "addressRegion": "ON",
        "addressCountry": "CA",
    } in [place["address"] for place in data["jobLocation"]]
    assert data["baseSalary"]["currency"] == "CAD"
    assert data["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "minValue": 52000.5,
        "maxValue": 65000,
        "unitText": "YEAR",
    }
    assert data["validThrough"].startswith(f"{deadline.isoformat()}T23:59:59")
    assert data["workHours"] == "20 hours per week"
    assert data["skills"] == "Python, SQL"
    assert data["responsibilities"] == "Build dashboards."


def test_hybrid_posting_has_job_location_and_weekly_or_monthly_units(client):
    weekly = make_posting(
        work_mode=WorkMode.HYBRID, locations=["Austin, TX"], pay=[(800, 900, [])], unit="week"
    )
    monthly = make_posting(
        work_mode=WorkMode.HYBRID, locations=["Austin, TX"], pay=[(4000, 5000, [])], unit="month"
    )
    data = json_ld(client, weekly)
    assert_google_required(data)
    assert data["jobLocation"][0]["address"]["addressRegion"] == "TX"
    assert data["baseSalary"]["value"]["unitText"] == "WEEK"
    assert json_ld(client, monthly)["baseSalary"]["value"]["unitText"] == "MONTH"


def test_remote_posting_lists_each_country_of_its_locations(client):
    posting = make_posting(work_mode=WorkMode.REMOTE, locations=["United States", "Canada"])
    data = json_ld(client, posting)
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "CA"},
        {"@type": "Country", "name": "US"},
    ]


def test_posting_without_pay_has_no_base_salary(client):
    data = json_ld(client, make_posting())
    assert "baseSalary" not in data


def test_script_in_any_field_cannot_end_the_json_ld_element(client):
    posting = make_posting(
        title=f"Intern {PAYLOAD}",
        company=make_company(name=f"Evil {PAYLOAD} Inc"),
        responsibilities=f"Do things {PAYLOAD} & more \u2028 done",
        about_role=f"<p>About {PAYLOAD}</p>",
        skills=[f"Skill {PAYLOAD}"],
    )
    elements = parse_page(client, posting)

    assert [text for _, text in elements.scripts if "alert(1)" in text and "{" not in text] == []
    ld = [text for attrs, text in elements.scripts if attrs.get("type") == "application/ld+json"]
    assert len(ld) == 1
    assert "<" not in ld[0] and ">" not in ld[0]
    data = json.loads(ld[0])
    assert_google_required(data)
    assert data["title"] == f"Intern {PAYLOAD}"
    assert data["hiringOrganization"]["name"] == f"Evil {PAYLOAD} Inc"
    assert data["responsibilities"] == f"Do things {PAYLOAD} & more \u2028 done"
    assert data["skills"] == f"Skill {PAYLOAD}"


def test_script_in_the_description_cannot_end_the_json_ld_element():
    # about_role is cleaned when saved, so a raw </script> cannot reach the
    # page through the model; the embedding must hold on its own regardless.
    posting = make_posting(title=f"Intern {PAYLOAD}")
    posting.about_role = f"<p>About {PAYLOAD}</p><!-- x -->"
    url = "https://internboard.example/internships/1/intern/"
    html = structured_data.json_ld_script(structured_data.job_posting(posting, url))

    elements = Elements()
    elements.feed(f"<head>{html}<script>/* marker */</script></head>")
    elements.close()
    assert len(elements.scripts) == 2, "the JSON-LD is one element, then the marker"
    attrs, text = elements.scripts[0]
    assert attrs == {"type": "application/ld+json"}
    data = json.loads(text)
    assert data["description"] == f"<p>About {PAYLOAD}</p><!-- x -->"
    assert data["title"] == f"Intern {PAYLOAD}"


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Status.CLOSED},
        {"closes_on": datetime.date(2020, 1, 31), "posted_on": datetime.date(2020, 1, 1)},
    ],
    ids=["closed", "past-deadline"],
)
def test_closed_posting_has_no_json_ld_and_is_not_indexed(client, changes):
    posting = make_posting(**changes)
    elements = parse_page(client, posting)
    assert [a for a, _ in elements.scripts if a.get("type") == "application/ld+json"] == []
    assert {"name": "robots", "content": "noindex"} in elements.metas


def test_open_posting_may_be_indexed(client):
    elements = parse_page(client, make_posting())
    assert not [m for m in elements.metas if m.get("name") == "robots"]


def test_detail_page_with_json_ld_stays_within_query_budget(
    client, seed, django_assert_max_num_queries
):
    # The JSON-LD reads the company, locations, skills and pay the page has
    # already loaded; reading them again would add queries per relation.
    with django_assert_max_num_queries(5):
        response = client.get(seed.get_absolute_url())
    assert b"application/ld+json" in response.content
