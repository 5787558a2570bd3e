"""The data page: what each table holds, read from the schema itself."""

from __future__ import annotations

import pandas as pd

from ..data.ledger import Ledger
from ..data.schema import DataPackage
from ..report.tables import html_table


def facts(ledger: Ledger) -> dict[str, str]:
    return {
        "n_claims": str(len(ledger.claims)),
        "n_events": str(len(ledger.events)),
        "n_exclusions": str(len(ledger.exclusions)),
    }


def schema_table(ledger: Ledger):
    """Every field of every table, with its description and allowed values."""
    from IPython.display import HTML

    package = DataPackage(ledger.root / "data" / "datapackage.json", ledger.root)
    rows = []
    for resource in package.resources.values():
        for field in resource.fields:
            allowed = ", ".join(field.enum) if field.enum else ""
            rows.append({"Table": resource.display_path, "Field": field.name,
                         "Required": "yes" if field.required else "",
                         "Description": field.description, "Allowed values": allowed})
    return HTML(html_table(pd.DataFrame(rows)))


def exclusions_by_reason(ledger: Ledger) -> pd.DataFrame:
    counts = ledger.exclusions.groupby("reason").size().sort_values(ascending=False)
    return counts.rename("numbers excluded").rename_axis("reason").reset_index()
