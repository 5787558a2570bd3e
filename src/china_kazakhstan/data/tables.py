"""Any table of the data package as a frame, checked against its schema first.

The ledger and the outside tables have loaders of their own, with checks that need more than
one table; every other table (the changelog, the snapshot of the previous edition, tables
added later) is read here, so that no page reads a CSV the schema has not checked.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem
from ..paths import project_root
from .schema import DataPackage


def load_table(name: str, root: Path | None = None) -> pd.DataFrame:
    """The resource ``name`` of data/datapackage.json as strings (numbers typed), or a DataError."""
    root = root or project_root()
    package = DataPackage(root / "data" / "datapackage.json", root)
    if name not in package.resources:
        raise DataError([Problem("data/datapackage.json", None, None, None,
                                 f"has no resource {name!r}: declare its table there")])
    rows, problems = package.read(name)
    if problems:
        raise DataError(problems)
    resource = package.resources[name]
    frame = pd.DataFrame([r.values for r in rows], columns=resource.field_names).astype("string")
    for field in resource.fields:
        if field.type in ("number", "integer"):
            frame[field.name] = pd.to_numeric(frame[field.name])
    return frame
