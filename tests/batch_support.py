"""Helpers for the batch tests: many agencies' data files made from the ``init`` template, a reply that
answers each agency's sections correctly (marked as the server's), and the CLI in-process or in a
child process that a test can kill."""

from __future__ import annotations

import functools
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from drafting import offline
from drafting.cli import cli
from drafting.data import load_data
from drafting.data.model import ReportData
from drafting.data.template import template_yaml
from drafting.document import Draft, load_draft

from .batch_stub import base_url
from .llm_support import KEY, SERVER_SENTENCE, section_of
from .openai_stub import StubServer

AGENCY = re.compile(r"某市第\d{3}局")


@functools.cache
def _template_data() -> ReportData:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "template.yaml"
        path.write_text(template_yaml("某市第000局", 2024), encoding="utf-8")
        return load_data(path).data


def make_agencies(folder: Path, n: int, start: int = 1) -> tuple[list[Path], dict[str, ReportData]]:
    """``n`` small data files from the template, each its own agency with its own figures (a mixed-up
    answer names the wrong figure and fails the check). The data each holds is built beside it, not
    read back, so that making 200 costs little."""
    folder.mkdir(parents=True, exist_ok=True)
    paths, datas = [], {}
    base = template_yaml("某市第000局", 2024)
    template = _template_data()
    for i in range(start, start + n):
        name = f"某市第{i:03d}局"
        text = base.replace("某市第000局", name).replace(
            "licensing:            0", f"licensing:            {i}", 1
        )
        path = folder / f"unit-{i:03d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        agency = template.agency.model_copy(update={"name": name})
        table2 = template.table2.model_copy(update={"licensing": i})
        datas[name] = template.model_copy(update={"agency": agency, "table2": table2})
    return paths, datas


def agency_of(body: dict[str, Any]) -> str:
    system = str(body["messages"][0]["content"])
    match = AGENCY.search(system)
    assert match, "request without an agency"
    return match.group(0)


def good_answer(body: dict[str, Any], datas: dict[str, ReportData]) -> str:
    paragraphs = offline.write_section(section_of(body), datas[agency_of(body)])
    paragraphs[0] += SERVER_SENTENCE
    return "\n\n".join(paragraphs)


def reply_for(datas: dict[str, ReportData]) -> Callable[[dict[str, Any]], str]:
    return lambda body: good_answer(body, datas)


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def submit_args(
    paths: Sequence[Path], base_url: str, out: Path, model: str = "openai:test-model"
) -> list[str]:
    return [
        "batch",
        "submit",
        *map(str, paths),
        "--model",
        model,
        "--base-url",
        base_url,
        "-o",
        str(out),
        "--format",
        "md",
    ]


def submit(paths: Sequence[Path], server: StubServer, out: Path) -> Result:
    """``drafting batch submit`` of the data files to the loopback batch API, in-process."""
    return invoke(*submit_args(paths, base_url(server, "openai"), out))


def drafts(out: Path) -> dict[str, Draft]:
    return {p.name.removesuffix(".draft.json"): load_draft(p) for p in sorted(out.glob("*.draft.json"))}


def by_server(draft: Draft) -> bool:
    """Every section of the draft is the server's answer (none fell back to the offline text)."""
    return all(s.backend != "offline" and SERVER_SENTENCE in s.paragraphs[0] for s in draft.sections)


def child(args: Sequence[str], env_extra: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """``drafting ARGS`` in a child process (a test may kill it)."""
    env = {**os.environ, "OPENAI_API_KEY": KEY, **(env_extra or {})}
    return subprocess.Popen(
        [sys.executable, "-c", "from drafting.cli import main; main()", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_child(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    proc = child(args)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(list(args), proc.returncode, out, err)


def kill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=10) == -signal.SIGKILL
