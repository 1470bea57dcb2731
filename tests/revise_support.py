"""Helpers for the revision tests: a drafted draft file on disk, a loopback server that answers
revision requests, and the terminal loop driven through prompt_toolkit pipe input."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from drafting import offline
from drafting.cli import cli
from drafting.cli.revise_tui import Screen, run
from drafting.data import load_data
from drafting.revise.session import RevisionSession

from .conftest import REFERENCE_EXAMPLE
from .llm_support import keyed as keyed  # revise tests import it from here
from .llm_support import keyed_fixture as keyed_fixture  # bound: _keyed = revise_support.keyed_fixture
from .openai_stub import StubServer, stub_server
from .pty_support import ANSI

MODEL = "openai:revise-model"
STEM = "daxinganling-2023"
DATA = load_data(REFERENCE_EXAMPLE).data
# A sentence only the server writes, with no number in it: a revision that passes the checks.
REVISED = "此外，政策解读的形式还比较单一，图表解读运用不多。"
# What the author asks for in most revision tests.
INSTRUCTION = "补充：政策解读形式比较单一"


def draft_dir(tmp_path: Path, formats: str = "md,txt") -> Path:
    """An offline draft of the reference data, written by the real command; its .draft.json."""
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["draft", str(REFERENCE_EXAMPLE), "-o", str(out), "--format", formats])
    assert result.exit_code == 0, result.output
    return out / f"{STEM}.draft.json"


# Fixtures of the command and terminal tests. pytest finds a fixture by its name in the test module,
# so a module binds them: ``_keyed = revise_support.keyed_fixture``, ``draft = revise_support.draft_fixture``.


@pytest.fixture
def draft_fixture(tmp_path: Path) -> Path:
    return draft_dir(tmp_path)


def current_text(body: dict[str, Any]) -> list[str]:
    """The section text a revision request carries (between the <<< >>> after 现在的正文)."""
    user = "\n".join(str(m["content"]) for m in body["messages"] if m["role"] == "user")
    match = re.search(r"现在的正文如下（每段一行）：\n<<<\n(.*?)\n>>>", user, re.S)
    assert match, user
    return match.group(1).split("\n")


def instruction_of(body: dict[str, Any]) -> str:
    user = "\n".join(str(m["content"]) for m in body["messages"] if m["role"] == "user")
    match = re.search(r"作者的修改要求：\n<<<\n(.*?)\n>>>", user, re.S)
    assert match, user
    return match.group(1)


def append_reply(sentence: str = REVISED) -> Callable[[dict[str, Any]], str]:
    """Answers a revision with the current text plus ``sentence`` at the end of its first paragraph."""

    def reply(body: dict[str, Any]) -> str:
        paragraphs = current_text(body)
        paragraphs[0] += sentence
        return "\n\n".join(paragraphs)

    return reply


@contextmanager
def revision_server(reply: Callable[[dict[str, Any]], str] | None = None) -> Iterator[StubServer]:
    with stub_server(reply=reply or append_reply()) as server:
        yield server


def revise_cli(draft: Path, *args: str, server: StubServer | None = None) -> Result:
    extra = ["--model", MODEL, "--base-url", server.base_url] if server is not None else []
    return CliRunner().invoke(cli, ["revise", str(draft), *args, *extra])


def draft_json(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def offline_text(section: str) -> list[str]:
    return offline.write_section(section, DATA)


class Terminal:
    """The real loop (``revise_tui.run``) with keys from a pipe and the screen in a string."""

    def __init__(
        self, session: RevisionSession, width: int = 80, editor: Any = None, history_file: Path | None = None
    ) -> None:
        self.session = session
        self.history_file = history_file
        self.buffer = io.StringIO()
        # A colour terminal, so the diff's styles can be read back from the escape codes.
        self.console = Console(file=self.buffer, width=width, force_terminal=True, color_system="standard")
        self.editor = editor

    @property
    def raw(self) -> str:
        return self.buffer.getvalue()

    @property
    def text(self) -> str:
        return ANSI.sub("", self.raw)

    def play(self, *keys: str) -> str:
        """Type ``keys`` (``\\r`` is Enter) and run the loop until it quits; the screen's text."""
        with create_pipe_input() as pipe:
            for k in keys:
                pipe.send_text(k)
            pipe.close()  # the keys run out: the loop ends as on Ctrl-D, never hangs a test
            screen = Screen(
                console=self.console, input=pipe, output=DummyOutput(), history_file=self.history_file
            )
            if self.editor is not None:
                screen.editor = self.editor
            run(self.session, screen)
        return self.text
