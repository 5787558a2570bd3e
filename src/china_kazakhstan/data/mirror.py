"""Figures from outside the five articles: the same trade in two countries' statistics.

``data/external/trade_mirror.csv`` holds China–Kazakhstan goods trade as China's customs and
Kazakhstan's statistics record it ("mirror statistics"), and Kazakhstan's trade with
Russia in Kazakh figures, each figure as a public news or official page gives it. These
rows are *context*, not evidence from the articles: they carry no verbatim quote, and
they were not re-checked against the statistical offices' own releases. So they are kept
out of the :class:`~china_kazakhstan.data.ledger.Ledger` and loaded here, by their own loader,
into their own frame; every table that shows them next to the articles' figures says
which is which, and links each outside figure to its page with outlet and date.

The file is a byte copy of an outside table: the loader first checks it against its line in
``data/external/MANIFEST.sha256`` (:mod:`.external_files`) and refuses a changed copy. It
refuses rows it cannot trust, like the ledger's, with a message naming file,
line, row id and field (:mod:`.errors`): the schema in ``data/datapackage.json``
(required fields, enumerations, patterns, unique ids), and on top of it checks that do
not depend on the schema being right: an ``http(s)`` address with a host, reporter,
partner, flow and unit from the fixed lists below, a unit that fits the flow, a period
that parses (:mod:`.periods`) and a page date that parses where one is given.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from ..errors import DataError, Problem
from ..paths import project_root
from .external_files import check_copy
from .ledger import add_period_columns
from .periods import PartialDate, PeriodError, parse_period
from .schema import DataPackage, Row

RESOURCE = "trade_mirror"
#: The file's name in data/external/ (and in its manifest).
EXTERNAL_NAME = "trade_mirror.csv"
#: What this loader reads: its resource and the fields it checks or types by name. ``validate``
#: checks the schema declares them before reading (a field the schema lost is then reported
#: once, as the schema's problem), and :func:`load_trade_mirror` checks it too.
RESOURCES = {RESOURCE: ("id", "reporter", "partner", "flow", "value", "unit", "period", "stat_source",
                        "outlet", "url", "page_date", "reporter_basis")}
#: How messages name this loader.
READER = "the outside-figures loader (data/mirror.py)"
#: The fixed lists of the loader (the schema repeats them; a test keeps the two equal).
REPORTERS = ("china_customs", "china_official", "kazakhstan_statistics", "kazakhstan_official",
             "analysis")
PARTNERS = ("china", "russia")
FLOWS = ("total", "total_growth", "kz_exports", "kz_imports", "kz_imports_gap", "total_gap")
UNITS = ("USD_billion", "percent")
BASES = ("named by the page", "inferred from context")
#: Whose record a reporter belongs to: China's side, Kazakhstan's side, or neither.
SIDE = {
    "china_customs": "china",
    "china_official": "china",
    "kazakhstan_statistics": "kazakhstan",
    "kazakhstan_official": "kazakhstan",
    "analysis": "analysis",
}
#: Reader's names of the reporters, for tables and legends.
REPORTER_LABEL = {
    "china_customs": "China's customs",
    "china_official": "Chinese official (Chinese statistics)",
    "kazakhstan_statistics": "Kazakhstan's statistics",
    "kazakhstan_official": "Kazakh official (Kazakh figures)",
    "analysis": "newsroom analysis of official data",
}
#: Column heading for outside figures wherever they sit next to the articles' own.
SOURCE_COLUMN = "Outside source (not from the articles)"

_PAGE_DATE = re.compile(r"(?P<date>[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?)(?: \((?P<how>[^)]*)\))?")


def load_trade_mirror(root: Path | None = None) -> pd.DataFrame:
    """Read, check and type ``data/external/trade_mirror.csv``; raise :class:`DataError` listing
    every problem (a copy that no longer matches its manifest line among them)."""
    root = root or project_root()
    package = DataPackage(root / "data" / "datapackage.json", root)
    if RESOURCE not in package.resources:
        raise DataError([Problem("data/datapackage.json", None, None, None,
                                 f"has no resource {RESOURCE!r}: "
                                 "declare data/external/trade_mirror.csv there")])
    copy_problems = check_copy(root, EXTERNAL_NAME)
    package.require(RESOURCES, READER)
    rows, problems = package.read(RESOURCE)
    file = package.resources[RESOURCE].display_path
    reported = {(p.line, p.field) for p in problems}
    for row in rows:
        problems += [p for p in check_row(file, row) if (p.line, p.field) not in reported]
    problems = copy_problems + problems
    if problems:
        raise DataError(problems)
    return _typed(rows)


def check_row(file: str, row: Row) -> list[Problem]:
    """The loader's own checks of one row, independent of the schema."""
    row_id = row.get("id") or None
    problems = []

    def problem(field: str, message: str) -> None:
        problems.append(Problem(file, row.line, row_id, field, message))

    url = row.get("url")
    if not url.strip():
        problem("url", "is empty: every outside figure must give the address of its page")
    else:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
            problem("url", f"{url!r} is not an http(s) address with a host")
    for field, allowed in (("reporter", REPORTERS), ("partner", PARTNERS), ("flow", FLOWS),
                           ("unit", UNITS), ("reporter_basis", BASES)):
        if row.get(field) not in allowed:
            problem(field, f"{row.get(field)!r} is not one of {list(allowed)}")
    unit, flow = row.get("unit"), row.get("flow")
    if unit in UNITS and flow in FLOWS and (unit == "percent") != (flow == "total_growth"):
        problem("unit", f"{unit!r} does not fit flow {flow!r}: growth is in percent, "
                        "amounts in USD_billion")
    try:
        period = parse_period(row.get("period"))
        if period.kind == "as_of":
            problem("period", f"{period.text!r}: an outside figure is a flow over a year or months, "
                              "not a stock '@DATE'")
    except PeriodError as exc:
        problem("period", str(exc))
    page_date = row.get("page_date")
    if page_date:
        match = _PAGE_DATE.fullmatch(page_date)
        try:
            if not match:
                raise PeriodError(f"{page_date!r} is not YYYY-MM(-DD), optionally followed by '(how)'")
            PartialDate.parse(match["date"])
        except PeriodError as exc:
            problem("page_date", str(exc))
    for field in ("outlet", "stat_source"):
        if not row.get(field).strip():
            problem(field, "is empty: every outside figure names its outlet and the source it cites")
    try:
        float(row.get("value"))
    except ValueError:
        problem("value", f"{row.get('value')!r} is not a number")
    return problems


def _typed(rows: list[Row]) -> pd.DataFrame:
    frame = pd.DataFrame([r.values for r in rows]).astype("string")
    frame["value"] = frame["value"].astype(float)
    periods = add_period_columns(frame)
    frame["full_year"] = [p.kind == "flow" and p.start.precision == "year" for p in periods]
    frame["side"] = pd.array([SIDE[r] for r in frame["reporter"]], dtype="string")
    frame["reporter_label"] = pd.array([REPORTER_LABEL[r] for r in frame["reporter"]], dtype="string")
    frame["page_date_label"] = pd.array([page_date_label(d) for d in frame["page_date"]], dtype="string")
    frame["line"] = [r.line for r in rows]
    return frame


def page_date_label(page_date: str | None) -> str:
    """'2023-10-17 (dateline)' -> '17 Oct 2023 (dateline)'; empty -> 'page undated'."""
    if page_date is None or pd.isna(page_date) or not str(page_date).strip():
        return "page undated"
    match = _PAGE_DATE.fullmatch(str(page_date))
    label = PartialDate.parse(match["date"]).label()
    if not match["how"]:
        return label
    how = {"URL": "date read from the page address"}.get(match["how"], match["how"])
    return f"{label} ({how})"


def source_html(row) -> str:
    """Outlet, page date and a link to the page: the cell every outside figure carries.

    ``row`` is a row of :func:`load_trade_mirror`'s frame (a Series or a namedtuple).
    The link is an ordinary hyperlink: nothing is fetched when the book's page opens.
    """
    get = row.get if hasattr(row, "get") else lambda k: getattr(row, k)
    url = html.escape(str(get("url")), quote=True)
    return (f'{html.escape(str(get("id")))}: {html.escape(str(get("outlet")))}, '
            f'{html.escape(str(get("page_date_label")))} '
            f'(<a class="external-source" href="{url}" rel="noopener">page</a>)')


def sources_html(rows: pd.DataFrame) -> str:
    """Several outside figures' sources in one cell, one per line."""
    return "<br>".join(source_html(r) for _, r in rows.iterrows())
