"""Board answers shaped like Greenhouse, Lever and Ashby's public APIs, written
for the tests (the recorded real answers stay in the shared data folder)."""

import html

from companies.models import Company

# A pay block shaped like the seed's About the Role (PRODUCT.md section 3).
SEED_PAY_BLOCK = (
    '<div class="content-pay-transparency"><div class="pay-input"><div class="description">'
    "<p>For US based candidates, the base pay ranges for a successful candidate are listed "
    'below.</p></div><div class="title">CA, NY, CT, NJ</div><div class="pay-range"><span>$52'
    '</span><span class="divider">&mdash;</span><span>$52 USD</span></div></div>'
    '<div class="pay-input"><div class="title">WA</div><div class="pay-range"><span>$50</span>'
    '<span class="divider">&mdash;</span><span>$50 USD</span></div></div>'
    '<div class="pay-input"><div class="title">OR, DE, ME, MA, MD, NH, RI, VT, DC, PA, VA, CO, '
    'TX, IL, HI</div><div class="pay-range"><span>$48</span><span class="divider">&mdash;'
    '</span><span>$48 USD</span></div></div><div class="pay-input"><div class="title">All '
    'other states</div><div class="pay-range"><span>$44</span><span class="divider">&mdash;'
    "</span><span>$44 USD</span></div></div></div>"
)


def greenhouse_job(job_id, title, *, location="San Francisco, CA", body="<p>Build things.</p>",
                   escape_times=1, **extra):  # fmt: skip
    content = body
    for _ in range(escape_times):
        content = html.escape(content)
    return {
        "id": job_id,
        "internal_job_id": job_id + 1000,
        "title": title,
        "absolute_url": f"https://boards.greenhouse.io/acme/jobs/{job_id}",
        "location": {"name": location},
        "first_published": "2026-02-06T10:00:00-05:00",
        "updated_at": "2026-02-10T10:00:00-05:00",
        "content": content,
        **extra,
    }


def greenhouse_board(*jobs):
    return {"jobs": list(jobs), "meta": {"total": len(jobs)}}


def lever_posting(posting_id, text, *, commitment="Intern", location="New York, New York",
                  country="US", workplace="hybrid", salary=None):  # fmt: skip
    posting = {
        "id": posting_id,
        "text": text,
        "categories": {
            "commitment": commitment,
            "location": location,
            "team": "Engineering",
            "allLocations": [location],
        },  # fmt: skip
        "country": country,
        "workplaceType": workplace,
        "createdAt": 1767596368549,
        "description": "<div>Intro</div>",
        "lists": [{"text": "What you'll do", "content": "<li>Ship code</li>"}],
        "additional": "<div>Benefits</div>",
        "hostedUrl": f"https://jobs.lever.co/globex/{posting_id}",
        "applyUrl": f"https://jobs.lever.co/globex/{posting_id}/apply",
    }
    if salary:
        posting["salaryRange"] = salary
    return posting


def ashby_job(job_id, title, *, employment="Intern", workplace=None, remote=False,
              address=None, compensation=None, listed=True):  # fmt: skip
    job = {
        "id": job_id,
        "title": title,
        "employmentType": employment,
        "location": "San Francisco",
        "secondaryLocations": [],
        "publishedAt": "2025-09-25T12:00:00.000+00:00",
        "isListed": listed,
        "isRemote": remote,
        "address": {
            "postalAddress": address
            or {
                "addressLocality": "San Francisco",
                "addressRegion": "California",
                "addressCountry": "United States",
            }
        },  # fmt: skip
        "jobUrl": f"https://jobs.ashbyhq.com/initech/{job_id}",
        "applyUrl": f"https://jobs.ashbyhq.com/initech/{job_id}/application",
        "descriptionHtml": "<p>Hello</p><script>alert(1)</script>",
        "descriptionPlain": "Hello",
    }
    if workplace:
        job["workplaceType"] = workplace
    if compensation:
        job["compensation"] = compensation
    return job


def ashby_board(*jobs):
    return {"jobs": list(jobs), "apiVersion": "1"}


def make_board_company(name, ats, token):
    return Company.objects.create(name=name, slug=name.lower(), ats=ats, board_token=token)


GH_PATH = "/v1/boards/{}/jobs"
LEVER_PATH = "/v0/postings/{}"
ASHBY_PATH = "/posting-api/job-board/{}"
