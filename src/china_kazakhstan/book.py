"""What a chapter notebook calls: load the data, glue prose numbers, show charts, check sentences.

Prose numbers are never typed: a notebook computes them as formatted strings and glues
them (``myst_nb.glue``); the markdown cites them with ``{glue:text}`name```. The glued
text is stored in the notebook's outputs, so strict nbval re-checks every prose number
on every run. (myst-nb ``literal_eval``s the stored repr, so plain ``str`` values render
without quotes, and "14,397" stays a string instead of becoming the tuple (14, 397).)

A sentence whose finding is not a glued number (a comparison, a direction) sits next to
:func:`require`, a visible check that stops the build with a plain message when the data
no longer support the sentence.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping

from .checks import Check, run_checks
from .data.ledger import Ledger, load_ledger
from .report.charts import apply_style


class Unsupported(AssertionError):
    """The data no longer support a sentence of the chapter: rewrite the sentence or fix the data."""


def load() -> Ledger:
    """Load and check the ledger, and set the house chart style."""
    apply_style()
    return load_ledger()


def checks(ledger: Ledger) -> list[Check]:
    """Every cross-check of the register (computed once per loaded ledger)."""
    return run_checks(ledger)


def glue(name: str, value: str) -> None:
    """Glue one formatted value for the markdown, without displaying it here."""
    from myst_nb import glue as _glue

    if not isinstance(value, str):
        raise TypeError(f"glued value {name!r} must be formatted text (china_kazakhstan.fmt), "
                        f"got {type(value).__name__}: {value!r}")
    _glue(name, value, display=False)


def glue_facts(facts: Mapping[str, str]) -> None:
    """Glue every fact of a mapping."""
    for name, value in facts.items():
        glue(name, value)


def require(condition: bool, sentence: str) -> None:
    """Stop the build when the data no longer support ``sentence`` (quoted in the message)."""
    if not condition:
        raise Unsupported(f"The chapter says: “{sentence}” The data no longer support it: rewrite the "
                          "sentence (and this check) or correct the data.")


def csv_link(frame, name: str, text: str = "Download the data of this chart (CSV)") -> str:
    """A link that downloads ``frame`` as a CSV, embedded in the page (nothing is fetched)."""
    data = base64.b64encode(frame.to_csv(index=False, lineterminator="\n").encode("utf-8")).decode("ascii")
    return (f'<p class="chart-data screen-only"><a download="{html.escape(name)}.csv" '
            f'href="data:text/csv;base64,{data}">{html.escape(text)}</a></p>')


_LAST_CHART_DATA: list[str] = []


def show(fig, data=None, name: str | None = None) -> None:
    """Display a chart once and close it; keep exactly what it plots for :func:`chart_data`.

    Relying on the inline backend's end-of-cell flush shows a figure twice when the kernel
    was also started with ``--matplotlib=inline`` (as nbval's is); displaying explicitly
    and closing makes the stored output the same under every runner. The CSV link is shown
    by the next cell (``book.chart_data()``): a chart cell's every output becomes a figure
    with the cell's caption and name, so the link must not be one of them.
    """
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(fig)
    plt.close(fig)
    _LAST_CHART_DATA[:] = [csv_link(data, name or "chart-data")] if data is not None else []


def chart_data():
    """The download of what the last chart plots, as a CSV, for the cell after the chart."""
    from IPython.display import HTML

    if not _LAST_CHART_DATA:
        raise RuntimeError("no chart data to offer: call book.show(fig, data, name) in the cell before")
    return HTML(_LAST_CHART_DATA.pop())
