"""The book's one chart style: every chart is made with these settings and finished by
:func:`finish`, so the whole book looks alike and no chart forgets its source line.

Palette: Okabe & Ito (2008), distinguishable with the common colour-vision
deficiencies. Each article keeps one colour throughout the book; figures the package
*derives* (a prior year implied by a growth rate, a pro-rata) are drawn hatched and
hollow and labelled "derived", never like figures an article states.
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
#: Colours by purpose.
STATED = OKABE_ITO["blue"]
DERIVED = OKABE_ITO["orange"]
CONTEXT = "#8C8C8C"  # outside figures and background series
INK = "#222222"
MUTED = "#595959"  # source lines, notes: 7:1 contrast on white
#: One colour per article, in the order of seeds/sources.csv (oldest first).
ARTICLE_COLOURS = [OKABE_ITO[k] for k in ("sky", "vermillion", "green", "purple", "blue")]
DERIVED_HATCH = "///"

RC = {
    "figure.figsize": (8.0, 4.5),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    # Opaque white: charts stay legible when the theme switches to dark mode.
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "font.family": "DejaVu Sans",
    "font.size": 10.5,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10.5,
    "axes.labelcolor": INK,
    "axes.edgecolor": MUTED,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.linestyle": ":",
    "grid.color": "#B0B0B0",
    "axes.prop_cycle": mpl.cycler(color=[STATED, DERIVED, *ARTICLE_COLOURS]),
    "legend.frameon": False,
    "xtick.color": INK,
    "ytick.color": INK,
    "text.color": INK,
    # Deterministic SVG/PDF output: no random ids, no timestamps.
    "svg.hashsalt": "china-kazakhstan",
    "svg.fonttype": "none",
}


def apply_style() -> None:
    """Reset matplotlib and apply the house style (call once per notebook)."""
    mpl.rcdefaults()
    mpl.rcParams.update(RC)


def new_figure(width: float = 8.0, height: float = 4.5, **subplots) -> tuple[Figure, object]:
    """A figure in house style with room below the axes for the source line."""
    apply_style()
    fig, ax = plt.subplots(figsize=(width, height), **subplots)
    return fig, ax


def finish(fig: Figure, *, title: str, subtitle: str, source: str,
           note: str | None = None) -> Figure:
    """Title that states the finding, subtitle with measure and unit, grey source line."""
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold", color=INK)
    fig.text(0.01, 0.915, subtitle, ha="left", va="top", fontsize=10.5, color=MUTED)
    footer = f"Source: {source}"
    if note:
        footer += f"\nNote: {note}"
    fig.text(0.01, 0.01, footer, ha="left", va="bottom", fontsize=8.5, color=MUTED, wrap=True)
    # Room for the x-axis label and the footer lines beneath it.
    bottom = 0.19 + 0.045 * footer.count("\n")
    fig.subplots_adjust(top=0.8, bottom=bottom, left=0.09, right=0.97)
    return fig


def source_line(short_names: Iterable[str], claim_ids: Iterable[str]) -> str:
    """'Xinhua, May 2023; Kazinform, Jun 2024 (ledger rows C012, C040)'."""
    names = list(dict.fromkeys(short_names))
    ids = sorted(set(claim_ids))
    return f"{'; '.join(names)} (ledger rows {', '.join(ids)})"
