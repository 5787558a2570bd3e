"""Charts of the outside statistics (the IMF's files and the news pages), in the house style.

Each takes a tidy frame the notebook computed and draws it. The outside figures are drawn in
greys and black, so that the articles' colours stay theirs; the IMF's figures as lines, the news
pages' (a page quoting the statistics, a different kind of source) as open markers with no line
to the IMF's, and figures a page implies but does not state hatched, as every derived figure in
the book is.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.ticker import FixedLocator, NullLocator

from .. import fmt
from .charts import DERIVED, DERIVED_HATCH, INK, MUTED, STATED, new_figure

#: Ranks labelled on a rank chart's axis (a log scale: the first ranks apart, the long tail close).
RANK_TICKS = (1, 2, 3, 5, 10, 20, 50, 100, 200)
#: How each side's record looks: China's dark, Kazakhstan's light (both outside figures).
RECORD_LOOKS = {"china": {"color": "#3A3A3A", "marker": "s"},
                "kazakhstan": {"color": "#8C8C8C", "marker": "o"}}


def wide_over_two(width: float, height: float, ratio: float = 1.25):
    """A figure with one wide panel above two side by side (sharing their y axis): a total over its parts."""
    fig, grid = new_figure(width, height, nrows=2, ncols=2, sharey="row",
                           gridspec_kw={"height_ratios": [ratio, 1]})
    for ax in grid[0]:
        ax.remove()
    return fig, [fig.add_subplot(grid[0, 0].get_gridspec()[0, :]), *grid[1]]


def record_lines(ax, frame: pd.DataFrame, *, labels: dict[str, str], looks: dict = RECORD_LOOKS,
                 seen: set[str] | None = None) -> set[str]:
    """Both records of one flow: the IMF's as a line per side, the news pages' as open markers.

    ``frame``: ``year``, ``side``, ``value_usd_billion``, ``kind`` (imf, news_page), ``derived``.
    ``labels`` names each side for the legend. Returns the legend texts drawn (pass them to the
    next panel as ``seen`` so that the legend lists each once).
    """
    seen = set() if seen is None else seen
    for side, look in looks.items():
        rows = frame[frame["side"] == side].sort_values("year")
        imf, pages = rows[rows["kind"] == "imf"], rows[rows["kind"] == "news_page"]
        text = f"{labels[side]}, IMF"
        ax.plot(imf["year"], imf["value_usd_billion"], color=look["color"], linewidth=1.7, zorder=2,
                label=None if text in seen else text)
        seen.add(text)
        for derived, group in pages.groupby("derived"):
            text = f"{labels[side]}, news pages{' (derived)' if derived else ''}"
            ax.scatter(group["year"], group["value_usd_billion"], s=70 if derived else 36,
                       marker=look["marker"], zorder=3, facecolors="white", edgecolors=look["color"],
                       linewidths=1.4,
                       hatch=DERIVED_HATCH if derived else None, label=None if text in seen else text)
            seen.add(text)
    return seen


def gap_bars(ax, frame: pd.DataFrame, *, labels: dict[str, str], colours: dict[str, str]) -> None:
    """The gap on each flow by year, as bars side by side: the IMF's filled, the news pages' open.

    ``frame``: ``year``, ``direction``, ``gap`` (US$ billion), ``kind`` and ``derived``;
    ``labels`` and ``colours`` by direction.
    """
    directions = list(labels)
    width = 0.8 / len(directions)
    seen: set[str] = set()
    for i, direction in enumerate(directions):
        rows = frame[frame["direction"] == direction]
        x = rows["year"] + (i - (len(directions) - 1) / 2) * width
        for (kind, derived), group in rows.assign(x=x).groupby(["kind", "derived"]):
            colour = colours[direction]
            text = (labels[direction] + ("" if kind == "imf" else ", news pages")
                    + (" (derived)" if derived else ""))
            style = ({"color": colour, "edgecolor": colour} if kind == "imf" else
                     {"color": "white", "edgecolor": colour, "hatch": DERIVED_HATCH if derived else None})
            ax.bar(group["x"], group["gap"], width * 0.95, linewidth=1.1,
                   label=None if text in seen else text, **style)
            seen.add(text)
    ax.axhline(0, color=MUTED, linewidth=0.8)


def rank_lines(ax, frame: pd.DataFrame, *, looks: dict[str, dict], worst: int) -> None:
    """Ranks by year, the largest at the top, on a log scale so that the first ranks stay apart.

    ``frame``: ``year``, ``economy``, ``rank`` (missing where the records have no figure);
    ``looks`` by economy: ``color``, ``marker``, ``label``. Ticks at the first three ranks and
    at round ranks, down to the first round rank at or below ``worst``.
    """
    for economy, look in looks.items():
        rows = frame[frame["economy"] == economy].dropna(subset=["rank"]).sort_values("year")
        ax.plot(rows["year"], rows["rank"].astype(float), color=look["color"], linewidth=1.4,
                marker=look["marker"], markersize=4.5, label=look["label"], zorder=3)
    ax.set_yscale("log")
    bottom = next((r for r in RANK_TICKS if r >= worst), worst)
    ticks = [r for r in RANK_TICKS if r <= bottom]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_yticklabels([fmt.ordinal(r) for r in ticks])
    ax.set_ylim(bottom * 1.15, 0.85)
    ax.tick_params(axis="y", colors=INK)


def article_points(ax, frame: pd.DataFrame) -> None:
    """The articles' own totals on top of the outside lines: stars (stated), hatched diamonds (derived).

    ``frame``: ``year``, ``value`` and ``derived``; a derived point sits a little to the right.
    """
    stated, derived = frame[~frame["derived"].astype(bool)], frame[frame["derived"].astype(bool)]
    ax.scatter(stated["year"], stated["value"], s=150, marker="*", color=STATED, edgecolors="white",
               linewidths=0.6, zorder=5, label="the articles, stated")
    ax.scatter(derived["year"] + 0.25, derived["value"], s=48, marker="D", facecolors="white",
               edgecolors=DERIVED, linewidths=1.5, hatch=DERIVED_HATCH, zorder=5,
               label="the articles, derived from a growth rate")
