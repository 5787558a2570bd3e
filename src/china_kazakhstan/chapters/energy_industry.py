"""Energy and industrial capacity: the capacity cooperation project list, renewables, named projects.

The articles count the industrial capacity cooperation programme three times (2016, 2023,
May 2024) with three different words for what is counted: "preliminary agreements", "a
list" and projects "established". The figures are shown side by side, never joined into
one series, and every figure derived from them (value per project, completed share, the
change in the count, the share of one wind farm in a renewable total) is computed here
with its arithmetic.
"""

from __future__ import annotations

import math

import pandas as pd

from ..analysis.intervals import Derived, Interval, growth_between, stated_interval
from ..data.ledger import Ledger
from ..report import charts as style
from ..report.tables import format_value, html_table, number, quote_link

COUNT = "capacity_projects_count"
VALUE = "capacity_projects_value"
COMPLETED = "capacity_projects_completed"
RENEWABLE = "renewable_capacity_chinese_participation"
WIND = "wind_project_capacity_akmola"

#: What each article says it counts, recognised by the words of its quote.
STAGES = {
    "preliminary agreements": "preliminary agreements",
    "a list of": "a cooperation list",
    "established": "projects established",
}

#: The same, short enough for a chart's axis.
TICK_STAGE = {
    "preliminary agreements": "agreements",
    "a cooperation list": "list",
    "projects established": "established",
}

#: How a qualifier reads in front of a derived figure that inherits it.
_BOUND = {"exact": "", "more_than": "more than ", "at_least": "at least ", "about": "about ",
          "up_to": "up to ", "nearly": "nearly "}


# --- generic helpers (not in derive.py; kept here) -------------------------------------------

def ratio(numerator: float, denominator: float, *, numerator_q: str = "exact",
          denominator_q: str = "exact", scale: float = 1.0, decimals: int = 2,
          unit: str = "", counts: tuple[bool, bool] = (False, False)) -> Derived:
    """numerator ÷ denominator × scale, with the interval the two qualifiers allow.

    "more than 21.2 ÷ 52" is a floor; "205 ÷ more than 1,000" is a ceiling. An exact figure
    allows half a unit of rounding either way, unless ``counts`` marks it as a count of
    whole things (52 projects are 52, not 51.5 to 52.5).
    """
    a, b = (Interval(v, v) if is_count and q == "exact" else stated_interval(v, q)
            for v, q, is_count in ((numerator, numerator_q, counts[0]),
                                   (denominator, denominator_q, counts[1])))
    central = numerator / denominator * scale
    low = a.low / b.high * scale if math.isfinite(b.high) else 0.0
    high = a.high / b.low * scale if b.low > 0 else math.inf
    formula = (f"{_BOUND[numerator_q]}{number(numerator)} ÷ {_BOUND[denominator_q]}{number(denominator)}"
               + (f" × {number(scale)}" if scale != 1 else "")
               + f" = {number(central, decimals)}{unit}")
    return Derived(central, Interval(low, high), formula)


def signed(value: float, decimals: int, unit: str = "") -> str:
    """+1, −7, −13.5 %: a change with its sign, and a true minus."""
    return f"{'+' if value > 0 else '−' if value < 0 else ''}{number(abs(value), decimals)}{unit}"


def _minus(text: str) -> str:
    return text.replace("= -", "= −")


def _one(ledger: Ledger, metric: str, year: int | None = None) -> pd.Series:
    rows = ledger.metric(metric)
    if year is not None:
        rows = rows[rows["year"] == year]
    if len(rows) != 1:
        raise ValueError(f"expected one claim of {metric!r} (year {year}), found {len(rows)}")
    return rows.iloc[0]


def stage_of(quote: str) -> str:
    """What a count counts, from the words of its quote."""
    found = [stage for words, stage in STAGES.items() if words in quote]
    if len(found) != 1:
        raise ValueError(f"cannot tell what is counted in {quote!r}")
    return found[0]


def _month(timestamp: pd.Timestamp) -> str:
    return timestamp.strftime("%b %Y")


# --- the capacity cooperation programme ------------------------------------------------------

def programme(ledger: Ledger) -> pd.DataFrame:
    """One row per count of the programme: count, value, completed, what was counted."""
    rows = []
    for _, count in ledger.metric(COUNT).iterrows():
        same = ledger.claims[(ledger.claims["seed"] == count["seed"])
                             & (ledger.claims["period"] == count["period"])]
        value = same[same["metric"] == VALUE]
        done = same[same["metric"] == COMPLETED]
        rows.append({
            "as_of": count["period_end"],
            "label": _month(count["period_end"]),
            "article": count["short_name"],
            "stage": stage_of(count["quote"]),
            "count": count["value"],
            "count_id": count["claim_id"],
            "value": value["value"].iloc[0] if len(value) else math.nan,
            "value_q": value["qualifier"].iloc[0] if len(value) else "",
            "value_id": value["claim_id"].iloc[0] if len(value) else "",
            "completed": done["value"].iloc[0] if len(done) else math.nan,
            "completed_id": done["claim_id"].iloc[0] if len(done) else "",
        })
    return pd.DataFrame(rows).sort_values("as_of").reset_index(drop=True)


def per_project(ledger: Ledger) -> pd.DataFrame:
    """Average value per project where an article gives both a count and a value (US$ m)."""
    data = programme(ledger).dropna(subset=["value"])
    rows = []
    for _, row in data.iterrows():
        avg = ratio(row["value"], row["count"], numerator_q=row["value_q"], scale=1000, decimals=0,
                    counts=(False, True))
        rows.append({"label": row["label"], "year": row["as_of"].year, "value_q": row["value_q"],
                     "derived": avg, "claim_ids": f"{row['count_id']}, {row['value_id']}"})
    return pd.DataFrame(rows)


def completion(ledger: Ledger) -> dict[str, object]:
    """Completed projects in May 2024 as a share of the projects counted with them."""
    last = programme(ledger).dropna(subset=["completed"]).iloc[-1]
    share = ratio(last["completed"], last["count"], scale=100, decimals=1, unit=" %", counts=(True, True))
    return {"row": last, "share": share, "outstanding": last["count"] - last["completed"]}


def count_changes(ledger: Ledger) -> list[dict[str, object]]:
    """The change in the count between consecutive articles, with the change in wording."""
    data = programme(ledger)
    changes = []
    for (_, a), (_, b) in zip(data.iloc[:-1].iterrows(), data.iloc[1:].iterrows(), strict=True):
        changes.append({"from": a, "to": b, "difference": b["count"] - a["count"],
                        "growth": growth_between(a["count"], b["count"])})
    return changes


def value_change(ledger: Ledger) -> dict[str, object]:
    """Total value from the first to the second article: a floor when the later value is one."""
    data = programme(ledger).dropna(subset=["value"])
    a, b = data.iloc[0], data.iloc[-1]
    return {"from": a, "to": b, "growth": growth_between(a["value"], b["value"], later_q=b["value_q"])}


def arithmetic(ledger: Ledger) -> pd.DataFrame:
    """Every derived programme figure with its arithmetic and the ledger rows it uses."""
    rows = []
    for _, avg in per_project(ledger).iterrows():
        d = avg["derived"]
        rows.append({"Derived figure": f"Value per project, {avg['label']}",
                     "Value": f"{_BOUND[avg['value_q']]}US${number(d.value, 0)} m",
                     "Arithmetic": f"US$ bn ÷ projects × 1,000: {d.formula}",
                     "Ledger rows": avg["claim_ids"]})
    change = value_change(ledger)
    g = change["growth"]
    floor = change["to"]["value_q"] == "more_than"
    rows.append({"Derived figure": f"Change in total value, {change['from']['label']} to "
                                   f"{change['to']['label']}",
                 "Value": (f"a fall of at most {number(abs(g.value), 1)} %" if floor and g.value < 0
                           else signed(g.value, 1, " %")),
                 "Arithmetic": _minus(g.formula) + (" (the later total is a floor)" if floor else ""),
                 "Ledger rows": f"{change['from']['value_id']}, {change['to']['value_id']}"})
    for c in count_changes(ledger):
        noun = "project" if abs(c["difference"]) == 1 else "projects"
        rows.append({"Derived figure": f"Change in the count, {c['from']['label']} to {c['to']['label']}",
                     "Value": f"{signed(c['difference'], 0)} {noun} ({signed(c['growth'].value, 1, ' %')})",
                     "Arithmetic": _minus(f"{number(c['to']['count'])} − {number(c['from']['count'])} = "
                                          f"{number(c['difference'])}; {c['growth'].formula}"),
                     "Ledger rows": f"{c['from']['count_id']}, {c['to']['count_id']}"})
    done = completion(ledger)
    row = done["row"]
    rows.append({"Derived figure": f"Completed share, {row['label']}",
                 "Value": f"{number(done['share'].value, 1)} %",
                 "Arithmetic": done["share"].formula,
                 "Ledger rows": f"{row['completed_id']}, {row['count_id']}"})
    rows.append({"Derived figure": f"Not yet completed, {row['label']}",
                 "Value": f"{number(done['outstanding'])} projects",
                 "Arithmetic": f"{number(row['count'])} − {number(row['completed'])} = "
                               f"{number(done['outstanding'])}",
                 "Ledger rows": f"{row['completed_id']}, {row['count_id']}"})
    return pd.DataFrame(rows)


def _links(ids: str) -> str:
    return ", ".join(quote_link(c.strip()) for c in ids.split(",") if c.strip())


def programme_table(ledger: Ledger):
    """The programme as each article counts it, with the words it uses."""
    from IPython.display import HTML

    data = programme(ledger)
    shown = pd.DataFrame({
        "As of": data["label"],
        "Article": data["article"],
        "What is counted": data["stage"],
        "Projects": [number(v) for v in data["count"]],
        "Total value": [format_value(v, "USD_billion", q) if not math.isnan(v) else "not stated"
                        for v, q in zip(data["value"], data["value_q"], strict=True)],
        "Completed": [number(v) if not math.isnan(v) else "not stated" for v in data["completed"]],
        "Ledger rows": [_links(", ".join(i for i in ids if i)) for ids in
                        zip(data["count_id"], data["value_id"], data["completed_id"], strict=True)],
    })
    return HTML(html_table(shown, raw_html_columns=("Ledger rows",),
                           numeric_columns=("Projects", "Total value", "Completed")))


def arithmetic_table(ledger: Ledger):
    from IPython.display import HTML

    shown = arithmetic(ledger)
    shown["Ledger rows"] = [_links(ids) for ids in shown["Ledger rows"]]
    return HTML(html_table(shown, raw_html_columns=("Ledger rows",), numeric_columns=("Value",)))


def definitions_table(ledger: Ledger):
    """How the ledger reads the programme's metrics (data/metrics.csv processing notes)."""
    from IPython.display import HTML

    metrics = ledger.metrics.set_index("metric").loc[[COUNT, VALUE, WIND]]
    shown = pd.DataFrame({"Figure": metrics["label"],
                          "How the ledger reads it": metrics["processing_note"].fillna("")})
    return HTML(html_table(shown))


# --- renewables ------------------------------------------------------------------------------

def renewables(ledger: Ledger) -> dict[str, object]:
    """The renewable total (a floor, end 2022) against the Akmola wind project (July 2024)."""
    total = _one(ledger, RENEWABLE)
    wind = _one(ledger, WIND)
    share = ratio(wind["value"], total["value"], denominator_q=total["qualifier"], scale=100,
                  decimals=1, unit=" %")
    combined = total["value"] + wind["value"]
    months = ((wind["period_end"].year - total["period_end"].year) * 12
              + wind["period_end"].month - total["period_end"].month)
    return {"total": total, "wind": wind, "share": share, "combined": combined, "months": months}


def renewables_table(ledger: Ledger):
    """What the two renewable figures allow, and under which assumption."""
    from IPython.display import HTML

    r = renewables(ledger)
    total, wind = r["total"], r["wind"]
    ids = f"{wind['claim_id']}, {total['claim_id']}"
    rows = [
        {"Reading": f"If the wind project was already in the total of "
                    f"{total['period_label'].removeprefix('as of ')}",
         "Derived figure": f"at most {number(r['share'].value, 1)} % of that total",
         "Arithmetic": r["share"].formula + " (a ceiling: the total is a floor)",
         "Ledger rows": _links(ids)},
        {"Reading": "If it was commissioned after that date and nothing was retired",
         "Derived figure": f"more than {number(r['combined'])} MW by "
                           f"{wind['period_label'].removeprefix('as of ')}",
         "Arithmetic": f"more than {number(total['value'])} + {number(wind['value'])} = "
                       f"more than {number(r['combined'])} MW",
         "Ledger rows": _links(ids)},
    ]
    return HTML(html_table(pd.DataFrame(rows), raw_html_columns=("Ledger rows",),
                           numeric_columns=("Derived figure",)))


# --- chart -----------------------------------------------------------------------------------

def programme_chart(ledger: Ledger):
    """Three panels by article date: project count (with completed), total value, value per project."""
    data = programme(ledger)
    avg = per_project(ledger)
    done = completion(ledger)
    fig, axes = style.new_figure(8.6, 5.2, ncols=3)
    ax_n, ax_v, ax_a = axes
    x = list(range(len(data)))
    width = 0.58
    ticks = [f"{when:%b}\n{when:%Y}\n{TICK_STAGE[stage]}"
             for when, stage in zip(data["as_of"], data["stage"], strict=True)]
    label_size = 8.5

    # Panel 1: counts; the completed part of the last count, and its derived remainder.
    last = int(data["completed"].last_valid_index())
    plain = [i for i in x if i != last]
    ax_n.bar(plain, data.loc[plain, "count"], width, color=style.STATED, label="stated")
    ax_n.bar([last], [data.loc[last, "completed"]], width, color=style.OKABE_ITO["green"],
             label="completed (stated)")
    ax_n.bar([last], [done["outstanding"]], width, bottom=[data.loc[last, "completed"]], color="white",
             edgecolor=style.DERIVED, hatch=style.DERIVED_HATCH, label="derived (hatched)")
    for i in x:
        ax_n.text(i, data.loc[i, "count"] + 1, number(data.loc[i, "count"]), ha="center",
                  va="bottom", fontsize=label_size)
    ax_n.text(last, data.loc[last, "completed"] / 2, number(data.loc[last, "completed"]),
              ha="center", va="center", fontsize=label_size, color="white", fontweight="bold")
    ax_n.text(last, data.loc[last, "count"] + 6,
              f"{number(done['share'].value, 1)} %\ncompleted\n(derived)", ha="center", va="bottom",
              fontsize=8, color=style.MUTED)
    ax_n.set_ylim(0, data["count"].max() * 1.6)
    ax_n.set_ylabel("Projects (count)")
    ax_n.set_title("Projects", fontsize=11)

    # Panel 2: total value; the later value is a floor.
    have = data.dropna(subset=["value"])
    ax_v.bar(have.index, have["value"], width, color=style.STATED)
    for i, row in have.iterrows():
        text = format_value(row["value"], "USD_billion", row["value_q"]).replace("than ", "than\n")
        ax_v.text(i, row["value"] + 0.5, text, ha="center", va="bottom", fontsize=label_size)
    for i in data.index.difference(have.index):
        ax_v.text(i, 0.5, "not\nstated", ha="center", va="bottom", fontsize=label_size, color=style.MUTED)
    ax_v.set_ylim(0, have["value"].max() * 1.45)
    ax_v.set_ylabel("Total value (US$ billion)")
    ax_v.set_title("Total value", fontsize=11)

    # Panel 3: value per project, derived.
    positions = [int(data.index[data["label"] == lab][0]) for lab in avg["label"]]
    values = [d.value for d in avg["derived"]]
    ax_a.bar(positions, values, width, color="white", edgecolor=style.DERIVED, hatch=style.DERIVED_HATCH)
    for pos, d, q in zip(positions, avg["derived"], avg["value_q"], strict=True):
        text = f"{_BOUND[q]}US${number(d.value, 0)} m".replace("than ", "than\n")
        ax_a.text(pos, d.value + 10, text, ha="center", va="bottom", fontsize=label_size)
    for i in data.index.difference(positions):
        ax_a.text(i, 10, "not\nstated", ha="center", va="bottom", fontsize=label_size, color=style.MUTED)
    ax_a.set_ylim(0, max(values) * 1.45)
    ax_a.set_ylabel("Value per project (US$ million)")
    ax_a.set_title("Per project (derived)", fontsize=11)

    for ax in axes:
        ax.set_xticks(x, ticks, fontsize=8)
        ax.set_xlim(-0.6, len(x) - 0.4)
        ax.set_xlabel("As of; what is counted", fontsize=9)
    handles, labels = ax_n.get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper right", bbox_to_anchor=(0.99, 0.905), ncol=3, fontsize=8.5)

    ids = [i for col in ("count_id", "value_id", "completed_id") for i in data[col] if i]
    names = ledger.claims.set_index("claim_id").loc[ids, "short_name"]
    counts = [number(v) for v in data["count"]]
    fig = style.finish(
        fig,
        title=f"{', '.join(counts[:-1])}, then {counts[-1]} capacity projects: "
              f"{data['stage'].nunique()} wordings of what is counted, not one series",
        subtitle="China–Kazakhstan industrial capacity cooperation programme, as each article counts it",
        source=style.source_line(names, ids),
        note="value per project = total value ÷ projects; not completed = projects − completed.")
    fig.subplots_adjust(top=0.76, wspace=0.5, left=0.08, bottom=0.27)
    return fig


# --- prose and the introduction page ---------------------------------------------------------

def facts(ledger: Ledger) -> dict[str, str]:
    """Numbers for the chapter's prose, formatted as a reader writes them."""
    data = programme(ledger)
    first, second, last = data.iloc[0], data.iloc[1], data.iloc[-1]
    avg = per_project(ledger)
    avg_first, avg_second = avg.iloc[0], avg.iloc[-1]
    done = completion(ledger)
    changes = count_changes(ledger)
    vchange = value_change(ledger)
    r = renewables(ledger)
    return {
        "n_counts": str(len(data)),
        "count_first": number(first["count"]),
        "value_first": format_value(first["value"], "USD_billion", first["value_q"]),
        "date_first": first["label"],
        "stage_first": first["stage"],
        "count_second": number(second["count"]),
        "value_second": format_value(second["value"], "USD_billion", second["value_q"]),
        "date_second": second["label"],
        "stage_second": second["stage"],
        "count_last": number(last["count"]),
        "date_last": last["label"],
        "stage_last": last["stage"],
        "completed_last": number(last["completed"]),
        "completed_share": format_value(round(done["share"].value, 1), "percent"),
        "not_completed": number(done["outstanding"]),
        "avg_first": f"US${number(avg_first['derived'].value, 0)} m",
        "avg_second": f"{_BOUND[avg_second['value_q']]}US${number(avg_second['derived'].value, 0)} m",
        "value_fall_pct": format_value(round(abs(vchange["growth"].value), 1), "percent"),
        "value_fall": f"US${number(first['value'] - second['value'], 1)} bn",
        "count_change_first": signed(changes[0]["difference"], 0),
        "count_diff_first": f"{number(abs(changes[0]['difference']))} "
                            f"{'project' if abs(changes[0]['difference']) == 1 else 'projects'}",
        "count_change_last": number(abs(changes[-1]["difference"])),
        "count_change_last_pct": format_value(round(abs(changes[-1]["growth"].value), 1), "percent"),
        "renewable_total": format_value(r["total"]["value"], "MW", r["total"]["qualifier"]),
        "renewable_date": r["total"]["period_label"].removeprefix("as of "),
        "wind_mw": format_value(r["wind"]["value"], "MW"),
        "wind_date": r["wind"]["period_label"].removeprefix("as of "),
        "wind_share_max": format_value(round(r["share"].value, 1), "percent"),
        "renewable_plus_wind": format_value(r["combined"], "MW", "more_than"),
        "months_apart": str(r["months"]),
    }


def key_figures(ledger: Ledger) -> list[dict[str, str]]:
    """Two or three figures for the introduction page."""
    done = completion(ledger)
    row = done["row"]
    second = programme(ledger).iloc[1]
    total = _one(ledger, RENEWABLE)
    return [
        {"label": f"Capacity cooperation projects completed, {row['label']}",
         "value": f"{number(row['completed'])} of {number(row['count'])}",
         "claim_ids": f"{row['completed_id']}, {row['count_id']}"},
        {"label": f"Capacity cooperation list, {second['label']}",
         "value": f"{number(second['count'])} projects, "
                  f"{format_value(second['value'], 'USD_billion', second['value_q'])}",
         "claim_ids": f"{second['count_id']}, {second['value_id']}"},
        {"label": "Renewable capacity with Chinese participation, "
                  f"{total['period_label'].removeprefix('as of ')}",
         "value": format_value(total["value"], "MW", total["qualifier"]),
         "claim_ids": total["claim_id"]},
    ]
