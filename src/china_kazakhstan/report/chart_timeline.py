"""Charts of dated things: events on a timeline, counts at dates, and a running count of events.

The articles date events at different precisions: a day ("10 November 2023"), a span of
days ("2 to 6 July"), a month or only a year. A chart must not pretend to know more than
the article: an event known only to its month or year is placed in the middle of that
span and drawn with a band over the whole span, so that a reader sees how much is known.

Colours by category (the type of an event) follow one rule with no cap, like the
articles' colours in :mod:`.charts`: the categories in the order of their enumeration in
data/datapackage.json take the Okabe–Ito colours first, then hues stepped by the golden
angle. A new category takes a new colour and never changes another's.

Like :mod:`.chart_types`, this module only draws: the notebook decides what is plotted.
"""

from __future__ import annotations

import colorsys
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

from .. import fmt
from ..data.schema import DataPackage
from ..paths import project_root
from .charts import CONTEXT, INK, OKABE_ITO, STATED

#: Category colours in order; after these, generated hues (see :func:`category_colour`).
CATEGORY_PALETTE = [OKABE_ITO[k] for k in ("blue", "vermillion", "green", "orange", "purple", "sky",
                                          "yellow", "black")]
#: An outline that keeps light colours (yellow) visible on white.
OUTLINE = "#333333"


# --- positions and colours ------------------------------------------------------------------

def midpoint(start, end) -> pd.Timestamp:
    """Where a date known to a span goes on a time axis: the middle of the span.

    A day is its own middle; "Jul 2016" (1–31 July) goes to 16 July, "2017" to 2 July.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end < start:
        raise ValueError(f"a date span cannot end ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})")
    return start + (end - start) / 2


def category_order(resource: str, field: str, root: Path | None = None) -> list[str]:
    """The codes of an enumerated field in the order data/datapackage.json lists them."""
    root = root or project_root()
    package = DataPackage(root / "data" / "datapackage.json", root)
    fields = {f.name: f for f in package.resources[resource].fields}
    if field not in fields or not fields[field].enum:
        raise KeyError(f"data/datapackage.json: {resource}.{field} is not an enumerated field; colours by "
                       "category need the enumeration's order")
    return list(fields[field].enum)


def category_colour(index: int) -> str:
    """The colour of the category at ``index`` in its enumeration: fixed, uncapped."""
    if index < len(CATEGORY_PALETTE):
        return CATEGORY_PALETTE[index]
    hue = ((index - len(CATEGORY_PALETTE)) * 0.381966 + 0.61) % 1.0
    r, g, b = colorsys.hls_to_rgb(hue, 0.42, 0.75)
    return f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"


def category_colours(order: Sequence[str], used: Iterable[str] | None = None) -> dict[str, str]:
    """Code -> colour for the codes of ``order`` (of those ``used``, if given), by :func:`category_colour`.

    A code in ``used`` but missing from ``order`` is an error: add it to the enumeration.
    """
    used = set(order) if used is None else {str(c) for c in used}
    unknown = sorted(used - set(order))
    if unknown:
        raise KeyError(f"categories {unknown} are not in the enumeration {list(order)}: add them there")
    return {code: category_colour(index) for index, code in enumerate(order) if code in used}


# --- a timeline of events ---------------------------------------------------------------------

def label_side(x: float, low: float, high: float) -> str:
    """The side of a marker with more room for its label: "left" or "right"."""
    return "left" if x - low > high - x else "right"


def _marker(precision: str) -> dict:
    """Day: a filled dot; a span of days or a month: a diamond; a year: a hollow dot."""
    if precision == "year":
        return {"marker": "o", "hollow": True}
    return {"marker": "o" if precision == "day" else "D", "hollow": False}


def event_rows(ax, frame: pd.DataFrame, *, pad_years: tuple[int, int] = (1, 2),
               fontsize: float = 8.2) -> None:
    """One event per row, oldest at the top: marker at ``position``, band over ``date_start``–``date_end``.

    Columns: ``date_start``, ``date_end``, ``position``, ``date_precision`` (day, range, month,
    year), ``colour`` and ``label``. Each label goes on the side of its marker with more room.
    """
    low = mdates.date2num(pd.Timestamp(frame["position"].min().year - pad_years[0], 1, 1))
    high = mdates.date2num(pd.Timestamp(frame["position"].max().year + pad_years[1], 1, 1))
    for y, row in enumerate(frame.itertuples(index=False)):
        x = mdates.date2num(row.position)
        if row.date_end > row.date_start:  # the span the date allows
            ax.plot([mdates.date2num(row.date_start), mdates.date2num(row.date_end) + 1], [y, y],
                    color=row.colour, alpha=0.35, linewidth=5, solid_capstyle="butt", zorder=2)
        style = _marker(row.date_precision)
        if style["hollow"]:  # a thin dark ring keeps light colours visible on white
            ax.scatter([x], [y], s=70, marker="o", zorder=3, facecolor="none", edgecolor=OUTLINE,
                       linewidth=0.5)
            ax.scatter([x], [y], s=40, marker="o", zorder=4, facecolor="white", edgecolor=row.colour,
                       linewidth=2)
        else:
            ax.scatter([x], [y], s=40, marker=style["marker"], zorder=4, facecolor=row.colour,
                       edgecolor=OUTLINE, linewidth=0.5)
        offset = 13 if style["hollow"] else 7  # clear of the band
        left = label_side(x, low, high) == "left"
        ax.annotate(row.label, (x, y), xytext=(-offset if left else offset, 0), textcoords="offset points",
                    ha="right" if left else "left", va="center", fontsize=fontsize, color=INK)
    ax.set_xlim(low, high)
    ax.set_ylim(len(frame) - 0.4, -0.6)
    ax.xaxis.set_major_locator(mdates.YearLocator(5))
    ax.xaxis.set_minor_locator(mdates.YearLocator(1))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(axis="x", labeltop=True, top=True, which="both")
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(axis="x", which="major", linestyle=":", color="#B0B0B0")
    ax.grid(axis="y", visible=False)


def timeline_legend(colours: dict[str, str], labels: dict[str, str]) -> list[Line2D]:
    """Legend entries: one per category colour, then one per kind of date."""
    kinds = [Line2D([], [], marker="o", linestyle="", markerfacecolor=c, markeredgecolor=OUTLINE,
                    markersize=7, label=labels[code]) for code, c in colours.items()]
    return kinds + [  # the kinds of date: the marker, and the band over the span
        Line2D([], [], marker="o", linestyle="", color="#666666", label="exact day"),
        Line2D([], [], marker="D", linestyle="-", linewidth=5, color="#D0D0D0", markerfacecolor="#666666",
               markeredgecolor="#666666", label="days or month: its middle, band = the span"),
        Line2D([], [], marker="o", linestyle="-", linewidth=5, color="#D0D0D0", markerfacecolor="white",
               markeredgecolor="#666666", markeredgewidth=1.8, label="year only: mid-year, band = the year"),
    ]


def mention_source(mentions: pd.DataFrame) -> str:
    """'Xinhua, Nov 2016; People's Daily, Jun 2017 (mentions E001–E036)', articles oldest first."""
    rows = mentions.sort_values(["published_date", "mention_id"])
    names = "; ".join(dict.fromkeys(rows["short_name"]))
    ids = sorted(rows["mention_id"])
    span = ids[0] if len(ids) == 1 else f"{ids[0]}{fmt.DASH}{ids[-1]}"
    return f"{names} ({'mention' if len(ids) == 1 else 'mentions'} {span})"


# --- counts at dates --------------------------------------------------------------------------

def dated_points(ax, frame: pd.DataFrame, *, colours: dict[str, str], x: str = "date",
                 y: str = "value") -> None:
    """Counts at the dates the articles give them: a dot per count in its article's colour,
    its value above it, a grey line joining them (the line says nothing of when a change came)."""
    rows = frame.sort_values(x)
    ax.plot(rows[x], rows[y], color=CONTEXT, linewidth=1, zorder=1)
    for row in rows.itertuples(index=False):
        value, when = getattr(row, y), getattr(row, x)
        ax.scatter([when], [value], s=60, color=colours[row.short_name], zorder=2, edgecolor="white",
                   linewidth=0.8)
        ax.annotate(fmt.number(value), (when, value), xytext=(0, 7), textcoords="offset points", ha="center",
                    fontsize=10, fontweight="bold")


def article_legend(fig, colours: dict[str, str], names: Sequence[str], **legend) -> None:
    """A one-line legend of the articles ``names``, dots in their colours, top right under the subtitle."""
    handles = [Line2D([], [], marker="o", linestyle="", color=colours[n], label=n) for n in names]
    place = {"loc": "upper right", "bbox_to_anchor": (0.97, 0.9), **legend}
    fig.legend(handles=handles, ncols=len(handles), fontsize=8.5, handletextpad=0.2, columnspacing=1, **place)


def panel_title(ax, text: str, width: int = 26) -> None:
    """A small panel's title, wrapped to ``width`` characters, in the weight of a label."""
    ax.set_title(textwrap.fill(text, width), fontsize=10, fontweight="normal", loc="left")


def year_axis(ax, first: int, last: int, step: int = 1) -> None:
    """A time axis from 1 January of ``first`` to 1 January of ``last``, ticks every ``step`` years."""
    ax.set_xlim(pd.Timestamp(first, 1, 1), pd.Timestamp(last, 1, 1))
    ax.xaxis.set_major_locator(mdates.YearLocator(step))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


# --- a running count of dated events ----------------------------------------------------------

def count_steps(ax, positions: Sequence, *, end, label: str, colour: str = CONTEXT) -> None:
    """The running count of events at ``positions`` (dates), one step up at each, held to ``end``."""
    when = sorted(pd.Timestamp(p) for p in positions)
    ax.step([*when, pd.Timestamp(end)], [*range(1, len(when) + 1), len(when)], where="post", color=colour,
            linewidth=2, label=label)
    ax.scatter(when, range(1, len(when) + 1), s=18, color=colour, zorder=2)


def stated_counts(ax, frame: pd.DataFrame, *, colour: str = STATED,
                  label: str = "count an article states") -> None:
    """Counts the articles state, as dots at the end of their windows, each with its ``text``.

    Columns: ``date`` (the end of the count's window), ``value`` and ``text``.
    """
    for i, row in enumerate(frame.itertuples(index=False)):
        ax.scatter([row.date], [row.value], s=70, color=colour, zorder=3, label=label if i == 0 else None)
        ax.annotate(row.text, (row.date, row.value), textcoords="offset points", xytext=(-10, 8), ha="right",
                    fontsize=9, color=INK)


def finish_tall(fig, height: float, *, title: str, subtitle: str, source: str, note: str | None = None,
                top_inches: float = 1.85, bottom_inches: float = 1.1) -> None:
    """:func:`.charts.finish` for a tall figure: the header and footer keep their size in inches.

    ``finish`` places the subtitle and the axes at fractions of the figure's height, which on a
    figure of many rows leaves a gap under the title; here the subtitle sits just under the
    title and the axes start ``top_inches`` below the top edge, whatever the height.
    """
    from .charts import finish

    finish(fig, title=title, subtitle=subtitle, source=source, note=note)
    for text in fig.texts:
        if text.get_text() == subtitle:
            text.set_y(1 - 0.5 / height)
    fig.subplots_adjust(top=1 - top_inches / height, bottom=bottom_inches / height, left=0.02, right=0.98)
    keep_inside(fig)


def keep_inside(fig, margin: float = 4.0) -> None:
    """Keep every label beside a marker inside the figure: flip it to the other side of its
    marker, or, if it fits on neither, break it over two lines on the side with more room.

    Run after the layout is final (positions are measured in the drawn figure).
    """
    renderer = fig.canvas.get_renderer()
    width = fig.bbox.width

    def overflow(label) -> float:
        box = label.get_window_extent(renderer)
        return max(margin - box.x0, box.x1 - (width - margin), 0.0)

    for ax in fig.axes:
        for label in [t for t in ax.texts if isinstance(t, Annotation) and t.get_ha() in ("left", "right")]:
            if not overflow(label):
                continue
            before = overflow(label)
            _flip(label)
            after = overflow(label)
            if not after:
                continue
            if after > before:  # back to the side with more room
                _flip(label)
            label.set_text(_two_lines(label.get_text()))


def _flip(label) -> None:
    label.set_ha("left" if label.get_ha() == "right" else "right")
    label.xyann = (-label.xyann[0], label.xyann[1])


def _two_lines(text: str) -> str:
    """The text broken at the space nearest its middle."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return f"{text[:cut]}\n{text[cut + 1:]}"
