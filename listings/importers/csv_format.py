"""The canonical fields as CSV columns (see docs/import-format.md).

One row per posting; the first row names the columns. Lists (locations,
skills, categories, terms) are `;`-separated; the company is split into
`company`, `company_website`, `company_size`, `company_about`; pay into
`pay_currency`, `pay_unit` and `pay_ranges`, written as
`CA|NY|CT|NJ:52-52;WA:50-50;*:44-44` (`*` is "all other states").
An empty cell means the field is absent.
"""

import codecs
import csv
import io
import re
from decimal import Decimal, InvalidOperation

from .reading import FileError, Item, not_utf8, open_binary

COLUMNS = [
    "source", "external_id", "title", "company", "company_website", "company_size",
    "company_about", "locations", "work_mode", "posted_on", "closes_on", "responsibilities",
    "internship_type", "pay_currency", "pay_unit", "pay_ranges", "visa_sponsorship",
    "language", "hours_per_week", "about_role", "skills", "categories", "terms",
    "duration_weeks", "apply_url", "status",
]  # fmt: skip
REQUIRED_COLUMNS = ["external_id", "title", "company", "apply_url"]
LIST_COLUMNS = {"locations", "skills", "categories", "terms"}
PLAIN_COLUMNS = {
    "source", "external_id", "title", "work_mode", "posted_on", "closes_on",
    "responsibilities", "internship_type", "visa_sponsorship", "language", "about_role",
    "apply_url", "status",
}  # fmt: skip

FIELD_NAMES = {
    "company.name": "company",
    "company.website": "company_website",
    "company.size": "company_size",
    "company.about": "company_about",
    "pay.currency": "pay_currency",
    "pay.unit": "pay_unit",
}

_RANGE_RE = re.compile(r"^(?P<states>[^:]*):(?P<min>[^-]+)-(?P<max>.+)$")


def field_name(field):
    if field in FIELD_NAMES:
        return FIELD_NAMES[field]
    if field.startswith("pay.ranges"):
        return "pay_ranges" + field.removeprefix("pay.ranges")
    return field


def read(path):
    """Yield an Item per row: only the current row is held, never the whole file."""
    with open_binary(path) as file:
        text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
        try:
            yield from _read_rows(csv.reader(text))
        except UnicodeDecodeError as exc:
            raise _where_not_utf8(path, file) from exc


def _where_not_utf8(path, file):
    """The first byte that is not UTF-8, found again by a plain incremental decode."""
    file.seek(0)
    decoder, offset = codecs.getincrementaldecoder("utf-8-sig")(), 0
    for data in iter(lambda: file.read(1024 * 1024), b""):
        buffered = len(decoder.getstate()[0])
        try:
            decoder.decode(data)
        except UnicodeDecodeError as exc:
            start = offset - buffered + exc.start
            return not_utf8(path, exc.object[exc.start : exc.start + 1], start)
        offset += len(data)
    return FileError(f"{path} is not UTF-8 text")


def _read_rows(rows):
    try:
        header = next(rows, None)
        if header is None or not any(cell.strip() for cell in header):
            raise FileError("the CSV file is empty (no header row)")
        header = [cell.strip() for cell in header]
        unknown = [name for name in header if name not in COLUMNS]
        if unknown:
            raise FileError(
                f"unknown CSV column {unknown[0][:40]!r}; the columns are {', '.join(COLUMNS)}"
            )
        doubled = [name for name in header if header.count(name) > 1]
        if doubled:
            raise FileError(f"the CSV column {doubled[0]!r} appears twice")
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise FileError(f"the CSV file has no {missing[0]!r} column")
        line = rows.line_num + 1
        for cells in rows:
            if any(cell.strip() for cell in cells):
                yield to_item(f"line {line}", header, cells)
            line = rows.line_num + 1
    except csv.Error as exc:
        raise FileError(f"the CSV file is malformed at line {rows.line_num}: {exc}") from exc


def to_item(where, header, cells):
    row = dict(zip(header, cells, strict=False))
    item = Item(where, None, external_id=row.get("external_id", "").strip())
    if len(cells) > len(header):
        item.problems.append(("(row)", f"has {len(cells)} cells but the header {len(header)}"))
    record = {}
    for name in PLAIN_COLUMNS:
        if row.get(name, "").strip():
            record[name] = row[name]
    for name in LIST_COLUMNS:
        if row.get(name, "").strip():
            record[name] = [part for part in row[name].split(";") if part.strip()]
    company = {"name": row.get("company", "")}
    for name in ("website", "about"):
        if row.get(f"company_{name}", "").strip():
            company[name] = row[f"company_{name}"]
    if row.get("company_size", "").strip():
        company["size"] = _whole(item, "company_size", row["company_size"])
    record["company"] = company
    for name in ("hours_per_week", "duration_weeks"):
        if row.get(name, "").strip():
            record[name] = _whole(item, name, row[name])
    pay = {}
    for name in ("currency", "unit"):
        if row.get(f"pay_{name}", "").strip():
            pay[name] = row[f"pay_{name}"].strip()
    if row.get("pay_ranges", "").strip():
        pay["ranges"] = _ranges(item, row["pay_ranges"])
    if pay:
        record["pay"] = pay
    item.record = record
    return item


def _whole(item, column, text):
    try:
        return int(text.strip())
    except ValueError:
        item.problems.append((column, f"is not a whole number: {text.strip()[:40]!r}"))
        return None


def _ranges(item, text):
    """`CA|NY:52-52;WA:50-50;*:44-44` -> [{"states": [...], "min": 52, "max": 52}, ...]."""
    ranges = []
    for i, part in enumerate(p.strip() for p in text.split(";") if p.strip()):
        match = _RANGE_RE.match(part)
        amounts = []
        if match:
            for key in ("min", "max"):
                try:
                    amounts.append(Decimal(match.group(key).strip().replace(",", "")))
                except InvalidOperation:
                    amounts.append(None)
        if not match or None in amounts:
            item.problems.append(
                (f"pay_ranges[{i}]", f"must look like CA|NY:52-52 or *:44-44, not {part[:40]!r}")
            )
            continue
        states = match.group("states").strip()
        ranges.append(
            {
                "states": [] if states == "*" else [s.strip() for s in states.split("|")],
                "min": amounts[0],
                "max": amounts[1],
            }
        )
    return ranges
