"""The interactive loop, driven as a user drives it: keys through prompt_toolkit's pipe input (and
once through a real pseudo-terminal), the model on a loopback HTTP server, the editor a real
``$EDITOR`` command, the draft file on disk."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from drafting import pins
from drafting.backends import ChatRequest, Completion, get_backend
from drafting.backends.base import OnText
from drafting.cli.revise_tui import HELP
from drafting.document import load_draft
from drafting.revise.prompt import RETRY
from drafting.revise.session import RevisionSession

from . import revise_support
from .pty_support import Pty
from .revise_support import (
    INSTRUCTION,
    MODEL,
    REVISED,
    Terminal,
    append_reply,
    current_text,
    draft_json,
    instruction_of,
    offline_text,
    revision_server,
)

_keyed = revise_support.keyed_fixture  # keys and fast retries for every test
draft = revise_support.draft_fixture  # an offline draft of the reference data on disk: its .draft.json


def _editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    """``$EDITOR`` is a small program that edits the file it is given, as an author would."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\np = pathlib.Path(sys.argv[1])\ntext = p.read_text(encoding='utf-8')\n" + body,
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)


def test_revise_see_the_diff_accept_undo_redo_and_quit(draft: Path) -> None:
    with revision_server() as server:
        session = RevisionSession(draft, get_backend(MODEL, base_url=server.base_url))
        term = Terminal(session)
        screen = term.play("2\r", INSTRUCTION + "\r", "a", "u\r", "U\r", "q\r")
    assert instruction_of(server.requests[0].body) == INSTRUCTION
    assert "正在请 openai:revise-model 修订“存在的主要问题”" in screen
    # The answer streamed in before the diff was shown (its lines broken for the terminal: read
    # across them); the diff marks the insertion as one.
    flat = screen.replace("\n", "")
    assert flat.index(REVISED) < flat.index("差异：")
    styles = [m.group(1).split(";") for m in re.finditer(r"\x1b\[([0-9;]*)m此外", term.raw)]
    assert any("4" in s and "32" in s for s in styles), "the inserted sentence is not styled as an insertion"
    assert "检查：通过" in screen
    assert "已接受并保存（修改历史第 1 条）" in screen
    assert "已撤销" in screen and "已重做" in screen

    saved = load_draft(draft)
    expected = offline_text("problems")
    expected[0] += REVISED
    assert saved.section("problems").paragraphs == expected  # redone
    assert [e["kind"] for e in saved.history] == ["revise", "undo", "redo"]
    reopened = RevisionSession(draft)
    assert reopened.stacks.undo == [1] and reopened.stacks.redo == []


def test_a_stream_that_fails_half_way_leaves_the_section_and_the_file(
    draft: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRAFTING_MAX_ATTEMPTS", "2")
    before = draft.read_bytes()
    reply = append_reply()
    with revision_server(reply) as server:
        server.state.always = "cut_stream"
        session = RevisionSession(draft, get_backend(MODEL, base_url=server.base_url))
        screen = Terminal(session).play("2\r", INSTRUCTION + "\r", "q\r")
        answer = reply(server.requests[0].body)
    assert answer[:20] in screen  # the part that arrived was shown as it came
    assert "连接中断，重新请求" in screen  # the second attempt started over
    assert "在完成前中断" in screen or "连接在回答完成前中断" in screen
    assert "本节未作改动，没有保存任何内容" in screen
    assert draft.read_bytes() == before
    assert session.pending is None and session.history == []
    assert session.section("problems").paragraphs == offline_text("problems")


def test_commands_are_listed_and_every_screen_fits_80_columns(draft: Path) -> None:
    session = RevisionSession(draft)
    screen = Terminal(session, width=80).play("?\r", "l\r", "2\r", "pin\r", "log\r", "q\r")
    for key, _ in HELP:
        assert key in screen
    for label in ("总体情况（overview）", "存在的主要问题（problems）", "改进措施（improvements）"):
        assert label in screen
    assert "其他需要报告的事项" in screen
    assert max(cell_len(line) for line in screen.splitlines()) <= 80
    # sentences numbered for pin (the section's opening varies per agency and year: issue 14)
    first = load_draft(draft).section("problems").paragraphs[0][:12]
    assert f"1.1 {first}" in screen


def test_an_unknown_command_and_no_section_get_a_pointer_to_help(draft: Path) -> None:
    screen = Terminal(RevisionSession(draft)).play("s\r", "xyz\r", "9\r", "q\r")
    assert "请先选择一节" in screen
    assert "没有第 9 节" in screen


def test_edit_by_hand_in_the_editor(draft: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _editor(
        tmp_path,
        monkeypatch,
        "p.write_text(text.replace('队伍建设不足', '队伍建设仍显薄弱'), encoding='utf-8')\n",
    )
    session = RevisionSession(draft)  # offline: editing by hand needs no model
    screen = Terminal(session).play("2\r", "m\r", "a", "q\r")
    assert "已接受并保存" in screen
    problems = load_draft(draft).section("problems")
    assert problems.backend == "manual" and problems.edited
    assert "队伍建设仍显薄弱" in problems.paragraphs[0]
    assert load_draft(draft).history[0]["kind"] == "manual"


def test_instructions_composed_in_the_editor_or_on_several_lines(
    draft: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _editor(tmp_path, monkeypatch, "p.write_text(text + '语气更正式\\n再压缩一些\\n', encoding='utf-8')\n")
    with revision_server() as server:
        session = RevisionSession(draft, get_backend(MODEL, base_url=server.base_url))
        Terminal(session).play("2\r", "e\r", "x", "i\r", "第一行要求\r第二行要求\x1b\r", "x", "q\r")
        sent = [instruction_of(r.body) for r in server.requests]
    assert sent == ["语气更正式\n再压缩一些", "第一行要求\n第二行要求"]  # the template's # lines left out
    assert draft_json(draft)["history"] == []  # both rejected


def test_retry_shows_the_model_the_rejected_answer(draft: Path) -> None:
    calls: list[dict[str, Any]] = []
    answers: list[str] = []

    def reply(body: dict[str, Any]) -> str:
        calls.append(body)
        answers.append("\n".join(current_text(body)) + ("第一稿。" if len(calls) == 1 else "第二稿。"))
        return answers[-1]

    with revision_server(reply) as server:
        session = RevisionSession(draft, get_backend(MODEL, base_url=server.base_url))
        Terminal(session).play("2\r", INSTRUCTION + "\r", "t", "a", "q\r")
    second = calls[1]["messages"]
    assert second[-2] == {"role": "assistant", "content": answers[0]}
    assert second[-1] == {"role": "user", "content": RETRY}
    saved = load_draft(draft).section("problems").paragraphs
    assert saved[0].endswith("第二稿。")


def test_a_pinned_sentence_survives_a_revision_that_dropped_it(draft: Path) -> None:
    pinned = "以行署门户网站为主、线下办公场所公示为辅，及时公开本局政府信息。"

    def reply(body: dict[str, Any]) -> str:
        user = "\n".join(m["content"] for m in body["messages"] if m["role"] == "user")
        assert f"- {pinned}" in user  # the prompt tells the model what is pinned
        paragraphs = [p.replace(pinned, "") for p in current_text(body)]
        paragraphs[1] += "主动公开工作稳步推进。"
        return "\n\n".join(paragraphs)

    with revision_server(reply) as server:
        session = RevisionSession(draft, get_backend(MODEL, base_url=server.base_url))
        # Where the pinned sentence is (the offline wording, and so its place, varies: issue 14).
        at = next(
            f"{n}.{k}"
            for n, p in enumerate(load_draft(draft).section("overview").paragraphs, 1)
            for k, sentence in enumerate(pins.sentences(p), 1)
            if sentence == pinned
        )
        screen = Terminal(session).play("1\r", f"pin {at}\r", "语气更正式\r", "a", "q\r")
    assert "已固定" in screen
    assert "已按原文放回" in screen
    overview = load_draft(draft).section("overview")
    assert overview.pinned == [pinned]
    assert sum(p.count(pinned) for p in overview.paragraphs) == 1
    assert "主动公开工作稳步推进。" in overview.paragraphs[1]


def test_a_data_change_gets_the_answer_not_a_request(draft: Path) -> None:
    with revision_server() as server:
        session = RevisionSession(draft, get_backend(MODEL, base_url=server.base_url))
        screen = Terminal(session).play("1\r", "把新收申请改为12件\r", "q\r")
        assert server.requests == []
    # The answer names the draft's path, so where the 80-column screen wraps it (at a space, or
    # inside a word) depends on how long the temporary path is: read it with the spacing taken out.
    unwrapped = "".join(screen.split())
    assert "表格和数字已锁定" in unwrapped and "draftingdraft" in unwrapped


def test_offline_the_loop_explains_and_still_regenerates_and_undoes(draft: Path) -> None:
    session = RevisionSession(draft)
    session.edit("problems", "我局的问题写在这里。")
    session.accept()
    screen = Terminal(session).play("2\r", "语气更正式\r", "g\r", "a", "u\r", "q\r")
    assert "需要调用模型接口" in screen and "--model" in screen
    assert "已接受并保存（修改历史第 2 条）" in screen
    assert "已撤销" in screen
    assert load_draft(draft).section("problems").paragraphs == ["我局的问题写在这里。"]


def test_every_instruction_typed_is_kept_on_disk(draft: Path, tmp_path: Path) -> None:
    # Offline, the instruction cannot be carried out; what the author typed is still on disk, for ↑
    # in this session or the next one.
    history = tmp_path / "data" / "revise-history.txt"
    Terminal(RevisionSession(draft), history_file=history).play("2\r", "语气更正式，突出问题导向\r", "q\r")
    assert "语气更正式，突出问题导向" in history.read_text(encoding="utf-8")


class _InterruptedMidStream:
    """A backend the author interrupts with Ctrl-C while its answer is arriving."""

    name = "openai:interrupted"

    def complete(self, request: ChatRequest, on_text: OnText | None = None) -> Completion:
        if on_text is not None:
            on_text("")
            on_text("2023年，我局政府信息")
        raise KeyboardInterrupt

    def close(self) -> None:
        """Nothing to release."""


def test_ctrl_c_while_the_answer_streams_cancels_only_that_revision(draft: Path) -> None:
    before = draft.read_bytes()
    session = RevisionSession(draft, _InterruptedMidStream())
    screen = Terminal(session).play("2\r", INSTRUCTION + "\r", "s\r", "q\r")
    assert "2023年，我局政府信息" in screen
    assert "已取消本次修订，本节未作改动" in screen
    assert "检查：通过" in screen  # the loop went on: ``s`` still answered
    assert draft.read_bytes() == before and session.pending is None


def test_new_errors_are_shown_before_the_choice(draft: Path) -> None:
    with revision_server(append_reply("全年共组织培训27次。")) as server:
        session = RevisionSession(draft, get_backend(MODEL, base_url=server.base_url))
        screen = Terminal(session).play("2\r", "补充培训\r", "x", "q\r")
    numbers = screen.index("【新·数字】")
    assert "27" in screen[numbers : numbers + 200]
    assert numbers < screen.index("带来了") < screen.index("已放弃")
    assert load_draft(draft).history == []


# --- a real terminal ---------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_session_in_a_real_terminal(draft: Path) -> None:
    with revision_server() as server:
        env = dict(os.environ, TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1")
        term = Pty(["revise", str(draft), "--model", MODEL, "--base-url", server.base_url], env)
        try:
            term.expect("revise>")
            term.send("2\r")
            term.expect("problems>")
            term.send(INSTRUCTION + "\r")
            term.expect("[a]接受")
            term.send("a")
            term.expect("已接受并保存")
            term.send("u\r")
            term.expect("已撤销")
            term.send("q\r")
            term.expect("已更新文档")
        finally:
            code = term.close()
    assert code == 0, term.text[-2000:]
    saved = load_draft(draft)
    assert [e["kind"] for e in saved.history] == ["revise", "undo"]
    assert saved.section("problems").paragraphs == offline_text("problems")
