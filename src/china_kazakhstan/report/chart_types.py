"""The book's recurring kinds of chart, drawn in the house style of :mod:`.charts`.

Each takes a tidy frame the notebook computed and draws it; the notebook keeps the
analysis (what is plotted), this module only how it is drawn, so that every chapter's
bars, ranks, ranges and timelines look alike.
"""

from __future__ import annotations

import math

import pandas as pd

from .. import fmt
from .charts import CONTEXT, DERIVED, DERIVED_HATCH, INK, MUTED, STATED


def grouped_bars(ax, frame: pd.DataFrame, *, group: str, value: str = "value", colour: str = "colour",
                 derived: str = "derived", legend: str = "legend", tick: str | None = None,
                 seen: set[str] | None = None) -> set[str]:
    """Bars side by side within each ``group``; stated ones in their colour, derived ones hatched.

    ``legend`` names each bar's legend entry (one entry per distinct text); ``tick`` the
    column that labels each group on the x axis (default: the group itself).
    Returns the legend texts drawn, so that a second panel does not repeat them.
    """
    seen = set() if seen is None else seen
    groups = list(dict.fromkeys(frame[group]))
    width = 0.8 / max(frame.groupby(group).size())
    for gi, key in enumerate(groups):
        members = frame[frame[group] == key]
        for bi, row in enumerate(members.itertuples(index=False)):
            row = row._asdict()
            x = gi + (bi - (len(members) - 1) / 2) * width
            is_derived = bool(row[derived])
            style = ({"color": "white", "edgecolor": DERIVED, "hatch": DERIVED_HATCH} if is_derived
                     else {"color": row[colour], "edgecolor": row[colour]})
            text = row[legend]
            bar = ax.bar(x, row[value], width * 0.92, linewidth=1.2, label=None if text in seen else text, **style)
            seen.add(text)
            if "unit" in row and isinstance(row["unit"], str) and is_derived:
                decimals = fmt.decimals_for(row["unit"])
            else:
                decimals = 2 if is_derived or not float(row[value]).is_integer() else 0
            ax.bar_label(bar, labels=[fmt.number(row[value], decimals)], padding=2, fontsize=9, zorder=4,
                         bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})
    labels = [str(frame[frame[group] == key][tick or group].iloc[0]) for key in groups]
    ax.set_xticks(range(len(groups)), labels)
    ax.set_xlim(-0.6, len(groups) - 0.4)
    return seen


def rank_panels(axes, frame: pd.DataFrame, *, panel: str, titles: dict[str, str], colours: dict[str, str],
                x_labels: list[str]) -> None:
    """Small multiples of ranks (1 at the top): one panel per ``panel`` value, one point per claim.

    ``frame`` has the claims' ``value``, ``qualifier``, ``short_name`` and an ``x`` position;
    a rank "among the top N" is drawn as a band from 1 to N.
    """
    worst = int(frame["value"].max())
    for ax, key in zip(axes.flat, titles, strict=True):
        data = frame[frame[panel] == key].sort_values("x").drop_duplicates(["x", "value", "qualifier"])
        ax.plot(data["x"], data["value"], color=CONTEXT, linewidth=1, zorder=1)
        for row in data.itertuples():
            colour = colours[row.short_name]
            if row.qualifier == "up_to":
                ax.plot([row.x, row.x], [1, row.value], color=colour, linewidth=6, alpha=0.45,
                        solid_capstyle="round", zorder=2)
                text, y = f"top {fmt.spelled(row.value)}", (1 + row.value) / 2
            else:
                ax.scatter([row.x], [row.value], s=70, color=colour, zorder=3)
                text, y = fmt.ordinal(row.value), row.value
            ax.annotate(text, (row.x, y), xytext=(8, 0), textcoords="offset points", va="center",
                        fontsize=9, color=INK)
        ax.set_title(titles[key], fontsize=10.5, fontweight="normal", loc="left")
        ax.set_ylim(worst + 0.6, 0.4)
        ax.set_yticks(range(1, worst + 1), [fmt.ordinal(r) for r in range(1, worst + 1)])
        ax.set_xlim(-0.4, len(x_labels) - 0.4)
        ax.set_xticks(range(len(x_labels)), x_labels)


def band(label: str, central: float, interval, *, derived: bool = False, colour: str = STATED) -> dict:
    """One row for :func:`range_rows`: a figure and the range its rounding or wording allows."""
    return {"label": label, "central": central, "low": interval.low, "high": interval.high,
            "derived": derived, "colour": colour}


def range_rows(ax, frame: pd.DataFrame, *, label: str = "label", right: float | None = None) -> None:
    """One row per figure: the range its wording allows as a band, the figure as a tick
    (stated) or a diamond (derived); open-ended ranges end in an arrow. Columns: ``central``,
    ``low``, ``high``, ``derived``, ``colour`` and ``label``."""
    finite = [v for v in (*frame["high"], *frame["central"]) if math.isfinite(v)]
    right = right if right is not None else max(finite) * 1.15
    for y, row in enumerate(frame.itertuples()):
        high = row.high if math.isfinite(row.high) else right
        colour = DERIVED if row.derived else row.colour
        ax.barh(y, high - row.low, left=row.low, height=0.38, color="white" if row.derived else colour,
                alpha=1 if row.derived else 0.25, edgecolor=colour, linewidth=1.2,
                hatch=DERIVED_HATCH if row.derived else None)
        marker = {"marker": "D", "markersize": 7, "markerfacecolor": "white", "markeredgecolor": colour} \
            if row.derived else {"marker": "|", "markersize": 18, "markeredgewidth": 2.5, "color": colour}
        ax.plot([row.central], [y], linestyle="", **marker)
        if not math.isfinite(row.high):
            ax.annotate("", xy=(right, y), xytext=(right - (right - row.low) * 0.08, y),
                        arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.5})
    import textwrap

    ax.set_yticks(range(len(frame)), ["\n".join(textwrap.wrap(str(t), 36)) for t in frame[label]], fontsize=8.5)
    ax.set_ylim(-0.6, len(frame) - 0.4)
    ax.grid(axis="x", linestyle=":", color="#B0B0B0")
    ax.grid(axis="y", visible=False)


def legend_stated_derived(ax, *, stated_colour: str = STATED, loc: str = "best") -> None:
    """A legend that says which marks are stated and which derived."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=stated_colour, alpha=0.25, edgecolor=stated_colour, label="stated: range its wording allows"),
               Line2D([], [], marker="|", linestyle="", markersize=12, markeredgewidth=2.5, color=stated_colour,
                      label="stated figure"),
               Patch(facecolor="white", edgecolor=DERIVED, hatch=DERIVED_HATCH, label="derived: range rounding allows"),
               Line2D([], [], marker="D", linestyle="", markerfacecolor="white", markeredgecolor=DERIVED,
                      label="derived figure")]
    ax.legend(handles=handles, loc=loc, fontsize=8, labelcolor=MUTED)
