"""Charts of dated events: positions of partial dates, category colours, labels kept on the page."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from china_kazakhstan import book
from china_kazakhstan.report import chart_timeline, charts


@pytest.fixture(scope="module")
def ledger():
    return book.load()


def test_a_date_goes_to_the_middle_of_its_span():
    day = pd.Timestamp(2023, 11, 10)
    assert chart_timeline.midpoint(day, day) == day
    november = chart_timeline.midpoint(pd.Timestamp(2023, 11, 1), pd.Timestamp(2023, 11, 30))
    assert november == pd.Timestamp(2023, 11, 15, 12)
    year = chart_timeline.midpoint(pd.Timestamp(2017, 1, 1), pd.Timestamp(2017, 12, 31))
    assert year == pd.Timestamp(2017, 7, 2)
    with pytest.raises(ValueError, match="before it starts"):
        chart_timeline.midpoint(pd.Timestamp(2017, 2, 1), pd.Timestamp(2017, 1, 1))


def test_every_event_of_the_data_has_its_middle_inside_its_span(ledger):
    for event in ledger.events.itertuples():
        middle = chart_timeline.midpoint(event.date_start, event.date_end)
        assert event.date_start <= middle <= event.date_end, event.event


def test_category_colours_follow_the_enumeration_without_a_cap(ledger):
    order = chart_timeline.category_order("events", "event_type")
    assert set(ledger.events["event_type"]) <= set(order)
    colours = chart_timeline.category_colours(order)
    assert list(colours) == order
    assert len(set(colours.values())) == len(colours)
    many = [chart_timeline.category_colour(i) for i in range(40)]
    assert len(set(many)) == len(many), "every category has its own colour, however many there are"
    used = chart_timeline.category_colours(order, ["other", "visit"])
    assert used == {"visit": colours["visit"], "other": colours["other"]}, "a category keeps its colour"
    with pytest.raises(KeyError, match="not in the enumeration"):
        chart_timeline.category_colours(order, ["visit", "coronation"])


def test_category_order_refuses_a_field_without_an_enumeration():
    with pytest.raises(KeyError, match="not an enumerated field"):
        chart_timeline.category_order("events", "description")


def test_labels_go_to_the_side_with_more_room():
    assert chart_timeline.label_side(9, 0, 10) == "left"
    assert chart_timeline.label_side(1, 0, 10) == "right"


def test_mention_source_names_the_articles_oldest_first(ledger):
    text = chart_timeline.mention_source(ledger.mentions)
    oldest = ledger.sources.sort_values("published_date")["short_name"].iloc[0]
    assert text.startswith(oldest)
    ids = sorted(ledger.mentions["mention_id"])
    assert text.endswith(f"(mentions {ids[0]}–{ids[-1]})")
    assert "ledger" not in text


def _timeline(ledger, labels):
    spans = zip(ledger.events["date_start"], ledger.events["date_end"], strict=True)
    events = ledger.events.assign(position=[chart_timeline.midpoint(s, e) for s, e in spans],
                                  colour=charts.STATED)
    events = events.sort_values("position").reset_index(drop=True)
    events["label"] = labels(events)
    height = 0.26 * len(events) + 2.9
    fig, ax = charts.new_figure(8, height)
    chart_timeline.event_rows(ax, events)
    chart_timeline.finish_tall(fig, height, title="t", subtitle="s", source="x")
    return fig, ax


def test_every_label_of_the_timeline_is_inside_the_figure(ledger):
    fig, ax = _timeline(ledger, lambda e: [f"{d} · {t} ({m})" for d, t, m in zip(
        e["date_label"], e["description"], e["mention_ids"], strict=True)])
    renderer = fig.canvas.get_renderer()
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width, text.get_text()
    plt.close(fig)


def test_a_label_too_long_for_either_side_is_broken_over_two_lines(ledger):
    middle = len(ledger.events) // 2
    long = "a label far too long to sit on either side of its marker in a chart of the book's width, " * 2
    fig, ax = _timeline(ledger, lambda e: [long if i == middle else "x" for i in range(len(e))])
    assert "\n" in ax.texts[middle].get_text()
    assert all("\n" not in t.get_text() for i, t in enumerate(ax.texts) if i != middle)
    plt.close(fig)
