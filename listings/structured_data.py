"""schema.org JobPosting data for a posting, and its safe embedding in HTML.

Search engines read the JSON-LD of a posting page to show it in job search.
`job_posting()` uses only what the detail page has already loaded (the
company, the prefetched locations, the labels of `Posting.labels`, the overall pay),
so it adds no query to the page.
"""

import datetime
import json
from decimal import Decimal

from django.utils import timezone
from django.utils.safestring import mark_safe

from .models import InternshipType, WorkMode

EMPLOYMENT_TYPES = {
    InternshipType.FULL_TIME: "FULL_TIME",
    InternshipType.PART_TIME: "PART_TIME",
}

# Characters that could end the <script> element or open markup, plus the
# two line separators that JavaScript parsers treat as line ends.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def _number(amount):
    """A Decimal as a JSON number: 44 rather than 44.00."""
    amount = Decimal(amount)
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _end_of_day(day):
    """The last second of `day` in the site's time zone: a posting is open all
    of its deadline day."""
    moment = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    return timezone.make_aware(moment).isoformat()


def _address(location):
    address = {"@type": "PostalAddress"}
    if location.city:
        address["addressLocality"] = location.city
    if location.region:
        address["addressRegion"] = location.region
    if location.country:
        address["addressCountry"] = location.country
    if len(address) == 1:  # a place we could not parse: keep its name
        address["addressLocality"] = location.name
    return address


def job_posting(posting, url):
    """The schema.org JobPosting of `posting` (a dict ready for JSON).

    `url` is the absolute URL of the posting's page.
    """
    company = posting.company
    organization = {"@type": "Organization", "name": company.name}
    if company.website:
        organization["sameAs"] = company.website
        organization["url"] = company.website

    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": posting.about_role or posting.responsibilities or posting.title,
        "datePosted": posting.posted_on.isoformat(),
        # An unstated type is left out rather than guessed.
        "employmentType": ["INTERN"]
        + (
            [EMPLOYMENT_TYPES[posting.internship_type]]
            if posting.internship_type in EMPLOYMENT_TYPES
            else []
        ),
        "hiringOrganization": organization,
        "directApply": False,
        "identifier": {
            "@type": "PropertyValue",
            "name": "Internboard",
            "value": str(posting.pk),
        },
        "url": url,
    }
    if posting.closes_on:
        data["validThrough"] = _end_of_day(posting.closes_on)

    locations = list(posting.locations.all())
    if posting.work_mode == WorkMode.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
        countries = sorted({location.country for location in locations if location.country})
        if countries:
            data["applicantLocationRequirements"] = [
                {"@type": "Country", "name": code} for code in countries
            ]
    elif locations:
        data["jobLocation"] = [
            {"@type": "Place", "address": _address(location)} for location in locations
        ]

    if posting.has_pay:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": posting.pay_currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": _number(posting.pay_min),
                "maxValue": _number(posting.pay_max),
                "unitText": posting.pay_unit.upper(),
            },
        }

    skills = [skill.name for skill in posting.labels["skills"]]
    if skills:
        data["skills"] = ", ".join(skills)
    if posting.hours_per_week:
        data["workHours"] = f"{posting.hours_per_week} hours per week"
    if posting.responsibilities:
        data["responsibilities"] = posting.responsibilities
    return data


def json_ld_script(data):
    """`data` as a `<script type="application/ld+json">` element.

    The JSON is escaped so that no value, whatever it contains (`</script>`,
    `<!--`, `&`), can end the element or be read as markup.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(
        '<script type="application/ld+json">' + text.translate(_SCRIPT_ESCAPES) + "</script>"
    )
