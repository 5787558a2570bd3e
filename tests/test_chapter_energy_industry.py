"""The energy and industry chapter: its arithmetic, read back from the ledger."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest

from china_kazakhstan import book
from china_kazakhstan.analysis.intervals import stated_interval
from china_kazakhstan.chapters import energy_industry as ei


@pytest.fixture(scope="module")
def ledger():
    return book.load()


def _value(ledger, metric: str, year: int) -> tuple[float, str, str]:
    rows = ledger.metric(metric)
    row = rows[rows["year"] == year].iloc[0]
    return row["value"], row["qualifier"], row["claim_id"]


def test_programme_has_one_row_per_count_with_distinct_wordings(ledger) -> None:
    data = ei.programme(ledger)
    counts = ledger.metric(ei.COUNT)
    assert len(data) == len(counts)
    assert list(data["count"]) == list(counts.sort_values("period_end")["value"])
    assert data["as_of"].is_monotonic_increasing
    # Every count says in its own words what it counts, and no two say the same.
    assert data["stage"].nunique() == len(data)


def test_stage_of_refuses_a_quote_it_cannot_read() -> None:
    assert ei.stage_of("reached preliminary agreements on 51 projects") == "preliminary agreements"
    with pytest.raises(ValueError):
        ei.stage_of("51 projects")


def test_value_per_project(ledger) -> None:
    avg = ei.per_project(ledger)
    for _, row in avg.iterrows():
        count, _, _ = _value(ledger, ei.COUNT, row["year"])
        value, qualifier, _ = _value(ledger, ei.VALUE, row["year"])
        assert row["derived"].value == pytest.approx(value / count * 1000)
        assert row["value_q"] == qualifier
        if qualifier == "more_than":  # a floor stays a floor
            assert row["derived"].interval.low == pytest.approx(value / count * 1000)
            assert math.isinf(row["derived"].interval.high)
    assert len(avg) == len(ledger.metric(ei.VALUE))


def test_completed_share_and_remainder(ledger) -> None:
    done_rows = ledger.metric(ei.COMPLETED)
    assert len(done_rows) == 1
    done = done_rows.iloc[0]
    count = ledger.metric(ei.COUNT)
    same = count[count["seed"] == done["seed"]].iloc[0]
    result = ei.completion(ledger)
    assert result["share"].value == pytest.approx(done["value"] / same["value"] * 100)
    assert result["outstanding"] == same["value"] - done["value"]
    assert result["share"].interval.low == pytest.approx(result["share"].value)


def test_count_and_value_changes(ledger) -> None:
    counts = ledger.metric(ei.COUNT).sort_values("period_end")["value"].tolist()
    changes = ei.count_changes(ledger)
    assert [c["difference"] for c in changes] == [b - a for a, b in zip(counts, counts[1:], strict=False)]
    assert changes[-1]["growth"].value == pytest.approx((counts[-1] / counts[-2] - 1) * 100)
    values = ledger.metric(ei.VALUE).sort_values("period_end")
    change = ei.value_change(ledger)
    first, last = values["value"].iloc[0], values["value"].iloc[-1]
    assert change["growth"].value == pytest.approx((last / first - 1) * 100)
    # The later total is "more than": the change has no upper limit.
    assert math.isinf(change["growth"].interval.high)


def test_wind_share_is_a_ceiling(ledger) -> None:
    total = ledger.metric(ei.RENEWABLE).iloc[0]
    wind = ledger.metric(ei.WIND).iloc[0]
    r = ei.renewables(ledger)
    assert r["share"].value == pytest.approx(wind["value"] / total["value"] * 100)
    assert total["qualifier"] == "more_than"
    # A ceiling: the largest the stated wind figure may be, over the smallest total.
    high = stated_interval(wind["value"], wind["qualifier"]).high / total["value"] * 100
    assert r["share"].interval.high == pytest.approx(high)
    assert r["share"].interval.low == 0.0
    assert r["combined"] == total["value"] + wind["value"]
    months = ((wind["period_end"].year - total["period_end"].year) * 12
              + wind["period_end"].month - total["period_end"].month)
    assert r["months"] == months


def test_ratio_bounds() -> None:
    floor = ei.ratio(21.2, 52, numerator_q="more_than", counts=(False, True))
    assert floor.interval.low == pytest.approx(21.2 / 52) and math.isinf(floor.interval.high)
    rounded = ei.ratio(21.2, 52, numerator_q="more_than")  # 52 read as 51.5 to 52.5
    assert rounded.interval.low == pytest.approx(21.2 / 52.5)
    ceiling = ei.ratio(205, 1000, denominator_q="more_than", scale=100, decimals=1, unit=" %")
    assert ceiling.interval.high == pytest.approx(205.5 / 1000 * 100) and ceiling.interval.low == 0.0
    assert ceiling.formula == "205 ÷ more than 1,000 × 100 = 20.5 %"
    share = ei.ratio(26, 45, scale=100, counts=(True, True))
    assert share.interval.low == share.interval.high == pytest.approx(26 / 45 * 100)


def test_facts_are_strings_and_match_the_ledger(ledger) -> None:
    facts = ei.facts(ledger)
    assert facts and all(isinstance(v, str) for v in facts.values())
    done = ledger.metric(ei.COMPLETED).iloc[0]
    count = ledger.metric(ei.COUNT)
    same = count[count["seed"] == done["seed"]].iloc[0]
    assert facts["completed_share"] == f"{done['value'] / same['value'] * 100:.1f} %"
    assert facts["not_completed"] == f"{same['value'] - done['value']:.0f}"
    value, _, _ = _value(ledger, ei.VALUE, 2016)
    n, _, _ = _value(ledger, ei.COUNT, 2016)
    assert facts["avg_first"] == f"US${value / n * 1000:,.0f} m"
    assert facts["avg_second"].startswith("more than ")


def test_signed_uses_a_true_minus() -> None:
    assert ei.signed(-7, 0) == "−7"
    assert ei.signed(1, 0) == "+1"
    assert ei.signed(-13.46, 1, " %") == "−13.5 %"
    assert ei.signed(0, 0) == "0"


def test_arithmetic_table_shows_every_derived_figure(ledger) -> None:
    table = ei.arithmetic(ledger)
    n_values = len(ledger.metric(ei.VALUE))
    n_counts = len(ledger.metric(ei.COUNT))
    # per-project values, one value change, the count changes, completed share and remainder
    assert len(table) == n_values + 1 + (n_counts - 1) + 2
    assert not table["Value"].str.contains("-").any(), "a hyphen where a minus belongs"
    counts = ledger.metric(ei.COUNT).sort_values("period_end")["value"].tolist()
    last = table[table["Derived figure"].str.startswith("Change in the count")].iloc[-1]
    assert last["Value"].startswith(ei.signed(counts[-1] - counts[-2], 0) + " ")


def test_key_figures_cite_real_claims(ledger) -> None:
    figures = ei.key_figures(ledger)
    assert 2 <= len(figures) <= 3
    known = set(ledger.claims["claim_id"])
    for item in figures:
        assert set(item) == {"label", "value", "claim_ids"}
        ids = [c.strip() for c in item["claim_ids"].split(",")]
        assert ids and set(ids) <= known, ids


def test_chart_has_title_axis_labels_and_source(ledger) -> None:
    fig = ei.programme_chart(ledger)
    try:
        texts = [t.get_text() for t in fig.texts]
        assert fig._suptitle is not None
        counts = [f"{v:.0f}" for v in ei.programme(ledger)["count"]]
        assert all(c in fig._suptitle.get_text() for c in counts)
        assert any(t.startswith("Source:") and "C063" in t and "C004" in t for t in texts)
        for ax in fig.axes:
            assert ax.get_ylabel() and ax.get_xlabel()
        assert any("US$" in ax.get_ylabel() for ax in fig.axes)
        # Derived bars are hatched and hollow.
        hatched = [p for ax in fig.axes for p in ax.patches if p.get_hatch()]
        assert hatched and all(p.get_facecolor()[:3] == (1.0, 1.0, 1.0) for p in hatched)
    finally:
        plt.close(fig)


def test_tables_render_links(ledger) -> None:
    for table in (ei.programme_table(ledger), ei.arithmetic_table(ledger), ei.renewables_table(ledger)):
        assert 'class="quote-link"' in table.data
    assert "preliminary agreements" in ei.definitions_table(ledger).data
