"""The book's front page: what the ledger holds, in numbers computed from it."""

from __future__ import annotations

from ..ledger import Ledger


def facts(ledger: Ledger) -> dict[str, str]:
    published = ledger.sources["published_date"]
    return {
        "first_year": str(published.min().year),
        "last_year": str(published.max().year),
        "n_claims": str(len(ledger.claims)),
        "n_events": str(len(ledger.events)),
        "n_articles": str(len(ledger.sources)),
    }
