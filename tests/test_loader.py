"""The loader refuses bad data with a message naming file, line, row id and field."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from china_kazakhstan.data.ledger import load_ledger
from china_kazakhstan.errors import DataError


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def edit(path: Path, key: str, row_id: str, field: str, value: str) -> int:
    """Set one field of one row; return the row's line number in the file."""
    header, rows = read_rows(path)
    for index, row in enumerate(rows):
        if row[key] == row_id:
            row[field] = value
            write_rows(path, header, rows)
            return index + 2
    raise AssertionError(f"no row {row_id} in {path}")


def first_claim(project: Path, **conditions: str) -> dict[str, str]:
    _, rows = read_rows(project / "data" / "claims.csv")
    return next(r for r in rows if all(r[k] == v for k, v in conditions.items()))


def test_real_data_loads_as_typed_frames(root: Path) -> None:
    ledger = load_ledger(root)
    _, rows = read_rows(root / "data" / "claims.csv")
    assert len(ledger.claims) == len(rows)
    assert ledger.claims["value"].dtype == float
    assert pd.api.types.is_datetime64_any_dtype(ledger.claims["period_end"])
    assert (ledger.claims["period_start"] <= ledger.claims["period_end"]).all()
    assert ledger.claims["short_name"].notna().all(), "every claim must join to its article"


def test_quote_not_in_seed(project: Path) -> None:
    claim = first_claim(project)
    line = edit(project / "data" / "claims.csv", "claim_id", claim["claim_id"], "quote",
                claim["quote"] + " (and more)")
    with pytest.raises(DataError, match=rf"data/claims.csv, line {line} \({claim['claim_id']}\), "
                                        rf"field 'quote': .* does not occur verbatim in seeds/"):
        load_ledger(project)


def test_quote_with_straight_apostrophe_gets_a_hint(project: Path) -> None:
    _, rows = read_rows(project / "data" / "claims.csv")
    claim = next(r for r in rows if "’" in r["quote"])
    edit(project / "data" / "claims.csv", "claim_id", claim["claim_id"], "quote",
         claim["quote"].replace("’", "'"))
    with pytest.raises(DataError, match=r"if quotes, dashes or spaces are normalised"):
        load_ledger(project)


@pytest.mark.parametrize("unit", ["USD_billion", "percent", "count", "rank", "multiple"])
def test_value_not_stated_by_its_mention(project: Path, unit: str) -> None:
    claim = first_claim(project, unit=unit)
    wrong = str(float(claim["value"]) + 1)
    line = edit(project / "data" / "claims.csv", "claim_id", claim["claim_id"], "value", wrong)
    with pytest.raises(DataError) as caught:
        load_ledger(project)
    message = str(caught.value)
    assert (f"data/claims.csv, line {line} ({claim['claim_id']}), field 'value': "
            f"the mention {claim['mention']!r} states") in message, message
    assert f"not {float(wrong):g} {unit}" in message, message


def test_value_in_the_wrong_unit(project: Path) -> None:
    claim = first_claim(project, unit="USD_billion")
    edit(project / "data" / "claims.csv", "claim_id", claim["claim_id"], "unit", "USD_million")
    with pytest.raises(DataError, match=rf"\({claim['claim_id']}\), field 'value': the mention "
                                        rf".* not {re.escape(claim['value'])} USD_million"):
        load_ledger(project)


def test_swapped_values_of_two_claims_on_one_quote_are_refused(project: Path) -> None:
    """Issue 12: swapping two values without their mentions is caught (each mention states its value)."""
    path = project / "data" / "claims.csv"
    header, rows = read_rows(path)
    by_quote: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in rows:
        by_quote.setdefault((row["seed"], row["quote"]), []).append(row)
    a, b = next(g for g in by_quote.values() if len(g) == 2 and g[0]["unit"] == g[1]["unit"]
                and g[0]["value"] != g[1]["value"])
    a["value"], b["value"] = b["value"], a["value"]
    write_rows(path, header, rows)
    with pytest.raises(DataError) as caught:
        load_ledger(project)
    for row in (a, b):
        assert f"({row['claim_id']}), field 'value': the mention {row['mention']!r}" in str(caught.value)


@pytest.mark.parametrize(("mention", "why"), [
    ("99,999", "does not occur in the quote"),
    ("", "is required but empty"),
])
def test_mention_that_is_not_in_the_quote(project: Path, mention: str, why: str) -> None:
    claim = first_claim(project)
    line = edit(project / "data" / "claims.csv", "claim_id", claim["claim_id"], "mention", mention)
    with pytest.raises(DataError, match=rf"line {line} \({claim['claim_id']}\), field 'mention': .*{why}"):
        load_ledger(project)


def test_a_hedge_the_article_prints_must_be_in_the_mention(project: Path) -> None:
    claim = first_claim(project, qualifier="more_than")
    bare = claim["mention"].split(" ", 2)[-1] if claim["mention"].startswith("more than") else \
        claim["mention"].split(" ", 1)[-1]
    line = edit(project / "data" / "claims.csv", "claim_id", claim["claim_id"], "mention", bare)
    with pytest.raises(DataError, match=rf"line {line} \({claim['claim_id']}\), field 'qualifier': "
                                        r"qualifier 'more_than' needs the hedge words in the mention"):
        load_ledger(project)


def test_a_hedge_the_article_does_not_print_cannot_be_added(project: Path) -> None:
    claim = first_claim(project, qualifier="exact", unit="USD_billion")
    line = edit(project / "data" / "claims.csv", "claim_id", claim["claim_id"], "qualifier", "about")
    with pytest.raises(DataError, match=rf"line {line} \({claim['claim_id']}\), field 'qualifier': "
                                        r"qualifier 'about' needs the hedge words"):
        load_ledger(project)


def test_duplicate_id(project: Path) -> None:
    path = project / "data" / "claims.csv"
    header, rows = read_rows(path)
    rows[1]["claim_id"] = rows[0]["claim_id"]
    write_rows(path, header, rows)
    with pytest.raises(DataError, match=rf"line 3 \({rows[0]['claim_id']}\), field 'claim_id': "
                                        r"'C\d+' is not unique: it is also on line 2"):
        load_ledger(project)


@pytest.mark.parametrize(("field", "bad"), [("unit", "USD_trillion"), ("topic", "sports"),
                                            ("qualifier", "roughly")])
def test_value_outside_fixed_list(project: Path, field: str, bad: str) -> None:
    claim = first_claim(project)
    line = edit(project / "data" / "claims.csv", "claim_id", claim["claim_id"], field, bad)
    with pytest.raises(DataError, match=rf"line {line} \({claim['claim_id']}\), field '{field}': "
                                        rf"'{bad}' is not one of the allowed values"):
        load_ledger(project)


@pytest.mark.parametrize(("bad", "why"), [("2023-13", "month 13"), ("2024-02-30", "day 30"),
                                          ("2024..2023", "starts after it ends"),
                                          ("last year", "does not match the pattern")])
def test_period_that_does_not_parse(project: Path, bad: str, why: str) -> None:
    claim = first_claim(project)
    line = edit(project / "data" / "claims.csv", "claim_id", claim["claim_id"], "period", bad)
    with pytest.raises(DataError, match=rf"line {line} \({claim['claim_id']}\), field 'period': "
                                        rf".*{why}"):
        load_ledger(project)


def test_value_that_is_not_a_number(project: Path) -> None:
    claim = first_claim(project)
    line = edit(project / "data" / "claims.csv", "claim_id", claim["claim_id"], "value", "1,000")
    with pytest.raises(DataError, match=rf"line {line} \({claim['claim_id']}\), field 'value': "
                                        r"'1,000' is not a number"):
        load_ledger(project)


def test_required_field_empty(project: Path) -> None:
    claim = first_claim(project)
    line = edit(project / "data" / "claims.csv", "claim_id", claim["claim_id"], "metric", "")
    with pytest.raises(DataError, match=rf"line {line} \({claim['claim_id']}\), field 'metric': "
                                        r"is required but empty"):
        load_ledger(project)


def test_unknown_seed(project: Path) -> None:
    path = project / "data" / "event_mentions.csv"
    _, rows = read_rows(path)
    line = edit(path, "mention_id", rows[0]["mention_id"], "seed", "009_missing.txt")
    with pytest.raises(DataError, match=rf"data/event_mentions.csv, line {line} \({rows[0]['mention_id']}\), "
                                        r"field 'seed': '009_missing.txt' is not a file listed"):
        load_ledger(project)


def test_an_event_mention_names_an_event(project: Path) -> None:
    path = project / "data" / "event_mentions.csv"
    _, rows = read_rows(path)
    line = edit(path, "mention_id", rows[0]["mention_id"], "event", "no_such_event")
    with pytest.raises(DataError, match=rf"line {line} \({rows[0]['mention_id']}\), field 'event': "
                                        r"'no_such_event' is not an event of data/events.csv"):
        load_ledger(project)


def test_the_mentions_of_one_event_agree_on_its_date(project: Path) -> None:
    path = project / "data" / "event_mentions.csv"
    _, rows = read_rows(path)
    events = [r["event"] for r in rows]
    twice = next(r for r in rows if events.count(r["event"]) > 1
                 and not any(c.isdigit() for c in r["mention"]))
    edit(path, "mention_id", twice["mention_id"], "date", "1999")
    with pytest.raises(DataError, match=r"data/event_mentions.csv, line \d+ \(E\d+\), field 'date': .*'1999'.* "
                                        r"one event has one date"):
        load_ledger(project)


def test_a_visit_needs_its_visitor(project: Path) -> None:
    path = project / "data" / "events.csv"
    _, rows = read_rows(path)
    visit = next(r for r in rows if r["event_type"] == "visit")
    line = edit(path, "event", visit["event"], "visitor", "")
    with pytest.raises(DataError, match=rf"data/events.csv, line {line} \({visit['event']}\), "
                                        r"field 'visitor': a visit needs its visitor"):
        load_ledger(project)


@pytest.mark.parametrize(("relation", "obj", "why"), [
    ("growth_of", "no_such_metric", "growth_of needs a metric"),
    ("years_since", "no_such_event", "years_since needs an event"),
    ("counts_visits_by", "Nobody", "no visit in data/events.csv has visitor 'Nobody'"),
])
def test_a_relation_points_at_something_that_exists(project: Path, relation: str, obj: str, why: str) -> None:
    path = project / "data" / "relations.csv"
    header, rows = read_rows(path)
    row = next(r for r in rows if r["relation"] == relation)
    row["object"] = obj
    write_rows(path, header, rows)
    with pytest.raises(DataError, match=rf"data/relations.csv, line \d+ .*field 'object': {re.escape(why)}"):
        load_ledger(project)


def test_malformed_row(project: Path) -> None:
    path = project / "data" / "claims.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "C999,oops,this row has too few fields")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"data/claims.csv, line 3 \(C999\): has 3 fields, expected"):
        load_ledger(project)


def test_wrong_header(project: Path) -> None:
    path = project / "data" / "events.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("event_type", "kind", 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"data/events.csv, line 1: header is .*missing \['event_type'\]"):
        load_ledger(project)


def test_missing_table(project: Path) -> None:
    (project / "data" / "events.csv").unlink()
    with pytest.raises(DataError, match=r"data/events.csv: file is missing"):
        load_ledger(project)


def test_exclusion_whose_mention_is_not_in_its_context(project: Path) -> None:
    path = project / "data" / "exclusions.csv"
    header, rows = read_rows(path)
    rows[0]["mention"] = "424242"
    write_rows(path, header, rows)
    with pytest.raises(DataError, match=r"data/exclusions.csv, line 2 .*field 'mention': "
                                        r"'424242' is not a numeric mention of the context"):
        load_ledger(project)


def test_all_problems_are_reported_at_once(project: Path) -> None:
    path = project / "data" / "claims.csv"
    header, rows = read_rows(path)
    rows[0]["unit"] = "parsecs"
    rows[1]["period"] = "soon"
    write_rows(path, header, rows)
    with pytest.raises(DataError, match=r"^\d+ problems in the book's data") as caught:
        load_ledger(project)
    assert "field 'unit'" in str(caught.value) and "field 'period'" in str(caught.value)


def test_validate_command_prints_the_problem_not_a_traceback(project: Path, capsys) -> None:
    from china_kazakhstan.__main__ import main

    claim = first_claim(project)
    edit(project / "data" / "claims.csv", "claim_id", claim["claim_id"], "topic", "sports")
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert f"({claim['claim_id']}), field 'topic': 'sports' is not one of" in err
    assert "Traceback" not in err
