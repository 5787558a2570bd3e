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


def article_html(ledger, seed: str) -> str:
    """One article as HTML, every claim, event-mention and project quote marked and anchored."""
    text = ledger.seed_texts[seed]
    spans = quote_spans(text, ledger.claims[ledger.claims["seed"] == seed], "claim_id", "claim")
    spans += quote_spans(text, ledger.mentions[ledger.mentions["seed"] == seed], "mention_id", "event")
    spans += quote_spans(text, ledger.projects[ledger.projects["seed"] == seed], "project_id", "project")
    source = ledger.sources.set_index("file").loc[seed]
    basis = "" if source["date_basis"] == "stated" else " (date inferred from the text)"
    speaker = f"; {html.escape(source['speaker'])}" if isinstance(source["speaker"], str) and source["speaker"] else ""
    header = (f'<p class="seed-meta"><strong>{html.escape(source["headline"])}</strong><br>'
              f'{html.escape(source["outlet"])}, {html.escape(source["published"])}{basis}{speaker}; '
              f'file <code>seeds/{html.escape(seed)}</code></p>')
    return (f'<div class="seed-article" id="article-{seed.split("_")[0]}">'
            f"{header}{render_article(text, spans)}</div>")


def appendix_html(ledger) -> str:
    """Every article, oldest first, each under its own heading: the appendix follows the data."""
    parts = []
    for source in ledger.sources.sort_values(["published_date", "file"]).itertuples():
        parts.append(f'<h2 class="article-heading">{html.escape(source.short_name)}</h2>')
        parts.append(article_html(ledger, source.file))
    return "\n".join(parts)


def sources_frame(ledger) -> pd.DataFrame:
    """The articles and who speaks in them: outlet, owner, speaker, occasion, kind of text."""
    from ..data.periods import PartialDate
    from .labels import label

    frame = ledger.sources.sort_values(["published_date", "file"])
    return pd.DataFrame({
        "Article": frame["short_name"],
        "Headline": frame["headline"],
        "Published": [PartialDate.parse(p).label() + ("" if b == "stated" else " (inferred)")
                      for p, b in zip(frame["published"], frame["date_basis"], strict=True)],
        "Outlet and owner": [f"{o}: {w}" for o, w in zip(frame["outlet"], frame["owner"], strict=True)],
        "Who speaks": [s if isinstance(s, str) and s else "the outlet's own reporting" for s in frame["speaker"]],
        "Occasion": frame["occasion"],
        "Kind of text": [label("sources", "kind", k, ledger.root) for k in frame["kind"]],
    })
