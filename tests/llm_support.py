"""Helpers for tests of the model path: which section a request is for, and answers that pass the
checks (the offline text plus a sentence only the server writes, so a test can tell who wrote it)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from drafting import official, offline
from drafting.data import load_data
from drafting.data.model import ReportData
from drafting.document import part_heading

from .conftest import REFERENCE_EXAMPLE
from .openai_stub import Recorded, StubServer

SERVER_SENTENCE = "本段由接口服务器撰写。"
MODEL = "openai:test-model"
KEY = "sk-test-SECRET-0123456789abcdef"

# Short waits everywhere: the policy is the same, only its numbers are small.
FAST = {
    "DRAFTING_BACKOFF_INITIAL": "0.01",
    "DRAFTING_BACKOFF_MAX": "0.05",
    "DRAFTING_TIMEOUT": "2",
    "DRAFTING_CONNECT_TIMEOUT": "2",
    "DRAFTING_DEADLINE": "20",
}


# ``drafting ARGS`` in a child process that waits for LangSmith's background tracers before it
# exits, so that anything they would send has been sent when the test looks.
_TRACED_CLI = (
    "import sys\n"
    "from drafting.cli import cli\n"
    "from langchain_core.tracers.langchain import wait_for_all_tracers\n"
    "try:\n"
    "    cli.main(sys.argv[1:], standalone_mode=False)\n"
    "finally:\n"
    "    wait_for_all_tracers()\n"
)


def tracing_env(endpoint: str) -> dict[str, str]:
    """This environment with LangSmith tracing switched on, sending to ``endpoint``."""
    return {
        **os.environ,
        "LANGSMITH_TRACING": "true",
        "LANGCHAIN_TRACING_V2": "true",
        "LANGSMITH_ENDPOINT": endpoint,
        "LANGCHAIN_ENDPOINT": endpoint,
        "LANGSMITH_API_KEY": "ls-test-key",
    }


def run_traced_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``drafting ARGS`` in a child process, so that LangSmith reads the tracing variables fresh."""
    return subprocess.run(
        [sys.executable, "-c", _TRACED_CLI, *args], env=env, capture_output=True, text=True, timeout=120
    )


def run_draft(
    server: StubServer, out: Path, *extra: str, files: Sequence[Path] = (REFERENCE_EXAMPLE,)
) -> Result:
    """``drafting draft FILES -o OUT --model openai:test-model --base-url SERVER EXTRA…``."""
    from drafting.cli import cli

    args = [
        "draft",
        *map(str, files),
        "-o",
        str(out),
        "--model",
        MODEL,
        "--base-url",
        server.base_url,
        *extra,
    ]
    return CliRunner().invoke(cli, args)


def fast_settings(monkeypatch: pytest.MonkeyPatch, **extra: str) -> None:
    for name, value in {**FAST, **extra}.items():
        monkeypatch.setenv(name, value)


# pytest sees a fixture defined here only once a test module binds it:
# ``_keyed = llm_support.keyed_fixture``.


def keyed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The OpenAI key of the loopback server, and retries and waits short enough for a test."""
    fast_settings(monkeypatch, OPENAI_API_KEY=KEY)


@pytest.fixture(autouse=True)
def keyed_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    keyed(monkeypatch)


def section_of(body: dict[str, Any]) -> str:
    """The narrative section a chat request asks for, from its ``要写的部分：`` line."""
    user = "\n".join(str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "user")
    match = re.search(r"要写的部分：(.+)", user)
    assert match, "request without a section line"
    line = match.group(1)
    for spec in reversed(official.NARRATIVE_SECTIONS):  # titles before the headings they share
        if spec.title and spec.title in line:
            return spec.id
    for spec in official.NARRATIVE_SECTIONS:
        if part_heading(spec.part) in line:
            return spec.id
    raise AssertionError(line)


def section_of_record(record: Recorded) -> str:
    return section_of(record.body)


def good_text(section: str, data: ReportData) -> str:
    paragraphs = offline.write_section(section, data)
    paragraphs[0] += SERVER_SENTENCE
    return "\n\n".join(paragraphs)


def good_reply(data_file: Path = REFERENCE_EXAMPLE) -> Callable[[dict[str, Any]], str]:
    """Answers every section of this data file correctly, marked as the server's."""
    data = load_data(data_file).data
    return lambda body: good_text(section_of(body), data)


def all_written_text(*roots: Path) -> bytes:
    """Every byte the run left on disk, docx parts unzipped."""
    import zipfile

    blob = b""
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            blob += path.read_bytes()
            if path.suffix == ".docx":
                with zipfile.ZipFile(path) as z:
                    blob += b"".join(z.read(n) for n in z.namelist())
    return blob


def tree_bytes(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
