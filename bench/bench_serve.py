"""How quick the web workspace (``drafting serve``) feels. Prints figures, asserts nothing.

1. Server time per page (home, data entry, draft) and per data edit (a PATCH that writes one cell
   into the YAML file atomically and validates it again): median of N requests over loopback HTTP
   to the real server (uvicorn in a thread), and the edit in-process. Target ≤ 50 ms each.
2. A model's first token → the first character on the page: the loopback model server
   (``tests/openai_stub.py``) notes when its first streamed piece leaves; the page notes when the
   first character appears in the stream box (a MutationObserver in Debian's chromium, when it is
   installed), and an EventSource-like SSE client the first text event. Target ≤ 200 ms.
3. Memory with 50 reports in a workspace: resident memory of the process before the server starts,
   after the home page has listed (and checked) all 50, and after each has been opened.

    python bench/bench_serve.py [--runs 21] [--reports 50] [--quick]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests/ holds the loopback model server and the server helpers

EXAMPLE = ROOT / "examples" / "township-2024.yaml"
NAME = "township-2024.yaml"


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pages_and_edits(runs: int) -> None:
    import httpx

    from tests.serve_support import running

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(EXAMPLE, root / NAME)
        with running(root) as server, httpx.Client(base_url=server.url, timeout=60) as http:
            csrf = {"x-csrf-token": server.csrf}
            job = http.post(f"/api/r/{NAME}/draft", headers=csrf).json()["job"]
            with http.stream("GET", f"/api/r/{NAME}/events?job={job}") as stream:
                for _ in stream.iter_lines():
                    pass
            print("(1) server time over loopback HTTP, median of", runs, "requests (target ≤ 50 ms)")
            for label, path in (
                ("home page (status of each report)", "/"),
                ("data-entry page", f"/r/{NAME}"),
                ("draft page (checks, revision state)", f"/r/{NAME}/draft"),
            ):
                http.get(path)  # warm
                print(f"    {label:<38} {median_ms(lambda p=path: http.get(p), runs):7.1f} ms")
            etag = http.get(f"/api/r/{NAME}/data").headers["etag"]
            counter = iter(range(10**6))

            def edit() -> None:
                nonlocal etag
                value = next(counter) % 7
                r = http.patch(
                    f"/api/r/{NAME}/data",
                    json={"changes": {"table2.licensing": value}},
                    headers={"if-match": etag, **csrf},
                )
                assert r.status_code == 200, r.text
                etag = r.headers["etag"]

            edit()
            print(f"    {'data edit (write one cell, validate)':<38} {median_ms(edit, runs):7.1f} ms")
            in_process(root, runs)


def in_process(root: Path, runs: int) -> None:
    """The same edit without HTTP: the library call the route makes (read-back parse, atomic write
    with fsync, validation)."""
    from drafting.server import reports
    from drafting.server.workspace import Workspace

    ws = Workspace(root)
    state = reports.read_state(ws, NAME)
    counter = iter(range(10**6))

    def edit() -> None:
        nonlocal state
        state = reports.save_changes(ws, NAME, state.etag, {"table2.licensing": next(counter) % 7})

    edit()
    print(f"    {'data edit in-process (save_changes)':<38} {median_ms(edit, runs):7.1f} ms")


def first_character(rounds: int) -> None:
    import httpx

    from tests.llm_support import KEY
    from tests.openai_stub import stub_server
    from tests.revise_support import append_reply
    from tests.serve_support import CHROMIUM_ARGS, chromium, running

    os.environ["OPENAI_API_KEY"] = KEY
    print("(2) model's first token → first character on the page (target ≤ 200 ms)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(EXAMPLE, root / NAME)
        with stub_server(reply=append_reply(), chunk_delay=0.05) as stub:
            with running(root, model="openai:bench-model", base_url=stub.base_url) as server:
                with httpx.Client(base_url=server.url, timeout=60) as http:
                    csrf = {"x-csrf-token": server.csrf}
                    job = http.post(f"/api/r/{NAME}/draft", headers=csrf).json()["job"]
                    with http.stream("GET", f"/api/r/{NAME}/events?job={job}") as stream:
                        for _ in stream.iter_lines():
                            pass
                    sse = []
                    for _ in range(rounds):
                        etag = server.app.state.drafting.desk(NAME).etag()
                        started = http.post(
                            f"/api/r/{NAME}/revise",
                            json={"section": "problems", "instruction": "补充一句"},
                            headers={"if-match": etag, **csrf},
                        )
                        assert started.status_code == 202, started.text
                        seen = None
                        with http.stream(
                            "GET", f"/api/r/{NAME}/events?job={started.json()['job']}"
                        ) as stream:
                            for line in stream.iter_lines():
                                if seen is None and line.startswith("event: text"):
                                    seen = time.monotonic()
                        assert seen is not None
                        sse.append((seen - stub.state.first_chunk_at[-1]) * 1000)
                        http.post(f"/api/r/{NAME}/reject", json={}, headers=csrf)
                    print(
                        f"    SSE client: median {statistics.median(sse):6.1f} ms, max {max(sse):6.1f} ms over {rounds}"
                    )
                    browser_figures = _in_browser(server, stub, rounds, chromium(), CHROMIUM_ARGS)
                    if browser_figures:
                        print(
                            f"    chromium page: median {statistics.median(browser_figures):6.1f} ms, "
                            f"max {max(browser_figures):6.1f} ms over {len(browser_figures)}"
                        )
                    else:
                        print("    chromium page: skipped (no chromium found)")


def _in_browser(
    server: object, stub: object, rounds: int, executable: str | None, args: list[str]
) -> list[float]:
    if executable is None:
        return []
    from playwright.sync_api import sync_playwright

    figures: list[float] = []
    url = f"{server.url}/r/{NAME}/draft"  # type: ignore[attr-defined]
    observer = (
        "document.addEventListener('DOMContentLoaded', () => {"
        " const box = document.querySelector('.js-stream-text'); if (!box) return;"
        " new MutationObserver((_, obs) => { if (box.textContent) { window.__first(); obs.disconnect(); } })"
        ".observe(box, {childList: true, characterData: true, subtree: true}); });"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        seen: list[float] = []
        page.expose_binding("__first", lambda source: seen.append(time.monotonic()))
        page.add_init_script(observer)
        for _ in range(rounds):
            page.goto(url)
            page.select_option(".js-section", "problems")
            page.fill(".js-instruction", "补充一句")
            count = len(seen)
            page.click(".js-revise")
            page.locator(".js-proposal").wait_for(state="visible", timeout=30_000)
            if len(seen) > count:
                figures.append((seen[-1] - stub.state.first_chunk_at[-1]) * 1000)  # type: ignore[attr-defined]
            page.click(".js-reject")
            page.wait_for_timeout(100)
        browser.close()
    return figures


def memory(reports: int) -> None:
    import httpx

    from drafting.data import load_data
    from drafting.data.template import data_yaml
    from tests.serve_support import running

    print(f"(3) memory with {reports} reports in a workspace")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = load_data(EXAMPLE).data
        for n in range(reports):
            name = f"{base.agency.name}{n:02d}"
            data = base.model_copy(update={"agency": base.agency.model_copy(update={"name": name})})
            (root / f"report-{n:02d}.yaml").write_text(data_yaml(data), encoding="utf-8")
        before = rss_mb()
        with running(root) as server, httpx.Client(base_url=server.url, timeout=120) as http:
            started = time.perf_counter()
            assert http.get("/").status_code == 200
            first = time.perf_counter() - started
            listed = rss_mb()
            for n in range(reports):
                assert http.get(f"/r/report-{n:02d}.yaml").status_code == 200
            opened = rss_mb()
            started = time.perf_counter()
            http.get("/")
            again = time.perf_counter() - started
        print(f"    resident memory: {before:6.1f} MB before the server, {listed:6.1f} MB after listing all,")
        print(f"                     {opened:6.1f} MB after opening every data page")
        print(
            f"    home page: {first * 1000:6.0f} ms the first time (each report read and checked), {again * 1000:5.0f} ms after"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--rounds", type=int, default=5, help="revisions streamed for figure (2)")
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--quick", action="store_true", help="a smoke run: few requests, 5 reports")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.rounds, args.reports = 3, 1, 5
    os.environ.setdefault("DRAFTING_HOME", tempfile.mkdtemp(prefix="drafting-bench-"))
    pages_and_edits(args.runs)
    first_character(args.rounds)
    memory(args.reports)


if __name__ == "__main__":
    main()
