"""Tables for readers: formatted figures with units, and links back to the quoted passage.

Tables are returned as HTML (``IPython.display.HTML``) rather than pandas Stylers: the
notebook then stores a stable plain-text repr, which strict nbval can compare, and the
links to the appendix of articles survive into the book and the PDF.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

ARTICLES_PAGE = "articles.html"  # the appendix page holding the articles, beside the chapters

_UNIT_SUFFIX = {
    "USD_billion": ("US$", " bn"),
    "USD_million": ("US$", " m"),
    "million_tonnes": ("", " m tonnes"),
    "percent": ("", " %"),
    "MW": ("", " MW"),
    "persons": ("", " people"),
    "years": ("", " years"),
    "count": ("", ""),
}
_QUALIFIER = {
    "exact": "",
    "about": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "up_to": "up to ",
    "nearly": "nearly ",
}


def number(value: float, decimals: int | None = None) -> str:
    """12000 -> '12,000'; 31.17 -> '31.17'; 21.2 -> '21.2'; 41.0 -> '41'."""
    if decimals is None:
        if float(value).is_integer():
            return f"{value:,.0f}"
        text = f"{value:,.6f}".rstrip("0").rstrip(".")
        return text
    return f"{value:,.{decimals}f}"


def ordinal(rank: int) -> str:
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def format_value(value: float, unit: str, qualifier: str = "exact") -> str:
    """A figure as a reader writes it: 'more than US$21.2 bn', '2nd', '×12', '61.3 %'."""
    if unit == "rank":
        body = ordinal(int(value))
        if qualifier == "up_to":
            return f"among the top {int(value)}"
        return _QUALIFIER[qualifier] + body
    if unit == "multiple":
        return f"{_QUALIFIER[qualifier]}×{number(value)}"
    prefix, suffix = _UNIT_SUFFIX[unit]
    return f"{_QUALIFIER[qualifier]}{prefix}{number(value)}{suffix}"


def quote_link(claim_id: str, page: str = ARTICLES_PAGE) -> str:
    """An HTML link from a table to the highlighted quote in the appendix of articles."""
    cid = html.escape(claim_id)
    return f'<a class="quote-link" href="{page}#{cid}" title="Read the quoted passage">{cid}</a>'


def html_table(frame: pd.DataFrame, *, raw_html_columns: Sequence[str] = (),
               numeric_columns: Sequence[str] = (), caption: str | None = None,
               css_class: str = "ledger-table") -> str:
    """Render a frame as an HTML table: escaped text, no index, chosen columns left raw.

    ``numeric_columns`` are right-aligned with tabular figures, as numbers should be.
    """
    def cls(column: object) -> str:
        return ' class="num"' if column in numeric_columns else ""

    head = "".join(f"<th{cls(c)}>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for _, row in frame.iterrows():
        cells = []
        for column in frame.columns:
            value = row[column]
            text = "" if pd.isna(value) else str(value)
            shown = text if column in raw_html_columns else html.escape(text)
            cells.append(f"<td{cls(column)}>{shown}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f'<table class="{css_class}">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def claims_display(claims: pd.DataFrame, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """The reader's view of ledger rows: what, how much, when, who said it, where."""
    labels = labels or {}
    frame = pd.DataFrame({
        "Figure": [labels.get(m, m.replace("_", " ")) for m in claims["metric"]],
        "Value": [format_value(v, u, q) for v, u, q in
                  zip(claims["value"], claims["unit"], claims["qualifier"], strict=True)],
        "Period": list(claims["period_label"]),
        "Article": list(claims["short_name"]),
        "Quote": [quote_link(c) for c in claims["claim_id"]],
    })
    return frame


def claims_table(claims: pd.DataFrame, labels: dict[str, str] | None = None,
                 caption: str | None = None):
    """Every given ledger row as an HTML table with links to the quotes."""
    from IPython.display import HTML

    frame = claims_display(claims, labels)
    return HTML(html_table(frame, raw_html_columns=("Quote",), numeric_columns=("Value",),
                           caption=caption))


def topic_table(ledger, topic: str, caption: str | None = None):
    """Every ledger claim of one chapter's topic, oldest article first, labelled."""
    rows = ledger.claims_for(topic).sort_values(["published_date", "claim_id"])
    return claims_table(rows, ledger.labels, caption=caption)


def projects_table(ledger, topic: str, categories: Sequence[str] | None = None):
    """Named projects and facilities of a topic: one row per project, all articles naming it."""
    from IPython.display import HTML

    rows = ledger.projects[ledger.projects["topic"] == topic]
    if categories is not None:
        rows = rows[rows["category"].isin(categories)]
    grouped = []
    for name, group in rows.groupby("name", sort=False):
        grouped.append({
            "Project or facility": name,
            "Kind": group["category"].iloc[0].replace("_", " "),
            "Location": next((loc for loc in group["location"] if isinstance(loc, str) and loc), ""),
            "Status as reported": "; ".join(f"{s} ({a})" for s, a in
                                            zip(group["status"], group["short_name"], strict=True)),
            "Quotes": ", ".join(quote_link(p) for p in group["project_id"]),
        })
    return HTML(html_table(pd.DataFrame(grouped), raw_html_columns=("Quotes",)))


def sources_list(ledger, claims: pd.DataFrame, verb: str = ""):
    """The articles some claims come from, with how many figures each supplies.

    ``verb`` qualifies the count ("checked" gives "3 figures checked").
    """
    from IPython.display import HTML

    counts = claims.groupby("seed").size()
    sources = ledger.sources[ledger.sources["file"].isin(counts.index)].sort_values("published_date")
    suffix = f" {verb}" if verb else ""
    items = [f"<li>{html.escape(s.short_name)}: “{html.escape(s.headline)}”, {html.escape(s.outlet)}, "
             f"{html.escape(s.published)} ({counts[s.file]} figure{'s' if counts[s.file] != 1 else ''}"
             f'{suffix}; <a href="{ARTICLES_PAGE}#article-{s.file.split("_")[0]}">full text</a>)</li>'
             for s in sources.itertuples()]
    return HTML(f'<ul class="chapter-sources">{"".join(items)}</ul>')


def chapter_sources(ledger, topic: str):
    """The articles a chapter draws on, with the number of its figures each supplies."""
    return sources_list(ledger, ledger.claims_for(topic))
