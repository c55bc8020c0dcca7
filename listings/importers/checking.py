"""Checking a whole file before anything is written, without holding its records.

An import reads its file twice. The first reading (`check_file`) validates
every record and keeps only what the second one and the operator need: the
counts, each external id with where it first appears (two records sharing an
id are both invalid, and --close-missing keeps every id of the file), the
sources the records name and the first invalid records to list: about
130 bytes a record. The second
reading (`valid_records`) validates again and yields the valid records one at
a time to the writer, which works through them in batches.
"""

import dataclasses

from .reading import Item
from .validation import Problems, clean_record

MAX_LISTED = 50  # invalid records listed one per line; the rest are counted


def checked(items):
    """Clean the record of each of `items` (Items of a reader) as it comes;
    the problems found join the reader's. Skipped items are left as they are."""
    for item in items:
        if not item.skipped:
            if item.record is not None or not item.problems:
                try:
                    item.record = clean_record(item.record)
                except Problems as exc:
                    item.problems.extend(exc.problems)
            if not item.problems:
                item.external_id = item.record["external_id"]
        yield item


def _position(where):
    """("record", 12) of "record 12": every reader names a record by a word
    and a number that grows through the file (its index or its line)."""
    kind, _, number = where.rpartition(" ")
    return kind, int(number)


@dataclasses.dataclass
class FileCheck:
    """What the first reading of a file found (see the module's docstring)."""

    records: int = 0  # every record, skipped and invalid ones included
    skipped: int = 0
    invalid: int = 0
    kind: str = "record"  # how the file's records are named: "record 12", "line 13"
    # external id -> the number of its first record (an int: 90,000 ids fit in ~10 MB)
    ids: dict = dataclasses.field(default_factory=dict)
    first_invalid: set = dataclasses.field(default_factory=set)  # ids first seen invalid
    # external id of several records -> [(number, valid on its own)] of each
    shared: dict = dataclasses.field(default_factory=dict)
    # (number, Item) of the first MAX_LISTED records invalid on their own
    listed: list = dataclasses.field(default_factory=list)
    named: dict = dataclasses.field(default_factory=dict)  # source -> ids of valid records

    def is_valid(self, item):
        return not item.skipped and not item.problems and item.external_id not in self.shared

    def sources(self):
        """The sources the valid records name."""
        return {
            source
            for source, ids in self.named.items()
            if any(external_id not in self.shared for external_id in ids)
        }

    def problems(self):
        """[(Item, [(field, message)])] of the first MAX_LISTED invalid records, in file order."""
        found = [(n, item, list(item.problems)) for n, item in self.listed]
        for external_id, records in self.shared.items():
            found += [
                (n, Item(f"{self.kind} {n}", None, external_id), [])
                for n, valid in records
                if valid
            ]
        found.sort(key=lambda entry: entry[0])
        result = []
        for _, item, problems in found[:MAX_LISTED]:
            if item.external_id in self.shared:
                numbers = (n for n, _ in self.shared[item.external_id])
                where = " and ".join(f"{self.kind} {n}" for n in numbers)
                problems.append(("external_id", f"is used by {where}"))
            result.append((item, problems))
        return result


def check_file(items):
    """Read `items` (a reader's Items) once and return a FileCheck."""
    check = FileCheck()
    for item in checked(items):
        check.records += 1
        if item.skipped:
            check.skipped += 1
            continue
        check.kind, n = _position(item.where)
        valid = not item.problems
        if not valid:
            check.invalid += 1
            if len(check.listed) < MAX_LISTED:
                item.record = None
                check.listed.append((n, item))
        external_id = item.external_id
        if not external_id:
            continue
        if external_id not in check.ids:
            check.ids[external_id] = n
            if not valid:
                check.first_invalid.add(external_id)
            elif item.record.get("source"):
                check.named.setdefault(item.record["source"], set()).add(external_id)
            continue
        shared = check.shared.get(external_id)
        if shared is None:
            first_valid = external_id not in check.first_invalid
            shared = check.shared[external_id] = [(check.ids[external_id], first_valid)]
            check.invalid += first_valid
        shared.append((n, valid))
        check.invalid += valid
    return check


def valid_records(items, check):
    """The cleaned records of `items` (a reader's Items, read again) that
    `check` found valid, one at a time."""
    for item in checked(items):
        if check.is_valid(item):
            yield item.record
