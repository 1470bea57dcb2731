#!/usr/bin/env python3
"""How close the model path comes to the network's own limit (issue 3, item 10).

A loopback OpenAI-compatible server (``tests/openai_stub.py``, standard library only) answers every
request after a fixed latency (0.5 s). The ideal is one round trip per draft: all four sections of a
draft in flight together, and ``--jobs 8`` running eight drafts together, so 20 drafts take
ceil(20 / 8) round trips. Printed: the wall time of one draft and of 20 drafts, each as a ratio to
that ideal (target ≤ 1.3).

Measured in-process through the real CLI command (click's test runner), after one untimed warm-up
run that pays for importing the SDK; the whole-process time of one cold ``drafting draft`` is
printed too, for information. The server runs in a process of its own, as a real one would: in
ours it would compete for the GIL with the drafting being measured. The answers are correct
drafts (the offline text), so nothing is re-asked; ``--no-cache`` and distinct data files make
every draft go to the server.

    python bench/bench_llm.py            # latency 0.5 s, 1 draft ×3 and 20 drafts ×3
    python bench/bench_llm.py --quick    # latency 0.2 s, 1 draft ×1 and 8 drafts ×1
"""

from __future__ import annotations

import argparse
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests/openai_stub.py, the loopback server

from click.testing import CliRunner  # noqa: E402

from drafting import official, offline  # noqa: E402
from drafting.cli import cli  # noqa: E402
from drafting.data import load_data  # noqa: E402
from drafting.document import part_heading  # noqa: E402
from tests.openai_stub import stub_server  # noqa: E402

EXAMPLE = ROOT / "examples" / "daxinganling-2023.yaml"
TARGET = 1.3
SECTIONS = len(official.NARRATIVE_SECTIONS)


def section_of(body: dict[str, Any]) -> str:
    user = "\n".join(str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "user")
    line = (re.search(r"要写的部分：(.+)", user) or re.search("(.*)", "")).group(1)  # type: ignore[union-attr]
    for spec in reversed(official.NARRATIVE_SECTIONS):
        if spec.title and spec.title in line:
            return spec.id
    return next(s.id for s in official.NARRATIVE_SECTIONS if part_heading(s.part) in line)


def make_files(folder: Path, n: int) -> list[Path]:
    """n copies of the example, each with its own agency name, so no two prompts are the same."""
    text = EXAMPLE.read_text(encoding="utf-8")
    name = load_data(EXAMPLE).data.agency.name
    files = []
    for i in range(n):
        path = folder / f"unit-{i:02d}.yaml"
        path.write_text(text.replace(name, f"{name}第{i + 1}分局"), encoding="utf-8")
        files.append(path)
    return files


def run(files: list[Path], out: Path, base_url: str, jobs: int) -> float:
    args = [*map(str, files), "-o", str(out), "--format", "md", "--no-cache"]
    args += ["--model", "openai:bench", "--base-url", base_url, "--jobs", str(jobs), "--concurrency", "4"]
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["draft", *args])
    elapsed = time.perf_counter() - started
    if result.exit_code != 0 or "改用离线文本" in result.output:
        raise SystemExit(f"the benchmark run did not draft cleanly:\n{result.output}")
    return elapsed


def cold_cli(file: Path, out: Path, base_url: str) -> float:
    args = [str(file), "-o", str(out), "--format", "md", "--no-cache", "--model", "openai:bench"]
    args += ["--base-url", base_url]
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from drafting.cli import main; main()", "draft", *args],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def serve(latency: float) -> None:
    """The server process: print its base URL, answer until stdin closes."""
    data = load_data(EXAMPLE).data
    texts = {s: "\n\n".join(offline.write_section(s, data)) for s in official.SECTION_IDS}
    with stub_server(reply=lambda body: texts[section_of(body)], latency=latency) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


def start_server(latency: float) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--latency", str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="a smoke run: shorter latency, fewer drafts")
    parser.add_argument("--latency", type=float, help="seconds the server takes per answer (default 0.5)")
    parser.add_argument("--drafts", type=int, help="drafts in the batch (default 20)")
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--repeat", type=int, help="timed runs of each measurement (default 3)")
    args = parser.parse_args()
    latency = args.latency if args.latency is not None else (0.2 if args.quick else 0.5)
    if args.serve:
        serve(latency)
        return
    n_drafts = args.drafts or (8 if args.quick else 20)
    repeat = args.repeat or (1 if args.quick else 3)

    with tempfile.TemporaryDirectory(prefix="bench-llm-") as tmp:
        tmp_path = Path(tmp)
        os.environ["DRAFTING_HOME"] = str(tmp_path / "home")
        os.environ["OPENAI_API_KEY"] = "sk-bench-not-a-real-key"
        files = make_files(tmp_path, n_drafts)
        server, base_url = start_server(latency)
        try:
            run(files[:1], tmp_path / "warm-up", base_url, 1)
            one = [run(files[:1], tmp_path / f"one-{i}", base_url, 1) for i in range(repeat)]
            many = [run(files, tmp_path / f"many-{i}", base_url, args.jobs) for i in range(repeat)]
            cold = cold_cli(files[0], tmp_path / "cold", base_url)
        finally:
            server.communicate(input="", timeout=10)  # closing its stdin ends it

    ideal_one = latency
    ideal_many = math.ceil(n_drafts / args.jobs) * latency
    t_one, t_many = statistics.median(one), statistics.median(many)
    print(f"loopback server in its own process, {latency:.2f} s per answer; {SECTIONS} sections per draft")
    print(
        f"(1) one draft, in-process: median {t_one:.3f} s of {repeat}; ideal {ideal_one:.3f} s "
        f"(one round trip); ratio {t_one / ideal_one:.2f}; target ≤ {TARGET}"
    )
    print(
        f"(2) {n_drafts} drafts at --jobs {args.jobs}, in-process: median {t_many:.3f} s of {repeat}; "
        f"ideal {ideal_many:.3f} s ({math.ceil(n_drafts / args.jobs)} round trips); "
        f"ratio {t_many / ideal_many:.2f}; target ≤ {TARGET}"
    )
    print(
        f"(3) one draft, whole process (start-up and SDK import included, for information): "
        f"{cold:.3f} s; ratio {cold / ideal_one:.2f}"
    )


if __name__ == "__main__":
    main()
