#!/usr/bin/env python3
"""Many agencies at once (issue 15): real-time drafting under a quota, and batch submit/collect.

(1) Real time under a requests-per-window quota. The loopback stub (``tests/openai_stub.py``), in a
process of its own, answers after a fixed latency L and returns 429 beyond N requests in any W
seconds; ``drafting draft --jobs J --concurrency 4 --rpm N`` (with ``DRAFTING_RATE_WINDOW=W``)
drafts D data files, 4 requests each. The ideal is the best schedule the quota and the in-flight
cap allow: each request starts as soon as one of the 4J slots is free and W after the request N
before it started, and takes L (``ideal_time``). Printed: wall time, ideal, their ratio (target ≤
1.1), and the 429s the server sent (target 0). The default shortens the minute to 6 s (60 per 6 s)
and drafts 60 files (240 requests, four windows); ``--minute`` runs the real window (60 per 60 s).

(2) Batch throughput: ``batch submit`` of A agencies' data files (the template, small) to the stub's
batch API (which answers at once), ``batch submit`` again (nothing new), then ``batch collect``
(results read, every section checked, every draft written). Printed: seconds and agencies per second
for each; nothing is asserted.

    python bench/bench_batch.py            # 60 drafts at 60 per 6 s; 200 agencies through a batch
    python bench/bench_batch.py --quick    # 20 drafts at 40 per 3 s; 40 agencies (a smoke run)
    python bench/bench_batch.py --minute   # 60 drafts at 60 per minute (about four minutes)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests/, the loopback server and the data-file maker

from click.testing import CliRunner  # noqa: E402

from drafting import official  # noqa: E402
from drafting.cli import cli  # noqa: E402
from tests.batch_stub import base_url, batch_server  # noqa: E402
from tests.batch_support import make_agencies, reply_for  # noqa: E402
from tests.openai_stub import stub_server  # noqa: E402

SECTIONS = len(official.NARRATIVE_SECTIONS)
TARGET = 1.1


def ideal_time(requests: int, limit: int, window: float, slots: int, latency: float) -> float:
    """The earliest the last answer can arrive: request k starts when a slot is free and ``window``
    after request k - ``limit`` started; each takes ``latency``."""
    starts: list[float] = []
    for k in range(requests):
        at = 0.0
        if k >= slots:
            at = max(at, starts[k - slots] + latency)
        if k >= limit:
            at = max(at, starts[k - limit] + window)
        starts.append(at)
    return starts[-1] + latency if starts else 0.0


def serve(kind: str, agencies: int, latency: float, limit: int, window: float) -> None:
    """The server process: print its base URL, answer until stdin closes, then print what it saw."""
    with tempfile.TemporaryDirectory() as tmp:
        _, datas = make_agencies(Path(tmp), agencies)
        if kind == "chat":
            with stub_server(reply=reply_for(datas), latency=latency) as server:
                server.limit_rate(limit, window)
                print(server.base_url, flush=True)
                sys.stdin.read()
                stats = {"requests": len(server.requests), "rejected": server.state.rejected}
        else:
            with batch_server(reply_for(datas), "openai", auto=True) as (server, service):
                print(base_url(server, "openai"), flush=True)
                sys.stdin.read()
                stats = {"uploads": len(service.uploads), "batches": len(service.batches)}
    print(json.dumps(stats), flush=True)


def start(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def stop(proc: subprocess.Popen[str]) -> dict[str, int]:
    out, _ = proc.communicate(input="", timeout=60)
    return dict(json.loads(out.strip().splitlines()[-1]))


def cli_run(*args: str) -> float:
    started = time.perf_counter()
    result = CliRunner().invoke(cli, list(args))
    elapsed = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(f"drafting {' '.join(args[:2])} failed:\n{result.output}")
    return elapsed


def realtime(tmp: Path, drafts: int, limit: int, window: float, latency: float, jobs: int) -> None:
    files, _ = make_agencies(tmp / "rt-data", drafts)
    os.environ["DRAFTING_RATE_WINDOW"] = str(window)
    server, url = start("--kind", "chat", "--agencies", str(drafts), "--latency", str(latency),
                        "--limit", str(limit), "--window", str(window))  # fmt: skip
    try:
        common = ["--format", "md", "--no-cache", "--model", "openai:bench", "--base-url", url]
        cli_run("draft", str(files[0]), "-o", str(tmp / "warm"), *common)  # imports, connections
        time.sleep(window + 1)  # the warm-up's requests leave the server's window
        wall = cli_run(
            "draft", *map(str, files), "-o", str(tmp / "rt"), *common,
            "--jobs", str(jobs), "--concurrency", "4", "--rpm", str(limit),
        )  # fmt: skip
    finally:
        stats = stop(server)
    requests = drafts * SECTIONS
    ideal = ideal_time(requests, limit, window, jobs * 4, latency)
    print(
        f"(1) real time: {drafts} drafts ({requests} requests) at --jobs {jobs}, quota {limit} per "
        f"{window:g} s, {latency:.2f} s per answer"
    )
    print(
        f"    wall {wall:.3f} s; ideal {ideal:.3f} s; ratio {wall / ideal:.3f}; target ≤ {TARGET}; "
        f"429s from the server: {stats['rejected']} (target 0); requests {stats['requests'] - SECTIONS}"
    )


def batch(tmp: Path, agencies: int) -> None:
    files, _ = make_agencies(tmp / "b-data", agencies)
    home = tmp / "b-home"
    os.environ["DRAFTING_HOME"] = str(home)
    server, url = start("--kind", "batch", "--agencies", str(agencies))
    try:
        args = ["batch", "submit", *map(str, files), "--model", "openai:bench", "--base-url", url]
        args += ["-o", str(tmp / "b-out"), "--format", "md"]
        submit = cli_run(*args)
        again = cli_run(*args)
        collect = cli_run("batch", "collect")
    finally:
        stats = stop(server)
    written = len(list((tmp / "b-out").glob("*.draft.json")))
    print(f"(2) batch: {agencies} agencies ({agencies * SECTIONS} requests); {written} drafts written; "
          f"{stats['uploads']} upload(s), {stats['batches']} batch(es)")  # fmt: skip
    for name, seconds in (("submit", submit), ("submit again (nothing new)", again), ("collect", collect)):
        print(f"    {name}: {seconds:.2f} s, {agencies / seconds:.1f} agencies/s")
    total = submit + collect
    print(f"    submit + collect: {total:.2f} s, {agencies / total:.1f} agencies/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--kind", default="chat", help=argparse.SUPPRESS)
    parser.add_argument("--agencies", type=int, help="agencies through the batch (default 200)")
    parser.add_argument("--latency", type=float, help="seconds per real-time answer (default 0.2)")
    parser.add_argument("--limit", type=int, help="requests per window (default 60)")
    parser.add_argument("--window", type=float, help="the quota's window in seconds (default 6)")
    parser.add_argument("--drafts", type=int, help="real-time drafts (default 30)")
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="a smoke run: smaller and shorter")
    parser.add_argument("--minute", action="store_true", help="the real quota window: 60 s")
    args = parser.parse_args()
    quick = args.quick
    latency = args.latency if args.latency is not None else (0.1 if quick else 0.2)
    limit = args.limit or (40 if quick else 60)
    window = args.window or (60.0 if args.minute else 3.0 if quick else 6.0)
    if args.serve:
        serve(args.kind, args.agencies or 1, latency, limit, window)
        return
    agencies = args.agencies or (40 if quick else 200)
    drafts = args.drafts or (20 if quick else 60)
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        tmp_path = Path(tmp)
        os.environ["DRAFTING_HOME"] = str(tmp_path / "home")
        os.environ["OPENAI_API_KEY"] = "sk-bench-not-a-real-key"
        realtime(tmp_path, drafts, limit, window, latency, args.jobs)
        batch(tmp_path, agencies)


if __name__ == "__main__":
    main()
