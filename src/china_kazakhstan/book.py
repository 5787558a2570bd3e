"""What every chapter notebook does first, and how numbers get into its prose.

Prose numbers are never typed: a notebook computes them as formatted strings and glues
them (``myst_nb.glue``); the markdown cites them with ``{glue:text}`name```. The glued
text is stored in the notebook's outputs, so strict nbval re-checks every prose number
on every run. (myst-nb ``literal_eval``s the stored repr, so plain ``str`` values render
without quotes, and "14,397" stays a string instead of becoming the tuple (14, 397).)
"""

from __future__ import annotations

from collections.abc import Mapping

from .data.ledger import Ledger, load_ledger
from .report.charts import apply_style


def load() -> Ledger:
    """Load and check the ledger, and set the house chart style."""
    apply_style()
    return load_ledger()


def glue_facts(facts: Mapping[str, str]) -> None:
    """Glue every fact for the chapter's markdown, without displaying it here."""
    from myst_nb import glue

    for name, value in facts.items():
        if not isinstance(value, str):
            raise TypeError(f"fact {name!r} must be formatted text, got {type(value).__name__}")
        glue(name, value, display=False)


def show(fig) -> None:
    """Display a chart once and close it.

    Relying on the inline backend's end-of-cell flush shows a figure twice when the kernel
    was also started with ``--matplotlib=inline`` (as nbval's is); displaying explicitly
    and closing makes the stored output the same under every runner.
    """
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(fig)
    plt.close(fig)
