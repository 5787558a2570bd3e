"""Connectivity: rail cargo, China–Europe trains through the border ports, the early-2024 pace.

Derived figures (a previous year implied by a growth rate, a pro-rata) are computed here
with their arithmetic, and returned beside the stated figures they come from.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..analysis.intervals import prior_from_growth, pro_rata
from ..data.ledger import Ledger
from ..report import charts as style
from ..report.tables import format_value, number

PORTS = {"Horgos": "china_europe_trains_via_horgos",
         "Alashankou": "china_europe_trains_via_alashankou"}



def rail_cargo(ledger: Ledger) -> pd.DataFrame:
    """Rail cargo between the two countries: the stated year and the year its growth implies."""
    volume = ledger.only("rail_cargo_volume")
    growth = ledger.only("rail_cargo_volume_growth")
    prior = prior_from_growth(volume["value"], growth["value"])
    return pd.DataFrame([
        {"year": volume["year"] - 1, "value": prior.value, "kind": "derived",
         "basis": prior.formula, "claim_ids": f"{volume['claim_id']}, {growth['claim_id']}"},
        {"year": volume["year"], "value": volume["value"], "kind": "stated",
         "basis": "stated", "claim_ids": volume["claim_id"]},
    ])


def trains_by_port(ledger: Ledger) -> pd.DataFrame:
    """China–Europe trains through each port: 2023 as stated, 2022 as implied by the growth."""
    rows = []
    for port, metric in PORTS.items():
        trains = ledger.only(metric)
        growth = ledger.only(f"{metric}_growth")
        prior = prior_from_growth(trains["value"], growth["value"])
        rows.append({"port": port, "year": trains["year"] - 1, "trains": prior.value,
                     "kind": "derived", "basis": prior.formula,
                     "claim_ids": f"{trains['claim_id']}, {growth['claim_id']}"})
        rows.append({"port": port, "year": trains["year"], "trains": trains["value"],
                     "kind": "stated", "basis": f"stated; growth {number(growth['value'])} %",
                     "claim_ids": trains["claim_id"]})
    return pd.DataFrame(rows)


def early_2024_pace(ledger: Ledger) -> dict[str, object]:
    """The ">5,000 trains by 30 April 2024" figure against the 2023 pace over the same days."""
    early = ledger.only("freight_trains_via_horgos_alashankou")
    ports = trains_by_port(ledger)
    full_2023 = ports[(ports["kind"] == "stated")]["trains"].sum()
    end = early["period_end"].date()
    days = (end - date(end.year, 1, 1)).days + 1
    pace = pro_rata(full_2023, days, 365)
    return {"stated": early, "days": days, "total_2023": full_2023, "pace": pace,
            "excess_pct": (early["value"] / pace.value - 1) * 100}


def trains_arithmetic(ledger: Ledger):
    """The derived bars' arithmetic, as a reader checks it."""
    from IPython.display import HTML

    from ..report.tables import html_table, quote_link

    data = trains_by_port(ledger)
    shown = pd.DataFrame({
        "Port": data["port"],
        "Year": data["year"].astype(str),
        "Trains": [number(v, 0) for v in data["trains"]],
        "Stated or derived": data["kind"],
        "Arithmetic": data["basis"],
        "Ledger rows": [", ".join(quote_link(c.strip()) for c in ids.split(","))
                        for ids in data["claim_ids"]],
    })
    return HTML(html_table(shown, raw_html_columns=("Ledger rows",), numeric_columns=("Trains",)))


def trains_chart(ledger: Ledger):
    """Bar chart: trains per port, 2022 (derived, hatched) and 2023 (stated)."""
    data = trains_by_port(ledger)
    fig, ax = style.new_figure(8, 4.6)
    ports = list(PORTS)
    width = 0.38
    for offset, kind in ((-width / 2, "derived"), (width / 2, "stated")):
        subset = data[data["kind"] == kind].set_index("port").loc[ports]
        year = int(subset["year"].iloc[0])
        bars = ax.bar([i + offset for i in range(len(ports))], subset["trains"], width,
                      color="white" if kind == "derived" else style.STATED,
                      edgecolor=style.DERIVED if kind == "derived" else style.STATED,
                      hatch=style.DERIVED_HATCH if kind == "derived" else None,
                      label=f"{year}, {'derived from the growth rate' if kind == 'derived' else 'stated'}")
        ax.bar_label(bars, labels=[number(v, 0) for v in subset["trains"]], padding=2, fontsize=9)
    ax.set_xticks(range(len(ports)), [f"via {p}" for p in ports])
    ax.set_ylabel("China–Europe trains per year")
    ax.legend(loc="upper right")
    ax.set_ylim(0, data["trains"].max() * 1.18)
    stated = data[data["kind"] == "stated"]
    source = style.source_line(
        ledger.claims.set_index("claim_id").loc[
            [c.strip() for ids in data["claim_ids"] for c in ids.split(",")], "short_name"],
        [c.strip() for ids in data["claim_ids"] for c in ids.split(",")])
    return style.finish(
        fig,
        title=f"Both border ports handled more China–Europe trains in {int(stated['year'].iloc[0])}",
        subtitle="China–Europe freight trains passing through Kazakhstan, by border port (trains per year)",
        source=source,
        note="the earlier year is implied by the stated growth rate: trains ÷ (1 + growth).")


def facts(ledger: Ledger) -> dict[str, str]:
    """Numbers for the chapter's prose, formatted as a reader writes them."""
    cargo = rail_cargo(ledger)
    ports = trains_by_port(ledger)
    stated = ports[ports["kind"] == "stated"]
    derived = ports[ports["kind"] == "derived"]
    pace = early_2024_pace(ledger)
    growth = ledger.only("rail_cargo_volume_growth")
    return {
        "rail_cargo_value": format_value(cargo["value"].iloc[1], "million_tonnes"),
        "rail_cargo_year": str(cargo["year"].iloc[1]),
        "rail_cargo_growth": format_value(growth["value"], "percent"),
        "rail_cargo_prior": f"{number(cargo['value'].iloc[0], 1)} m tonnes",
        "rail_cargo_prior_year": str(cargo["year"].iloc[0]),
        "trains_year": str(int(stated["year"].iloc[0])),
        "trains_total": number(stated["trains"].sum(), 0),
        "trains_total_prior": number(derived["trains"].sum(), 0),
        "trains_total_growth": format_value(
            round((stated["trains"].sum() / derived["trains"].sum() - 1) * 100, 1), "percent"),
        "early_2024_value": format_value(pace["stated"]["value"], "count",
                                         pace["stated"]["qualifier"]),
        "early_2024_days": str(pace["days"]),
        "early_2024_date": pace["stated"]["period_label"].removeprefix("as of "),
        "early_2024_pace": number(pace["pace"].value, 0),
        "early_2024_excess": format_value(round(pace["excess_pct"], 1), "percent"),
    }


def key_figures(ledger: Ledger) -> list[dict[str, str]]:
    """Two figures for the introduction page."""
    cargo = ledger.only("rail_cargo_volume")
    trains = trains_by_port(ledger)
    stated = trains[trains["kind"] == "stated"]
    return [
        {"label": f"Rail cargo between the two countries, {cargo['year']}",
         "value": format_value(cargo["value"], cargo["unit"], cargo["qualifier"]),
         "claim_ids": cargo["claim_id"]},
        {"label": f"China–Europe trains via Horgos and Alashankou, {int(stated['year'].iloc[0])}",
         "value": number(stated["trains"].sum(), 0),
         "claim_ids": ", ".join(stated["claim_ids"])},
    ]
