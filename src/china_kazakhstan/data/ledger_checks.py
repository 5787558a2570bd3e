"""Checks of the ledger's rows against their articles and against each other.

The schema (:mod:`.schema`) checks each value alone; these checks need more than one
value, one table or the article itself: a quote is in its article, a mention states the
row's value, a claim's metric exists with the same unit and topic, an event mention's
printed date is the date recorded, the mentions of one event agree, a relation points
at a metric or an event that exists. Each problem names file, line, row id and field and
says what to do.
"""

from __future__ import annotations

from collections import defaultdict

from ..errors import Problem
from .numbers import UNIT_SCALE, find_mentions
from .periods import PartialDate, PeriodError, parse_period
from .readings import claim_reading, event_reading
from .schema import Row

#: Relations whose object is another metric; the others name an event or a person/country.
METRIC_RELATIONS = ("growth_of", "part_of", "component_of", "adds_up_to")
EVENT_RELATIONS = ("years_since", "numbered_from")
VISIT_RELATIONS = {"counts_visits_by": "visitor", "counts_visits_to": "host"}


def check_tables(tables: dict[str, list[Row]], files: dict[str, str], texts: dict[str, str]) -> list[Problem]:
    """Every cross-table and against-the-article check of the ledger."""
    problems = _check_sources(files["sources"], tables["sources"], texts)
    known = {row["file"] for row in tables["sources"]}
    for name, key, field, once in (("claims", "claim_id", "quote", True),
                                   ("event_mentions", "mention_id", "quote", True),
                                   ("projects", "project_id", "quote", False),
                                   ("exclusions", None, "context", False)):
        for row in tables[name]:
            row_id = row[key] if key else f"{row['seed']}: {row['mention']!r}"
            problems += _check_quote(files[name], row, row_id, texts, known, field, once)
    problems += _check_claims(files["claims"], tables["claims"])
    problems += _check_metrics(files["claims"], tables["claims"], files["metrics"], tables["metrics"])
    problems += _check_events(files, tables["events"], tables["event_mentions"])
    problems += _check_relations(files, tables)
    problems += _check_exclusions(files["exclusions"], tables["exclusions"])
    return problems


def _check_sources(file: str, rows: list[Row], texts: dict[str, str]) -> list[Problem]:
    problems = []
    known = {row["file"] for row in rows}
    for row in rows:
        if row["file"] and row["file"] not in texts:
            problems.append(Problem(file, row.line, row["file"], "file",
                                    "names an article that is missing from seeds/ or failed its manifest check"))
        try:
            PartialDate.parse(row["published"])
        except PeriodError as exc:
            problems.append(Problem(file, row.line, row["file"], "published", str(exc)))
    for name in texts:
        if name not in known:
            problems.append(Problem(file, None, name, "file",
                                    f"seed {name} has no row describing it: add its outlet, date and kind"))
    return problems


def _check_quote(file: str, row: Row, row_id: str, texts: dict[str, str], known: set[str],
                 field: str, once: bool) -> list[Problem]:
    seed = row["seed"]
    if seed not in known:
        return [Problem(file, row.line, row_id, "seed", f"{seed!r} is not a file listed in seeds/sources.csv")]
    text = texts.get(seed)
    quote = row[field]
    if text is None or not quote:
        return []  # the seed's own problem, or the empty field, is already reported
    count = text.count(quote)
    if count == 0:
        return [Problem(file, row.line, row_id, field,
                        f"{quote!r} does not occur verbatim in seeds/{seed}{_near_miss(quote, text)}")]
    if once and count > 1:
        return [Problem(file, row.line, row_id, field,
                        f"{quote!r} occurs {count} times in seeds/{seed}: lengthen it so that it names one "
                        "passage")]
    return []


def _near_miss(quote: str, text: str) -> str:
    """A hint for the commonest copy errors: straight vs curly quotes, dashes, spacing."""
    def fold(s: str) -> str:
        for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-")):
            s = s.replace(curly, straight)
        return " ".join(s.split())
    if fold(quote) in fold(text):
        return " (it does if quotes, dashes or spaces are normalised: copy it exactly)"
    return ""


def _check_claims(file: str, rows: list[Row]) -> list[Problem]:
    problems = []
    for row in rows:
        cid = row["claim_id"]
        try:
            parse_period(row["period"])
        except PeriodError as exc:
            problems.append(Problem(file, row.line, cid, "period", str(exc)))
        try:
            value = float(row["value"])
        except ValueError:
            continue  # reported by the schema check
        if row["unit"] not in UNIT_SCALE or not row["quote"] or not row["mention"]:
            continue  # reported by the schema check
        reading = claim_reading(row["quote"], row["mention"], value, row["unit"], row["qualifier"])
        if reading.problem:
            field = "value" if reading.number is not None and "states" in reading.problem else "mention"
            if "qualifier" in reading.problem and "hedge" in reading.problem:
                field = "qualifier"
            problems.append(Problem(file, row.line, cid, field, reading.problem))
    return problems


def _check_metrics(claims_file: str, claims: list[Row], metrics_file: str, metrics: list[Row]) -> list[Problem]:
    """Claims and metrics match one to one, and agree on topic and unit."""
    problems = []
    by_metric = {row["metric"]: row for row in metrics}
    for row in claims:
        metric = by_metric.get(row["metric"])
        if metric is None:
            if row["metric"]:
                problems.append(Problem(
                    claims_file, row.line, row["claim_id"], "metric",
                    f"metric {row['metric']!r} has no row in {metrics_file}: add one "
                    "(label, topic, unit, description) or fix the spelling"))
            continue
        for field in ("unit", "topic"):
            if row[field] and metric[field] and row[field] != metric[field]:
                problems.append(Problem(
                    claims_file, row.line, row["claim_id"], field,
                    f"{field} {row[field]!r} differs from the {field} {metric[field]!r} of metric "
                    f"{row['metric']!r} in {metrics_file} (line {metric.line})"))
    used = {row["metric"] for row in claims}
    for row in metrics:
        if row["metric"] and row["metric"] not in used:
            problems.append(Problem(
                metrics_file, row.line, row["metric"], "metric",
                f"metric {row['metric']!r} is used by no claim in {claims_file}: "
                "remove the row or fix the claims' spelling"))
    return problems


def _check_events(files: dict[str, str], events: list[Row], mentions: list[Row]) -> list[Problem]:
    problems = []
    events_file, mentions_file = files["events"], files["event_mentions"]
    by_event: dict[str, list[tuple[Row, object]]] = defaultdict(list)
    known = {row["event"] for row in events}
    for row in mentions:
        mid = row["mention_id"]
        if row["event"] and row["event"] not in known:
            problems.append(Problem(mentions_file, row.line, mid, "event",
                                    f"{row['event']!r} is not an event of {events_file}: add it there or "
                                    "fix the spelling"))
        try:
            period = parse_period(row["date"])
            if period.kind == "as_of":
                raise PeriodError(f"{row['date']!r}: an event's date is a day, month, year or a range, "
                                  "not '@DATE'")
        except PeriodError as exc:
            problems.append(Problem(mentions_file, row.line, mid, "date", str(exc)))
            continue
        by_event[row["event"]].append((row, period))
        if row["quote"]:
            _, _, problem = event_reading(row["quote"], row["mention"], row["date"])
            if problem:
                problems.append(Problem(mentions_file, row.line, mid, "mention", problem))
        if row["date_basis"] == "stated" and not row["mention"] and not row["note"]:
            problems.append(Problem(mentions_file, row.line, mid, "date_basis",
                                    "a stated date must be printed in `mention`, or the note must say "
                                    "which row reads the printed date"))
    for row in events:
        key = row["event"]
        if key and key not in by_event:
            problems.append(Problem(events_file, row.line, key, "event",
                                    f"event {key!r} is mentioned by no row of {mentions_file}: add its "
                                    "mention or delete the event"))
        is_visit = row["event_type"] == "visit"
        for field in ("visitor", "host"):
            if is_visit and not row[field]:
                problems.append(Problem(events_file, row.line, key, field,
                                        f"a visit needs its {field}: counts of visits are matched on it"))
            if not is_visit and row[field]:
                problems.append(Problem(events_file, row.line, key, field,
                                        f"only a visit has a {field}; this event is a {row['event_type']!r}"))
        spans = by_event.get(key, [])
        for (a, pa), (b, pb) in ((x, y) for i, x in enumerate(spans) for y in spans[i + 1:]):
            if pa.end_date < pb.start_date or pb.end_date < pa.start_date:
                problems.append(Problem(mentions_file, b.line, b["mention_id"], "date",
                                        f"{b['date']!r} does not fit {a['date']!r} of {a['mention_id']}, "
                                        f"another mention of {key!r}: one event has one date"))
    return problems


def _check_relations(files: dict[str, str], tables: dict[str, list[Row]]) -> list[Problem]:
    file = files["relations"]
    metrics = {row["metric"]: row for row in tables["metrics"]}
    events = {row["event"] for row in tables["events"]}
    people = {field: {row[field] for row in tables["events"] if row[field]} for field in ("visitor", "host")}
    problems = []
    growth_targets: dict[str, int] = {}
    for row in tables["relations"]:
        rid = f"{row['metric']} {row['relation']} {row['object']}"
        relation, obj = row["relation"], row["object"]
        if row["metric"] and row["metric"] not in metrics:
            problems.append(Problem(file, row.line, rid, "metric",
                                    f"{row['metric']!r} is not a metric of {files['metrics']}"))
            continue
        if relation in METRIC_RELATIONS:
            if obj not in metrics:
                problems.append(Problem(file, row.line, rid, "object",
                                        f"{relation} needs a metric of {files['metrics']}; {obj!r} is none"))
                continue
            unit, other = metrics[row["metric"]]["unit"], metrics[obj]["unit"]
            if relation == "growth_of":
                if unit != "percent":
                    problems.append(Problem(file, row.line, rid, "metric",
                                            f"a growth rate is in percent; {row['metric']!r} is in {unit!r}"))
                if obj in growth_targets:
                    problems.append(Problem(file, row.line, rid, "object",
                                            f"{obj!r} already has a growth rate (line {growth_targets[obj]})"))
                growth_targets[obj] = row.line
            elif relation == "component_of" and not unit == other == "rank":
                problems.append(Problem(file, row.line, rid, "relation",
                                        f"component_of relates two ranks; the units are {unit!r} and {other!r}"))
            elif relation in ("part_of", "adds_up_to") and unit != other and \
                    not _convertible(unit, other):
                problems.append(Problem(file, row.line, rid, "object",
                                        f"a part in {unit!r} cannot be set against a whole in {other!r}"))
        elif relation in EVENT_RELATIONS and obj not in events:
            problems.append(Problem(file, row.line, rid, "object",
                                    f"{relation} needs an event of {files['events']}; {obj!r} is none"))
        elif relation in VISIT_RELATIONS and obj not in people[VISIT_RELATIONS[relation]]:
            field = VISIT_RELATIONS[relation]
            problems.append(Problem(file, row.line, rid, "object",
                                    f"no visit in {files['events']} has {field} {obj!r}; spell it as "
                                    f"there ({', '.join(sorted(people[field])) or 'none'})"))
    return problems


def _convertible(unit: str, other: str) -> bool:
    """Money in millions and in billions compare after scaling; other units do not mix."""
    return {unit, other} <= {"USD_billion", "USD_million"}


def _check_exclusions(file: str, rows: list[Row]) -> list[Problem]:
    problems = []
    for row in rows:
        found = [m.text for m in find_mentions(row["context"])]
        if row["mention"] and row["mention"] not in found:
            problems.append(Problem(
                file, row.line, f"{row['seed']}: {row['mention']!r}", "mention",
                f"{row['mention']!r} is not a numeric mention of the context "
                f"(the scanner finds {found or 'none'})"))
    return problems
