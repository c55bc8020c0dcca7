"""What every reader shares: the size limit, decoding, JSON parsing, and the
Item each reader yields for each record of a file."""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .validation import NonFinite

MAX_FILE_BYTES = 200 * 1024 * 1024


class FileError(Exception):
    """The file as a whole cannot be read: the message is one line for the operator."""


@dataclass
class Item:
    """One record of a file, after its reader has turned it into canonical shape.

    `where` names it for the operator ("record 12", "line 13"), `external_id`
    is its id when it has one, `problems` are [(field, message)] found by the
    reader, and `skipped` says why a record is deliberately not imported.
    """

    where: str
    record: object
    external_id: str = ""
    problems: list = field(default_factory=list)
    skipped: str = ""

    def label(self):
        if not self.external_id:
            return self.where
        shown = self.external_id[:80].encode("utf-8", "backslashreplace").decode("utf-8")
        return f"{self.where} (id {shown!r})"


def read_text(path):
    """The file's text: UTF-8 with or without a BOM, at most MAX_FILE_BYTES."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise FileError(f"{path} is not a file")
        if size > MAX_FILE_BYTES:
            raise FileError(
                f"{path} is {size / 1024 / 1024:.0f} MB; the limit is "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise FileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(
            f"{path} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc


def parse_json(text, where="the file"):
    """json.loads that keeps exact decimals and turns NaN/Infinity into a
    NonFinite the validator reports, and never lets a RecursionError out."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=NonFinite)
    except json.JSONDecodeError as exc:
        raise FileError(
            f"{where} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    except RecursionError as exc:
        raise FileError(f"{where} is nested too deeply to be a list of records") from exc


def load_json_records(text):
    """A JSON array of records, or JSON Lines (one record per line).

    Returns [(where, record)].
    """
    stripped = text.lstrip()
    if not stripped:
        raise FileError("the file is empty")
    if stripped.startswith("["):
        records = parse_json(text)
        if not isinstance(records, list):
            raise FileError("the file is not a list of records")
        return [(f"record {i}", record) for i, record in enumerate(records)]
    lines = text.splitlines()
    if not stripped.startswith("{"):
        value = parse_json(text)
        raise FileError(f"the file is not a list of records (it holds {_kind(value)})")
    result = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                record = parse_json(line, where=f"line {number}")
            except FileError as exc:
                if number == 1 and len([x for x in lines if x.strip()]) > 1:
                    # A pretty-printed object rather than JSON Lines?
                    try:
                        value = parse_json(text)
                    except FileError:
                        raise exc from None
                    raise FileError(
                        f"the file is not a list of records (it holds {_kind(value)})"
                    ) from None
                raise
            result.append((f"line {number}", record))
    return result


def _kind(value):
    if isinstance(value, dict):
        return "one object"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return "a single value"
