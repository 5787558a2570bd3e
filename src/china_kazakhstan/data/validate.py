"""One ``validate`` for everything the book reads, run before every build and every test.

A careless edit must stop the book with one message that names the file and the row,
field or position and says what to do, never with a traceback and never with a wrong
figure on a page. So the checks below run in order, each on what the one before vouched
for, and a check whose input failed is not run (it is listed as not checked): one root
cause gives one message, not one per row that it spoils.

1. the book's configuration (``_config.yml``, ``_toc.yml``: YAML with line and column);
2. the data package (``data/datapackage.json``: UTF-8, JSON, a schema with every resource
   and field the loaders read, valid types and patterns);
3. every table of the package, including any added later (UTF-8, no byte-order mark, the
   schema's header, then the schema's checks of every value);
4. the seeds against their manifest;
5. the ledger (``load_ledger``: quotes, values, metrics, periods) and the coverage guard;
6. the outside tables (``load_trade_mirror``) and which ranks the IMF's figures check
   (``data/rank_measures.csv``);
7. every notebook of the book, in ``_toc.yml`` order (JSON and nbformat).

Bad input is caught as the exceptions bad input raises (``DataError`` from the loaders,
which turn ``UnicodeDecodeError``, ``JSONDecodeError``, ``re.error`` and ``KeyError`` into
problems at their source); anything else is a programming error and surfaces as one.

Adding a check (an outside file's manifest, a new loader) is one line of :data:`CHECKS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, Problem
from .notebooks import check_notebook, check_toc, toc_notebooks
from .schema import DataPackage, read_table
from .textfile import read_text


def loader_needs() -> list[tuple[str, Mapping[str, tuple[str, ...]]]]:
    """Each loader (as messages name it) with the resources and fields it reads."""
    from . import ledger, mirror, rank_measures

    return [(ledger.READER, ledger.RESOURCES), (mirror.READER, mirror.RESOURCES),
            (rank_measures.READER, rank_measures.RESOURCES)]


class NotChecked(Exception):
    """A check could not run because a problem it depends on is already reported."""


@dataclass
class Report:
    """The problems found (in the order of the checks), what was checked, what could not be."""

    problems: list[Problem] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No problem, and every check ran (a check that could not run proves nothing)."""
        return not self.problems and not self.not_checked

    def add(self, problems: list[Problem]) -> None:
        """Add problems, dropping any already reported (two checks reading one bad file)."""
        seen = set(self.problems)
        for problem in problems:
            if problem not in seen:
                seen.add(problem)
                self.problems.append(problem)

    @property
    def files(self) -> list[str]:
        return list(dict.fromkeys(p.file for p in self.problems))

    def summary(self) -> str:
        if self.ok:
            return "validate: OK: " + ", ".join(self.checked)
        if not self.problems:
            return ("validate: could not run " + "; ".join(self.not_checked)
                    + "; nothing is built until every check runs.")
        count, files = len(self.problems), self.files
        shown = ", ".join(files[:3]) + (", …" if len(files) > 3 else "")
        waiting = ""
        if self.not_checked:
            names = [item.split(" (", 1)[0] for item in self.not_checked]
            waiting = f"; not checked until then: {', '.join(names)}"
        return (f"validate: {count} problem{'s' if count != 1 else ''} in {len(files)} "
                f"file{'s' if len(files) != 1 else ''} ({shown}){waiting}; fix "
                f"{'them' if count != 1 else 'it'} and validate again "
                "(`python -m china_kazakhstan validate`); nothing is built from bad input.")

    def lines(self) -> list[str]:
        """Problems grouped by file (files in the order the checks met them), then the summary."""
        out = []
        for file in self.files:
            out += [f"  - {p}" for p in self.problems if p.file == file]
        return [*out, self.summary()]

    def __str__(self) -> str:
        return "\n".join(self.lines())


@dataclass
class Context:
    """What the checks share: the root, the data package once read, the report so far."""

    root: Path
    report: Report
    package: DataPackage | None = None
    seeds_ok: bool = False
    ledger_ok: bool = False

    def require_package(self, *, whole: bool = True) -> DataPackage:
        """The data package, or :class:`NotChecked` when it cannot be used.

        ``whole``: the loaders read the descriptor whole (a problem anywhere in it stops
        them with that problem), so a check through a loader needs all of it fixed first.
        """
        package = self.package
        if package is None or package.unusable or (whole and package.problems):
            raise NotChecked("data/datapackage.json must be fixed first")
        return package


@dataclass(frozen=True)
class Check:
    """One step of :func:`validate`: ``run`` returns the problems it found."""

    name: str
    run: Callable[[Context], list[Problem]]


def call(module: str, function: str) -> Callable[[Context], list[Problem]]:
    """A check that is ``data/<module>.py``'s ``function(root) -> list[Problem]``, imported when run."""
    def run(ctx: Context) -> list[Problem]:
        import importlib

        return getattr(importlib.import_module(f"{__package__}.{module}"), function)(ctx.root)

    return run


# --- the checks ---------------------------------------------------------------------------

def check_config(ctx: Context) -> list[Problem]:
    """``_config.yml`` and ``_toc.yml`` are YAML (a syntax error with its line and column)."""
    import yaml

    problems = []
    for name in ("_config.yml", "_toc.yml"):
        try:
            yaml.safe_load(read_text(ctx.root / name, name))
        except DataError as exc:
            problems += exc.problems
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            problems.append(Problem(name, mark.line + 1 if mark else None, None, None,
                                    f"is not valid YAML: {what}; fix the indentation or quoting "
                                    f"(or `git checkout -- {name}`)",
                                    mark.column + 1 if mark else None))
    return problems


def check_package(ctx: Context) -> list[Problem]:
    """The descriptor, and every resource and field a loader reads is declared in it."""
    ctx.package = DataPackage(ctx.root / "data" / "datapackage.json", ctx.root, strict=False)
    if not ctx.package.unusable:
        for reader, needs in loader_needs():
            ctx.package.missing_needs(needs, reader)
        ctx.report.checked.append(f"data package ({len(ctx.package.resources)} tables)")
    return ctx.package.problems


def check_tables(ctx: Context) -> list[Problem]:
    """Every table of the package, including those no loader reads yet: the schema's checks."""
    package = ctx.require_package(whole=False)
    problems, rows = [], 0
    for name, resource in package.resources.items():
        if name not in package.broken:
            found = read_table(resource)
            problems += found[1]
            rows += len(found[0])
    if not problems:
        ctx.report.checked.append(f"{rows} rows against their schema")
    return problems


def check_seeds(ctx: Context) -> list[Problem]:
    from .seeds import verify_seeds

    texts, problems = verify_seeds(ctx.root / "seeds")
    ctx.seeds_ok = not problems
    if ctx.seeds_ok:
        ctx.report.checked.append(f"{len(texts)} seeds verified")
    return problems


def check_ledger(ctx: Context) -> list[Problem]:
    """``load_ledger`` (its own checks of every row) and the coverage guard, with the share of
    every article's printed numbers that the ledger reads."""
    from .coverage import coverage_problems, coverage_report
    from .ledger import load_ledger

    ctx.require_package()
    if not ctx.seeds_ok:
        raise NotChecked("the seeds must match their manifest first")
    try:
        ledger = load_ledger(ctx.root)
    except DataError as exc:
        return exc.problems
    ctx.ledger_ok = True
    ctx.report.checked.append(f"{len(ledger.claims)} claims, {len(ledger.events)} events "
                              f"({len(ledger.mentions)} mentions), {len(ledger.exclusions)} exclusions")
    problems = coverage_problems(ledger)
    for seed in coverage_report(ledger):
        ctx.report.checked.append(f"seeds/{seed.seed}: {seed.read} of {seed.mentions} printed numbers "
                                  f"read ({seed.share:.0%})")
    return problems


def check_external(ctx: Context) -> list[Problem]:
    """The outside files against their own manifest, and the tidy IMF table against its workbooks."""
    from .external_files import verify_external
    from .imf_table import check_imf

    ctx.require_package()
    problems = verify_external(ctx.root)
    problems += check_imf(ctx.root)
    if not problems:
        ctx.report.checked.append("the outside files match their manifest")
    return problems


def check_outside_tables(ctx: Context) -> list[Problem]:
    """The outside figures, through their own loader's checks."""
    from .mirror import load_trade_mirror

    ctx.require_package()
    try:
        mirror = load_trade_mirror(ctx.root)
    except DataError as exc:
        return exc.problems
    ctx.report.checked.append(f"{len(mirror)} outside figures")
    return []


def check_rank_table(ctx: Context) -> list[Problem]:
    """Which ranks the IMF's figures check: each row names a rank metric and two economies."""
    from .rank_measures import check_rank_measures

    ctx.require_package()
    if not ctx.ledger_ok:
        raise NotChecked("the ledger (data/metrics.csv among its tables) must load first")
    try:
        problems = check_rank_measures(ctx.root)
    except DataError as exc:  # a table it reads that no earlier check vouched for
        problems = exc.problems
    if not problems:
        ctx.report.checked.append("the ranks the IMF's figures check")
    return problems


def check_book_notebooks(ctx: Context) -> list[Problem]:
    """``_toc.yml`` names existing pages; every notebook is valid JSON and nbformat."""
    problems = check_toc(ctx.root)
    if any(p.file == "_toc.yml" and p.line is None for p in problems):
        return problems  # _toc.yml itself is unreadable
    notebooks = toc_notebooks(ctx.root)
    for notebook in notebooks:
        problems += check_notebook(notebook, ctx.root)
    ctx.report.checked.append(f"{len(notebooks)} notebooks")
    return problems


#: The checks, in order: the most basic first, so that a root cause is reported before
#: (and instead of) what it spoils. Add a check with one line here.
CHECKS: list[Check] = [
    Check("the book's configuration (_config.yml, _toc.yml)", check_config),
    Check("the data package", check_package),
    Check("the tables", check_tables),
    Check("the seeds", check_seeds),
    Check("the ledger and its coverage", check_ledger),
    Check("the outside files", check_external),
    Check("the outside tables", check_outside_tables),
    Check("which ranks the IMF's figures check", check_rank_table),
    Check("the notebooks", check_book_notebooks),
]


def validate(root: Path, checks: list[Check] | None = None) -> Report:
    """Run every check on the project at ``root``; never raises for bad input."""
    report = Report()
    ctx = Context(root=Path(root).resolve(), report=report)
    for check in CHECKS if checks is None else checks:
        noted = len(report.checked)
        try:
            problems = check.run(ctx)
        except NotChecked as why:
            report.not_checked.append(f"{check.name} ({why})")
            continue
        report.add(problems)
        if not problems and len(report.checked) == noted:  # a check that notes nothing itself
            report.checked.append(check.name)
    return report
