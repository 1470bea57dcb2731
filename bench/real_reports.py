"""How the reader and the checks do on real published reports: ``drafting check`` and ``drafting
import`` over a folder of reports, compared with the folder's ``truth.json``.

    python bench/real_reports.py                       # ../shared/real (the development set)
    python bench/real_reports.py /path/to/reports      # any folder with a truth.json
    python bench/real_reports.py --json out.json       # the figures as JSON too (for the test)
    python bench/real_reports.py --detail              # every false error, missed defect, wrong cell

Each report is checked and imported the way a reviewer would: the installed CLI in a process of its
own (``check --json``, ``import --format cells``, ``import`` to a data file). Per file and in total it
prints: error findings, false errors (an error whose rule is none of the file's ``true_defects``),
true defects reported (at any severity, matched by rule and place), table cells read exactly (表三's
rows × 7 values and 表四's 15), cells the import flags as unsure, rules the check could not assess
(``not_assessed``: what they need was not read with confidence), and the time of one ``check``
process (start-up included; the target is ≤ 1 s per report). Nothing is asserted here: ``tests/test_real_reports.py`` holds the thresholds.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = ROOT.parent / "shared" / "real"
TARGET_SECONDS = 1.0


@dataclass
class FileResult:
    name: str
    check_exit: int
    check_seconds: float  # wall time of one ``check`` process, start-up included
    check_cpu: float  # its CPU time
    import_exit: (
        int  # ``import -o --force``: 0 clean, 1 written but the printed tables break rules, 2 unusable
    )
    import_written: bool  # whether the data file was written
    import_message: str  # its last line on stderr when it wrote nothing
    errors: int = 0
    false_errors: list[str] = field(default_factory=list)  # "rule location：message"
    defects: int = 0
    found: list[str] = field(default_factory=list)  # the true defects reported, "rule where"
    unmatched: list[str] = field(default_factory=list)  # errors of a true rule that answer no defect
    missed: list[str] = field(default_factory=list)
    cells: int = 0
    cells_ok: int = 0
    wrong_cells: list[str] = field(default_factory=list)  # "label: read … expected …"
    crashed: str = ""  # a traceback or an exit code outside 0/1/2
    not_assessed: list[str] = field(default_factory=list)  # "rules：reason" the check could not assess
    unsure_cells: int = 0  # cells ``import --format cells`` flags as not read with confidence

    @property
    def false(self) -> int:
        return len(self.false_errors)


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("drafting")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from drafting.cli import main; main()"]


def _run(args: list[str]) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """The CLI in its own process: what it printed, its wall time and its CPU time (user + system;
    the CPU time stays meaningful when other work shares the machine's cores)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([*_cli(), *args], capture_output=True, text=True, timeout=120, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done, wall, cpu


def _crash(done: subprocess.CompletedProcess[str]) -> str:
    if "Traceback" in done.stderr or done.returncode not in (0, 1, 2):
        return (
            f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ''}"
        )
    return ""


_QUOTED = re.compile(r"“([^”]+)”")


def _match_defects(
    defects: list[dict[str, Any]], findings: list[dict[str, Any]]
) -> tuple[list[bool], set[int]]:
    """Which true defects a finding reports. A finding must carry the defect's rule; where several
    defects share a rule, each finding answers for one, preferring the one whose quoted place
    (a heading, a label) its location or message names."""
    used: set[int] = set()
    found = [False] * len(defects)
    for n, defect in enumerate(defects):
        quotes = _QUOTED.findall(defect.get("where", ""))
        best, best_score = None, -1
        for i, f in enumerate(findings):
            if i in used or f["rule"] != defect["rule"]:
                continue
            text = f"{f.get('location', '')} {f.get('message', '')}"
            score = sum(1 for q in quotes if q in text)
            if score > best_score:
                best, best_score = i, score
        if best is not None and (not quotes or best_score > 0 or _only_one(defects, defect["rule"])):
            used.add(best)
            found[n] = True
    return found, used


def _only_one(defects: list[dict[str, Any]], rule: str) -> bool:
    return sum(1 for d in defects if d["rule"] == rule) == 1


def _compare_cells(truth: dict[str, Any], cells: dict[str, Any] | None, out: FileResult) -> None:
    table3 = truth.get("table3") or {}
    read3 = ((cells or {}).get("table3") or {}).get("rows") or {}
    for label, expected in table3.items():
        got = read3.get(label)
        out.cells += len(expected)
        values = list(got) if isinstance(got, list) else []
        ok = sum(1 for i, v in enumerate(expected) if i < len(values) and values[i] == v)
        out.cells_ok += ok
        if ok < len(expected):
            out.wrong_cells.append(f"表三 {label}：读到 {got}，应为 {expected}")
    expected4 = truth.get("table4")
    if expected4 is not None:
        got4 = (cells or {}).get("table4")
        values4 = list(got4) if isinstance(got4, list) else []
        out.cells += len(expected4)
        ok = sum(1 for i, v in enumerate(expected4) if i < len(values4) and values4[i] == v)
        out.cells_ok += ok
        if ok < len(expected4):
            out.wrong_cells.append(f"表四：读到 {got4}，应为 {expected4}")


def measure(path: Path, truth: dict[str, Any], scratch: Path) -> FileResult:
    check, seconds, cpu = _run(["check", "--json", str(path)])
    cells_run, _, _ = _run(["import", "--format", "cells", str(path)])
    target = scratch / f"{path.stem}.yaml"
    target.unlink(missing_ok=True)
    imported, _, _ = _run(["import", str(path), "-o", str(target), "--force"])
    written = target.exists()
    message = "" if written else (imported.stderr.strip().splitlines() or [""])[-1]
    out = FileResult(path.name, check.returncode, seconds, cpu, imported.returncode, written, message)
    out.crashed = _crash(check) or _crash(cells_run) or _crash(imported)
    try:
        payload = json.loads(check.stdout) if check.returncode in (0, 1) else {}
        findings = payload["findings"] if payload else []
    except (json.JSONDecodeError, KeyError):
        payload, findings = {}, []
        out.crashed = out.crashed or f"check --json printed no JSON (exit {check.returncode})"
    out.not_assessed = [f"{'、'.join(n['rules'])}：{n['reason']}" for n in payload.get("not_assessed", [])]
    defects = truth.get("true_defects", [])
    true_rules = {d["rule"] for d in defects}
    errors = [f for f in findings if f["severity"] == "error"]
    out.errors = len(errors)
    out.false_errors = [
        f"{f['rule']} {f['location']}：{f['message']}" for f in errors if f["rule"] not in true_rules
    ]
    out.defects = len(defects)
    hits, used = _match_defects(defects, findings)
    for defect, hit in zip(defects, hits, strict=True):
        (out.found if hit else out.missed).append(f"{defect['rule']} {defect['where']}")
    out.unmatched = [
        f"{f['rule']} {f['location']}：{f['message']}"
        for i, f in enumerate(findings)
        if f["severity"] == "error" and f["rule"] in true_rules and i not in used
    ]
    try:
        cells = json.loads(cells_run.stdout) if cells_run.returncode == 0 else None
    except json.JSONDecodeError:
        cells = None
    _compare_cells(truth.get("tables", {}), cells, out)
    unsure = (cells or {}).get("unsure") or {}
    out.unsure_cells = sum(len(columns) for rows in unsure.values() for columns in rows.values())
    return out


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f} %" if b else "    – "


def report(results: list[FileResult], detail: bool) -> dict[str, Any]:
    head = f"{'file':<12} {'errors':>6} {'false':>5} {'defects':>8} {'cells':>12} {'unsure':>6} {'n/a':>4} {'check s':>8} {'cpu s':>6} import"
    print(head)
    print("-" * len(head))
    for r in results:
        defects = f"{len(r.found)}/{r.defects}"
        cells = f"{r.cells_ok}/{r.cells}"
        imp = f"written (exit {r.import_exit})" if r.import_written else f"refused (exit {r.import_exit})"
        flag = f"  CRASH {r.crashed}" if r.crashed else ""
        print(
            f"{r.name:<12} {r.errors:>6} {r.false:>5} {defects:>8} {cells:>12} {r.unsure_cells:>6} {len(r.not_assessed):>4} {r.check_seconds:>8.2f} {r.check_cpu:>6.2f} {imp}{flag}"
        )
    errors = sum(r.errors for r in results)
    false = sum(r.false for r in results)
    defects = sum(r.defects for r in results)
    found = sum(len(r.found) for r in results)
    cells = sum(r.cells for r in results)
    cells_ok = sum(r.cells_ok for r in results)
    slowest = max((r.check_seconds for r in results), default=0.0)
    slowest_cpu = max((r.check_cpu for r in results), default=0.0)
    crashes = sum(1 for r in results if r.crashed)
    written = sum(1 for r in results if r.import_written)
    with_false = sum(1 for r in results if r.false)
    extra = sum(len(r.unmatched) for r in results)
    print("-" * len(head))
    print(
        f"total: {len(results)} files, {crashes} crashed; {errors} error findings, {false} false "
        f"({_pct(false, errors).strip()}; {with_false} files with a false error; {extra} more of a true rule at "
        f"no true place); true defects reported "
        f"{found}/{defects} (recall {_pct(found, defects).strip()}); cells read exactly {cells_ok}/{cells} "
        f"({_pct(cells_ok, cells).strip()}); import wrote {written}/{len(results)} data files; slowest check {slowest:.2f} s wall, {slowest_cpu:.2f} s CPU (target ≤ {TARGET_SECONDS:.0f} s)"
    )
    if detail:
        for r in results:
            if not (
                r.false_errors
                or r.missed
                or r.wrong_cells
                or not r.import_written
                or r.unmatched
                or r.not_assessed
            ):
                continue
            print(f"\n== {r.name}")
            if not r.import_written:
                print(f"  import -o: exit {r.import_exit} {r.import_message}")
            for line in r.false_errors:
                print(f"  false  {line}")
            for line in r.unmatched:
                print(f"  extra  {line}")
            for line in r.missed:
                print(f"  missed {line}")
            for line in r.wrong_cells:
                print(f"  cells  {line}")
            for line in r.not_assessed:
                print(f"  n/a    {line}")
    return {
        "files": [asdict(r) | {"false": r.false} for r in results],
        "total": {
            "files": len(results),
            "crashed": crashes,
            "errors": errors,
            "false_errors": false,
            "files_with_false_errors": with_false,
            "errors_of_true_rule_elsewhere": extra,
            "defects": defects,
            "defects_found": found,
            "cells": cells,
            "cells_ok": cells_ok,
            "imports_written": written,
            "unsure_cells": sum(r.unsure_cells for r in results),
            "not_assessed": sum(len(r.not_assessed) for r in results),
            "slowest_check_seconds": slowest,
            "slowest_check_cpu_seconds": slowest_cpu,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER, help="reports + truth.json")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--detail", action="store_true", help="list every false error, miss and wrong cell")
    parser.add_argument("--only", action="append", default=[], help="only this file (repeatable)")
    args = parser.parse_args(argv)
    truth_file = args.folder / "truth.json"
    if not truth_file.exists():
        print(f"{truth_file} not found: give a folder of reports with a truth.json", file=sys.stderr)
        return 2
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    import tempfile

    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for name, expected in truth.items():
            path = args.folder / name
            if not path.exists() or (args.only and name not in args.only):
                continue
            results.append(measure(path, expected, Path(scratch)))
    figures = report(results, args.detail)
    if args.json is not None:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
