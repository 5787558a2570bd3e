"""The mirror-statistics appendix: ratios, gaps, matches and rank checks recomputed from the
rows of data/trade_mirror.csv and the claims, never from numbers copied into the test."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pytest

from china_kazakhstan import book
from china_kazakhstan.analysis.intervals import stated_interval
from china_kazakhstan.chapters import trade, trade_mirror
from china_kazakhstan.data import mirror as external
from china_kazakhstan.data.mirror import SOURCE_COLUMN

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ledger():
    return book.load()


@pytest.fixture(scope="module")
def mirror():
    return external.load_trade_mirror()


def _values(mirror, *, partner="china", side, flow="total", period):
    rows = mirror[(mirror["partner"] == partner) & (mirror["side"] == side)
                  & (mirror["flow"] == flow) & (mirror["period"] == period)]
    return list(rows["value"])


def test_ratio_spans_every_pair_of_pages(mirror):
    ratios = trade_mirror.ratio_by_period(mirror)
    assert len(ratios) > 0
    for r in ratios.itertuples():
        china = _values(mirror, side="china", period=r.period)
        kaz = _values(mirror, side="kazakhstan", period=r.period)
        pairs = [c / k for c in china for k in kaz]
        assert r.ratio_low == pytest.approx(min(pairs))
        assert r.ratio_high == pytest.approx(max(pairs))
        assert r.ratio == pytest.approx(r.china_value / r.kz_value)
        assert r.china_value in china and r.kz_value in kaz


def test_ratio_prefers_the_statistical_bodies(mirror):
    ratios = trade_mirror.ratio_by_period(mirror).set_index("period")
    for period, row in ratios.iterrows():
        for side, column in (("china", "china_id"), ("kazakhstan", "kz_id")):
            rows = mirror[(mirror["partner"] == "china") & (mirror["side"] == side)
                          & (mirror["flow"] == "total") & (mirror["period"] == period)]
            bodies = rows[rows["reporter"].isin(["china_customs", "kazakhstan_statistics"])]
            if len(bodies):
                assert row[column] in set(bodies["id"]), (period, side)


def test_every_year_with_both_totals_has_a_ratio(mirror):
    totals = mirror[(mirror["partner"] == "china") & (mirror["flow"] == "total")]
    both = {p for p, g in totals.groupby("period") if {"china", "kazakhstan"} <= set(g["side"])}
    assert set(trade_mirror.ratio_by_period(mirror)["period"]) == both


def test_first_year_china_passes_russia(mirror):
    kaz = mirror[(mirror["side"] == "kazakhstan") & (mirror["flow"] == "total") & mirror["full_year"]]
    years = sorted(set(kaz[kaz["partner"] == "russia"]["year"]) & set(kaz[kaz["partner"] == "china"]["year"]))
    ahead = [y for y in years
             if min(kaz[(kaz["partner"] == "china") & (kaz["year"] == y)]["value"])
             > max(kaz[(kaz["partner"] == "russia") & (kaz["year"] == y)]["value"])]
    first = trade_mirror.first_year_china_ahead(mirror)
    assert first == ahead[0]
    assert trade_mirror.facts(book.load(), mirror)["first_china_ahead"] == str(first)


def test_first_year_moves_when_the_data_move(mirror):
    first = trade_mirror.first_year_china_ahead(mirror)
    changed = mirror.copy()
    russia = (changed["partner"] == "russia") & (changed["year"] == first) & (changed["side"] == "kazakhstan")
    changed.loc[russia, "value"] = changed["value"].max() * 2
    with pytest.raises(ValueError, match="never ahead"):
        trade_mirror.first_year_china_ahead(changed)
    earlier = mirror.copy()
    kaz = earlier[(earlier["side"] == "kazakhstan") & (earlier["flow"] == "total") & earlier["full_year"]]
    before = max(y for y in set(kaz[kaz["partner"] == "russia"]["year"]) if y < first)
    china = ((earlier["partner"] == "china") & (earlier["year"] == before)
             & (earlier["side"] == "kazakhstan") & (earlier["flow"] == "total"))
    earlier.loc[china, "value"] = earlier["value"].max() * 2
    assert trade_mirror.first_year_china_ahead(earlier) == before


def test_gap_is_computed_from_the_pages(mirror):
    loc = trade_mirror.gap_location(mirror)
    period = str(loc["year"])
    for flow in ("kz_exports", "kz_imports"):
        row = loc["exports" if flow == "kz_exports" else "imports"]
        china = _values(mirror, side="china", flow=flow, period=period)
        kaz = _values(mirror, side="kazakhstan", flow=flow, period=period)
        if not kaz:  # derived on one page: its total less its other flow
            other = "kz_imports" if flow == "kz_exports" else "kz_exports"
            page = mirror[(mirror["side"] == "kazakhstan") & (mirror["period"] == period)
                          & (mirror["flow"] == other)].iloc[0]
            total = mirror[(mirror["url"] == page["url"]) & (mirror["flow"] == "total")
                           & (mirror["partner"] == "china")].iloc[0]
            kaz = [total["value"] - page["value"]]
            assert row["kz_derived"]
        assert row["gap"] == pytest.approx(china[0] - kaz[0])
        assert row["ratio"] == pytest.approx(china[0] / kaz[0])
    share = loc["imports"]["gap"] / (loc["imports"]["gap"] + loc["exports"]["gap"]) * 100
    assert loc["imports_share_pct"] == pytest.approx(share)
    assert loc["imports"]["gap"] > loc["exports"]["gap"]


def test_reported_import_gap_share(mirror):
    reported = trade_mirror.reported_gaps(mirror)
    ratios = trade_mirror.ratio_by_period(mirror).set_index("period")
    for r in reported[reported["flow"] == "kz_imports_gap"].itertuples():
        gap = ratios.loc[r.period, "china_value"] - ratios.loc[r.period, "kz_value"]
        assert r.share_pct == pytest.approx(r.value / gap * 100)


def test_article_values_matched_with_rounding(ledger, mirror):
    matches = trade_mirror.match_article_values(ledger, mirror)
    totals = ledger.metric(trade.TOTAL)
    full = totals[totals["period"].str.fullmatch(r"[0-9]{4}")]
    for claim in full.itertuples():
        rows = matches[matches["claim_ids"].str.contains(claim.claim_id) & (matches["kind"] == "stated")]
        outside = mirror[(mirror["partner"] == "china") & (mirror["flow"] == "total")
                         & (mirror["period"] == claim.period)]
        assert set(rows["mirror_id"]) == set(outside["id"])
        mine = stated_interval(claim.value, claim.qualifier)
        for row in rows.itertuples():
            theirs = stated_interval(row.mirror_value)
            assert row.verdict.startswith("matches") == mine.overlaps(theirs)
            assert row.ratio == pytest.approx(claim.value / row.mirror_value)
    kaz = matches[(matches["side"] == "kazakhstan") & (matches["kind"] == "stated")]
    assert (kaz["verdict"].str.startswith("does not match")).all()
    china = matches[(matches["reporter"] == "china_customs") & (matches["kind"] == "stated")]
    assert len(china) and china["verdict"].str.startswith("matches").all()


def test_derived_article_values_use_the_growth_rate(ledger, mirror):
    matches = trade_mirror.match_article_values(ledger, mirror)
    derived = matches[matches["kind"] == "derived"].drop_duplicates("claim_ids")
    assert len(derived)
    for row in derived.itertuples():
        value_id, growth_id = [c.strip() for c in row.claim_ids.split(",")]
        v, g = ledger.claim(value_id)["value"], ledger.claim(growth_id)["value"]
        assert row.article_value == pytest.approx(v / (1 + g / 100))


def test_periods_without_outside_figures_say_so(ledger, mirror):
    matches = trade_mirror.match_article_values(ledger, mirror)
    outside_periods = set(mirror["period"])
    none = matches[matches["mirror_id"].isna()]
    assert set(none["period"]).isdisjoint(outside_periods)
    assert (none["verdict"] == "no outside figure for this period").all()


def test_rank_check_covers_every_rank_statement(ledger, mirror):
    checks = trade_mirror.rank_check(ledger, mirror)
    ids = {c.strip() for chunk in checks["claim_ids"] for c in chunk.split(",")}
    assert ids == set(ledger.metric(trade_mirror.PARTNER_RANK)["claim_id"])
    versus = trade_mirror.china_vs_russia(mirror).set_index("period")
    for r in checks.dropna(subset=["year"]).itertuples():
        ahead = versus.loc[str(int(r.year)), "ahead"]
        expected = (r.rank == 1) == (ahead == "China")
        assert r.verdict.startswith("consistent") == expected


def test_rank_check_fails_when_the_figures_contradict(ledger, mirror):
    first = trade_mirror.first_year_china_ahead(mirror)
    changed = mirror.copy()
    russia = (changed["partner"] == "russia") & (changed["year"] == first)
    changed.loc[russia, "value"] = changed["value"].max() * 2
    checks = trade_mirror.rank_check(ledger, changed)
    flipped = checks[(checks["year"] == first) & (checks["rank"] == 1)]
    assert len(flipped) and flipped["verdict"].str.startswith("not consistent").all()


def test_rank_statement_for_years_covers_the_years_before_it(ledger, mirror):
    checks = trade_mirror.rank_check(ledger, mirror)
    for claim in ledger.metric(trade_mirror.PARTNER_RANK).itertuples():
        years = checks[checks["claim_ids"].str.contains(claim.claim_id)]["year"].dropna()
        if "for years" in claim.quote:
            assert len(years) >= 1
            assert (years < claim.period_end.year).all()


def test_facts_are_strings(ledger, mirror):
    facts = trade_mirror.facts(ledger, mirror)
    assert facts and all(isinstance(v, str) for v in facts.values())
    ratios = trade_mirror.ratio_by_period(mirror)
    for r in ratios[ratios["full_year"]].itertuples():
        assert f"{r.ratio:.2f} in {r.year}" in facts["ratio_years"]


def test_every_glued_name_in_the_notebook_is_a_fact(ledger, mirror):
    nb = nbformat.read(ROOT / "chapters" / "trade_mirror.ipynb", as_version=4)
    cited = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cited |= set(re.findall(r"\{glue(?::\w+)?\}`([^`:]+)", cell.source))
    assert cited <= set(trade_mirror.facts(ledger, mirror))
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "external.load_trade_mirror()" in code and "book.load()" in code


def test_key_figures_cite_existing_claims(ledger, mirror):
    items = trade_mirror.key_figures(ledger, mirror)
    assert 2 <= len(items) <= 3
    known = set(ledger.claims["claim_id"])
    for item in items:
        assert {"label", "value", "claim_ids"} <= set(item)
        assert {c.strip() for c in item["claim_ids"].split(",")} <= known
        assert "outside" in item["label"]


@pytest.mark.parametrize("name", ["mirror_chart", "gap_chart"])
def test_charts_have_title_axis_labels_and_source(ledger, mirror, name):
    fig = (trade_mirror.mirror_chart(ledger, mirror) if name == "mirror_chart"
           else trade_mirror.gap_chart(mirror))
    try:
        texts = [t.get_text() for t in fig.texts]
        assert fig._suptitle is not None and fig._suptitle.get_text()
        ax = fig.axes[0]
        assert ax.get_ylabel()
        footer = next(t for t in texts if t.startswith("Source:"))
        assert "outside pages, not the articles" in footer
        assert "$" not in fig._suptitle.get_text().replace(r"\$", "")
        if name == "mirror_chart":
            assert ax.get_xlabel()
            assert "ledger rows" in footer
            labels = ax.get_legend_handles_labels()[1]
            assert any("articles' figure, stated" in lab for lab in labels)
            assert any("derived" in lab for lab in labels)
    finally:
        plt.close(fig)


def test_mirror_chart_title_states_the_ratio_range(ledger, mirror):
    fig = trade_mirror.mirror_chart(ledger, mirror)
    try:
        ratios = trade_mirror.ratio_by_period(mirror)
        full = ratios[ratios["full_year"]]
        title = fig._suptitle.get_text()
        assert f"{full['ratio'].min():.2f}" in title and f"{full['ratio'].max():.2f}" in title
    finally:
        plt.close(fig)


def test_tables_keep_outside_and_article_figures_apart(ledger, mirror):
    for table in (trade_mirror.match_table(ledger, mirror), trade_mirror.rank_check_table(ledger, mirror)):
        html = table.data
        assert SOURCE_COLUMN in html
        head = re.search(r"<thead>(.*)</thead>", html).group(1)
        columns = re.findall(r"<th[^>]*>(.*?)</th>", head)
        body = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1])
        for row in body:
            cells = dict(zip(columns, re.findall(r"<td[^>]*>(.*?)</td>", row), strict=True))
            assert not re.search(r"\bX[0-9]{2}\b", cells["Ledger rows"])
            assert not re.search(r"\bC[0-9]{3}\b", cells[SOURCE_COLUMN])


def test_every_outside_figure_links_its_page(mirror):
    html = trade_mirror.outside_table(mirror).data.replace("&amp;", "&")
    for row in mirror.itertuples():
        assert f'href="{row.url}"' in html
        assert f"{row.id}: " in html
    pages = trade_mirror.outside_pages(mirror).data.replace("&amp;", "&")
    assert all(f'href="{u}"' in pages for u in mirror["url"].unique())


def test_disagreements_keep_both_pages(mirror):
    data = trade_mirror.disagreements(mirror)
    for r in data.itertuples():
        ids = [i.strip() for i in r.ids.split(",")]
        assert len(ids) >= 2
        values = mirror.set_index("id").loc[ids, "value"]
        assert r.spread == pytest.approx(values.max() - values.min())
