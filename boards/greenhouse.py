"""Greenhouse job boards: `GET {base}/v1/boards/{token}/jobs?content=true&pay_transparency=true`."""

import html
import re

from . import jobs, pay_text

NAME = "greenhouse"
_TAG_RE = re.compile(r"<[a-zA-Z/!]")


def url(base, token):
    return f"{base}/v1/boards/{token}/jobs?content=true&pay_transparency=true"


def content_html(content):
    """Greenhouse `content` is entity-escaped once ("&lt;p&gt;"); a few jobs
    are escaped twice ("&amp;lt;p&amp;gt;"): unescape until it is HTML."""
    text = html.unescape(content or "")
    if not _TAG_RE.search(text) and ("&lt;" in text or "&amp;" in text):
        text = html.unescape(text)
    return text


def parse(data, *, company, token):
    """(canonical records of the board's internships, number of other jobs)."""
    records, skipped = [], 0
    for job in jobs.board_jobs(data):
        if not jobs.is_internship_title(job["title"]):
            skipped += 1
            continue
        body = content_html(job.get("content"))
        location = (
            (job.get("location") or {}).get("name") if isinstance(job.get("location"), dict) else ""
        )
        places = jobs.place_texts(location or "")
        pay = pay_text.greenhouse_ranges(
            job.get("pay_input_ranges")
        ) or pay_text.greenhouse_content_pay(body)
        records.append(
            jobs.record(
                company=company,
                source=f"{NAME}:{token}",
                external_id=job["id"],
                title=job["title"],
                apply_url=job.get("absolute_url"),
                about_role=body,
                locations=places,
                work_mode=jobs.mode_from_places(places, hybrid=jobs.says_hybrid(location)),
                posted_on=jobs.date_from_iso(job.get("first_published"))
                or jobs.date_from_iso(job.get("updated_at")),
                pay=pay,
                internship_type=jobs.internship_type(job["title"]),
            )
        )
    return records, skipped
