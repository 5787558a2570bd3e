"""The discrepancies chapter: prose facts, register tables with anchors, charts, key figures.

The facts are checked against the register and the claims they come from, recomputed here.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pytest

from china_kazakhstan import book
from china_kazakhstan.chapters import discrepancies as dis
from china_kazakhstan.checks import engine as reconcile
from china_kazakhstan.report.tables import format_value, number


@pytest.fixture(scope="module")
def ledger():
    return book.load()


@pytest.fixture(scope="module")
def facts(ledger):
    return dis.facts(ledger)


def test_facts_are_strings(facts):
    assert facts and all(isinstance(v, str) and v for v in facts.values())


def test_verdict_counts_in_the_prose_match_the_register(ledger, facts):
    reg = reconcile.register(ledger)
    assert facts["n_checks"] == str(len(reg))
    assert facts["n_pass"] == str((reg["verdict"] == "consistent").sum())
    assert facts["n_disagree"] == str((reg["verdict"] != "consistent").sum())
    for verdict, key in (("timing_or_scope", "n_timing"), ("tension", "n_tension"),
                         ("conflict", "n_conflict")):
        assert facts[key] == str((reg["verdict"] == verdict).sum())
    assert int(facts["n_pass"]) + int(facts["n_disagree"]) == int(facts["n_checks"])
    used = {i for ids in reg["claim_ids"] for i in ids.split(", ") if i.startswith("C")}
    assert facts["n_claims_checked"] == str(len(used))
    assert int(facts["n_unreached"]) == len(ledger.claims) - len(used)


def test_capacity_facts_come_from_the_claims(ledger, facts):
    counts = ledger.metric(dis.COUNT).sort_values("period_end")
    assert [facts[k] for k in ("cap_count_first", "cap_count_second", "cap_count_last")] == \
        [number(v) for v in counts["value"]]
    values = ledger.metric(dis.VALUE).sort_values("period_end")
    first, last = values.iloc[0], values.iloc[-1]
    plain_max = last["value"] * (1 + reconcile.PLAIN_MARGIN)
    assert facts["cap_value_plain_max"] == format_value(round(plain_max, 2), "USD_billion")
    assert facts["cap_value_plain_fall"] == f"{number((1 - plain_max / first['value']) * 100, 1)} %"
    assert facts["cap_value_central_fall"] == f"{number((1 - last['value'] / first['value']) * 100, 1)} %"
    fall = reconcile.register(ledger).set_index("check_id").loc[facts["cap_fall_id"]]
    assert fall["verdict"] == "tension" and fall["kind"] == "same_metric"


def test_trade_facts_recomputed(ledger, facts):
    check = reconcile.register(ledger).set_index("check_id").loc[facts["trade_prior_id"]]
    stated_id, value_id, growth_id = check["claim_ids"].split(", ")
    v, g = ledger.claim(value_id)["value"], ledger.claim(growth_id)["value"]
    implied = v / (1 + g / 100)
    assert facts["trade_implied"] == f"US${number(implied, 2)} bn"
    stated = ledger.claim(stated_id)["value"]
    assert facts["trade_gap"] == f"US${number(abs(stated - implied), 2)} bn"
    assert facts["trade_gap_pct"] == f"{number(abs(stated - implied) / implied * 100, 2)} %"
    assert facts["trade_growth_derived"] == f"{number((v / stated - 1) * 100, 1)} %"


def test_every_register_entry_has_one_anchor(ledger):
    disagreements = dis.register_table(ledger).data
    passes = dis.passes_table(ledger).data
    for c in reconcile.run_checks(ledger):
        page = disagreements if c.check_id.startswith("D") else passes
        other = passes if c.check_id.startswith("D") else disagreements
        assert page.count(f'id="{c.check_id}"') == 1, c.check_id
        assert f'id="{c.check_id}"' not in other
    assert "articles.html#C" in disagreements and "articles.html#P" in passes


def test_links_for_topic_chapters(ledger):
    html = dis.see_checks(ledger, dis.COUNT).data
    for cid in reconcile.links_for_metric(ledger, dis.COUNT):
        assert f'href="discrepancies.html#{cid}"' in html
    assert dis.see_checks(ledger, "no_such_metric").data == ""


def test_summary_table_adds_up(ledger, facts):
    counts = dis.verdict_counts(ledger)
    assert counts.to_numpy().sum() == int(facts["n_checks"])
    assert counts["consistent"].sum() == int(facts["n_pass"])
    assert f"<td class=\"num\">{facts['n_checks']}</td></tr></tbody>" in dis.summary_table(ledger).data


def test_tables_render_without_raw_floats(ledger):
    for table in (dis.rules_table(ledger), dis.unconfirmed_table(ledger), dis.claims_used_table(ledger),
                  dis.unreached_table(ledger), dis.sources_list(ledger)):
        assert not re.search(r"\d\.\d{4,}", table.data), table.data[:200]


@pytest.mark.parametrize("chart", ["capacity_chart", "rank_chart", "pace_chart", "start_chart",
                                   "rounding_chart"])
def test_charts_have_title_axes_and_source(ledger, chart):
    fig = getattr(dis, chart)(ledger)
    try:
        assert fig._suptitle is not None and fig._suptitle.get_text()
        texts = [t.get_text() for t in fig.texts]
        assert any(t.startswith("Source: ") and "ledger rows C" in t for t in texts)
        for ax in fig.axes:  # every panel says what its axes hold, by a label or labelled rows
            assert ax.get_ylabel() or any(t.get_text() for t in ax.get_yticklabels()), chart
        assert any(ax.get_xlabel() for ax in fig.axes), chart
    finally:
        plt.close(fig)


def test_capacity_chart_title_states_the_fall(ledger, facts):
    fig = dis.capacity_chart(ledger)
    try:
        title = fig._suptitle.get_text()
        assert facts["cap_count_second"] in title and facts["cap_count_last"] in title
    finally:
        plt.close(fig)


def test_key_figures_cite_real_claims(ledger):
    items = dis.key_figures(ledger)
    assert 2 <= len(items) <= 3
    known = set(ledger.claims["claim_id"])
    for item in items:
        assert set(item) == {"label", "value", "claim_ids"}
        ids = [i.strip() for i in item["claim_ids"].split(",")]
        assert ids and set(ids) <= known, ids


def test_off_pace_facts_follow_the_check(ledger, facts):
    off = [c for c in reconcile.run_checks(ledger) if c.kind == "pro_rata" and not c.passes]
    assert facts["n_off_pace"] == str(len(off))
    if off:
        c = off[0]
        assert facts["off_pace_id"] == c.check_id
        assert facts["off_pace_ratio"] == f"−{number(abs(c.values['central_ratio'] - 1) * 100, 1)} %"
        fraction = c.values["days_part"] / c.values["days_whole"]
        assert facts["off_pace_days_share"] == f"{number(fraction * 100, 1)} %"
