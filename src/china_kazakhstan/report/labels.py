"""Display labels for the codes of the data: a page never shows ``under_construction``.

The labels are written once, in data/datapackage.json, as each field's ``categories``
(Table Schema: ``{"value": "under_construction", "label": "under construction"}``);
this module reads them. A code without a label is an error, so that a new code added to
an enumeration cannot reach a page raw.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..data.schema import DataPackage
from ..paths import project_root


@lru_cache(maxsize=4)
def _labels(root: Path) -> dict[tuple[str, str], dict[str, str]]:
    package = DataPackage(root / "data" / "datapackage.json", root)
    out: dict[tuple[str, str], dict[str, str]] = {}
    for resource in package.descriptor["resources"]:
        for field in resource.get("schema", {}).get("fields", []):
            cats = field.get("categories")
            if cats:
                out[(resource["name"], field["name"])] = {c["value"]: c["label"] for c in cats}
    return out


def label(resource: str, field: str, code: str, root: Path | None = None) -> str:
    """The reader's label of one code: ('projects', 'status', 'under_construction') -> 'under construction'."""
    labels = _labels((root or project_root()).resolve())
    known = labels.get((resource, field))
    if known is None:
        raise KeyError(f"data/datapackage.json: field {resource}.{field} has no categories with labels; add "
                       "them so that its codes reach the page in words")
    if code not in known:
        raise KeyError(f"data/datapackage.json: code {code!r} of {resource}.{field} has no label in its "
                       f"categories ({', '.join(known)}); add one")
    return known[code]


def labeller(resource: str, field: str, root: Path | None = None):
    """A function code -> label for one field, for ``Series.map``."""
    return lambda code: label(resource, field, code, root)


def categories(resource: str, field: str, root: Path | None = None) -> list[str]:
    """The codes of one field, in the order the schema lists them (for colour rules, legends)."""
    labels = _labels((root or project_root()).resolve())
    if (resource, field) not in labels:
        raise KeyError(f"data/datapackage.json: field {resource}.{field} has no categories")
    return list(labels[(resource, field)])
