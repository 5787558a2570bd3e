"""The book's one chart style: every chart is made with these settings and finished by
:func:`finish`, so the whole book looks alike and no chart forgets its source line.

Palette: Okabe & Ito (2008), distinguishable with the common colour-vision
deficiencies. Each article keeps one colour throughout the book, by the rule of
:func:`article_colour` (by the article's file number, so that adding an article never
changes another's colour, and with no limit on the number of articles); figures the book
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
#: Article colours, by article file number (000, 001, ...): then generated (see article_colour).
ARTICLE_COLOURS = [OKABE_ITO[k] for k in ("sky", "vermillion", "green", "purple", "blue", "black")]
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


def article_colour(number: int) -> str:
    """The colour of article number ``number`` (its file's prefix): fixed, uncapped.

    The first six follow the Okabe–Ito palette; after that, hues step by the golden angle
    at a fixed lightness and saturation, so that every article has its own colour and an
    article's colour never depends on how many others there are.
    """
    if number < len(ARTICLE_COLOURS):
        return ARTICLE_COLOURS[number]
    import colorsys

    hue = ((number - len(ARTICLE_COLOURS)) * 0.381966 + 0.11) % 1.0
    r, g, b = colorsys.hls_to_rgb(hue, 0.42, 0.75)
    return f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"


def colours_by_article(sources) -> dict[str, str]:
    """Short name of each article -> its colour (``sources`` is the ledger's sources frame)."""
    return {s: article_colour(int(n)) for s, n in zip(sources["short_name"], sources["number"], strict=True)}


def source_line(short_names: Iterable[str], claim_ids: Iterable[str]) -> str:
    """'Xinhua, May 2023; Kazinform, Jun 2024 (claims C012, C040)'."""
    names = list(dict.fromkeys(short_names))
    ids = sorted(set(claim_ids))
    return f"{'; '.join(names)} ({'claim' if len(ids) == 1 else 'claims'} {', '.join(ids)})"


def source(rows) -> str:
    """The source line of the claims a chart plots (a frame with short_name and claim_id)."""
    rows = rows.sort_values(["published_date", "claim_id"]) if "published_date" in rows else rows
    return source_line(rows["short_name"], rows["claim_id"])


def bars(ax, x, heights, *, width: float = 0.6, derived: bool = False, colour: str | None = None,
         label: str | None = None, decimals: int | None = None, labels=None):
    """Bars in house style: stated ones solid, derived ones hollow and hatched, each labelled."""
    from ..fmt import number

    if derived:
        drawn = ax.bar(x, heights, width, color="white", edgecolor=DERIVED, hatch=DERIVED_HATCH,
                       linewidth=1.2, label=label)
    else:
        drawn = ax.bar(x, heights, width, color=colour or STATED, edgecolor=colour or STATED, label=label)
    texts = labels if labels is not None else [number(h, decimals) for h in heights]
    ax.bar_label(drawn, labels=texts, padding=2, fontsize=9)
    return drawn


def range_bar(ax, y: float, central: float, low: float, high: float, *, derived: bool = False,
              colour: str = STATED, right: float | None = None) -> None:
    """One value with the range its rounding allows: a band, and a tick (stated) or a diamond (derived)."""
    import math

    end = high if math.isfinite(high) else (right if right is not None else low * 1.2)
    ax.barh(y, end - low, left=low, height=0.36, color="white" if derived else colour, alpha=1 if derived else 0.25,
            edgecolor=colour, hatch=DERIVED_HATCH if derived else None, linewidth=1.2)
    if derived:
        ax.plot([central], [y], marker="D", markersize=7, markerfacecolor="white", markeredgecolor=colour)
    else:
        ax.plot([central], [y], marker="|", markersize=18, markeredgewidth=2.5, color=colour)
