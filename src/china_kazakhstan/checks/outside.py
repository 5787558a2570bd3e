"""The articles' rank statements against the IMF's yearly ranks (kind ``outside_rank``, ids ``OR-``).

An article that calls China Kazakhstan's "second largest trading partner" makes a statement
the IMF's Direction of Trade Statistics can test: rank every partner in Kazakhstan's own
records, year by year, and see where China stands. Which metrics are such statements, what
they rank by (total trade, exports, imports), in whose records and whose rank they state, is
data (data/rank_measures.csv, :mod:`..data.rank_measures`): this module names no metric and
no country. The yearly ranks are those of :func:`..analysis.imf_stats.partner_ranks`
(aggregates never ranked, ties sharing the better rank, a partner with one flow recorded
ranked on that flow).

**The years a statement covers**, read two ways as the register reads every hedge:

* a statement for a year (``2023``) covers that year, under both readings;
* a statement at a date ("now", ``@2024-06``) covers the last full year before the date,
  the year of data it can rest on, under both readings (as the other rank checks read it);
* a statement at a date that says it has held "for years" (:data:`SPAN_PHRASES`, found in
  its quote) covers, **as the book reads it**, the :data:`BOOK_SPAN_YEARS` full years before
  the date (what a reader takes "for years" to mean: the last several years), and, **read
  literally**, every year before the date back to the first year of the reporter's records:
  the words set no start, as "more than X" sets no upper bound.

**Verdicts**, for each reading, over the years the IMF's files reach:

* the stated rank holds in every year reached: *consistent*;
* it holds in some years and not in others: *in tension* (the statement is true of part of
  the years it covers; the explanation names the years it fails and who ranked ahead);
* it holds in none: *in conflict*;
* no year is reached (the statement is about years after the files end): **no verdict**
  (an empty ``verdict``). The check is still in the register, says what the files cannot
  reach, and never counts as consistent.

"Changed between articles" is never a verdict here: the IMF's ranks and a statement speak of
the same years, so a difference between them is not a change over time. The book's reading
gives ``verdict``, the literal one ``literal_verdict`` where it differs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .. import fmt
from ..analysis.imf_stats import (
    RankCheck,
    RankStatement,
    check_rank_statement,
    estimate_share,
    partner_ranks,
)
from ..data.imf_table import RESOURCE as IMF_RESOURCE
from ..data.imf_table import content_key, load_imf
from ..data.ledger import Ledger
from ..data.rank_measures import has_rank_measures, load_rank_measures
from ..data.schema import DataPackage
from .model import Check

#: Words in a statement's quote that make a statement at a date one about the years before it.
SPAN_PHRASES = ("for years",)
#: How many full years before the article "for years" covers, as the book reads it.
BOOK_SPAN_YEARS = 5
#: A year whose figures are mostly IMF estimates is named as such in the explanation.
ESTIMATE_MAJORITY = 0.5
#: The verdict of :func:`..analysis.imf_stats.check_rank_statement` -> the register's verdict.
VERDICT_OF = {"holds": "consistent", "holds_in_some_years": "tension", "fails": "conflict",
              "beyond_the_data": ""}
#: What each measure ranks by, in a sentence.
MEASURE_WORDS = {"total": "total trade", "exports": "exports", "imports": "imports"}


@dataclass(frozen=True)
class YearsRead:
    """One reading of the years a statement covers, and what the IMF's ranks say of them."""

    reading: str  # "book" or "literal"
    how: str  # the reading in words, e.g. "the five full years before the article"
    years: tuple[int, ...]
    result: RankCheck

    @property
    def verdict(self) -> str:
        return VERDICT_OF[self.result.verdict]

    @property
    def span(self) -> str:
        return _span(self.years)


def _span(years: tuple[int, ...]) -> str:
    if not years:
        return ""
    return fmt.year(years[0]) if len(years) == 1 else f"{fmt.year(years[0])}{fmt.DASH}{fmt.year(years[-1])}"


def _name(economy: str) -> str:
    """The book's id of an economy as a reader writes it: 'kazakhstan' -> 'Kazakhstan'."""
    return economy.capitalize()


#: The yearly ranks and estimate shares of the last table read, by its content and reporter.
_RANKS: dict[tuple, tuple[pd.DataFrame, pd.Series]] = {}


def checks(ledger: Ledger) -> list[Check]:
    """One check per claim of every rank metric of data/rank_measures.csv, when the IMF table is there."""
    root = ledger.root
    if not has_rank_measures(root) or IMF_RESOURCE not in DataPackage(root / "data" / "datapackage.json",
                                                                       root).resources:
        return []
    measures = load_rank_measures(root, ledger.metrics)
    # The table's derivation from the workbooks (their manifest lines) is checked by
    # ``validate`` before every build and test, and by the appendix that shows the table;
    # reading the manifest here would make every chapter re-run whenever any outside file
    # (the news-page table) is updated.
    imf = load_imf(root, check_hashes=False)
    key = content_key(root)
    found = []
    for reporter, rows in measures.groupby("reporter", sort=True):
        if (key, reporter) not in _RANKS:  # the same table gives the same ranks: every chapter asks
            if any(known != key for known, _ in _RANKS):
                _RANKS.clear()
            _RANKS[key, reporter] = partner_ranks(imf, str(reporter)), estimate_share(imf, str(reporter))
        ranks, estimated = _RANKS[key, reporter]
        for row in rows.itertuples():
            for _, claim in ledger.metric(row.metric).iterrows():
                found.append(rank_check(ledger, claim, row, ranks, estimated))
    return found


def statement_years(claim: pd.Series, first_year: int) -> dict[str, tuple[str, tuple[int, ...]]]:
    """The years a rank statement covers under each reading: {"book": (how, years), "literal": ...}."""
    if claim["period_kind"] != "as_of":
        years = tuple(range(int(claim["period_start"].year), int(claim["period_end"].year) + 1))
        return {"book": ("the year it names", years), "literal": ("the year it names", years)}
    last = int(claim["period_end"].year) - 1
    if not _phrase(claim):
        only = ("the last full year before the article", (last,))
        return {"book": only, "literal": only}
    book = tuple(range(last - BOOK_SPAN_YEARS + 1, last + 1))
    literal = tuple(range(min(first_year, last), last + 1))
    return {"book": (f"the {fmt.spelled(BOOK_SPAN_YEARS)} full years before the article", book),
            "literal": ("every year before the article, from the start of the records", literal)}


def _year_detail(row: pd.Series, stated: int) -> str:
    """'2018: 3rd (Russian Federation 1st, Italy 2nd)', or '2019: 2nd'."""
    if pd.isna(row["actual"]):
        return f"{fmt.year(row['year'])}: no figure"
    text = f"{fmt.year(row['year'])}: {fmt.ordinal(row['actual'])}"
    if row["matches"]:
        return text
    ahead = [f"{row['first']} 1st"]
    if stated > 1 and row["at_stated_rank"] and row["at_stated_rank"] != row["first"]:
        ahead.append(f"{row['at_stated_rank']} {fmt.ordinal(stated)}")
    return f"{text} ({', '.join(ahead)})"


def _failures(read: YearsRead, stated: int, partner: str) -> str:
    """Who ranked where in the years the statement fails: 'in 2018, when China was 3rd and …'."""
    parts = []
    for _, row in read.result.years[~read.result.years["matches"]].iterrows():
        if pd.isna(row["actual"]):
            parts.append(f"in {fmt.year(row['year'])} the records have no figure for {partner}")
            continue
        who = f"{row['first']} first" if stated == 1 or row["at_stated_rank"] == row["first"] else \
            f"{row['at_stated_rank']} {fmt.ordinal_word(stated)} and {row['first']} first"
        parts.append(f"in {fmt.year(row['year'])} {partner} was {fmt.ordinal_word(row['actual'])}, "
                     f"with {who}")
    return fmt.join(parts, sep="; ")


def _reading_sentence(read: YearsRead, stated: int, partner: str, last_data: int) -> str:
    """What one reading finds, in a sentence."""
    result = read.result
    if read.verdict == "":
        return (f"it is about {read.span}, and the IMF's files end in {fmt.year(last_data)}: they cannot "
                "reach it")
    reached = result.years
    if read.verdict == "consistent":
        found = f"the rank holds in every year the files reach ({fmt.years(reached['year'])})"
    elif read.verdict == "conflict":
        found = f"the rank holds in none of the years the files reach: {_failures(read, stated, partner)}"
    else:
        found = (f"the rank holds in {fmt.years(result.matching_years)} "
                 f"({fmt.spelled(len(result.matching_years))} of the {fmt.count(len(reached), 'year')} the "
                 f"files reach) but not in {fmt.years(result.failing_years)}")
        if len(result.failing_years) <= 3:
            found += f": {_failures(read, stated, partner)}"
    return f"it covers {read.span}, and {found}"


def rank_check(ledger: Ledger, claim: pd.Series, measure, ranks: pd.DataFrame,
               estimated: pd.Series) -> Check:
    """One rank statement against the reporter's yearly ranks, under both readings of its years."""
    stated = int(claim["value"])
    covered = ranks[ranks["measure"] == measure.measure]
    first_year, last_data = int(covered["year"].min()), int(covered["year"].max())
    partner, reporter = _name(str(measure.partner)), _name(str(measure.reporter))
    reads = {}
    for reading, (how, years) in statement_years(claim, first_year).items():
        statement = RankStatement(str(measure.measure), stated, years, partner=str(measure.partner),
                                  reporter=str(measure.reporter), label=str(claim["claim_id"]))
        reads[reading] = YearsRead(reading, how, years, check_rank_statement(ranks, statement))
    book, literal = reads["book"], reads["literal"]
    phrase = _phrase(claim) if claim["period_kind"] == "as_of" else ""
    two_readings = bool(phrase)
    details = "; ".join(_year_detail(r, stated) for _, r in book.result.years.iterrows())
    arithmetic = (f"{partner}'s rank by {MEASURE_WORDS[str(measure.measure)]} in {reporter}'s records, "
                  f"stated {fmt.ordinal(stated)} for {book.span}"
                  + (f" as the book reads it ({book.how})" if two_readings else "")
                  + f": {details or f'the IMF files end in {fmt.year(last_data)}'}")
    if details and book.result.unreachable:
        arithmetic += f"; {fmt.years(book.result.unreachable)}: beyond the files"
    if two_readings:
        arithmetic += (f". Read literally ({literal.how}, {literal.span}): {fmt.ordinal(stated)} in "
                       f"{fmt.years(literal.result.matching_years)}, "
                       f"{fmt.spelled(len(literal.result.matching_years))} of the "
                       f"{fmt.count(len(literal.result.years), 'year')} the files reach")
    explanation = _explain(book, literal, stated, partner, reporter, last_data,
                           phrase, estimated)
    hypothesis = (f"the rank follows {reporter}'s own records as the IMF publishes them, by "
                  f"{MEASURE_WORDS[str(measure.measure)]}")
    if two_readings:
        hypothesis += (f"; “{phrase}” means the {fmt.spelled(BOOK_SPAN_YEARS)} full years before "
                       "the article")
    elif claim["period_kind"] == "as_of":
        hypothesis += "; a rank stated at a date rests on the last full year of data before it"
    literal_verdict = literal.verdict if literal.verdict != book.verdict else ""
    return Check(
        kind="outside_rank",
        key=(str(claim["claim_id"]), str(measure.measure), str(measure.reporter), str(measure.partner)),
        title=(f"{ledger.label(measure.metric)}, {fmt.ordinal(stated)} {_said_of(claim, phrase)} "
               f"({claim['short_name']}), against the IMF's yearly ranks in {reporter}'s records"),
        metrics=(str(measure.metric),), claim_ids=(str(claim["claim_id"]),), arithmetic=arithmetic,
        verdict=book.verdict, literal_verdict=literal_verdict, explanation=explanation,
        hypothesis=hypothesis,
        values={"stated": stated, "measure": str(measure.measure), "reporter": str(measure.reporter),
                "partner": str(measure.partner), "book": book, "literal": literal,
                "last_year": last_data, "first_year": first_year})


def _said_of(claim: pd.Series, phrase: str) -> str:
    """'in 2023', 'as of Jun 2024', '“for years” as of 19 May 2023': when the statement is made of."""
    if claim["period_kind"] != "as_of":
        return f"in {claim['period_label']}"
    return f"“{phrase}” {claim['period_label']}" if phrase else str(claim["period_label"])


def _phrase(claim: pd.Series) -> str:
    """The words of :data:`SPAN_PHRASES` the statement's quote uses, or '' if none."""
    quote = str(claim["quote"]).lower()
    return next((p for p in SPAN_PHRASES if re.search(rf"\b{re.escape(p)}\b", quote)), "")


def _explain(book: YearsRead, literal: YearsRead, stated: int, partner: str, reporter: str, last_data: int,
             phrase: str, estimated: pd.Series) -> str:
    """The verdict in sentences: what each reading covers, what the files reach and what they cannot."""
    if phrase:
        text = (f"As the book reads “{phrase}”, the statement "
                f"{_reading_sentence(book, stated, partner, last_data).removeprefix('it ')}.")
        text += f" Read literally, {_reading_sentence(literal, stated, partner, last_data)}."
        guessed = [int(y) for y in literal.result.years["year"]
                   if estimated.get(int(y), 0.0) > ESTIMATE_MAJORITY]
        if guessed:
            share = "all" if all(estimated[y] == 1 for y in guessed) else "most"
            text += f" In {fmt.years(guessed)} {share} of {reporter}'s figures are IMF estimates."
    else:
        text = f"{fmt.capital(_reading_sentence(book, stated, partner, last_data))}."
    beyond = book.result.unreachable
    if book.verdict == "":
        text += " No verdict, and the check is not counted as consistent."
    elif beyond:
        text += (f" The files cannot reach {fmt.years(beyond)}: the verdict speaks only for the years up to "
                 f"{fmt.year(last_data)}.")
    return text
