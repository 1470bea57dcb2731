"""How right ``drafting review`` is on a folder of real and generated reports together: the real
published reports of ``../shared/real`` held to their ``truth.json``, and a generated folder held to
the errors seeded into it.

    python bench/review_accuracy.py                     # ../shared/real + 200 generated reports
    python bench/review_accuracy.py --generated 1000    # a larger generated share
    python bench/review_accuracy.py --real /path/to/folder-with-truth.json --jobs 2

One folder is built (``real/`` a copy of the real reports, ``gen/`` ``folders.build_bench_folder``:
every layout, PDFs from LibreOffice when present, agencies of every level, one report in five with a
seeded H1/H4/N1 error, one agency in ten with last year's report, a fifth of those copying its
narrative) and reviewed once, as a reviewer runs it: ``drafting review FOLDER -o OUT --json`` in a
process of its own. Printed:

- real reports: files read, unreadable; error findings and the false ones (a rule that is none of the
  file's true defects, as ``real_reports.py`` counts them); true defects reported (by rule and place);
  rules not assessed (what the reader could not read with confidence); and whether the review found
  on each file what ``drafting check FILE`` finds (the same library call, so it must);
- generated reports: reports whose error rules are exactly the seeded ones, false error findings,
  seeded errors missed, 内容雷同 on the copies and on the honest pairs;
- the run: wall time and files per second on this machine.

Nothing is asserted: ``tests/test_review_real.py`` holds the review to ``drafting check`` on the real
reports, and ``tests/test_real_reports.py`` holds the reader's thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from real_reports import _match_defects  # noqa: E402 - one matcher of true defects for both scripts

from drafting.evaluation.folders import BuiltFolder, build_bench_folder, libreoffice  # noqa: E402

DEFAULT_REAL = ROOT.parent / "shared" / "real"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from drafting.cli import main; main()", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=3600,
        check=False,
    )


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f} %" if b else "–"


def real_part(reports: dict[str, dict[str, Any]], truth: dict[str, Any], folder: Path) -> None:
    errors = false = defects = found = unreadable = partial = agree = 0
    print(f"real reports ({len(truth)} with truth.json):")
    for name, expected in truth.items():
        report = reports.get(f"real/{name}")
        if report is None:
            print(f"  {name:<10} not reviewed")
            continue
        if report["status"] != "read":
            unreadable += 1
            print(f"  {name:<10} {report['status']}: {report['reason']}")
            continue
        findings = report["findings"]
        true_defects = expected.get("true_defects", [])
        true_rules = {d["rule"] for d in true_defects}
        errs = [f for f in findings if f["severity"] == "error"]
        wrong = [f for f in errs if f["rule"] not in true_rules]
        hits, _ = _match_defects(true_defects, findings)
        rules_left = sorted({r for n in report["not_assessed"] for r in n["rules"]})
        check = _cli("check", "--json", str(folder / "real" / name))
        alone = json.loads(check.stdout)["findings"] if check.returncode in (0, 1) else None
        same = alone is not None and sorted(f["fingerprint"] for f in alone) == sorted(
            f["fingerprint"] for f in findings
        )
        errors += len(errs)
        false += len(wrong)
        defects += len(true_defects)
        found += sum(hits)
        partial += int(bool(rules_left))
        agree += int(same)
        print(
            f"  {name:<10} errors {len(errs):>2}, false {len(wrong)}, true defects {sum(hits)}/{len(true_defects)}"
            f", not assessed {','.join(rules_left) or '–'}; same as drafting check: {'yes' if same else 'NO'}"
        )
        for f in wrong:
            print(f"             false {f['rule']} {f['location']}：{f['message'][:80]}")
    read = len(truth) - unreadable
    print(
        f"  total: {read}/{len(truth)} read, {unreadable} unreadable; {errors} error findings, {false} false "
        f"({_pct(false, errors)}); true defects reported {found}/{defects} (recall {_pct(found, defects)}); "
        f"{partial} read in part; review = check on {agree}/{read}"
    )


def generated_part(reports: dict[str, dict[str, Any]], built: BuiltFolder) -> None:
    exact = false = missed = seeded = 0
    copies = {p.agency.name for p in built.reports if p.role == "copied-last"}
    honest = {p.agency.name for p in built.reports if p.role == "pair-last"}
    flagged_copies = flagged_honest = 0
    this_year = [p for p in built.reports if p.year == 2024]
    for planned in this_year:
        report = reports[f"gen/{planned.file}"]
        rules = {f["rule"] for f in report["findings"] if f["severity"] == "error"}
        exact += int(rules == set(planned.errors))
        false += sum(
            1 for f in report["findings"] if f["severity"] == "error" and f["rule"] not in planned.errors
        )
        seeded += len(planned.errors)
        missed += len(set(planned.errors) - rules)
        if planned.agency.name in copies:
            flagged_copies += int(report["similar"])
        if planned.agency.name in honest:
            flagged_honest += int(report["similar"])
    print(
        f"generated reports ({len(this_year)} of this year, {len(built.reports) - len(this_year)} last year's):\n"
        f"  error rules exactly the seeded ones: {exact}/{len(this_year)}; false error findings {false}; "
        f"seeded errors missed {missed}/{seeded}\n"
        f"  内容雷同 flagged on copies of last year's narrative {flagged_copies}/{len(copies)}, "
        f"on reports written afresh beside last year's {flagged_honest}/{len(honest)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="real reports with truth.json")
    parser.add_argument("--generated", type=int, default=200, help="generated reports (this year's)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="build the folder here and keep it")
    args = parser.parse_args()
    truth_file = args.real / "truth.json"
    if not truth_file.exists():
        print(f"{truth_file} not found: give a folder of real reports with a truth.json", file=sys.stderr)
        return 2
    truth: dict[str, Any] = json.loads(truth_file.read_text(encoding="utf-8"))
    work = args.keep or Path(tempfile.mkdtemp(prefix="review-accuracy-"))
    try:
        folder = work / "reports"
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "real").mkdir(parents=True)
        for name in truth:
            if (args.real / name).exists():
                shutil.copy2(args.real / name, folder / "real" / name)
        started = time.perf_counter()
        built = build_bench_folder(folder / "gen", args.generated)
        print(
            f"built {len(built.reports)} generated files in {time.perf_counter() - started:.0f} s"
            + ("" if libreoffice() else " (no LibreOffice: Word documents stand in for the PDFs)")
        )
        out = work / "out"
        shutil.rmtree(out, ignore_errors=True)
        started = time.perf_counter()
        done = _cli("review", str(folder), "-o", str(out), "--json", "-j", str(args.jobs))
        wall = time.perf_counter() - started
        if done.returncode not in (0, 1):
            print(f"drafting review exited {done.returncode}: {done.stderr.strip()[-500:]}", file=sys.stderr)
            return 1
        payload = json.loads(done.stdout)
        reports = {r["file"]: r for r in payload["reports"]}
        t = payload["totals"]
        n = t["found"]
        print(
            f"drafting review over {n} files: {wall:.1f} s wall on {args.jobs} processes = {n / wall:.1f} files/s "
            f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores); read {t['read']}, unreadable "
            f"{t['unreadable']}, failed {t['failed']}; {t['errors']} errors, {t['warnings']} warnings, "
            f"内容雷同 {t['similar']}, paired {t['paired']}, read in part {t.get('partial', 0)}; exit {done.returncode}"
        )
        real_part(reports, truth, folder)
        generated_part(reports, built)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
