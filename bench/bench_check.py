"""Throughput of ``drafting check`` in-process: read a report and run every check on it.

    python bench/bench_check.py            # 240 generated reports, 3 timed passes
    python bench/bench_check.py --quick    # smoke run: 40 reports, 1 pass
    python bench/bench_check.py --reports 500 --passes 5

Reports are offline drafts of random consistent data, rendered in the page layouts of FORMAT.md §9
(tab-separated text, Markdown, pipe rows, one cell per line, one cell per paragraph, digits run
together, HTML) and as our own ``Draft`` objects. Rendering happens before timing; the timed work is
``read_text`` + ``run_checks`` per report (for drafts, ``run_checks`` alone). Word files are timed on
their own line: python-docx parsing dominates them. Only the standard library times anything.
Target: **≥ 100 reports/s**; the ratio printed is rate / 100 (above 1 is good). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafting.checks import run_checks  # noqa: E402
from drafting.evaluation.synthetic import TEXT_LAYOUTS, make_draft, page_of, random_data, render_page  # noqa: E402
from drafting.reading import read_report, read_text  # noqa: E402

TARGET = 100.0  # reports per second


def _kind(layout: str) -> str:
    return "md" if layout in ("md", "apart") else "html" if layout in ("html", "portal") else "txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: 40 reports, one pass")
    parser.add_argument("--reports", type=int, default=240, help="generated reports (≥ 200 for the figure)")
    parser.add_argument("--passes", type=int, default=3, help="timed passes; the median is reported")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    n, passes = (40, 1) if args.quick else (args.reports, args.passes)

    t0 = time.perf_counter()
    texts: list[tuple[str, str]] = []
    drafts = []
    layouts = (*TEXT_LAYOUTS, "draft")
    for i in range(n):
        data = random_data(args.seed + i, previous=(i % 4 == 0))
        draft = make_draft(data)
        layout = layouts[i % len(layouts)]
        if layout == "draft":
            drafts.append(draft)
        else:
            out = render_page(page_of(draft), layout)
            assert isinstance(out, str)
            texts.append((out, _kind(layout)))
    prepared = time.perf_counter() - t0
    print(
        f"generated {n} reports ({len(texts)} page texts in {len(TEXT_LAYOUTS)} layouts, {len(drafts)} drafts) in {prepared:.1f} s"
    )

    rates = []
    read_share = []
    findings = 0
    for _ in range(passes):
        t_read = 0.0
        start = time.perf_counter()
        for text, kind in texts:
            a = time.perf_counter()
            report = read_text(text, kind)
            t_read += time.perf_counter() - a
            findings += len(run_checks(report))
        for draft in drafts:
            findings += len(run_checks(draft))
        elapsed = time.perf_counter() - start
        rates.append(n / elapsed)
        read_share.append(t_read / elapsed)
    rate = statistics.median(rates)
    print(
        f"check throughput: {rate:.0f} reports/s (median of {passes} pass(es); {1000 / rate:.1f} ms per report)"
    )
    print(
        f"  of which reading the page text: {statistics.median(read_share) * 100:.0f}%; findings per pass: {findings // passes}"
    )
    print(f"  target ≥ {TARGET:.0f} reports/s → ratio {rate / TARGET:.2f} (above 1 is good)")

    docx_n = 4 if args.quick else 20
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(docx_n):
            out = render_page(page_of(make_draft(random_data(args.seed + 10_000 + i))), "docx")
            path = Path(tmp) / f"r{i}.docx"
            path.write_bytes(out if isinstance(out, bytes) else out.encode("utf-8"))
            paths.append(path)
        start = time.perf_counter()
        for path in paths:
            run_checks(read_report(path))
        docx_rate = docx_n / (time.perf_counter() - start)
    print(f"Word (.docx) files: {docx_rate:.0f} reports/s over {docx_n} files (python-docx parsing included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
