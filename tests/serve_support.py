"""Helpers for the web workspace's tests: a workspace folder, the real server (uvicorn) on a free
loopback port in a thread, and the chromium the browser tests drive."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafting.server import ServerOptions, create_app

from .browser_support import CHROMIUM_ARGS, chromium
from .conftest import EXAMPLES

__all__ = ["CHROMIUM_ARGS", "chromium"]  # bench_serve takes them from here


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def excel_sheet(
    path: Path, cells: dict[str, dict[str, object]], agency: str = "某市某局", year: int = 2025
) -> Path:
    """The Excel template ``drafting init --xlsx`` writes, saved at ``path`` with ``cells`` typed in
    as an author would (sheet → cell → value)."""
    from openpyxl import load_workbook

    from drafting.data.excel import template_workbook

    path.write_bytes(template_workbook(agency, year))
    if cells:
        book = load_workbook(path)
        for sheet, values in cells.items():
            for ref, value in values.items():
                book[sheet][ref] = value
        book.save(path)
    return path


def workspace(tmp_path: Path, *examples: str) -> Path:
    root = tmp_path / "工作区"
    root.mkdir()
    for name in examples:
        shutil.copy(EXAMPLES / name, root / name)
    return root


@dataclass
class Running:
    url: str  # http://127.0.0.1:PORT
    root: Path
    app: Any
    port: int

    @property
    def csrf(self) -> str:
        token: str = self.app.state.drafting.csrf
        return token


@contextmanager
def running(root: Path, **options: Any) -> Iterator[Running]:
    """``drafting serve ROOT`` as a real HTTP server, until the block ends."""
    import uvicorn

    port = free_port()
    app = create_app(root, ServerOptions(port=port, **options))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield Running(f"http://127.0.0.1:{port}", root, app, port)
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def serve_command(*args: str) -> Iterator[tuple[str, list[str]]]:
    """``drafting serve ARGS --port 0`` as a user runs it: the address it printed (once it answers)
    and the lines it printed before; stopped with Ctrl+C (SIGINT) when the block ends."""
    import signal
    import subprocess
    import sys

    import httpx

    process = subprocess.Popen(
        [sys.executable, "-c", "from drafting.cli import main; main()", "serve", *args, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    printed: list[str] = []
    try:
        assert process.stdout is not None
        url = ""
        for _ in range(6):
            line = process.stdout.readline()
            printed.append(line)
            if "http://127.0.0.1:" in line:
                url = line[line.index("http://") :].strip()
                break
        assert url, f"no address printed: {printed}"
        for _ in range(100):
            try:
                httpx.get(url, timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url, printed
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
        assert "Traceback" not in (process.stderr.read() if process.stderr else "")
