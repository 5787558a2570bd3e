"""What the IMF's Direction of Trade figures say about the articles' trade claims.

Small functions on the tidy IMF frame (:func:`china_kazakhstan.data.imf_table.load_imf`),
each doing one computation the appendix and the reconciliation show:

* :func:`bilateral` and :func:`mirror_table`: China–Kazakhstan trade as each side records
  it, the ratio of the two records, and the gap on each flow;
* :func:`partner_ranks` and :func:`rank_table`: where every partner ranks in a reporter's
  records, year by year, with the partner ranked first;
* :func:`check_rank_statement`: an article's "second largest trading partner" set against
  those yearly ranks, with the years the data cannot reach;
* :func:`news_vs_imf` and :func:`lines_with_news`: the news-page figures next to the IMF's.

Economies are named by the book's ids (``china``, ``kazakhstan``, ``russia``: the
``reporter_id``/``partner_id`` columns, from the partner table), flows by the tidy
table's codes. Money stays in US$ million as the IMF gives it, except where it is set
against the news pages, which speak in billions.

Why a gap is measured as it is: a flow of goods is recorded twice, by the exporter (free
on board, FOB) and by the importer (with cost, insurance and freight, CIF). For goods from
China to Kazakhstan the two records are China's exports and Kazakhstan's imports from
China; for goods from Kazakhstan to China, Kazakhstan's exports and China's imports. Each
gap is *China's record minus Kazakhstan's*, so that the two gaps add up to the gap
between the totals. The CIF margin alone would make an importer's record a few percent
*larger* than the exporter's; a large gap of either sign is something else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

FLOWS = ("exports_fob", "imports_cif")
#: What a rank statement ranks -> the tidy table's flow (``total`` = exports + imports).
MEASURES = {"total": None, "exports": "exports_fob", "imports": "imports_cif"}
IMF_SOURCE = "Source: IMF, Direction of Trade Statistics"
VERDICTS = ("holds", "holds_in_some_years", "fails", "beyond_the_data")


def cell_ref(file: str, sheet: str, cell: str) -> str:
    """Where a figure is: ``DOTS_103_kazakhstan.xlsx, 'Exports, FOB'!AE59``."""
    return f"{file}, '{sheet}'!{cell}"


def _refs(frame: pd.DataFrame) -> pd.Series:
    return pd.Series([cell_ref(f, s, c) for f, s, c in zip(frame["file"], frame["sheet"], frame["cell"],
                                                             strict=True)], index=frame.index)


def _years(years: Iterable[int] | None, frame: pd.DataFrame) -> list[int]:
    return sorted(set(frame["year"])) if years is None else sorted(years)


# --- the two records of one pair of economies ----------------------------------------------------

def bilateral(imf: pd.DataFrame, a: str = "china", b: str = "kazakhstan",
              years: Iterable[int] | None = None) -> pd.DataFrame:
    """Trade between ``a`` and ``b`` as each records it: one row per year, reporter and flow.

    Columns: ``year``, ``reporter`` (``a`` or ``b``), ``flow`` (``exports_fob``,
    ``imports_cif`` or ``total``), ``value_usd_million``, ``estimate`` (for a total:
    either flow is an IMF estimate), ``complete`` (a total with both flows recorded) and
    ``source`` (the cells, joined by ``; `` for a total). A year in which a reporter
    records neither flow has no row for it.
    """
    pair = imf[((imf["reporter_id"] == a) & (imf["partner_id"] == b))
               | ((imf["reporter_id"] == b) & (imf["partner_id"] == a))]
    if years is not None:
        pair = pair[pair["year"].isin(list(years))]
    flows = pd.DataFrame({
        "year": pair["year"].astype(int), "reporter": pair["reporter_id"].astype(str),
        "flow": pair["flow"].astype(str), "value_usd_million": pair["value_usd_million"].astype(float),
        "estimate": pair["estimate"].astype(bool), "complete": True, "source": _refs(pair),
    })
    totals = (flows.groupby(["year", "reporter"], as_index=False)
              .agg(value_usd_million=("value_usd_million", "sum"), estimate=("estimate", "any"),
                   n=("flow", "size"), source=("source", "; ".join)))
    totals["flow"] = "total"
    totals["complete"] = totals.pop("n") == len(FLOWS)
    out = pd.concat([flows, totals[flows.columns]], ignore_index=True)
    order = {"exports_fob": 0, "imports_cif": 1, "total": 2}
    out = out.sort_values(["year", "reporter", "flow"], key=lambda s: s.map(order) if s.name == "flow" else s)
    return out.reset_index(drop=True)


def mirror_table(imf: pd.DataFrame, a: str = "china", b: str = "kazakhstan",
                 years: Iterable[int] | None = None) -> pd.DataFrame:
    """One row a year: both records, their ratio, and the gap on each flow.

    Columns (``a`` = china, ``b`` = kazakhstan by default): ``a_exports``, ``a_imports``,
    ``a_total`` and the same for ``b`` (named with the ids, e.g. ``china_exports``), in
    US$ million; ``ratio`` = ``a``'s total / ``b``'s; ``gap_a_to_b`` = ``a``'s exports −
    ``b``'s imports (the goods going from ``a`` to ``b``, FOB against CIF);
    ``gap_b_to_a`` = ``a``'s imports − ``b``'s exports (CIF against FOB); ``gap_total`` =
    their sum = ``a``'s total − ``b``'s; ``share_a_to_b`` and ``share_b_to_a``, each gap
    as a fraction of ``gap_total`` (they add up to 1; a share above 1 means the other gap
    has the opposite sign); ``estimate_a``/``estimate_b``, whether any of that side's
    cells is an IMF estimate. Only years in which both sides record both flows.
    """
    flows = bilateral(imf, a, b, years)
    wide = flows[flows["flow"] != "total"].pivot_table(index="year", columns=["reporter", "flow"],
                                                       values="value_usd_million", aggfunc="first")
    flags = flows[flows["flow"] != "total"].groupby(["year", "reporter"])["estimate"].any().unstack()
    needed = [(side, flow) for side in (a, b) for flow in FLOWS]
    wide = wide.reindex(columns=pd.MultiIndex.from_tuples(needed)).dropna()
    out = pd.DataFrame(index=wide.index)
    for side in (a, b):
        out[f"{side}_exports"] = wide[(side, "exports_fob")]
        out[f"{side}_imports"] = wide[(side, "imports_cif")]
        out[f"{side}_total"] = out[f"{side}_exports"] + out[f"{side}_imports"]
    out["ratio"] = out[f"{a}_total"] / out[f"{b}_total"]
    out[f"gap_{a}_to_{b}"] = out[f"{a}_exports"] - out[f"{b}_imports"]
    out[f"gap_{b}_to_{a}"] = out[f"{a}_imports"] - out[f"{b}_exports"]
    out["gap_total"] = out[f"gap_{a}_to_{b}"] + out[f"gap_{b}_to_{a}"]
    out[f"share_{a}_to_{b}"] = out[f"gap_{a}_to_{b}"] / out["gap_total"]
    out[f"share_{b}_to_{a}"] = out[f"gap_{b}_to_{a}"] / out["gap_total"]
    out[f"estimate_{a}"] = flags[a].reindex(out.index).fillna(False).astype(bool)
    out[f"estimate_{b}"] = flags[b].reindex(out.index).fillna(False).astype(bool)
    out.index = out.index.astype(int)
    return out.reset_index()


def gap_over(table: pd.DataFrame, years: Iterable[int], a: str = "china", b: str = "kazakhstan") -> dict:
    """The gaps of :func:`mirror_table` summed over ``years``: where the gap sits over a period.

    Returns the two flows' summed gaps, the total, each flow's share of it, and in how
    many of the years each flow carried the larger gap (by absolute value).
    """
    rows = table[table["year"].isin(list(years))]
    to_b, to_a = rows[f"gap_{a}_to_{b}"], rows[f"gap_{b}_to_{a}"]
    total = float(to_b.sum() + to_a.sum())
    return {
        "years": tuple(int(y) for y in rows["year"]),
        f"gap_{a}_to_{b}": float(to_b.sum()), f"gap_{b}_to_{a}": float(to_a.sum()), "gap_total": total,
        f"share_{a}_to_{b}": float(to_b.sum()) / total, f"share_{b}_to_{a}": float(to_a.sum()) / total,
        f"years_larger_{a}_to_{b}": int((to_b.abs() > to_a.abs()).sum()),
        f"years_larger_{b}_to_{a}": int((to_a.abs() > to_b.abs()).sum()),
    }


# --- ranks among a reporter's partners --------------------------------------------------------------

def partner_ranks(imf: pd.DataFrame, reporter: str = "kazakhstan",
                  years: Iterable[int] | None = None) -> pd.DataFrame:
    """Every country partner of ``reporter`` ranked by total trade, exports and imports, each year.

    Aggregates (World, regions, groups, unallocated trade) are left out by the partner
    table's kind, never by position. ``total`` is exports + imports; a partner with only
    one flow recorded that year is ranked on that flow alone (``complete`` False: an
    empty cell is no figure, which can only lower its total). Ties share the better rank
    (1, 2, 2, 4: "min" ranking), so two partners can both be "largest".

    Columns: ``year``, ``measure`` (total/exports/imports), ``partner`` (IMF name),
    ``partner_id``, ``value_usd_million``, ``rank``, ``partners`` (how many were ranked),
    ``estimate`` (any cell an IMF estimate), ``complete``, ``source``.
    """
    rows = imf[(imf["reporter_id"] == reporter) & (imf["partner_kind"] == "country")]
    if years is not None:
        rows = rows[rows["year"].isin(list(years))]
    base = pd.DataFrame({
        "year": rows["year"].astype(int), "partner": rows["partner"].astype(str),
        "partner_id": rows["partner_id"], "flow": rows["flow"].astype(str),
        "value_usd_million": rows["value_usd_million"].astype(float),
        "estimate": rows["estimate"].astype(bool), "source": _refs(rows),
    })
    parts = []
    for measure, flow in MEASURES.items():
        if flow is None:
            part = (base.groupby(["year", "partner"], as_index=False, dropna=False)
                    .agg(partner_id=("partner_id", "first"), value_usd_million=("value_usd_million", "sum"),
                         estimate=("estimate", "any"), n=("flow", "size"), source=("source", "; ".join)))
            part["complete"] = part.pop("n") == len(FLOWS)
        else:
            part = base[base["flow"] == flow].drop(columns="flow").assign(complete=True)
        parts.append(part.assign(measure=measure))
    ranked = pd.concat(parts, ignore_index=True)
    group = ranked.groupby(["year", "measure"])["value_usd_million"]
    ranked["rank"] = group.rank(method="min", ascending=False).astype(int)
    ranked["partners"] = group.transform("size").astype(int)
    columns = ["year", "measure", "partner", "partner_id", "value_usd_million", "rank", "partners",
               "estimate", "complete", "source"]
    return ranked[columns].sort_values(["measure", "year", "rank", "partner"]).reset_index(drop=True)


def _names_at(group: pd.DataFrame, rank: int) -> str:
    return " and ".join(sorted(group.loc[group["rank"] == rank, "partner"]))


def rank_table(ranks: pd.DataFrame, economies: Iterable[str] = ("china", "russia")) -> pd.DataFrame:
    """One row per year and measure: each economy's rank and value, and who ranked first.

    Columns: ``year``, ``measure``, ``first`` (name(s) of the partner ranked first, joined
    with " and " on a tie), ``first_value``, ``partners``, then for each economy id
    ``<id>_rank`` (missing when the reporter records no trade with it that year) and
    ``<id>_value``.
    """
    out = []
    for (year, measure), group in ranks.groupby(["year", "measure"], sort=True):
        row = {"year": int(year), "measure": measure, "first": _names_at(group, 1),
               "first_value": float(group["value_usd_million"].max()), "partners": int(len(group))}
        for economy in economies:
            match = group[group["partner_id"] == economy]
            row[f"{economy}_rank"] = int(match["rank"].iloc[0]) if len(match) else pd.NA
            row[f"{economy}_value"] = (float(match["value_usd_million"].iloc[0]) if len(match)
                                       else float("nan"))
        out.append(row)
    table = pd.DataFrame(out)
    for economy in economies:
        table[f"{economy}_rank"] = table[f"{economy}_rank"].astype("Int64")
    return table


def years_at_rank(table: pd.DataFrame, economy: str, measure: str, rank: int) -> list[int]:
    """The years in which ``economy`` held ``rank`` on ``measure`` (from :func:`rank_table`)."""
    rows = table[(table["measure"] == measure) & (table[f"{economy}_rank"] == rank)]
    return sorted(int(y) for y in rows["year"])


def estimate_share(imf: pd.DataFrame, reporter: str) -> pd.Series:
    """Per year, the share of ``reporter``'s figures for country partners that are IMF estimates."""
    rows = imf[(imf["reporter_id"] == reporter) & (imf["partner_kind"] == "country")]
    return rows.groupby("year")["estimate"].mean().rename("estimate_share")


# --- rank statements ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RankStatement:
    """What an article asserts: ``partner`` was ``reporter``'s ``rank``-th partner on ``measure``
    in each of ``years``. ``label`` names it in tables (e.g. the claim id)."""

    measure: str
    rank: int
    years: tuple[int, ...]
    partner: str = "china"
    reporter: str = "kazakhstan"
    label: str = ""

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise ValueError(f"measure {self.measure!r} is not one of {list(MEASURES)}")
        if self.rank < 1:
            raise ValueError(f"rank {self.rank} is not 1 or more")


@dataclass(frozen=True)
class RankCheck:
    """A statement against the yearly ranks: per reachable year, and the years out of reach.

    ``years`` columns: ``year``, ``stated``, ``actual`` (missing if the reporter recorded
    no trade with the partner), ``matches``, ``value_usd_million``, ``first`` (the
    partner(s) ranked first), ``ahead`` (partners ranked above it, when it was not first),
    ``at_stated_rank`` (who held the stated rank, when it did not), ``source``.
    """

    statement: RankStatement
    years: pd.DataFrame
    unreachable: tuple[int, ...]
    verdict: str

    @property
    def matching_years(self) -> list[int]:
        return [int(y) for y in self.years.loc[self.years["matches"], "year"]]

    @property
    def failing_years(self) -> list[int]:
        return [int(y) for y in self.years.loc[~self.years["matches"], "year"]]


def check_rank_statement(ranks: pd.DataFrame, statement: RankStatement) -> RankCheck:
    """Set ``statement`` against :func:`partner_ranks` of its reporter, year by year.

    A year is reachable when the ranks have that year for the measure. The verdict:
    ``holds`` (every reachable year matches), ``holds_in_some_years``, ``fails`` (no
    reachable year matches) or ``beyond_the_data`` (no year reachable); it speaks only
    for the reachable years, and :attr:`RankCheck.unreachable` says which are not.
    """
    rows = ranks[ranks["measure"] == statement.measure]
    # One pass over the rows in plain Python: every statement of every chapter's register runs this.
    by_year: dict[int, list[tuple[int, str, str, float, str]]] = {}
    for year, rank, partner, partner_id, value, source in zip(
            rows["year"], rows["rank"], rows["partner"], rows["partner_id"], rows["value_usd_million"],
            rows["source"], strict=True):
        partner_id = "" if pd.isna(partner_id) else str(partner_id)  # ids only for the book's economies
        by_year.setdefault(int(year), []).append((int(rank), str(partner), partner_id, float(value), source))
    covered = set(by_year)

    def names_at(group: list, rank: int) -> str:
        return " and ".join(sorted(p for r, p, *_ in group if r == rank))

    records = []
    for year in sorted(set(statement.years) & covered):
        group = by_year[year]
        match = next((entry for entry in group if entry[2] == statement.partner), None)
        actual = match[0] if match else None
        ahead = sorted((r, p) for r, p, *_ in group if actual and r < actual)
        records.append({
            "year": year, "stated": statement.rank, "actual": actual,
            "matches": actual == statement.rank,
            "value_usd_million": match[3] if match else float("nan"),
            "first": names_at(group, 1),
            "ahead": " and ".join(p for _, p in ahead),
            "at_stated_rank": "" if actual == statement.rank else names_at(group, statement.rank),
            "source": match[4] if match else "",
        })
    years = pd.DataFrame(records, columns=["year", "stated", "actual", "matches", "value_usd_million",
                                           "first", "ahead", "at_stated_rank", "source"])
    years["actual"] = years["actual"].astype("Int64")
    years["matches"] = years["matches"].astype(bool)
    unreachable = tuple(sorted(set(statement.years) - covered))
    if years.empty:
        verdict = "beyond_the_data"
    elif years["matches"].all():
        verdict = "holds"
    elif years["matches"].any():
        verdict = "holds_in_some_years"
    else:
        verdict = "fails"
    return RankCheck(statement, years, unreachable, verdict)


# --- the news pages next to the IMF ------------------------------------------------------------------

#: (side of the news-page record, trade_mirror flow) -> (IMF reporter, flow of that reporter),
#: for partner ``p`` of Kazakhstan: Kazakhstan's record is Kazakhstan reporting on ``p``;
#: China's record is China reporting on Kazakhstan, where Kazakhstan's exports are China's
#: imports and the other way round.
_NEWS_FLOW = {
    ("kazakhstan", "total"): "total", ("kazakhstan", "kz_exports"): "exports_fob",
    ("kazakhstan", "kz_imports"): "imports_cif",
    ("china", "total"): "total", ("china", "kz_exports"): "imports_cif",
    ("china", "kz_imports"): "exports_fob",
}


def news_vs_imf(mirror: pd.DataFrame, imf: pd.DataFrame) -> pd.DataFrame:
    """Each full-year news-page figure (trade_mirror) that the IMF files also cover, set against them.

    Amounts: the IMF figure of the same record (same side, partner, flow and year) in US$
    billion, and ``difference`` = page − IMF (US$ billion) and ``difference_percent`` of
    the IMF figure. Growth rates: the IMF's growth of the same total, in percent, and the
    difference in percentage points. Gaps: the IMF gap of :func:`mirror_table`. Rows whose
    record the files do not hold (a newsroom's figure on Russia from China's side, or a year
    after the files end) are left out. ``imf_source`` names the cells.
    """
    years = set(int(y) for y in imf["year"])
    rows = mirror[mirror["full_year"] & mirror["period"].str.fullmatch(r"[0-9]{4}")].copy()
    rows["year"] = rows["period"].astype(int)
    rows = rows[rows["year"].isin(years)]
    out = []
    for row in rows.itertuples(index=False):
        partner = str(row.partner)
        if row.flow in ("kz_imports_gap", "total_gap"):
            table = mirror_table(imf, "china", partner if partner != "china" else "kazakhstan", [row.year])
            if partner != "china" or table.empty:
                continue
            column = "gap_china_to_kazakhstan" if row.flow == "kz_imports_gap" else "gap_total"
            imf_value, unit, source = float(table[column].iloc[0]) / 1000, "USD_billion", "mirror table"
        else:
            side = str(row.side)
            flow = _NEWS_FLOW.get((side, "total" if row.flow == "total_growth" else str(row.flow)))
            if flow is None or (side == "china" and partner != "china"):
                continue
            a, b = ("kazakhstan", partner) if side == "kazakhstan" else ("china", "kazakhstan")
            pair = bilateral(imf, a, b, [row.year - 1, row.year])
            record = pair[(pair["reporter"] == a) & (pair["flow"] == flow)].set_index("year")
            if row.year not in record.index:
                continue
            if row.flow == "total_growth":
                if row.year - 1 not in record.index:
                    continue
                now, before = record.loc[row.year], record.loc[row.year - 1]
                imf_value = (now["value_usd_million"] / before["value_usd_million"] - 1) * 100
                unit, source = "percent", f"{before['source']}; {now['source']}"
            else:
                imf_value = record.loc[row.year, "value_usd_million"] / 1000
                unit, source = "USD_billion", record.loc[row.year, "source"]
        out.append({"id": row.id, "reporter": row.reporter, "side": row.side, "partner": partner,
                    "flow": row.flow, "year": int(row.year), "unit": unit, "page_value": float(row.value),
                    "imf_value": float(imf_value), "difference": float(row.value) - float(imf_value),
                    "difference_percent": ((float(row.value) / float(imf_value) - 1) * 100
                                           if unit == "USD_billion" else float("nan")),
                    "imf_source": source})
    return pd.DataFrame(out, columns=["id", "reporter", "side", "partner", "flow", "year", "unit",
                                      "page_value", "imf_value", "difference", "difference_percent",
                                      "imf_source"])


def lines_with_news(imf: pd.DataFrame, mirror: pd.DataFrame, a: str = "china",
                    b: str = "kazakhstan") -> pd.DataFrame:
    """Total China–Kazakhstan trade by year as each side records it: the IMF's figures, then the
    news pages' full-year totals for the years after the files end, marked as the other kind.

    Columns: ``year``, ``side`` (``a`` or ``b``), ``value_usd_billion``, ``kind``
    (``imf`` or ``news_page``), ``ref`` (the IMF cells, or the news-page row id).
    """
    totals = bilateral(imf, a, b)
    totals = totals[(totals["flow"] == "total") & totals["complete"]]
    lines = pd.DataFrame({"year": totals["year"], "side": totals["reporter"],
                          "value_usd_billion": totals["value_usd_million"] / 1000, "kind": "imf",
                          "ref": totals["source"]})
    last = int(totals["year"].max())
    news = mirror[(mirror["flow"] == "total") & (mirror["partner"] == a) & mirror["full_year"]
                  & mirror["side"].isin([a, b]) & mirror["period"].str.fullmatch(r"[0-9]{4}")]
    news = news[news["period"].astype(int) > last]
    lines = pd.concat([lines, pd.DataFrame({
        "year": news["period"].astype(int), "side": news["side"].astype(str),
        "value_usd_billion": news["value"].astype(float), "kind": "news_page", "ref": news["id"].astype(str),
    })], ignore_index=True)
    return lines.sort_values(["side", "year", "kind", "ref"]).reset_index(drop=True)
