"""What every reader shares: the size limit, checking the path, streaming
JSON records out of a file, and the Item each reader yields for each record.

Files are read incrementally so that an import's memory follows the records,
not the file: a JSON array is read a megabyte at a time and each record
parsed with the standard library's `raw_decode` as soon as it is complete;
JSON Lines and CSV are read line by line. ijson was measured for this and does
not fit: its C parser refuses NaN/Infinity (which the importer reports per
record, not as a broken file), silently keeps the last of two equal keys, and
its error messages span several lines. `json` gives one-line messages with the
line and column, `parse_constant` and `object_pairs_hook`.
"""

import codecs
import json
import os
import stat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .validation import NonFinite

MAX_FILE_BYTES = 200 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024
_BOM = codecs.BOM_UTF8
_WHITESPACE = " \t\n\r"
# How close to the end of the window a value may end, or an error be found, before
# the next chunk is read and the value parsed again ("\u26" of "\u2603", "12" of "12.5").
_MARGIN = 64


class FileError(Exception):
    """The file as a whole cannot be read: the message is one line for the operator."""


@dataclass(slots=True)  # one per record of a file that may hold 200,000
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


def check_path(path):
    """Refuse what is not a regular file within the size limit, without opening
    it: opening a FIFO would wait for a writer forever."""
    path = Path(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise FileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise FileError(f"{path} is not a file ({kind})")
    if info.st_size > MAX_FILE_BYTES:
        raise FileError(
            f"{path} is {info.st_size / 1024 / 1024:.0f} MB; the limit is "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB"
        )
    return path


def open_binary(path):
    check_path(path)
    try:
        return open(path, "rb")  # noqa: SIM115 (the caller closes it)
    except OSError as exc:
        raise FileError(f"cannot read {path}: {exc.strerror or exc}") from exc


def not_utf8(path, data, position):
    return FileError(
        f"{path} is not UTF-8 text (byte 0x{data[0]:02x} at offset {position})"
        if data
        else f"{path} is not UTF-8 text"
    )


class _Duplicates:
    """object_pairs_hook that notes keys written twice in one object."""

    def __init__(self):
        self.found = []

    def __call__(self, pairs):
        result = {}
        for key, value in pairs:
            if key in result and key not in self.found:
                self.found.append(key)
            result[key] = value
        return result


def _decoder(hook):
    return json.JSONDecoder(parse_float=Decimal, parse_constant=NonFinite, object_pairs_hook=hook)


def parse_json(text, where="the file", hook=None):
    """json.loads that keeps exact decimals and turns NaN/Infinity into a
    NonFinite the validator reports, and never lets a RecursionError out."""
    try:
        return _decoder(hook or _Duplicates()).decode(text)
    except json.JSONDecodeError as exc:
        raise FileError(
            f"{where} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    except RecursionError as exc:
        raise FileError(f"{where} is nested too deeply to be a list of records") from exc


class _Text:
    """The file's text, decoded a chunk at a time, with a window `text[pos:]`
    and enough bookkeeping to give line and column numbers in the whole file."""

    def __init__(self, path, file):
        self.path, self.file = path, file
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text, self.pos, self.eof = "", 0, False
        self.offset = 0  # bytes fed to the decoder so far
        self.lines_before = 0  # newlines in the text dropped from the window
        self.column_before = 0  # characters after the last dropped newline
        head = file.read(len(_BOM))
        if head == _BOM:
            self.offset = len(_BOM)
        else:
            self._decode(head)

    def _decode(self, data, final=False):
        buffered = len(self.decoder.getstate()[0])
        try:
            self.text += self.decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            start = self.offset - buffered + exc.start
            raise not_utf8(self.path, exc.object[exc.start : exc.start + 1], start) from None
        self.offset += len(data)

    def more(self):
        """Read the next chunk into the window; False at the end of the file."""
        if self.eof:
            return False
        dropped = self.text[: self.pos]
        newlines = dropped.count("\n")
        if newlines:
            self.lines_before += newlines
            self.column_before = len(dropped) - dropped.rfind("\n") - 1
        else:
            self.column_before += len(dropped)
        self.text, self.pos = self.text[self.pos :], 0
        data = self.file.read(CHUNK_BYTES)
        self.eof = not data
        self._decode(data, final=self.eof)
        return True

    def skip_space(self):
        """Move past whitespace; the next character, or "" at the end of the file."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""

    def rest(self):
        """All of the remaining text (for error messages about the whole file)."""
        while self.more():
            pass
        return self.text[self.pos :]

    def error(self, exc):
        line = self.lines_before + exc.lineno
        column = exc.colno + (self.column_before if exc.lineno == 1 else 0)
        return FileError(f"the file is not valid JSON: {exc.msg} (line {line}, column {column})")

    def value(self, hook):
        """The next JSON value, read across chunks as far as it needs."""
        decoder = _decoder(hook)
        while True:
            try:
                value, end = decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                # Cut off by the end of the window rather than broken? Read on.
                near_end = exc.pos >= len(self.text) - _MARGIN or exc.msg.startswith("Unterminated")
                if near_end and self.more():
                    continue
                raise self.error(exc) from None
            except RecursionError as exc:
                raise FileError("the file is nested too deeply to be a list of records") from exc
            if end >= len(self.text) - _MARGIN and self.more():
                continue  # "12" may be "12345" or "12.5" once the next chunk is in
            self.pos = end
            return value


def json_records(path):
    """Yield (where, record, duplicated keys) for each record of a JSON array or
    of JSON Lines, reading the file incrementally."""
    with open_binary(path) as file:
        text = _Text(path, file)
        first = text.skip_space()
        if not first:
            raise FileError("the file is empty")
        if first == "{":
            text.file.seek(0)
            yield from _json_lines(path, file)
            return
        if first != "[":
            value = parse_json(text.rest())
            raise FileError(f"the file is not a list of records (it holds {_kind(value)})")
        text.pos += 1
        index = 0
        while True:
            char = text.skip_space()
            if char == "]" and index == 0:
                text.pos += 1
                break
            if not char:
                raise FileError("the file is not valid JSON: the list of records is not closed")
            duplicates = _Duplicates()
            record = text.value(duplicates)
            yield f"record {index}", record, duplicates.found
            index += 1
            char = text.skip_space()
            if char == ",":
                text.pos += 1
            elif char == "]":
                text.pos += 1
                break
            else:
                raise text.error(
                    json.JSONDecodeError("Expecting ',' delimiter", text.text, text.pos)
                )
        if text.skip_space():
            raise text.error(json.JSONDecodeError("Extra data", text.text, text.pos))


def _json_lines(path, file):
    end = 0
    for number, raw in enumerate(file, start=1):
        start, end = end, end + len(raw)
        if number == 1 and raw.startswith(_BOM):
            raw, start = raw[len(_BOM) :], start + len(_BOM)
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise not_utf8(path, raw[exc.start : exc.start + 1], start + exc.start) from None
        if not line.strip():
            continue
        duplicates = _Duplicates()
        try:
            record = parse_json(line, where=f"line {number}", hook=duplicates)
        except FileError as exc:
            if number == 1:
                _whole_file_instead(file, exc)
            raise
        yield f"line {number}", record, duplicates.found


def _whole_file_instead(file, error):
    """Line 1 is not a record: a pretty-printed object rather than JSON Lines?"""
    if not any(line.strip() for line in file):
        return
    file.seek(0)
    try:
        value = parse_json(file.read().decode("utf-8-sig", "replace"))
    except FileError:
        raise error from None
    raise FileError(f"the file is not a list of records (it holds {_kind(value)})") from None


def duplicate_problems(duplicates):
    return [("(record)", f"has the key {key!r} more than once") for key in duplicates]


def _kind(value):
    if isinstance(value, dict):
        return "one object"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return "a single value"
