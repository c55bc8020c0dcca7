"""Lever job boards: `GET {base}/v0/postings/{token}?mode=json`."""

import html

from . import jobs, pay_text

NAME = "lever"
MODES = {"remote": "remote", "hybrid": "hybrid", "on-site": "onsite", "onsite": "onsite"}


def url(base, token):
    return f"{base}/v0/postings/{token}?mode=json"


def is_internship(posting, categories):
    commitment = str(categories.get("commitment") or "")
    return commitment.strip().lower() in ("intern", "internship") or jobs.is_internship_title(
        posting["text"]
    )


def description(posting):
    """Lever's text: `description`, then each of `lists` as a heading and its
    items, then `additional`."""
    parts = [str(posting.get("description") or "")]
    for item in posting.get("lists") or []:
        if isinstance(item, dict):
            parts.append(f"<h3>{html.escape(str(item.get('text') or ''))}</h3>")
            parts.append(f"<ul>{item.get('content') or ''}</ul>")
    parts.append(str(posting.get("additional") or ""))
    return "".join(parts)


def parse(data, *, company, token):
    if not isinstance(data, list):
        raise jobs.BoardError("unexpected shape: the answer is not a list of postings")
    records, skipped = [], 0
    for posting in data:
        if (
            not isinstance(posting, dict)
            or not posting.get("id")
            or not isinstance(posting.get("text"), str)
        ):
            raise jobs.BoardError("unexpected shape: a posting without id or text")
        categories = (
            posting.get("categories") if isinstance(posting.get("categories"), dict) else {}
        )
        if not is_internship(posting, categories):
            skipped += 1
            continue
        texts = categories.get("allLocations") or [categories.get("location") or ""]
        country = posting.get("country")
        places = [
            jobs.with_country(place, country)
            for text in texts
            if isinstance(text, str)
            for place in jobs.place_texts(text)
        ]
        mode = MODES.get(str(posting.get("workplaceType") or "").lower())
        records.append(
            jobs.record(
                company=company,
                source=f"{NAME}:{token}",
                external_id=posting["id"],
                title=posting["text"],
                apply_url=posting.get("hostedUrl"),
                about_role=description(posting),
                locations=places,
                work_mode=mode or jobs.mode_from_places(places, hybrid=jobs.says_hybrid(*texts)),
                posted_on=jobs.date_from_millis(posting.get("createdAt")),
                pay=pay_text.lever_pay(posting.get("salaryRange")),
                internship_type=jobs.internship_type(
                    posting["text"], str(categories.get("commitment") or "")
                ),
            )
        )
    return records, skipped
