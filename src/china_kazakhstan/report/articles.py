"""The articles as pages of the book, with every quoted passage marked and anchored.

A reader who follows a ledger id from a chapter table lands on the exact passage,
highlighted, inside the full article: the evidence is one click away and in context.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    anchor: str
    kind: str  # "claim" or "event"


def quote_spans(text: str, rows: pd.DataFrame, id_column: str, kind: str) -> list[Span]:
    """Where each row's quote sits in the article (its first occurrence)."""
    spans = []
    for anchor, quote in zip(rows[id_column], rows["quote"], strict=True):
        start = text.index(quote)
        spans.append(Span(start, start + len(quote), anchor, kind))
    return spans


def _regions(spans: list[Span]) -> list[tuple[int, int, list[Span]]]:
    """Merge overlapping quotes into marked regions, keeping each quote's anchor."""
    regions: list[tuple[int, int, list[Span]]] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end, s.anchor)):
        if regions and span.start < regions[-1][1]:
            start, end, members = regions[-1]
            regions[-1] = (start, max(end, span.end), [*members, span])
        else:
            regions.append((span.start, span.end, [span]))
    return regions


def render_article(text: str, spans: list[Span]) -> str:
    """The article as HTML paragraphs; quoted passages in ``<mark>`` with id anchors."""
    pieces: list[str] = []
    cursor = 0
    for start, end, members in _regions(spans):
        pieces.append(html.escape(text[cursor:start]))
        kinds = sorted({m.kind for m in members})
        labels = " ".join(m.anchor for m in sorted(members, key=lambda m: m.anchor))
        inner: list[str] = []
        position = start
        for member in sorted(members, key=lambda m: (m.start, m.anchor)):
            inner.append(html.escape(text[position:member.start]))
            inner.append(f'<span class="quote-anchor" id="{member.anchor}"></span>')
            position = member.start
        inner.append(html.escape(text[position:end]))
        pieces.append(
            f'<mark class="quote {" ".join("quote-" + k for k in kinds)}" title="{labels}">'
            f'{"".join(inner)}<sup class="quote-ids">{labels}</sup></mark>')
        cursor = end
    pieces.append(html.escape(text[cursor:]))
    body = "".join(pieces)
    paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n")]
    paragraphs = [" ".join(p.split()) for p in paragraphs]
    return "\n".join(f"<p>{p}</p>" for p in paragraphs if p)


def article_html(ledger, seed: str):
    """One article, every claim and event quote marked and anchored by its ledger id."""
    from IPython.display import HTML

    text = ledger.seed_texts[seed]
    spans = quote_spans(text, ledger.claims[ledger.claims["seed"] == seed], "claim_id", "claim")
    spans += quote_spans(text, ledger.events[ledger.events["seed"] == seed], "event_id", "event")
    spans += quote_spans(text, ledger.projects[ledger.projects["seed"] == seed], "project_id",
                         "project")
    source = ledger.sources.set_index("file").loc[seed]
    basis = "" if source["date_basis"] == "stated" else " (date inferred from the text)"
    header = (f'<p class="seed-meta"><strong>{html.escape(source["headline"])}</strong><br>'
              f'{html.escape(source["outlet"])}, {html.escape(source["published"])}{basis}; '
              f'file <code>seeds/{html.escape(seed)}</code></p>')
    return HTML(f'<div class="seed-article" id="article-{seed.split("_")[0]}">'
                f"{header}{render_article(text, spans)}</div>")


def sources_table(ledger):
    """The five articles: outlet, date (and how it is known), kind of text."""
    from IPython.display import HTML

    from .tables import html_table

    frame = ledger.sources.sort_values("published_date")
    shown = pd.DataFrame({
        "Article": frame["short_name"],
        "Headline": frame["headline"],
        "Published": [p + ("" if b == "stated" else " (inferred)")
                      for p, b in zip(frame["published"], frame["date_basis"], strict=True)],
        "Kind of text": [k.replace("_", " ") for k in frame["kind"]],
        "File": frame["file"],
    })
    return HTML(html_table(shown))
