"""Tables for readers: formatted figures with units, and links back to the quoted passage.

Tables are returned as HTML (``IPython.display.HTML``) rather than pandas Stylers: the
notebook then stores a stable plain-text repr, which strict nbval can compare, and the
links to the appendix of articles survive into the book and the PDF. Numbers are
formatted by :mod:`china_kazakhstan.fmt` (the house style); numeric cells are
right-aligned and never wrap, and so are the ids that link to quotes.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import pandas as pd

from .. import fmt
from ..data.periods import PartialDate
from .labels import label

ARTICLES_PAGE = "articles.html"  # the appendix page holding the articles, beside the chapters
REGISTER_PAGE = "discrepancies.html"  # the page of the discrepancy register


def _html(value: str):
    from IPython.display import HTML

    return HTML(value)


def quote_link(row_id: str, page: str = ARTICLES_PAGE) -> str:
    """A link from a table to the highlighted passage in the appendix of articles."""
    rid = html.escape(row_id)
    return f'<a class="quote-link" href="{page}#{rid}" title="Read the quoted passage">{rid}</a>'


def quote_links(ids: str | Iterable[str]) -> str:
    """'C012, C040' (or a list) as links, comma-separated."""
    items = [i.strip() for i in ids.split(",")] if isinstance(ids, str) else list(ids)
    return ", ".join(quote_link(i) for i in items if i)


def check_link(check_id: str) -> str:
    """A link to a register entry: 'discrepancies.html#SP-3F2A'."""
    cid = html.escape(check_id)
    return f'<a class="check-link" href="{REGISTER_PAGE}#{cid}" title="Open the check">{cid}</a>'


def html_table(frame: pd.DataFrame, *, raw_html_columns: Sequence[str] = (),
               numeric_columns: Sequence[str] = (), caption: str | None = None,
               css_class: str = "ledger-table", row_ids: Sequence[str] | None = None) -> str:
    """Render a frame as an HTML table: escaped text, no index, chosen columns left raw.

    ``numeric_columns`` are right-aligned with tabular figures and never wrap.
    ``row_ids`` give each row an ``id`` (an anchor other pages link to).
    """
    def cls(column: object) -> str:
        return ' class="num"' if column in numeric_columns else ""

    head = "".join(f"<th{cls(c)}>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for index, (_, row) in enumerate(frame.iterrows()):
        cells = []
        for column in frame.columns:
            value = row[column]
            if isinstance(value, float) and not pd.isna(value):
                text = fmt.number(value)
            else:
                text = "" if pd.isna(value) else str(value)
            shown = text if column in raw_html_columns else html.escape(text)
            cells.append(f"<td{cls(column)}>{shown}</td>")
        anchor = f' id="{html.escape(row_ids[index])}"' if row_ids is not None else ""
        body.append(f"<tr{anchor}>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f'<table class="{css_class}">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def with_code(text: str) -> str:
    """Text for an HTML cell, its `backticked` names set as code (as the schema writes them)."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def code(text: str) -> str:
    """A code of the data (a field name, an enumeration value) as code, for the pages that document them."""
    return f"<code>{html.escape(text)}</code>"


def show(frame: pd.DataFrame, *, links: Sequence[str] = (), checks: Sequence[str] = (),
         numeric: Sequence[str] = (), raw: Sequence[str] = (), caption: str | None = None):
    """A frame a notebook computed, as a reader's table: ``links`` columns hold claim or event ids
    (shown as links to their quotes), ``checks`` columns hold check ids (links to the register),
    ``raw`` columns hold HTML the notebook built (e.g. with :func:`code`)."""
    shown = frame.copy()
    for column in links:
        shown[column] = [quote_links(v) if isinstance(v, str) else quote_links(list(v)) for v in shown[column]]
    for column in checks:
        shown[column] = [", ".join(check_link(i.strip()) for i in str(v).split(",") if i.strip())
                         for v in shown[column]]
    return _html(html_table(shown, raw_html_columns=(*links, *checks, *raw), numeric_columns=numeric,
                            caption=caption))


def claims_display(claims: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """The reader's view of claims: what, how much, when, who said it, where."""
    return pd.DataFrame({
        "Figure": [labels[m] for m in claims["metric"]],
        "Value": [fmt.quantity(v, u, q) for v, u, q in
                  zip(claims["value"], claims["unit"], claims["qualifier"], strict=True)],
        "Period": list(claims["period_label"]),
        "Article": list(claims["short_name"]),
        "Quote": list(claims["claim_id"]),
    })


def claims_table(claims: pd.DataFrame, ledger, caption: str | None = None):
    """Every given claim, oldest article first, with links to the quotes."""
    rows = claims.sort_values(["published_date", "claim_id"])
    return show(claims_display(rows, ledger.labels), links=("Quote",), numeric=("Value",), caption=caption)


def topic_table(ledger, topic: str, caption: str | None = None):
    """Every claim of one chapter's topic, oldest article first."""
    return claims_table(ledger.claims_for(topic), ledger, caption)


def projects_table(ledger, topic: str, categories: Sequence[str] | None = None):
    """Named projects and facilities of a topic: one row per project, every article naming it."""
    rows = ledger.projects_for(topic)
    if categories is not None:
        rows = rows[rows["category"].isin(categories)]
    grouped = []
    for name, group in rows.sort_values(["published_date", "project_id"]).groupby("name", sort=False):
        grouped.append({
            "Project or facility": name,
            "Kind": label("projects", "category", group["category"].iloc[0], ledger.root),
            "Location": next((loc for loc in group["location"] if isinstance(loc, str) and loc), ""),
            "Status as reported": "; ".join(f"{label('projects', 'status', s, ledger.root)} ({a})" for s, a in
                                            zip(group["status"], group["short_name"], strict=True)),
            "Quotes": ", ".join(group["project_id"]),
        })
    return show(pd.DataFrame(grouped), links=("Quotes",))


def checks_table(checks):
    """Checks as a short table: id (a link to the register), what is compared, verdict."""
    if not checks:
        return _html("<p>No cross-check uses these figures.</p>")
    frame = pd.DataFrame({"Check": [c.check_id for c in checks], "What is compared": [c.title for c in checks],
                          "Verdict": [c.verdict_label for c in checks]})
    return show(frame, checks=("Check",))


def sources_list(ledger, claims: pd.DataFrame, verb: str = ""):
    """The articles some claims come from, with how many figures each supplies."""
    counts = claims.groupby("seed").size()
    sources = ledger.sources[ledger.sources["file"].isin(counts.index)].sort_values("published_date")
    suffix = f" {verb}" if verb else ""
    items = [f"<li>{html.escape(s.short_name)}: “{html.escape(s.headline)}”, {html.escape(s.outlet)}, "
             f"{html.escape(PartialDate.parse(s.published).label())} "
             f"({html.escape(fmt.count(counts[s.file], 'figure'))}{suffix}; "
             f'<a href="{ARTICLES_PAGE}#article-{s.file.split("_")[0]}">full text</a>)</li>'
             for s in sources.itertuples()]
    return _html(f'<ul class="chapter-sources">{"".join(items)}</ul>')


def chapter_sources(ledger, topic: str):
    """The articles a chapter draws on, with the number of its figures each supplies."""
    return sources_list(ledger, ledger.claims_for(topic))
