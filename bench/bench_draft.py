#!/usr/bin/env python3
"""How fast drafting is: the two figures issue 2 sets targets for, and the start-up ratio of issue 9.

1. Whole-process wall time of ``drafting draft examples/daxinganling-2023.yaml -o <tmp>`` (start-up
   included): the median of N runs after one warm-up. Target ≤ 0.4 s.
   Start-up: the offline ``drafting draft EXAMPLE -o <tmp> --format md`` against merely importing its
   unavoidable dependencies (``python -c "import pydantic, ruamel.yaml, click, rich"``), the two run
   in turn N times after a warm-up each, in the same run; the median of the pairwise ratios, for wall
   and for CPU time. Target ≤ 1.5×. Printed beside it, for reference: the same imports plus one
   pydantic model (what any use of pydantic's ``BaseModel`` costs, before any of ours).
2. In-process throughput over generated data files: ``load_data`` + ``draft_report`` + Markdown
   rendering for each, in drafts per second, with the load / draft / render split so the bottleneck
   shows. Target ≥ 50 drafts/s.

The files are written from the ``drafting init`` template with random figures that satisfy every
cross-sum (H1–H4, F2, F3), a quarter of them with last year's figures (C1 holds), and random facts.
Only the standard library and the package are used; timing is ``time.perf_counter``. Figures are
printed, never asserted: a shared machine makes them noisy.

    python bench/bench_draft.py            # 7 CLI runs, 200 files
    python bench/bench_draft.py --quick    # a smoke run: 2 CLI runs, 20 files
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from drafting import official
from drafting.data import ReportData, load_data
from drafting.data.template import template_yaml
from drafting.draft import draft_report
from drafting.errors import DraftingError
from drafting.writers import render

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = Path("examples") / "daxinganling-2023.yaml"  # relative to ROOT, as a user types it
CLI_TARGET_S = 0.4
STARTUP_TARGET = 1.5
THROUGHPUT_TARGET = 50.0
DEPENDENCIES = "import pydantic, ruamel.yaml, click, rich"
PYDANTIC_FLOOR = DEPENDENCIES + "\nfrom pydantic import BaseModel\nclass M(BaseModel):\n    x: int"

COLUMNS = official.TABLE3_COLUMN_KEYS
LEAVES = tuple(r.path for r in official.TABLE3_RESULT_LEAVES)
OUTCOMES = tuple(k for k, _ in official.TABLE4_COLUMNS)
AGENCIES = (
    ("示例市交通运输局", "我局"),
    ("示例市东湖区教育局", "我局"),
    ("示例县自然资源局", "本机关"),
    ("示例县青山镇人民政府", "我镇"),
    ("示例市人力资源和社会保障局", "我局"),
    ("示例市西城区人民政府", "我区"),
)
FACT_POOL = {
    "active": (
        "通过门户网站主动公开政府信息{n}条",
        "发布政策解读{n}篇，其中图解{m}篇",
        "更新政府信息公开指南",
    ),
    "on_request": ("规范接收、登记、办理、答复、归档流程", "已办结申请均在法定期限内答复"),
    "management": ("落实“先审查、后公开”和三级审核", "开展行政规范性文件清理，废止{m}件"),
    "platforms": ("以政府网站为第一平台，优化栏目{m}个", "关停政务新媒体账号{m}个"),
    "oversight": ("将政务公开纳入年度绩效考核", "组织培训{m}次，参训{n}人次"),
    "problems": ("政策解读形式较为单一", "人员兼职，队伍不够稳定"),
    "improvements": ("丰富图解、视频等解读形式", "每季度开展一次检查通报"),
    "other": ("办理人大代表建议{m}件、政协提案{m}件，办理结果已公开",),
}


# --- generating valid data files ----------------------------------------------------------------


def flow(values: Mapping[str, object]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in values.items()) + "}"


def random_table3(rng: random.Random, carried: Mapping[str, int] | None) -> dict[str, dict[str, int]]:
    """25 rows × 6 columns that satisfy H2 and H3 in every column; ``carried`` fixes 二 (C1)."""
    rows: dict[str, dict[str, int]] = {p: {} for p in ("new", "carried_over", *LEAVES, "carry_forward")}
    busy = rng.random() < 0.8  # some agencies receive no application at all
    for col in COLUMNS:
        active = busy and (col == "natural" or rng.random() < 0.35)
        for path in LEAVES:
            rows[path][col] = rng.choice((0, 0, 0, 0, 1, 2, 3, 8, 20)) if active else 0
        forward = rng.choice((0, 0, 0, 1, 2)) if active else 0
        over = carried[col] if carried is not None else (rng.choice((0, 0, 1, 3)) if active else 0)
        done = sum(rows[p][col] for p in LEAVES)
        if done + forward < over:  # what was carried in must come out somewhere
            rows["disclosed"][col] += over - done - forward
            done = over - forward
        rows["carried_over"][col] = over
        rows["carry_forward"][col] = forward
        rows["new"][col] = done + forward - over
    return rows


def random_values(rng: random.Random, last: ReportData | None) -> dict[str, str]:
    """Every cell of one report, as the YAML text to put after its key."""
    values: dict[str, str] = {}
    issued, repealed = rng.randint(0, 12), rng.randint(0, 4)
    in_force = last.table2.normative.in_force if last else rng.randint(0, 80)
    repealed = min(repealed, in_force + issued)
    values["table2.rules"] = flow({"issued": 0, "repealed": 0, "in_force": 0})
    values["table2.normative"] = flow(
        {"issued": issued, "repealed": repealed, "in_force": in_force + issued - repealed}
    )
    for key in ("licensing", "penalty", "coercion"):
        values[f"table2.{key}"] = str(rng.choice((0, 0, rng.randint(1, 3000))))
    places = rng.choice((0, 2, 6))
    values["table2.admin_fees"] = str(Decimal(rng.randint(0, 10**8)).scaleb(-places))

    carried = {c: getattr(last.table3.carry_forward, c) for c in COLUMNS} if last else None
    rows = random_table3(rng, carried)
    for path, row in rows.items():
        values[f"table3.{path}"] = flow(row)

    for block, _ in official.TABLE4_BLOCKS:
        values[f"table4.{block}"] = flow({k: rng.choice((0, 0, 0, 0, 1, 2)) for k in OUTCOMES})

    unpaid = sum(rows["other_handling.overdue_fee"].values())
    notices = unpaid + rng.choice((0, 0, 0, 1, 3))  # F2: at least as many notices as unpaid rows
    billed = Decimal(rng.randint(0, 30) * 100) if notices else Decimal(0)
    collected = min(billed, Decimal(rng.randint(0, 30) * 100)) if notices else Decimal(0)  # F3
    values["fees.notices"] = str(notices)
    values["fees.billed"] = str(billed)
    values["fees.collected"] = str(collected)
    return values


def random_facts(rng: random.Random) -> dict[str, list[str] | None]:
    facts: dict[str, list[str] | None] = {}
    for topic, pool in FACT_POOL.items():
        draw = rng.random()
        if draw < 0.2:
            facts[topic] = None  # left empty: a 【待补充】 marker
        elif draw < 0.3:
            facts[topic] = []
        else:
            picked = rng.sample(pool, rng.randint(1, len(pool)))
            facts[topic] = [p.format(n=rng.randint(10, 900), m=rng.randint(1, 9)) for p in picked]
    return facts


_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<key>[a-z_0-9]+):(?P<value>[^#]*?)(?P<comment>\s*#.*)?$")


def fill(template: str, values: Mapping[str, str], facts: Mapping[str, list[str] | None]) -> str:
    """The template with ``values`` put after their keys (paths by indentation) and facts listed."""
    out: list[str] = []
    stack: list[tuple[int, str]] = []
    used: set[str] = set()
    for line in template.splitlines():
        m = _KEY_LINE.match(line)
        if m is None:
            out.append(line)
            continue
        indent, key, comment = m["indent"], m["key"], m["comment"] or ""
        while stack and stack[-1][0] >= len(indent):
            stack.pop()
        stack.append((len(indent), key))
        path = ".".join(k for _, k in stack)
        topic = path.removeprefix("facts.")
        if path in values:
            used.add(path)
            out.append(f"{indent}{key}: {values[path]}{comment}")
        elif path.startswith("facts.") and facts.get(topic) is not None:
            items = facts[topic] or []
            out.append(f"{indent}{key}: []{comment}" if not items else f"{indent}{key}:{comment}")
            out.extend(f"{indent}  - {item}" for item in items)
        else:
            out.append(line)
    unused = set(values) - used
    if unused:
        raise SystemExit(f"bench: the template has no key for {sorted(unused)}")
    return "\n".join(out) + "\n"


def generate(directory: Path, count: int, seed: int) -> list[Path]:
    """``count`` valid data files in ``directory``; every fourth carries last year's figures."""
    rng = random.Random(seed)
    helpers = directory / "last-year"
    helpers.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        agency, self_ref = rng.choice(AGENCIES)
        year = rng.randint(2022, 2025)
        last: ReportData | None = None
        if i % 4 == 0:
            last_text = fill(template_yaml(agency, year - 1), random_values(rng, None), random_facts(rng))
            last_path = helpers / f"{i:03d}.yaml"
            last_path.write_text(last_text, encoding="utf-8")
            last = load_data(last_path).data
        text = fill(template_yaml(agency, year, last), random_values(rng, last), random_facts(rng))
        text = text.replace('self_reference:       "我局"', f'self_reference:       "{self_ref}"', 1)
        path = directory / f"report-{i:03d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# --- measuring -----------------------------------------------------------------------------------


def cli_command() -> list[str]:
    """The installed ``drafting`` script of this interpreter's environment, as a user runs it."""
    beside = Path(sys.executable).parent / "drafting"
    found = str(beside) if beside.exists() else shutil.which("drafting")
    return [found] if found else [sys.executable, "-c", "from drafting.cli import main; main()"]


def time_cli(runs: int) -> list[float]:
    command = cli_command()
    times = []
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as out:
        args = [*command, "draft", str(EXAMPLE), "-o", out]
        for i in range(runs + 1):  # the first run warms the disk cache and .pyc files
            start = time.perf_counter()
            done = subprocess.run(
                args, cwd=ROOT, capture_output=True, text=True, check=False, env=child_env()
            )
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                raise SystemExit(f"bench: {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
            if i:
                times.append(elapsed)
    return times


def child_env() -> dict[str, str]:
    """This environment, letting the warm-up write bytecode as a user's first run (or pip) does:
    with ``PYTHONDONTWRITEBYTECODE`` every run would compile the package from source."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float  # user + system seconds of the child process


def run_once(args: Sequence[str]) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False, env=child_env())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu)


def time_startup(runs: int) -> dict[str, list[Run]]:
    """The offline md draft, the bare dependencies and the pydantic floor, in turn, ``runs`` times
    each after one warm-up each: taken in turn, a drift in the machine's speed hits all three."""
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as out:
        commands = {
            "draft": [*cli_command(), "draft", str(EXAMPLE), "-o", out, "--format", "md"],
            "dependencies": [sys.executable, "-c", DEPENDENCIES],
            "floor": [sys.executable, "-c", PYDANTIC_FLOOR],
        }
        for args in commands.values():
            run_once(args)
        times: dict[str, list[Run]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, args in commands.items():
                times[name].append(run_once(args))
    return times


def pair_ratio(a: list[Run], b: list[Run], what: str) -> float:
    return statistics.median(getattr(x, what) / getattr(y, what) for x, y in zip(a, b, strict=True))


@dataclass
class Split:
    load: float = 0.0
    draft: float = 0.0
    render: float = 0.0

    @property
    def total(self) -> float:
        return self.load + self.draft + self.render


def time_in_process(paths: Sequence[Path]) -> Split:
    render(draft_report(load_data(ROOT / EXAMPLE)), "md")  # warm-up: lazy imports, schema caches
    split = Split()
    for path in paths:
        t0 = time.perf_counter()
        try:
            loaded = load_data(path)
        except DraftingError as exc:
            raise SystemExit(f"bench: generated file {path} is invalid: {exc}") from None
        t1 = time.perf_counter()
        draft = draft_report(loaded)
        t2 = time.perf_counter()
        render(draft, "md")
        t3 = time.perf_counter()
        split.load += t1 - t0
        split.draft += t2 - t1
        split.render += t3 - t2
    return split


def yaml_parser() -> str:
    from ruamel.yaml import main

    if getattr(main, "CParser", None) is not None:
        return "C (ruamel.yaml.clib): load_data takes the fast path of drafting/yamlfile.py"
    return "pure Python round-trip (install ruamel.yaml.clib for the fast path; loading is ~4x slower)"


def verdict(ok: bool) -> str:
    return "meets the target" if ok else "MISSES the target"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="drafting: CLI wall time and in-process throughput")
    parser.add_argument("--runs", type=int, default=7, help="CLI runs after one warm-up (default 7)")
    parser.add_argument("--files", type=int, default=200, help="generated data files (default 200)")
    parser.add_argument("--seed", type=int, default=2021, help="random seed for the generated files")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 CLI runs, 20 files")
    args = parser.parse_args(argv)
    runs, files = (2, 20) if args.quick else (args.runs, args.files)
    if runs < 1 or files < 1:
        parser.error("--runs and --files must be at least 1")

    print(f"drafting bench: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs (figures vary with load)")
    print(f"YAML parser: {yaml_parser()}")

    times = time_cli(runs)
    median = statistics.median(times)
    print(f"(1) CLI, whole process: drafting draft {EXAMPLE} -o <tmp>  ({runs} runs after 1 warm-up)")
    print(
        f"    median {median:.3f} s (min {min(times):.3f}, max {max(times):.3f}); "
        f"target ≤ {CLI_TARGET_S} s; ratio {median / CLI_TARGET_S:.2f} of target: "
        f"{verdict(median <= CLI_TARGET_S)}"
    )

    startup = time_startup(runs)
    draft_runs, deps = startup["draft"], startup["dependencies"]
    print(f"(1b) start-up: drafting draft {EXAMPLE} -o <tmp> --format md (offline) against")
    print(f'     python -c "{DEPENDENCIES}"  ({runs} runs each, in turn, after 1 warm-up each)')
    for what in ("wall", "cpu"):
        ratio = pair_ratio(draft_runs, deps, what)
        floor = pair_ratio(startup["floor"], deps, what)
        print(
            f"     {what:4} median {statistics.median(getattr(r, what) for r in draft_runs):.3f} s vs "
            f"{statistics.median(getattr(r, what) for r in deps):.3f} s: ratio {ratio:.2f}× "
            f"(target ≤ {STARTUP_TARGET}×: {verdict(ratio <= STARTUP_TARGET)}); "
            f"the dependencies plus one pydantic model alone: {floor:.2f}×"
        )

    with tempfile.TemporaryDirectory(prefix="bench-data-") as tmp:
        paths = generate(Path(tmp), files, args.seed)
        split = time_in_process(paths)
    rate = len(paths) / split.total
    per = 1000 / len(paths)
    print(f"(2) in-process: load_data + draft_report + render md over {len(paths)} generated files")
    print(
        f"    load {split.load:.3f} s ({split.load * per:.1f} ms/file) · "
        f"draft {split.draft:.3f} s ({split.draft * per:.1f} ms/file) · "
        f"render md {split.render:.3f} s ({split.render * per:.1f} ms/file)"
    )
    print(
        f"    throughput {rate:.1f} drafts/s; target ≥ {THROUGHPUT_TARGET:.0f}; "
        f"ratio {rate / THROUGHPUT_TARGET:.2f}× target: {verdict(rate >= THROUGHPUT_TARGET)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
