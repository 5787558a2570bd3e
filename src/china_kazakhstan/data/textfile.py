"""Read the project's text files so that bad bytes or bad syntax become one clear Problem.

Every table, the data package, the seed manifest and the notebooks are read through
here, so that they all refuse the same careless saves with the same words, naming the
file, the line and the column, instead of ending in a ``UnicodeDecodeError`` or a
``JSONDecodeError`` that names neither. The commonest causes, each with its own message:

* a spreadsheet saving a CSV as Windows-1252 (curly quotes become bytes 0x91-0x94);
* a UTF-8 byte-order mark (Excel's "CSV UTF-8" writes one), which ``csv`` would read as
  part of the first column's name, so that every row seems to lack its id;
* UTF-16 (some editors' "Unicode");
* a JSON file cut short or hand-edited (a missing comma or quote).

A file that fails here is not read further: one root cause, one message.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import DataError, Problem

BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of byte ``offset``, reading what precedes as UTF-8."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def decode(data: bytes, label: str) -> str:
    """``data`` as text, or :class:`DataError` saying why it is not UTF-8 and how to re-save it."""
    if data.startswith(BOM):
        how = ("Excel's 'CSV UTF-8' writes one: use LibreOffice's 'Text CSV' with character set "
               "UTF-8, or run " if label.endswith(".csv") else "e.g. run ")
        raise DataError([Problem(
            label, None, None, None,
            "starts with a UTF-8 byte-order mark (bytes EF BB BF), which readers take as part of "
            f"the first word; re-save it without one ({how}"
            rf"`sed -i '1s/^\xEF\xBB\xBF//' {label}`)")])
    if data.startswith(_UTF16_BOMS):
        raise DataError([Problem(
            label, None, None, None,
            "is UTF-16, not UTF-8; re-save it as UTF-8 "
            f"(e.g. `iconv -f UTF-16 -t UTF-8 {label} > tmp && mv tmp {label}`)")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        byte = data[exc.start]
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            guess, source = "", "its encoding"
        else:
            guess, source = ", probably saved as Windows-1252", "WINDOWS-1252"
        raise DataError([Problem(
            label, line, None, None,
            f"is not UTF-8 (byte 0x{byte:02x}{guess}); re-save it as UTF-8, e.g. "
            f"`iconv -f {source} -t UTF-8 {label} > tmp && mv tmp {label}`",
            column)]) from None


def read_text(path: Path, label: str) -> str:
    """The file's text; :class:`DataError` when it is missing, unreadable or not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(label, None, None, None, "file is missing")]) from None
    except OSError as exc:
        raise DataError([Problem(label, None, None, None,
                                 f"cannot be read ({exc.strerror})")]) from None
    return decode(data, label)


def parse_json(text: str, label: str) -> object:
    """Parsed JSON; :class:`DataError` with the line and column of a syntax error."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        end = text.rstrip()
        if not end.endswith(("}", "]")) and end[:1] in ("{", "["):
            why = "the file ends before the JSON does: it was cut short"
        else:
            why = "a missing comma, quote or bracket at or just before this point?"
        what = exc.msg[0].lower() + exc.msg[1:]
        if what.endswith(" at"):
            what += " this point"
        raise DataError([Problem(
            label, exc.lineno, None, None,
            f"is not valid JSON: {what} ({why}); fix it, or restore the file with "
            f"`git checkout -- {label}`", exc.colno)]) from None


def read_json(path: Path, label: str) -> object:
    """:func:`read_text` then :func:`parse_json`."""
    return parse_json(read_text(path, label), label)
