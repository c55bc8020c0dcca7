"""POST data for the posting admin form, as a browser submits it."""

POSTING_DEFAULTS = {
    "title": "Data Science Intern",
    "work_mode": "onsite",
    "posted_on": "2026-02-06",
    "closes_on": "",
    "responsibilities": "Build models.",
    "internship_type": "full_time",
    "pay_currency": "USD",
    "pay_unit": "hour",
    "visa_sponsorship": "unknown",
    "language": "English",
    "hours_per_week": "40",
    "about_role": "<p>Join us.</p>",
    "apply_url": "https://jobs.example.com/apply/ds",
    "status": "draft",
    "source": "",
    "external_id": "",
}


def posting_form(posting=None, *, ranges=None, **fields):
    """The admin form's data for `posting` (or a new one), with `fields` changed.

    `ranges` lists pay range forms as dicts (id, states, min, max, delete);
    by default an existing posting's ranges are sent back unchanged.
    """
    data = dict(POSTING_DEFAULTS)
    if posting is not None:
        for name in POSTING_DEFAULTS:
            value = getattr(posting, name)
            data[name] = "" if value is None else str(value)
        data["company"] = str(posting.company_id)
        for name in ("locations", "skills", "categories", "terms"):
            data[name] = [str(pk) for pk in getattr(posting, name).values_list("pk", flat=True)]
        if ranges is None:
            ranges = [
                {"id": r.pk, "states": r.state_list, "min": r.min_amount, "max": r.max_amount}
                for r in posting.pay_ranges.with_state_codes()
            ]
    data.update(fields)
    data.update(range_forms(ranges or [], posting))
    return data


def range_forms(ranges, posting=None):
    initial = [r for r in ranges if r.get("id")]
    extra = [r for r in ranges if not r.get("id")]
    data = {
        "pay_ranges-TOTAL_FORMS": str(len(ranges)),
        "pay_ranges-INITIAL_FORMS": str(len(initial)),
        "pay_ranges-MIN_NUM_FORMS": "0",
        "pay_ranges-MAX_NUM_FORMS": "1000",
    }
    for n, r in enumerate(initial + extra):
        prefix = f"pay_ranges-{n}-"
        data[prefix + "id"] = str(r.get("id") or "")
        data[prefix + "posting"] = str(posting.pk) if posting is not None and r.get("id") else ""
        data[prefix + "states"] = list(r.get("states", []))
        data[prefix + "min_amount"] = str(r.get("min", ""))
        data[prefix + "max_amount"] = str(r.get("max", ""))
        if r.get("delete"):
            data[prefix + "DELETE"] = "on"
    return data
