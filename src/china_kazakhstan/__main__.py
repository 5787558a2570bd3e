"""Command line: ``python -m china_kazakhstan COMMAND``.

validate            check seeds, data and coverage; print every problem, exit 1 if any
candidates SEED     print the numbers of one seed not yet in the ledger, with their sentences
execute [NB ...]    re-run notebooks in place, deterministically (default: every book notebook)
invalidate-cache    drop cached runs of notebooks whose data, seeds or package code changed
build [--no-pdf]    validate, then build the HTML book and the PDF (what `make book` runs)
pdf HTML PDF        print the single-page HTML book to PDF with headless Chromium
manifest            rewrite seeds/MANIFEST.sha256 (only when adding an article)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import DataError
from .paths import project_root


def _validate(args: argparse.Namespace) -> int:
    from .data.coverage import uncovered_mentions
    from .data.ledger import load_ledger

    try:
        ledger = load_ledger()
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    missing = uncovered_mentions(ledger)
    if missing:
        print(f"{len(missing)} number(s) in the seeds are neither a claim, an event date nor an "
              "exclusion (data/exclusions.csv):", file=sys.stderr)
        for item in missing:
            print(f"  - {item}", file=sys.stderr)
        return 1
    print(f"data OK: {len(ledger.claims)} claims, {len(ledger.events)} events, "
          f"{len(ledger.exclusions)} exclusions, {len(ledger.seed_texts)} seeds verified")
    return 0


def _candidates(args: argparse.Namespace) -> int:
    from .data.coverage import candidates_report

    print(candidates_report(Path(args.seed)))
    return 0


def _execute(args: argparse.Namespace) -> int:
    from .build.execution import book_notebooks, execute_in_place

    root = project_root()
    targets = [Path(p) for p in args.notebooks] or book_notebooks(root)
    for notebook in targets:
        print(f"executing {notebook}", flush=True)
        execute_in_place(notebook.resolve())
    return 0


def _invalidate(args: argparse.Namespace) -> int:
    from .build.execution import invalidate_stale

    root = project_root()
    stale = invalidate_stale(root, root / args.cache)
    for notebook in stale:
        print(f"inputs changed, will re-execute: {notebook.relative_to(root)}")
    return 0


def _pdf(args: argparse.Namespace) -> int:
    from .build.pdf import print_book

    out = print_book(Path(args.html), Path(args.pdf))
    print(f"PDF written: {out}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from .build.pipeline import BuildError, build

    try:
        outputs = build(project_root(), pdf=not args.no_pdf)
    except BuildError as exc:
        print(f"BUILD FAILED: {exc}", file=sys.stderr)
        return 1
    for kind, path in outputs.items():
        print(f"{kind.upper()} book: {path}")
    return 0


def _manifest(args: argparse.Namespace) -> int:
    from .data.seeds import write_manifest

    print(f"wrote {write_manifest(project_root() / 'seeds')}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m china_kazakhstan", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate").set_defaults(func=_validate)
    cand = sub.add_parser("candidates")
    cand.add_argument("seed", help="path to a seed file, e.g. seeds/001_810375dbd169a768.txt")
    cand.set_defaults(func=_candidates)
    exe = sub.add_parser("execute")
    exe.add_argument("notebooks", nargs="*")
    exe.set_defaults(func=_execute)
    inv = sub.add_parser("invalidate-cache")
    inv.add_argument("--cache", default="_build/.jupyter_cache")
    inv.set_defaults(func=_invalidate)
    pdf = sub.add_parser("pdf")
    pdf.add_argument("html")
    pdf.add_argument("pdf")
    pdf.set_defaults(func=_pdf)
    sub.add_parser("manifest").set_defaults(func=_manifest)
    bld = sub.add_parser("build")
    bld.add_argument("--no-pdf", action="store_true", help="HTML only")
    bld.set_defaults(func=_build)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
