"""Diplomatic context: visits, summits and anniversaries, counted by the articles.

The articles count things whose dates the book can partly check against the events they
mention: Xi Jinping's visits to Kazakhstan, Tokayev's to China, the numbering of SCO
summits, and the years since diplomatic relations and since the Belt and Road Initiative.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.intervals import start_year
from ..data.ledger import Ledger
from ..report import charts as style
from ..report.tables import html_table, number, quote_link

TOPIC = "diplomacy_context"
ANNIVERSARIES = {
    "years_since_diplomatic_relations": "diplomatic relations",
    "years_since_bri_proposed": "the Belt and Road Initiative",
}


def xi_visit_events(ledger: Ledger) -> pd.DataFrame:
    """Xi's visits to Kazakhstan that the articles date, one row per calendar year.

    Two articles may date the same visit (the 2013 visit, the July 2024 one): visits in
    the same year are taken as one, the earliest-dated mention kept.
    """
    events = ledger.events
    visits = events[(events["event_type"] == "visit")
                    & events["description"].str.contains("Xi Jinping", regex=False)
                    & events["description"].str.contains("Kazakhstan", regex=False)].copy()
    visits["year"] = visits["date_start"].dt.year
    grouped = visits.sort_values(["date_start", "event_id"]).groupby("year", as_index=False).agg(
        date_start=("date_start", "first"), date_label=("date_label", "first"),
        event_ids=("event_id", ", ".join))
    return grouped


def xi_visit_counts(ledger: Ledger) -> pd.DataFrame:
    """The stated counts of Xi's visits, each against the visits the articles date before then.

    Both counts are written on the eve of a visit ("following his previous two visits",
    "has visited four times"), so only visits that began before the count's date are
    compared with it.
    """
    dated = xi_visit_events(ledger)
    rows = []
    for claim in ledger.metric("xi_visits_to_kz").itertuples():
        by_then = dated[dated["date_start"] < claim.period_end]
        rows.append({"claim_id": claim.claim_id, "article": claim.short_name,
                     "as_of": claim.period_end, "stated": claim.value,
                     "dated_by_then": len(by_then), "undated": int(claim.value) - len(by_then)})
    return pd.DataFrame(rows)


def unaccounted_visits(ledger: Ledger) -> dict[str, object]:
    """Chain the counts: the earlier count, plus visits dated between the counts, against the later.

    The June 2017 article counts the visits before it; visits the articles date from then
    until the July 2024 count add to it. What the later count has beyond that sum is a
    visit no article dates.
    """
    counts = xi_visit_counts(ledger).sort_values("as_of")
    first, last = counts.iloc[0], counts.iloc[-1]
    dated = xi_visit_events(ledger)
    between = dated[(dated["date_start"] >= first["as_of"]) & (dated["date_start"] < last["as_of"])]
    accounted = int(first["stated"]) + len(between)
    return {"first": first, "last": last, "between": between, "accounted": accounted,
            "unaccounted": int(last["stated"]) - accounted}


def anniversaries(ledger: Ledger) -> pd.DataFrame:
    """Start years implied by every "N years since" claim, with the rounding interval."""
    rows = []
    for metric, what in ANNIVERSARIES.items():
        for claim in ledger.metric(metric).itertuples():
            derived = start_year(claim.period_end.year, claim.value, claim.qualifier)
            rows.append({"what": what, "claim_id": claim.claim_id, "article": claim.short_name,
                         "years": claim.value, "qualifier": claim.qualifier,
                         "as_of_year": claim.period_end.year, "start": derived.value,
                         "low": derived.interval.low, "high": derived.interval.high,
                         "arithmetic": derived.formula})
    return pd.DataFrame(rows)


def anniversaries_table(ledger: Ledger):
    from IPython.display import HTML

    data = anniversaries(ledger)
    shown = pd.DataFrame({
        "Years since": data["what"],
        "Article": data["article"],
        "Stated": [f"{'about ' if q == 'about' else ''}{number(y)} years"
                   for y, q in zip(data["years"], data["qualifier"], strict=True)],
        "Implied start year": [str(round(s)) for s in data["start"]],
        "Start years the wording allows": [f"{lo:.1f}–{hi:.1f}"
                                            for lo, hi in zip(data["low"], data["high"], strict=True)],
        "Arithmetic": data["arithmetic"],
        "Quote": [quote_link(c) for c in data["claim_id"]],
    })
    return HTML(html_table(shown, raw_html_columns=("Quote",),
                           numeric_columns=("Implied start year",)))


def sco_meetings(ledger: Ledger) -> dict[str, object]:
    """Numbered SCO summits: meetings between two numbered ones against the years between."""
    rows = ledger.metric("sco_heads_of_state_meeting_number").sort_values("period_end")
    first, last = rows.iloc[0], rows.iloc[-1]
    meetings = int(last["value"] - first["value"])
    years = int(last["period_end"].year - first["period_end"].year)
    return {"first": first, "last": last, "meetings": meetings, "years": years}


def visits_chart(ledger: Ledger):
    """Step chart: Xi's visits the articles date, against the counts they state."""
    dated = xi_visit_events(ledger)
    counts = xi_visit_counts(ledger)
    fig, ax = style.new_figure(8, 4.4)
    years = [d.year + (d.day_of_year - 1) / 365 for d in dated["date_start"]]
    end_year = int(counts["as_of"].dt.year.max())
    ax.step([*years, end_year + 0.9], [*range(1, len(years) + 1), len(years)], where="post",
            color=style.CONTEXT, linewidth=2, label="visits the articles date (cumulative)")
    for row in counts.itertuples():
        x = row.as_of.year + (row.as_of.day_of_year - 1) / 365
        ax.scatter([x], [row.stated], s=70, color=style.STATED, zorder=3)
        ax.annotate(f"{number(row.stated)} visits stated\n({row.article})", (x, row.stated),
                    textcoords="offset points", xytext=(-10, 8), ha="right", fontsize=9)
    ax.scatter([], [], s=70, color=style.STATED, label="count an article states")
    ax.set_xlim(min(years) - 1, end_year + 1)
    ax.set_ylim(0, counts["stated"].max() + 1.2)
    ax.set_xlabel("year")
    ax.set_ylabel("Xi Jinping's visits to Kazakhstan (count)")
    ax.legend(loc="upper left")
    chain = unaccounted_visits(ledger)
    source = style.source_line(counts["article"], counts["claim_id"])
    return style.finish(
        fig,
        title=(f"The articles count {number(counts['stated'].max())} visits by Xi before "
               f"{end_year} but date {int(counts['dated_by_then'].iloc[-1])} of them"),
        subtitle="Xi Jinping's visits to Kazakhstan: stated counts and dated visits (count)",
        source=source + "; dated visits from the events table",
        note=(f"the earlier count plus the visits dated since make {chain['accounted']}; "
              f"{chain['unaccounted']} counted visit is dated by no article. A visit under way "
              "when an article was written is not in its count."))


def facts(ledger: Ledger) -> dict[str, str]:
    counts = xi_visit_counts(ledger).sort_values("as_of")
    dated = xi_visit_events(ledger)
    ann = anniversaries(ledger)
    relations = ann[ann["what"] == "diplomatic relations"]
    bri = ann[ann["what"] == "the Belt and Road Initiative"]
    sco = sco_meetings(ledger)
    tokayev = ledger.metric("tokayev_visits_to_china").iloc[0]
    return {
        "xi_visits_first": number(counts["stated"].iloc[0]),
        "xi_visits_first_date": counts["as_of"].iloc[0].strftime("%B %Y"),
        "xi_visits_last": number(counts["stated"].iloc[-1]),
        "xi_visits_last_date": counts["as_of"].iloc[-1].strftime("%B %Y"),
        "xi_visits_dated": str(int(counts["dated_by_then"].iloc[-1])),
        "xi_visit_years": ", ".join(str(y) for y in dated[dated["date_start"]
                                                            < counts["as_of"].iloc[-1]]["year"]),
        "xi_visits_accounted": str(unaccounted_visits(ledger)["accounted"]),
        "xi_visits_unaccounted": str(unaccounted_visits(ledger)["unaccounted"]),
        "tokayev_visits": number(tokayev["value"]),
        "relations_starts": ", ".join(str(round(s)) for s in relations["start"]),
        "relations_low": str(round(relations["low"].min())),
        "relations_high": str(round(relations["high"].max())),
        "bri_starts": ", ".join(str(round(s)) for s in bri["start"]),
        "sco_first": number(sco["first"]["value"]),
        "sco_first_year": str(sco["first"]["period_end"].year),
        "sco_last": number(sco["last"]["value"]),
        "sco_last_year": str(sco["last"]["period_end"].year),
        "sco_meetings": str(sco["meetings"]),
        "sco_years": str(sco["years"]),
    }


def key_figures(ledger: Ledger) -> list[dict[str, str]]:
    counts = xi_visit_counts(ledger).sort_values("as_of")
    last = counts.iloc[-1]
    return [{"label": f"Xi Jinping's visits to Kazakhstan, as of {last['as_of'].year}",
             "value": number(last["stated"]), "claim_ids": last["claim_id"]}]
