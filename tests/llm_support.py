"""Helpers for tests of the model path: which section a request is for, and answers that pass the
checks (the offline text plus a sentence only the server writes, so a test can tell who wrote it)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from drafting import official, offline
from drafting.data import load_data
from drafting.data.model import ReportData
from drafting.document import part_heading

from .conftest import REFERENCE_EXAMPLE
from .openai_stub import Recorded

SERVER_SENTENCE = "本段由接口服务器撰写。"
KEY = "sk-test-SECRET-0123456789abcdef"

# Short waits everywhere: the policy is the same, only its numbers are small.
FAST = {
    "DRAFTING_BACKOFF_INITIAL": "0.01",
    "DRAFTING_BACKOFF_MAX": "0.05",
    "DRAFTING_TIMEOUT": "2",
    "DRAFTING_CONNECT_TIMEOUT": "2",
    "DRAFTING_DEADLINE": "20",
}


def fast_settings(monkeypatch: pytest.MonkeyPatch, **extra: str) -> None:
    for name, value in {**FAST, **extra}.items():
        monkeypatch.setenv(name, value)


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


def tree_bytes(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
