"""Reading a printed PDF back, and giving it the edition's metadata.

Chromium cannot number the contents page itself (CSS ``target-counter()`` is not
implemented), but it writes a named destination for every element a link points at. The
printer's first pass therefore yields, for each chapter the contents links to, the page
its heading is on; the second pass prints those numbers.

Chromium stamps each PDF with the time of printing and nothing else that varies. The
stamps are overwritten in place by the edition's date (same length, so no offset moves),
and the edition's document information (title, author, edition) is appended as a PDF
incremental update: a new Info dictionary and a one-entry cross-reference section. This
takes milliseconds, where rewriting the whole tagged PDF with pypdf takes seconds; a
PDF whose trailer is not the classic kind Chromium writes is rewritten with pypdf instead.
One commit therefore prints one PDF, byte for byte.
"""

from __future__ import annotations

import io
import logging
import re

import pypdf

#: Chromium's date format, kept so that the overwritten stamps have the same length.
_STAMP = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[+-]\d{2}'\d{2}'\)")
_TRAILER = re.compile(rb"trailer\s*<<(?P<body>.*?)>>\s*startxref\s*(?P<xref>\d+)\s*%%EOF\s*$", re.S)


def destination_pages(pdf: bytes) -> dict[str, int]:
    """Page (1-based) of every named destination of ``pdf``, by element id."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = {}
    for name, destination in reader.named_destinations.items():
        number = reader.get_destination_page_number(destination)
        if number is not None and number >= 0:
            pages[str(name).removeprefix("/")] = number + 1
    return pages


def pdf_date(date: str) -> str:
    """'2026-11-30', '2026-11' or '2026' as a PDF date at midnight UTC, in the form
    Chromium writes ("D:20261130000000+00'00'"); '' if unparseable."""
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date.strip())
    if not match:
        return ""
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    return f"D:{year}{month}{day}000000+00'00'"


def _text(value: str) -> bytes:
    """A PDF text string: UTF-16BE with its byte-order mark, in hex (any character, no escaping)."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"


def finish(pdf: bytes, info: dict[str, str]) -> bytes:
    """``pdf`` with the time stamps set to ``info``'s dates (or an epoch when it has none)
    and its document information replaced by ``info`` (Title, Author, Subject, ...)."""
    info = {k: v for k, v in info.items() if v}
    stamp = (info.get("CreationDate") or "D:19700101000000+00'00'").encode()
    pdf = _STAMP.sub(lambda m: b"/" + m.group(1) + b" (" + stamp + b")", pdf)
    trailer = _TRAILER.search(pdf[-4096:])
    body = trailer.group("body") if trailer else b""
    keys = set(re.findall(rb"/(\w+)", body))
    fields = dict(re.findall(rb"/(Size|Root)\s+(\d+(?:\s+\d+\s+R)?)", body))
    if not keys <= {b"Size", b"Root", b"Info"} or set(fields) != {b"Size", b"Root"}:
        return _rewrite(pdf, info)  # not the plain trailer Chromium writes (an /ID, /Encrypt, a stream)
    # The new object takes the next free number (the trailer's /Size, unless objects beyond it exist).
    number = max(int(fields[b"Size"]), *(int(n) + 1 for n in re.findall(rb"(?m)^(\d+) 0 obj\b", pdf)))
    entries = b"".join(b"/%s %s\n" % (key.encode(), _date(value) if key.endswith("Date") else _text(value))
                       for key, value in info.items())
    if not pdf.endswith(b"\n"):
        pdf += b"\n"
    obj = b"%d 0 obj\n<<%s>>\nendobj\n" % (number, entries)
    # The free-list head (object 0) first, as readers expect of every cross-reference section.
    xref = b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (number, len(pdf))
    tail = b"trailer\n<</Size %d\n/Root %s\n/Info %d 0 R\n/Prev %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        number + 1, fields[b"Root"], number, trailer.group("xref"), len(pdf) + len(obj))
    update = obj + xref + tail
    return pdf + update


def _date(value: str) -> bytes:
    return b"(" + value.encode("ascii") + b")"


def _rewrite(pdf: bytes, info: dict[str, str]) -> bytes:
    """The slow, general way: pypdf rewrites the whole file with the new information."""
    out = io.BytesIO()
    log = logging.getLogger("pypdf")  # it notes Chromium's short trailer /Size; it writes a right one
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf))
        writer.metadata = {f"/{key}": value for key, value in info.items()}
        writer.write(out)
    finally:
        log.setLevel(level)
    return out.getvalue()
