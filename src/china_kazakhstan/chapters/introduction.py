"""The book's front page: what the ledger holds, and each chapter's key figures."""

from __future__ import annotations

import pandas as pd

from ..data.ledger import Ledger
from ..report.tables import html_table, quote_link
from . import connectivity, diplomacy, energy_industry, people_to_people, trade

#: Topic chapters in book order, with the page each lives on.
CHAPTERS = (
    ("Connectivity", "connectivity", connectivity),
    ("Trade", "trade", trade),
    ("Energy and industrial capacity", "energy_industry", energy_industry),
    ("People-to-people ties", "people_to_people", people_to_people),
    ("Diplomatic context", "diplomacy", diplomacy),
)


def facts(ledger: Ledger) -> dict[str, str]:
    from ..build.pdf import book_metadata

    published = ledger.sources["published_date"]
    book = book_metadata(ledger.root)
    return {
        "book_title": book["title"],
        "book_author": book["author"],
        "book_year": book["date"],
        "first_year": str(published.min().year),
        "last_year": str(published.max().year),
        "n_claims": str(len(ledger.claims)),
        "n_events": str(len(ledger.events)),
        "n_articles": str(len(ledger.sources)),
    }


def key_figures_frame(ledger: Ledger) -> pd.DataFrame:
    rows = []
    for title, page, module in CHAPTERS:
        for item in module.key_figures(ledger):
            ids = [c.strip() for c in item["claim_ids"].split(",") if c.strip()]
            rows.append({"Chapter": f'<a href="{page}.html">{title}</a>', "Figure": item["label"],
                         "Value": item["value"], "Ledger rows": ", ".join(quote_link(c) for c in ids)})
    return pd.DataFrame(rows)


def key_figures_table(ledger: Ledger):
    """Each chapter's key figures, linked to the chapter and to the quotes."""
    from IPython.display import HTML

    return HTML(html_table(key_figures_frame(ledger), raw_html_columns=("Chapter", "Ledger rows"),
                           numeric_columns=("Value",)))
