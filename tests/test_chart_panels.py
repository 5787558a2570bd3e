"""Row panels: derived segments hatched and hollow, gaps said in words, bad input refused."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from china_kazakhstan.report import chart_panels, charts

ROWS = ["first count", "second count"]
PANELS = {"count": "Projects", "value": "Value"}


def _frame() -> pd.DataFrame:
    # Built from dicts that leave keys out, as a notebook builds it: missing keys mean the defaults.
    return pd.DataFrame([
        {"panel": "count", "row": "first count", "value": 51, "text": "51", "legend": "stated"},
        {"panel": "count", "row": "second count", "value": 26, "text": "26", "inside": True},
        {"panel": "count", "row": "second count", "start": 26, "value": 19, "derived": True,
         "text": "45", "legend": "derived"},
        {"panel": "value", "row": "first count", "value": 26, "text": "US$26 bn"},
    ])


def test_segments_are_drawn_in_house_style_and_gaps_are_said() -> None:
    fig, axes = charts.new_figure(6, 3, ncols=2, sharey=True)
    try:
        chart_panels.row_panels(axes, _frame(), rows=ROWS, panels=PANELS)
        count, value = axes
        assert len(count.patches) == 3 and len(value.patches) == 1
        hatched = [p for p in count.patches if p.get_hatch()]
        assert len(hatched) == 1 and hatched[0].get_facecolor()[:3] == (1.0, 1.0, 1.0)
        assert hatched[0].get_x() == 26  # stacked after the completed part
        assert "not stated" in [t.get_text() for t in value.texts]
        assert [t.get_text() for t in count.get_yticklabels()] == ROWS
        assert count.get_title(loc="left") == "Projects"
        chart_panels.legend(fig, _frame())
        assert [t.get_text() for t in fig.legends[0].get_texts()] == ["stated", "derived"]
    finally:
        plt.close(fig)


def test_unknown_rows_and_missing_columns_are_refused() -> None:
    fig, axes = charts.new_figure(6, 3, ncols=2)
    try:
        with pytest.raises(ValueError, match="not among the rows"):
            chart_panels.row_panels(axes, _frame(), rows=ROWS[:1], panels=PANELS)
        with pytest.raises(KeyError, match="value"):
            chart_panels.row_panels(axes, _frame().drop(columns="value"), rows=ROWS, panels=PANELS)
        with pytest.raises(ValueError, match="panels but"):
            chart_panels.row_panels(axes[:1], _frame(), rows=ROWS, panels=PANELS)
    finally:
        plt.close(fig)
