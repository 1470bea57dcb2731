"""Reviewer mode at scale: ``drafting review`` over a generated folder of reports in mixed formats.

    python bench/bench_review.py                          # 1,000 reports; scale steps 5,000 and 10,000
    python bench/bench_review.py --quick                  # 24 reports, no scale steps (smoke, ~30 s)
    python bench/bench_review.py --reports 1000 --scale 5000,10000 --jobs 2 --keep /tmp/bench-review

The folder (``drafting.evaluation.folders.build_bench_folder``): distinct agencies of every level,
one in twenty reports of each kind — page layouts 8 (txt, md, pipe, lines, paragraphs, concat), HTML
4, Word from a page 2, our Word writer's documents 3, PDF 3 — one in five with a seeded error, one
agency in ten with last year's report beside this year's (a fifth of those copying its narrative).
PDFs are LibreOffice's of our Word documents (made in one LibreOffice run before timing starts);
without LibreOffice the PDF share is our Word documents instead, and the bench says so.

Printed, for the real command in a process of its own (``drafting review FOLDER -o OUT -j N``):
(1) the first run: wall time, time per report by format (the worker's own read-and-check time);
(2) the re-run with nothing changed: wall time and its share of the first (target ≤ 5 %);
(3) memory: the peak RSS of the main process and of the largest worker, at the base size and at
each scale step, where the folder is the base folder copied (each copy's bytes made distinct without
changing what is read, so every file is read and checked again: ``folders.replicate``).
Target: 1,000 mixed reports in ≤ 5 minutes; the figure for a province (≈ 10,000) follows.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drafting.evaluation.folders import build_bench_folder, libreoffice, replicate  # noqa: E402

_CHILD = """
import atexit, json, resource, sys
def report():
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print("BENCH " + json.dumps({"self_kb": me, "workers_kb": workers}), file=sys.stderr)
atexit.register(report)
from drafting.cli import main
sys.argv = ["drafting", *sys.argv[1:]]
main()
"""


def run(folder: Path, out: Path, jobs: int) -> dict[str, float]:
    """One ``drafting review`` in its own process: wall time, exit code, peak memory."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, "review", str(folder), "-o", str(out), "-j", str(jobs)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"drafting review failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    line = next(x for x in done.stderr.splitlines() if x.startswith("BENCH "))
    memory = json.loads(line[6:])
    checked = cached = 0
    for text in done.stdout.splitlines():
        if text.startswith("本次检查"):
            parts = text.replace("，", " ").split()
            checked = int(parts[1])
            cached = int(parts[4])
    return {
        "wall": wall,
        "self_mb": memory["self_kb"] / 1024,
        "workers_mb": memory["workers_kb"] / 1024,
        "checked": checked,
        "cached": cached,
    }


def per_format(folder: Path, out: Path) -> dict[str, list[float]]:
    """Each file's read-and-check time, as its worker measured it, by format."""
    from drafting.review.cache import ResultCache
    from drafting.review.sources import content_hash, find_reports
    from drafting.review.version import check_version

    cache = ResultCache(out / ".cache" / "review.sqlite", check_version())
    times: dict[str, list[float]] = defaultdict(list)
    for path in find_reports(folder, (out,)):
        summary = cache.summary(content_hash(path))
        if summary and summary.get("seconds") is not None:
            kind = path.suffix.lower().lstrip(".")
            times[kind].append(float(summary["seconds"]))
    cache.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument(
        "--scale", default="5000,10000", help="folder sizes for the memory steps ('' for none)"
    )
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="24 reports, no scale steps")
    parser.add_argument("--keep", type=Path, help="build the folders here and keep them")
    args = parser.parse_args()
    count = 24 if args.quick else args.reports
    steps = [] if args.quick else [int(s) for s in args.scale.split(",") if s.strip()]
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-review-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        base = work / "reports"
        if not base.exists():
            started = time.perf_counter()
            built = build_bench_folder(base, count)
            print(
                f"built {len(built.reports)} files ({count} agencies' reports and last years') "
                f"in {time.perf_counter() - started:.0f} s"
                + ("" if libreoffice() else "; no LibreOffice: the PDF share is Word documents instead")
            )
        files = sorted(p for p in base.rglob("*") if p.is_file())
        kinds = defaultdict(int)
        for p in files:
            kinds[p.suffix.lower().lstrip(".")] += 1
        print("formats: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
        print(f"machine: {os.cpu_count()} cores; --jobs {args.jobs}; load average {os.getloadavg()[0]:.1f}")
        out = work / "out"
        shutil.rmtree(out, ignore_errors=True)
        first = run(base, out, args.jobs)
        n = len(files)
        print(
            f"(1) first run: {n} files in {first['wall']:.1f} s wall ({first['wall'] / n * 1000:.0f} ms per file "
            f"on {args.jobs} processes); 1,000 at this rate: {first['wall'] / n * 1000:.0f} s (target ≤ 300 s)"
        )
        for kind, values in sorted(per_format(base, out).items()):
            print(
                f"    {kind:<5} n={len(values):<5} read and check: mean {statistics.mean(values) * 1000:.0f} ms, "
                f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"
            )
        again = run(base, out, args.jobs)
        share = again["wall"] / first["wall"]
        print(
            f"(2) re-run, nothing changed: {again['wall']:.2f} s wall = {share:.1%} of the first run "
            f"(target ≤ 5 %); checked {again['checked']:.0f}, from the cache {again['cached']:.0f}"
        )
        print(
            f"(3) memory at {n} files: main process {first['self_mb']:.0f} MB, largest worker "
            f"{first['workers_mb']:.0f} MB; re-run main {again['self_mb']:.0f} MB"
        )
        per_file = first["wall"] / n
        for size in steps:
            copies = max(1, round(size / n))
            folder = work / f"scale-{size}"
            if not folder.exists():
                replicate(base, folder, copies)
            out_s = work / f"out-{size}"
            shutil.rmtree(out_s, ignore_errors=True)
            step = run(folder, out_s, args.jobs)
            total = copies * n
            dashboard = (out_s / "审核总览.html").stat().st_size / 1e6
            print(
                f"    at {total} files: {step['wall']:.0f} s wall ({step['wall'] / total * 1000:.0f} ms per file), "
                f"main process {step['self_mb']:.0f} MB, largest worker {step['workers_mb']:.0f} MB, "
                f"dashboard {dashboard:.0f} MB"
            )
            per_file = step["wall"] / total
        print(
            f"a province (≈ 10,000 reports) on {args.jobs} processes: ≈ {per_file * 10_000 / 60:.0f} min for the first "
            f"run at the last measured rate; a re-run ≈ {share * per_file * 10_000:.0f} s"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
