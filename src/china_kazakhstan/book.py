"""What every chapter notebook does first, and how numbers get into its prose.

Prose numbers are never typed: a notebook computes them and glues them
(``myst_nb.glue``), and the markdown cites them with ``{glue:text}`name```. A glued
:class:`Fact` renders as its text, without the quotes a plain ``str`` would show, and its
text is what strict nbval compares on every run.
"""

from __future__ import annotations

from collections.abc import Mapping

from .ledger import Ledger, load_ledger
from .style import apply_style


class Fact(str):
    """A sentence fragment for the prose ("US$41 bn"): its repr is the text itself."""

    def __repr__(self) -> str:
        return str(self)


def load() -> Ledger:
    """Load and check the ledger, and set the house chart style."""
    apply_style()
    return load_ledger()


def glue_facts(facts: Mapping[str, object]) -> None:
    """Glue every fact for the chapter's markdown, without displaying it here."""
    from myst_nb import glue

    for name, value in facts.items():
        glue(name, value if not isinstance(value, str) else Fact(value), display=False)
