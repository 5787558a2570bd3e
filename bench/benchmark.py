"""Benchmark the build of the current checkout, against the goals of build issue 7.

    .venv/bin/python bench/benchmark.py [--repeat N] [--with-tests] [--keep]   (or: make bench)

Everything runs in a throw-away copy under /tmp (the parts in tests/conftest.py
PROJECT_PARTS, plus a snapshot of src/ that every process imports through PYTHONPATH),
so the repository's _build is never touched and edits made to the checkout while the
benchmark runs do not leak into it. Each measurement is repeated (default 3) and the
median reported, as wall time and as CPU time (user + system, all child processes).

Measured:
  floor       every book notebook executed once, sequentially, in fresh kernels (nbclient):
              the work no build can avoid
  clean       `python -m china_kazakhstan build --no-pdf` on a fresh copy (no _build, no cache)
  noop        the same again, nothing changed
  md edit     after editing one markdown cell of one chapter
  code edit   after editing one code cell of the same chapter
  data edit   after editing data/external/trade_mirror.csv (read by some chapters; its manifest
              line updated, as after an update of the source on purpose), and
  ledger edit after editing data/metrics.csv (read by every chapter through the ledger)
  pdf         singlehtml + Chromium print, the HTML being up to date
  tests       `.venv/bin/pytest` in the repository (only with --with-tests)
For the edits, which notebooks were executed (the build's "[execute] ... executed" lines,
and myst-nb's "Executing notebook" lines) and which pages Sphinx read again; expected: the
notebooks whose kernels opened the edited file in the traced floor run.
Then the weight of every chapter page with its own images, of the whole site, and the
files that differ between two clean builds (made in two different folders).
The table is printed and the figures written to _build/bench.json of the repository.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = Path(sys.executable)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
GOAL_PAGE_BYTES = 500 * 1024


def project_parts() -> tuple[str, ...]:
    sys.path.insert(0, str(REPO / "tests"))
    try:
        from conftest import PROJECT_PARTS
    finally:
        sys.path.pop(0)
    return tuple(PROJECT_PARTS)


def copy_tree(source: Path, destination: Path, parts: tuple[str, ...]) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "_build", "*.egg-info")
    for part in parts:
        src = source / part
        if src.is_dir():
            shutil.copytree(src, destination / part, ignore=ignore)
        elif src.is_file():
            shutil.copy2(src, destination / part)
    return destination


class Bench:
    def __init__(self, work: Path, repeat: int) -> None:
        self.work = work
        self.repeat = repeat
        self.parts = project_parts()
        # One snapshot of the checkout; every copy and every process uses it.
        self.snapshot = copy_tree(REPO, work / "snapshot", (*self.parts, "src"))
        self.src = self.snapshot / "src"
        sys.path.insert(0, str(self.src))
        self.copies = 0

    def fresh_copy(self, name: str) -> Path:
        self.copies += 1
        return copy_tree(self.snapshot, self.work / f"{self.copies:02d}-{name}" / "project", self.parts)

    def env(self, root: Path) -> dict[str, str]:
        env = dict(os.environ)
        env.update(CHINA_KZ_ROOT=str(root), PYTHONPATH=str(self.src), PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD="1")
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as the Makefile does
        return env

    def run(self, command: list[str], cwd: Path, env: dict[str, str], check: bool = True) -> dict:
        """Run a command; return wall and CPU seconds (all its descendants) and its log."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        log = ANSI.sub("", result.stdout + result.stderr)
        if check and result.returncode != 0:
            sys.stderr.write(log[-6000:])
            raise SystemExit(f"benchmark: {' '.join(command)} failed (exit {result.returncode})")
        return {"wall": wall, "cpu": cpu, "log": log, "rc": result.returncode}

    def build(self, root: Path, *, pdf: bool = False) -> dict:
        command = [str(PY), "-m", "china_kazakhstan", "build"] + ([] if pdf else ["--no-pdf"])
        out = self.run(command, root, self.env(root))
        out.update(parse_build_log(out["log"], root))
        return out


def parse_build_log(log: str, root: Path) -> dict:
    executed = set(re.findall(r"^\[execute\] (\S+\.ipynb): executed in", log, re.M))
    for path in re.findall(r"^(\S+\.ipynb): Executing notebook", log, re.M):  # myst-nb's own runs
        executed.add(os.path.relpath(path, root))
    cached = {os.path.relpath(p, root)
              for p in re.findall(r"^(\S+\.ipynb): Using cached notebook", log, re.M)}
    read = set(re.findall(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)", log, re.M))
    phases = {name: float(seconds)
              for name, seconds in re.findall(r"^\[build\] (.+): ([0-9.]+) s$", log, re.M)}
    return {"executed": sorted(executed), "cached_in_sphinx": sorted(cached), "pages_read": sorted(read),
            "up_to_date": "html: up to date" in log, "phases": phases}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def summary(runs: list[dict], **extra) -> dict:
    out = {"wall": median([r["wall"] for r in runs]), "cpu": median([r["cpu"] for r in runs]),
           "walls": [round(r["wall"], 2) for r in runs], "cpus": [round(r["cpu"], 2) for r in runs]}
    for key in ("executed", "pages_read", "up_to_date"):
        if runs and key in runs[0]:
            out[key] = [r[key] for r in runs]
    if runs and runs[0].get("phases"):
        out["phases"] = {name: median([r["phases"].get(name, 0.0) for r in runs])
                         for name in runs[0]["phases"]}
    out.update(extra)
    return out


# --- scenarios ----------------------------------------------------------------------------

FLOOR_CODE = r"""
import json, sys
from pathlib import Path
from china_kazakhstan.build.execution import book_notebooks, relevant_reads, run_notebooks
root = Path(sys.argv[1])
runs = run_notebooks(book_notebooks(root), workers=1, timeout=int(sys.argv[2]), root=root, trace=True)
bad = [f"{r.path.name}: {r.error}" for r in runs if r.error]
if bad:
    sys.exit("notebooks failed: " + "; ".join(bad))
print("FLOOR " + json.dumps({str(r.path.relative_to(root)): {"seconds": r.seconds,
      "reads": [str(p.relative_to(root)) for p in relevant_reads(root, r.opened) if p.is_relative_to(root)]}
      for r in runs}))
"""


def floor(bench: Bench, root: Path, timeout: int) -> tuple[dict, dict]:
    runs, reads = [], {}
    for _ in range(bench.repeat):
        out = bench.run([str(PY), "-c", FLOOR_CODE, str(root), str(timeout)], root, bench.env(root))
        data = json.loads(out["log"].split("FLOOR ", 1)[1].splitlines()[0])
        out["per_notebook"] = {k: round(v["seconds"], 2) for k, v in data.items()}
        reads = {k: v["reads"] for k, v in data.items()}
        runs.append(out)
    per_nb = {k: median([r["per_notebook"][k] for r in runs]) for k in runs[0]["per_notebook"]}
    return summary(runs, per_notebook=per_nb), reads


def edit_markdown(notebook: Path, i: int) -> None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"][1:] if c["cell_type"] == "markdown")
    source = "".join(cell["source"]).rstrip("\n")
    cell["source"] = source + f" (Benchmark edit {i}.)"
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def edit_code(notebook: Path, i: int) -> None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cell = [c for c in nb["cells"] if c["cell_type"] == "code"][-1]
    cell["source"] = "".join(cell["source"]).rstrip("\n") + f"\n# benchmark edit {i}"
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def edit_data(path: Path, i: int) -> None:
    with path.open("a", encoding="utf-8") as handle:  # a blank line: same rows, new bytes
        handle.write("\n")
    if path.parent.name == "external":  # an outside copy: record its new sha256, as on purpose
        from china_kazakhstan.data.external_files import write_external_manifest

        write_external_manifest(path.parents[2])


def page_weights(html: Path, pages: list[str]) -> dict:
    weights = {}
    for page in pages:
        file = html / f"{page}.html"
        text = file.read_text(encoding="utf-8")
        sources = re.findall(r'<img[^>]+src="([^"]+)"', text)
        images = sorted({(file.parent / src).resolve() for src in sources
                         if not src.startswith(("data:", "http"))})
        image_bytes = sum(p.stat().st_size for p in images if p.is_file())
        weights[page] = {"html": file.stat().st_size, "images": len(images), "image_bytes": image_bytes,
                         "total": file.stat().st_size + image_bytes}
    site = sum(p.stat().st_size for p in html.rglob("*") if p.is_file())
    return {"pages": weights, "site_bytes": site,
            "site_files": sum(1 for p in html.rglob("*") if p.is_file())}


def tree_diff(a: Path, b: Path) -> list[str]:
    """Files that are missing from one tree or differ in bytes (nothing ignored)."""
    names_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()} if a.is_dir() else set()
    names_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()} if b.is_dir() else set()
    differ = sorted(names_a ^ names_b)
    differ += sorted(n for n in names_a & names_b if not filecmp.cmp(a / n, b / n, shallow=False))
    return differ


def compare_builds(a: Path, b: Path) -> dict:
    """Every file that differs between two builds: pages, executed notebooks, cache records."""
    cache_a, cache_b = cached_notebooks(a), cached_notebooks(b)
    return {
        "html": tree_diff(a / "_build" / "html", b / "_build" / "html"),
        "jupyter_execute": tree_diff(a / "_build" / "jupyter_execute", b / "_build" / "jupyter_execute"),
        "cached_notebooks": sorted(set(cache_a) ^ set(cache_b)) + sorted(
            name for name in set(cache_a) & set(cache_b)
            if not filecmp.cmp(cache_a[name], cache_b[name], shallow=False)),
        "folders": [str(a), str(b)],
    }


def cached_notebooks(root: Path) -> dict[str, Path]:
    """The cache's executed notebooks by notebook name (its folders are named by code hash)."""
    out = {}
    for folder in (root / "_build" / ".jupyter_cache" / "executed").glob("*"):
        out[folder.name] = folder / "base.ipynb"
    return out


# --- main ---------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each measurement (median)")
    parser.add_argument("--with-tests", action="store_true", help="also time .venv/bin/pytest (about 2 min)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder under /tmp")
    parser.add_argument("--output", type=Path, default=REPO / "_build" / "bench.json")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="ck-bench-"))
    started = time.time()
    print(f"benchmark: work folder {work}, {args.repeat} repetition(s), {os.cpu_count()} cores", flush=True)
    try:
        bench = Bench(work, args.repeat)
        from china_kazakhstan.build.execution import book_notebooks
        from china_kazakhstan.build.pipeline import execution_settings

        results: dict = {"repeat": args.repeat, "cores": os.cpu_count(), "commit": git("rev-parse", "HEAD"),
                         "dirty_files": len(git("status", "--porcelain").splitlines()),
                         "loadavg_start": os.getloadavg()}
        base = bench.fresh_copy("floor")
        notebooks = [str(p.relative_to(base)) for p in book_notebooks(base)]
        results["notebooks"] = notebooks
        timeout = int(execution_settings(base)["timeout"])

        print("floor: sequential nbclient runs ...", flush=True)
        results["floor"], reads = floor(bench, base, timeout)
        results["reads"] = reads

        print("clean builds ...", flush=True)
        clean_runs, clean_roots = [], []
        for i in range(max(args.repeat, 2)):
            root = bench.fresh_copy(f"clean{i}")
            clean_runs.append(bench.build(root))
            clean_roots.append(root)
        results["clean"] = summary(clean_runs[:args.repeat] if args.repeat >= 2 else clean_runs[:1])
        pages = [n[:-len(".ipynb")] for n in notebooks]
        results["weights"] = page_weights(clean_roots[0] / "_build" / "html", pages)
        results["reproducibility"] = compare_builds(clean_roots[0], clean_roots[1])
        root = clean_roots[-1]  # the edits below happen here, after the comparison

        print("rebuilds with nothing changed ...", flush=True)
        results["noop"] = summary([bench.build(root) for _ in range(args.repeat)])

        chapter = next((n for n in notebooks if "connectivity" in n), notebooks[1])
        print(f"edits: one markdown cell, one code cell of {chapter} ...", flush=True)
        runs = []
        for i in range(args.repeat):
            edit_markdown(root / chapter, i)
            runs.append(bench.build(root))
        results["md_edit"] = summary(runs, chapter=chapter, expected=[])
        runs = []
        for i in range(args.repeat):
            edit_code(root / chapter, i)
            runs.append(bench.build(root))
        results["code_edit"] = summary(runs, chapter=chapter, expected=[chapter])

        for key, data_file in (("data_edit", "data/external/trade_mirror.csv"),
                               ("ledger_edit", "data/metrics.csv")):
            expected = sorted(nb for nb, files in reads.items() if data_file in files)
            print(f"edits of {data_file} (read by {len(expected)} notebook(s)) ...", flush=True)
            runs = []
            for i in range(args.repeat):
                edit_data(root / data_file, i)
                runs.append(bench.build(root))
            results[key] = summary(runs, file=data_file, expected=expected)

        print("pdf ...", flush=True)
        runs = []
        for _ in range(args.repeat):
            for stale in ("_build/singlehtml", "_build/pdf", "_build/.stamps/singlehtml.json",
                          "_build/.stamps/pdf.json"):
                target = root / stale
                shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
            runs.append(bench.build(root, pdf=True))
        results["pdf"] = summary(runs)
        results["book_noop"] = summary([bench.build(root, pdf=True) for _ in range(args.repeat)])

        if args.with_tests:
            print("tests (.venv/bin/pytest in the repository) ...", flush=True)
            env = dict(os.environ)
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["CHINA_KZ_ROOT"] = str(REPO)
            runs = [bench.run([str(PY.with_name("pytest"))], REPO, env,
                              check=False) for _ in range(args.repeat)]
            results["tests"] = summary(runs, exit_codes=[r["rc"] for r in runs],
                                       outcome=[r["log"].strip().splitlines()[-1] for r in runs])

        results["loadavg_end"] = os.getloadavg()
        results["seconds_total"] = round(time.time() - started, 1)
        results["goals"] = goals(results)
        report(results)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(results, indent=1, sort_keys=True, default=str) + "\n")
        print(f"\nfigures written to {args.output}")
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if all(g["met"] for g in results["goals"].values()) else 1


def git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
    return result.stdout.strip()


def goals(r: dict) -> dict:
    weights = r["weights"]["pages"]
    heaviest = max(weights, key=lambda p: weights[p]["total"])
    repro = r["reproducibility"]
    differing = len(repro["html"]) + len(repro["jupyter_execute"]) + len(repro["cached_notebooks"])

    def same(key: str) -> bool:
        return all(sorted(run) == sorted(r[key]["expected"]) for run in r[key]["executed"])

    def subset(key: str, allowed: list[str]) -> bool:
        return all(set(run) <= set(allowed) for run in r[key]["executed"])

    return {
        "clean <= 1.5 x floor": {"value": r["clean"]["wall"] / r["floor"]["wall"], "limit": 1.5,
                                 "cpu_ratio": r["clean"]["cpu"] / r["floor"]["cpu"],
                                 "met": r["clean"]["wall"] <= 1.5 * r["floor"]["wall"]},
        "noop <= 10% of clean": {"value": r["noop"]["wall"] / r["clean"]["wall"], "limit": 0.10,
                                 "cpu_ratio": r["noop"]["cpu"] / r["clean"]["cpu"],
                                 "met": r["noop"]["wall"] <= 0.10 * r["clean"]["wall"]},
        "chapter edit re-executes that chapter only": {
            "value": {"markdown": r["md_edit"]["executed"], "code": r["code_edit"]["executed"]},
            "met": subset("md_edit", [r["md_edit"]["chapter"]]) and same("code_edit")},
        "data edit re-executes exactly its readers": {
            "value": {r[k]["file"]: {"executed": r[k]["executed"], "expected": r[k]["expected"]}
                      for k in ("data_edit", "ledger_edit")},
            "met": same("data_edit") and same("ledger_edit")},
        "chapter page + images <= 500 KB": {"value": {"heaviest": heaviest,
                                                      "bytes": weights[heaviest]["total"]},
                                            "limit": GOAL_PAGE_BYTES,
                                            "met": weights[heaviest]["total"] <= GOAL_PAGE_BYTES},
        "two clean builds: 0 differing files": {"value": differing, "limit": 0, "met": differing == 0},
    }


def report(r: dict) -> None:
    rows = [("floor: notebooks, sequential, nbclient", r["floor"]), ("clean build (HTML)", r["clean"]),
            ("rebuild, nothing changed", r["noop"]), ("rebuild, 1 markdown cell edited", r["md_edit"]),
            ("rebuild, 1 code cell edited", r["code_edit"]),
            (f"rebuild, {r['data_edit']['file']} edited", r["data_edit"]),
            (f"rebuild, {r['ledger_edit']['file']} edited", r["ledger_edit"]),
            ("PDF (singlehtml + print)", r["pdf"]), ("make book, nothing changed", r["book_noop"])]
    if "tests" in r:
        rows.append(("tests (.venv/bin/pytest)", r["tests"]))
    clean = r["clean"]["wall"]
    print(f"\n{'measurement (median of ' + str(r['repeat']) + ')':44} {'wall s':>7} {'cpu s':>7} "
          f"{'/clean':>7} {'/floor':>7}  executed")
    for name, row in rows:
        executed = ""
        if "executed" in row:
            counts = sorted({len(run) for run in row["executed"]})
            executed = "/".join(str(c) for c in counts) + " nb"
            if "chapter" in row or "file" in row:
                executed += ": " + (", ".join(Path(n).stem for n in row["executed"][-1]) or "none")
        print(f"{name:44} {row['wall']:7.1f} {row['cpu']:7.1f} {row['wall'] / clean:7.2f} "
              f"{row['wall'] / r['floor']['wall']:7.2f}  {executed}")
    phases = r["clean"].get("phases", {})
    if phases:
        print("clean build, by phase (median wall s): "
              + ", ".join(f"{name} {seconds:.1f}" for name, seconds in phases.items()))
    print("\npage weight (html + its images), KB:")
    for page, w in r["weights"]["pages"].items():
        print(f"  {page:34} {w['total'] / 1024:7.1f}  ({w['html'] / 1024:.1f} html + {w['images']} image(s) "
              f"{w['image_bytes'] / 1024:.1f})")
    site = r["weights"]
    print(f"  whole site: {site['site_bytes'] / 1024 / 1024:.2f} MB in {site['site_files']} files")
    repro = r["reproducibility"]
    print(f"\ntwo clean builds, differing files: html {len(repro['html'])}, jupyter_execute "
          f"{len(repro['jupyter_execute'])}, cached notebooks {len(repro['cached_notebooks'])}")
    for name in (repro["html"] + repro["jupyter_execute"] + repro["cached_notebooks"])[:20]:
        print(f"  differs: {name}")
    print("\ngoals:")
    for name, goal in r["goals"].items():
        value = goal["value"]
        shown = f"{value:.3f}" if isinstance(value, float) else json.dumps(value)
        print(f"  [{'met' if goal['met'] else 'NOT MET'}] {name}: {shown}")
    print(f"\nload average start {r['loadavg_start'][0]:.2f}, end {r['loadavg_end'][0]:.2f}; "
          f"total {r['seconds_total']} s")


if __name__ == "__main__":
    sys.exit(main())
