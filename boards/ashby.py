"""Ashby job boards: `GET {base}/posting-api/job-board/{token}?includeCompensation=true`."""

from listings.places import parse_location

from . import jobs, pay_text

NAME = "ashby"
MODES = {"remote": "remote", "hybrid": "hybrid", "onsite": "onsite"}


def url(base, token):
    return f"{base}/posting-api/job-board/{token}?includeCompensation=true"


def places_of(location_text, address):
    """Place strings from an Ashby `address.postalAddress` (locality, region,
    country; the region may name several states: "California, Washington"),
    else from the location text."""
    postal = address.get("postalAddress") if isinstance(address, dict) else None
    if not isinstance(postal, dict):
        return jobs.place_texts(location_text or "")
    locality = str(postal.get("addressLocality") or "").strip()
    region = str(postal.get("addressRegion") or "").strip()
    country = str(postal.get("addressCountry") or "").strip()
    if "," in locality:  # "Los Angeles, CA" already names its region
        return [", ".join(p for p in (locality, country) if p)]
    regions = [r.strip() for r in region.split(",") if r.strip()] if region else [""]
    if len(regions) > 1:
        in_us = not country or (parse_location(country) and parse_location(country).country == "US")
        return [r if in_us else f"{r}, {country}" for r in regions]
    text = ", ".join(dict.fromkeys(p for p in (locality, region, country) if p))
    if text and parse_location(text) and not parse_location(text).country and location_text:
        return jobs.place_texts(location_text) or [text]
    return [text] if text else jobs.place_texts(location_text or "")


def work_mode(job, places):
    """`workplaceType` decides; `isRemote` (true for hybrid jobs too) only when it is missing."""
    mode = MODES.get(str(job.get("workplaceType") or "").replace("-", "").replace(" ", "").lower())
    if mode:
        return mode
    if job.get("isRemote") is True:
        return "remote"
    return jobs.mode_from_places(places, hybrid=jobs.says_hybrid(job.get("location")))


def parse(data, *, company, token):
    records, skipped = [], 0
    for job in jobs.board_jobs(data):
        if job.get("isListed") is False:  # not public: as if gone from the board
            skipped += 1
            continue
        if job.get("employmentType") != "Intern" and not jobs.is_internship_title(job["title"]):
            skipped += 1
            continue
        places = places_of(job.get("location"), job.get("address"))
        for other in job.get("secondaryLocations") or []:
            if isinstance(other, dict):
                places += places_of(other.get("location"), other.get("address"))
        records.append(
            jobs.record(
                company=company,
                source=f"{NAME}:{token}",
                external_id=job["id"],
                title=job["title"],
                apply_url=job.get("jobUrl"),
                about_role=job.get("descriptionHtml"),
                locations=places,
                work_mode=work_mode(job, places),
                posted_on=jobs.date_from_iso(job.get("publishedAt")),
                pay=pay_text.ashby_pay(job.get("compensation")),
                internship_type="part_time"
                if job.get("employmentType") == "PartTime"
                else jobs.internship_type(job["title"]),
            )
        )
    return records, skipped
