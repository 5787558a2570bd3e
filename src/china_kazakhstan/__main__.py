"""Command line: ``python -m china_kazakhstan COMMAND``.

validate            check everything the book reads (configuration, data package and every table,
                    seeds, ledger and coverage, outside tables, notebooks); exit 1 on any problem
candidates SEED     print the numbers of one seed not yet in the ledger, with their sentences
execute [NB ...]    re-run notebooks in place, deterministically (default: every book notebook)
invalidate-cache    drop cached runs of notebooks whose data, seeds or package code changed
build [--no-pdf]    validate, then build the HTML book and the PDF (what `make book` runs)
pdf HTML PDF        print the single-page HTML book to PDF with headless Chromium
manifest            rewrite seeds/MANIFEST.sha256 (only when adding an article)
manifest --external rehash data/external/MANIFEST.sha256 (an outside file updated on purpose;
                    --add FILE lists a new one)
imf                 remake data/external/imf_dots.csv from the IMF workbooks (after changing a
                    workbook or data/external/imf_dots_partners.csv)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import DataError
from .paths import project_root


def _root() -> Path:
    """The project root, or exit with the reason it was not found (no traceback)."""
    try:
        return project_root()
    except FileNotFoundError as exc:
        raise SystemExit(str(exc)) from None


def _validate(args: argparse.Namespace) -> int:
    from .data.validate import validate

    report = validate(_root())
    print(report, file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def _imf(args: argparse.Namespace) -> int:
    from .data.imf_table import write_imf_table

    try:
        path, count = write_imf_table(project_root())
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"wrote {path}: {count} figures; their hashes recorded in data/datapackage.json")
    return 0


def _candidates(args: argparse.Namespace) -> int:
    from .data.coverage import candidates_report

    print(candidates_report(Path(args.seed)))
    return 0


def _execute(args: argparse.Namespace) -> int:
    from .build.execution import book_notebooks, execute_in_place

    root = _root()
    targets = [Path(p) for p in args.notebooks] or book_notebooks(root)
    for notebook in targets:
        print(f"executing {notebook}", flush=True)
        execute_in_place(notebook.resolve())
    return 0


def _invalidate(args: argparse.Namespace) -> int:
    from .build.execution import invalidate_stale
    from .build.pipeline import BuildError, locked

    root = _root()
    try:
        with locked(root):
            stale = invalidate_stale(root, root / args.cache)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
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
        outputs = build(_root(), pdf=not args.no_pdf)
    except BuildError as exc:  # what failed goes last: the problems, or the notebook and cell
        sys.stdout.flush()
        if exc.details:
            print(exc.details, file=sys.stderr)
        print(exc.tail, file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        print(f"BUILD INTERRUPTED ({exc or 'Ctrl-C'}): the step that was running is not recorded as "
              "done; the next build redoes it.", file=sys.stderr)
        return 130
    for kind, path in outputs.items():
        print(f"{kind.upper()} book: {path}")
    return 0


def _manifest(args: argparse.Namespace) -> int:
    if args.external or args.add:
        from .data.external_files import write_external_manifest

        manifest, changed = write_external_manifest(project_root(), tuple(args.add))
        print(f"wrote {manifest}" + (f"; new sha256 for: {', '.join(changed)}" if changed else
                                     "; nothing changed"))
        return 0
    from .data.seeds import write_manifest

    print(f"wrote {write_manifest(_root() / 'seeds')}")
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
    man = sub.add_parser("manifest")
    man.add_argument("--external", action="store_true",
                     help="data/external/MANIFEST.sha256 instead of seeds/MANIFEST.sha256")
    man.add_argument("--add", action="append", default=[], metavar="FILE",
                     help="(with --external) list a new outside file, e.g. data/external/x.csv")
    man.set_defaults(func=_manifest)
    sub.add_parser("imf").set_defaults(func=_imf)
    bld = sub.add_parser("build")
    bld.add_argument("--no-pdf", action="store_true", help="HTML only")
    bld.set_defaults(func=_build)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
