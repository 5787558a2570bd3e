"""Small multiples of horizontal bars that share their rows: one panel per measure.

Some figures come in sets that differ per article: a count of projects, the value of the
same projects, and what the two give per project. Drawn as one panel per measure, with one
row per article (or per date) across all panels, a reader follows a row from left to right
and sees at once which measure an article gives and which it leaves out. A row without a
bar in a panel says so ("not stated"), so a missing figure is never read as zero.

A bar may be made of segments (the completed part of a count and the rest); stated
segments are solid, derived ones hollow and hatched, as everywhere in the book
(:mod:`.charts`). The notebook computes what is plotted, including every label's text;
this module only draws it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .charts import DERIVED, DERIVED_HATCH, INK, MUTED, STATED

#: The columns :func:`row_panels` reads, with the default of an optional one (None: required).
COLUMNS = {"panel": None, "row": None, "value": None, "start": 0.0, "derived": False, "colour": STATED,
           "text": "", "inside": False, "legend": ""}


def _complete(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every optional column filled in; a plain error for a missing required one."""
    missing = [c for c, default in COLUMNS.items() if default is None and c not in frame]
    if missing:
        raise KeyError(f"row_panels needs the column(s) {', '.join(missing)}; the frame has "
                       f"{', '.join(map(str, frame.columns))}")
    filled = frame.copy()
    for column, default in COLUMNS.items():
        if default is None:
            continue
        # A frame built from dicts holds NaN where a dict left a key out: that means the default.
        filled[column] = filled[column].astype(object).where(filled[column].notna(), default) \
            if column in filled else default
    for column in ("derived", "inside"):
        filled[column] = filled[column].astype(bool)
    filled["start"] = filled["start"].astype(float)
    return filled


def _style(derived: bool, colour: str) -> dict[str, object]:
    if derived:
        return {"facecolor": "white", "edgecolor": DERIVED, "hatch": DERIVED_HATCH, "linewidth": 1.2}
    return {"facecolor": colour, "edgecolor": colour, "linewidth": 1.2}


def row_panels(axes: Sequence, frame: pd.DataFrame, *, rows: Sequence[str], panels: dict[str, str],
               room: float | dict[str, float] = 1.8, missing: str = "not stated", fontsize: float = 8.5,
               height: float = 0.56) -> None:
    """Draw one panel per key of ``panels`` (its value is the panel's title) on ``axes``.

    ``frame`` has one line per bar segment: ``panel``, ``row`` (one of ``rows``) and
    ``value`` (the segment's length); optionally ``start`` (where it begins, for stacked
    segments), ``derived`` (hatched and hollow), ``colour`` (of a stated segment), ``text``
    (its label), ``inside`` (label centred in white inside the segment rather than after
    its end) and ``legend`` (the legend entry, see :func:`legend`). ``rows`` are drawn top
    to bottom and labelled on the first panel; ``room`` is how far the x axis reaches, as
    a multiple of the panel's longest bar, to leave space for the labels (one number for
    every panel, or one per panel key).
    """
    data = _complete(frame)
    unknown = sorted(set(data["row"]) - set(rows))
    if unknown:
        raise ValueError(f"row_panels: rows {unknown} are not among the rows to draw ({list(rows)})")
    if len(axes) != len(panels):
        raise ValueError(f"row_panels: {len(panels)} panels but {len(axes)} axes")
    for ax, (key, title) in zip(axes, panels.items(), strict=True):
        part = data[data["panel"] == key]
        ends = (part["start"] + part["value"]).max() if len(part) else 1.0
        for y, row in enumerate(rows):
            segments = part[part["row"] == row]
            if segments.empty:
                ax.text(ends * 0.02, y, missing, va="center", ha="left", fontsize=fontsize, color=MUTED)
                continue
            for seg in segments.itertuples():
                ax.barh(y, seg.value, left=seg.start, height=height, **_style(bool(seg.derived), seg.colour))
                if not seg.text:
                    continue
                if seg.inside:
                    ax.text(seg.start + seg.value / 2, y, seg.text, ha="center", va="center",
                            fontsize=fontsize, color="white", fontweight="bold")
                else:
                    ax.annotate(seg.text, (seg.start + seg.value, y), xytext=(4, 0),
                                textcoords="offset points", ha="left", va="center", fontsize=fontsize,
                                color=INK, linespacing=1.1)
        ax.set_title(title, fontsize=10.5, loc="left")
        ax.set_xlim(0, ends * (room.get(key, 1.8) if isinstance(room, dict) else room))
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_yticks(range(len(rows)), list(rows), fontsize=fontsize + 0.5)
        ax.grid(axis="x", linestyle=":", color="#B0B0B0")
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="x", labelsize=fontsize)
    for ax in axes[1:]:
        ax.tick_params(axis="y", left=False, labelleft=False)


def legend(fig, frame: pd.DataFrame, **kwargs) -> None:
    """One legend entry per distinct ``legend`` text of ``frame``, in the style of its first segment."""
    from matplotlib.patches import Patch

    data = _complete(frame)
    entries = data[data["legend"] != ""].drop_duplicates("legend")
    handles = [Patch(label=e.legend, **_style(bool(e.derived), e.colour)) for e in entries.itertuples()]
    fig.legend(handles=handles, **{"frameon": False, "fontsize": 8.5, **kwargs})
