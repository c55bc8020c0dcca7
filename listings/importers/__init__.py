"""Importing postings: one reader per file format, one validator, one writer.

`read_file` turns a file into Items (canonical records plus what the reader
found wrong), yielded one at a time as the file is read;
`validation.clean_record` checks each record; `checking` reads a file once
to validate it all before anything is written; `writer` creates, updates and
closes postings, a batch at a time.
"""

from pathlib import Path

from . import canonical, csv_format, simplify
from .reading import FileError, Item, check_path

FORMATS = {"canonical": canonical, "csv": csv_format, "simplify": simplify}
__all__ = ["FORMATS", "FileError", "Item", "guess_format", "read_file", "field_name"]


def guess_format(path):
    """csv by extension; otherwise simplify when the first record has `company_name`."""
    path = Path(path)
    if path.suffix.lower() in (".csv", ".tsv"):
        return "csv"
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return "canonical"
    try:
        with path.open("rb") as file:
            head = file.read(65536).decode("utf-8", "replace")
    except OSError:
        return "canonical"  # the reader reports the problem
    first = head.find("{")
    if first >= 0 and '"company_name"' in head[first : first + 4096]:
        return "simplify"
    return "canonical"


def read_file(path, fmt=None):
    """(format, the file's Items as a generator)."""
    check_path(path)  # before anything opens it: a FIFO would hang the import
    fmt = fmt or guess_format(path)
    return fmt, FORMATS[fmt].read(path)


def field_name(fmt, field):
    """The name the operator knows a canonical field by in `fmt`."""
    if fmt == "csv":
        return csv_format.field_name(field)
    if fmt == "simplify":
        if field in simplify.FIELD_NAMES:
            return simplify.FIELD_NAMES[field]
        base, sep, rest = field.partition("[")
        if base in simplify.FIELD_NAMES:
            return simplify.FIELD_NAMES[base] + sep + rest
    return field
