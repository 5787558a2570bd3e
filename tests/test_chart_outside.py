"""The charts of the outside statistics: the news pages never joined to the IMF's line, ranks
largest at the top with ordinal ticks, a total above its flows."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from china_kazakhstan.report import chart_outside, charts


def test_news_pages_are_markers_apart_from_the_imf_line() -> None:
    frame = pd.DataFrame({"year": [2019, 2020, 2021, 2022], "side": "china",
                          "value_usd_billion": [1.0, 2, 3, 4],
                          "kind": ["imf", "imf", "news_page", "news_page"],
                          "derived": [False, False, False, True]})
    fig, ax = charts.new_figure()
    try:
        seen = chart_outside.record_lines(ax, frame, labels={"china": "China's record", "kazakhstan": "K"})
        (line,) = [ln for ln in ax.get_lines() if len(ln.get_xdata())]
        assert list(line.get_xdata()) == [2019, 2020]  # the line stops where the IMF's files end
        assert len(ax.collections) == 2  # news pages: stated and derived markers
        assert {"China's record, IMF", "China's record, news pages",
                "China's record, news pages (derived)"} <= seen
    finally:
        plt.close(fig)


def test_ranks_read_from_the_top_with_ordinal_ticks() -> None:
    frame = pd.DataFrame({"year": [2019, 2020], "economy": "china", "rank": [2, 14]})
    fig, ax = charts.new_figure()
    try:
        chart_outside.rank_lines(ax, frame, looks={"china": {"color": "k", "marker": "s", "label": "China"}},
                                 worst=14)
        low, high = ax.get_ylim()
        assert low > high  # inverted: 1st at the top
        assert [t.get_text() for t in ax.get_yticklabels()] == ["1st", "2nd", "3rd", "5th", "10th", "20th"]
    finally:
        plt.close(fig)


def test_a_total_above_its_flows() -> None:
    fig, axes = chart_outside.wide_over_two(8, 6)
    try:
        top, left, right = axes
        assert top.get_position().width > left.get_position().width * 1.8
        assert left.get_shared_y_axes().joined(left, right)
    finally:
        plt.close(fig)
