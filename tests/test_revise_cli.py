"""``drafting revise`` without a terminal: one revision against a real HTTP server on 127.0.0.1,
saved with its history; every table and other section untouched; ``--undo`` restores it. Then the
answers instead of revisions (tables locked, no model offline), the previews and exit codes, and
the offline actions (regenerate, manual edit, pin)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from drafting.document import load_draft
from drafting.prompts import load_task_prompt

from . import revise_support
from .llm_support import KEY, run_traced_cli, tracing_env
from .openai_stub import Sink
from .revise_support import (
    INSTRUCTION,
    MODEL,
    REVISED,
    STEM,
    append_reply,
    draft_json,
    instruction_of,
    offline_text,
    revise_cli,
    revision_server,
)

_keyed = revise_support.keyed_fixture  # keys and fast retries for every test
draft = revise_support.draft_fixture  # an offline draft of the reference data on disk: its .draft.json


def _canonical(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def test_a_revision_replaces_the_section_records_it_and_undo_restores_it(draft: Path) -> None:
    """The issue's "done when"."""
    before = draft_json(draft)
    with revision_server() as server:
        result = revise_cli(
            draft, "--section", "problems", "--instruction", INSTRUCTION, "--yes", server=server
        )
    assert result.exit_code == 0, result.output
    assert len(server.requests) == 1
    assert instruction_of(server.requests[0].body) == INSTRUCTION
    assert server.requests[0].body["stream"] is True  # the answer streamed in

    after = draft_json(draft)
    expected = offline_text("problems")
    expected[0] += REVISED
    problems = next(s for s in after["sections"] if s["id"] == "problems")
    assert problems["paragraphs"] == expected
    assert problems["backend"] == MODEL and problems["edited"] is True

    # Every table, the data, the preamble and every other section: byte-identical.
    for key in before:
        if key not in ("sections", "history"):
            assert _canonical(after[key]) == _canonical(before[key]), key
    for old, new in zip(before["sections"], after["sections"], strict=True):
        if old["id"] != "problems":
            assert _canonical(new) == _canonical(old), old["id"]

    # The history entry: time, instruction, before/after, model, prompt version.
    (entry,) = after["history"]
    assert entry["kind"] == "revise" and entry["section"] == "problems" and entry["n"] == 1
    assert entry["instruction"] == INSTRUCTION
    assert entry["before"]["paragraphs"] == offline_text("problems")
    assert entry["after"]["paragraphs"] == expected
    assert entry["model"] == MODEL
    assert entry["prompt_version"] == load_task_prompt("revise").version
    assert entry["time"]
    assert "已保存" in result.output
    md = draft.with_name(f"{STEM}.md").read_text(encoding="utf-8")
    assert REVISED in md  # the rendered documents follow the draft
    assert REVISED in draft.with_name(f"{STEM}.txt").read_text(encoding="utf-8")

    undone = revise_cli(draft, "--undo")
    assert undone.exit_code == 0, undone.output
    restored = draft_json(draft)
    assert _canonical({k: v for k, v in restored.items() if k != "history"}) == _canonical(
        {k: v for k, v in before.items() if k != "history"}
    )
    assert [e["kind"] for e in restored["history"]] == ["revise", "undo"]
    assert restored["history"][1]["of"] == 1
    assert REVISED not in draft.with_name(f"{STEM}.md").read_text(encoding="utf-8")
    assert "已撤销" in undone.output


def test_the_key_reaches_no_file_or_output(draft: Path) -> None:
    with revision_server() as server:
        result = revise_cli(
            draft, "--section", "problems", "--instruction", INSTRUCTION, "--yes", server=server
        )
    assert result.exit_code == 0
    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert KEY not in result.output
    for path in draft.parent.iterdir():
        assert KEY.encode() not in path.read_bytes()


def test_without_yes_it_shows_the_diff_and_saves_nothing(draft: Path) -> None:
    before = draft.read_bytes()
    with revision_server() as server:
        result = revise_cli(draft, "--section", "problems", "--instruction", INSTRUCTION, server=server)
    assert result.exit_code == 0, result.output
    assert "{+" + REVISED + "+}" in result.output  # the insertion, marked for output without colour
    assert "没有新的问题" in result.output and "未保存" in result.output
    assert draft.read_bytes() == before


def test_a_revision_that_invents_a_number_is_not_saved(draft: Path) -> None:
    before = draft.read_bytes()
    with revision_server(append_reply("全年共组织培训27次。")) as server:
        preview = revise_cli(draft, "--section", "problems", "--instruction", "补充培训情况", server=server)
        yes = revise_cli(
            draft, "--section", "problems", "--instruction", "补充培训情况", "--yes", server=server
        )
    assert preview.exit_code == 1 and yes.exit_code == 1
    for result in (preview, yes):
        assert "27" in result.output and "【新】错误" in result.output
    assert "未保存" in yes.output and "--force" in yes.output
    assert draft.read_bytes() == before


def test_force_saves_it_and_the_history_keeps_the_findings(draft: Path) -> None:
    with revision_server(append_reply("全年共组织培训27次。")) as server:
        result = revise_cli(
            draft, "--section", "problems", "--instruction", "补充培训情况", "--yes", "--force", server=server
        )
    assert result.exit_code == 0, result.output
    (entry,) = draft_json(draft)["history"]
    assert any("27" in f for f in entry["findings"])


@pytest.mark.parametrize("instruction", ["把新收申请改为12件", "修改表三", "表四里的复议数字改一下"])
def test_an_instruction_to_change_the_data_gets_the_data_file_answer(draft: Path, instruction: str) -> None:
    before = draft.read_bytes()
    with revision_server() as server:
        result = revise_cli(
            draft, "--section", "overview", "--instruction", instruction, "--yes", server=server
        )
        assert server.requests == []  # answered here, never sent to the model
    assert result.exit_code == 2
    assert "表格和数字已锁定" in result.output
    data_file = load_draft(draft).provenance.data_file
    assert f"请先修改数据文件 {data_file}" in result.output
    assert f"drafting draft {data_file}" in result.output
    assert "Traceback" not in result.output
    assert draft.read_bytes() == before


def test_offline_a_free_form_instruction_says_how_to_configure_a_model(draft: Path) -> None:
    before = draft.read_bytes()
    result = revise_cli(draft, "--section", "problems", "--instruction", "语气更正式", "--model", "offline")
    assert result.exit_code == 2
    assert "需要调用模型接口" in result.output
    for words in (
        "--model",
        "--base-url",
        "--api-key-env",
        "DEEPSEEK_API_KEY",
        "DRAFTING_MODEL",
        "config.toml",
    ):
        assert words in result.output, words
    assert "手工修改" in result.output and "撤销" in result.output  # what still works offline
    assert draft.read_bytes() == before


def test_a_stream_that_fails_half_way_changes_nothing(draft: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTING_MAX_ATTEMPTS", "2")
    before = draft.read_bytes()
    with revision_server() as server:
        server.state.always = "cut_stream"
        result = revise_cli(
            draft, "--section", "problems", "--instruction", INSTRUCTION, "--yes", server=server
        )
        assert len(server.requests) == 2
    assert result.exit_code == 4
    assert "中断" in result.output and "本节未作改动" in result.output
    assert draft.read_bytes() == before
    assert sorted(p.name for p in draft.parent.iterdir() if p.name.startswith(".")) == []


def test_an_unknown_section_is_named_before_any_request(draft: Path) -> None:
    with revision_server() as server:
        result = revise_cli(draft, "--section", "summary", "--instruction", INSTRUCTION, server=server)
        assert server.requests == []
    assert result.exit_code == 2
    assert "没有编号为“summary”的节" in result.output and "problems" in result.output


def test_offline_regenerate_manual_edit_pin_and_undo(draft: Path, tmp_path: Path) -> None:
    text = tmp_path / "problems.txt"
    mine = "2023年，我局政府信息公开工作还存在一些不足。\n人员更换频繁，工作延续性不强。"
    text.write_text(mine, encoding="utf-8")
    manual = revise_cli(draft, "--section", "problems", "--text-file", str(text), "--model", "offline")
    assert manual.exit_code == 0, manual.output
    problems = load_draft(draft).section("problems")
    assert problems.paragraphs == mine.split("\n") and problems.backend == "manual" and problems.edited

    pinned = revise_cli(draft, "--section", "problems", "--pin", "人员更换频繁，工作延续性不强。")
    assert pinned.exit_code == 0, pinned.output
    regenerated = revise_cli(draft, "--section", "problems", "--regenerate")
    assert regenerated.exit_code == 0, regenerated.output
    problems = load_draft(draft).section("problems")
    assert problems.backend == "offline" and not problems.edited
    assert problems.paragraphs[0].startswith(offline_text("problems")[0])
    assert any("人员更换频繁，工作延续性不强。" in p for p in problems.paragraphs)

    for _ in range(3):  # undo the regeneration, the pin (undo takes pins back too), then the manual edit
        assert revise_cli(draft, "--undo").exit_code == 0
    assert load_draft(draft).section("problems").paragraphs == offline_text("problems")
    nothing = revise_cli(draft, "--undo")
    assert nothing.exit_code == 1 and "没有可撤销的修改" in nothing.output
    log = revise_cli(draft, "--log")
    assert log.exit_code == 0
    for words in ("手工修改", "固定句子", "按数据重新生成", "撤销"):
        assert words in log.output


def test_a_pin_must_be_text_of_the_section(draft: Path) -> None:
    result = revise_cli(draft, "--section", "problems", "--pin", "并不在正文中的句子。")
    assert result.exit_code == 2
    assert "不在本节正文中" in result.output


def test_interactive_mode_needs_a_terminal(draft: Path) -> None:
    result = revise_cli(draft, "--model", "offline")
    assert result.exit_code == 2
    assert "需要在终端中运行" in result.output and "--instruction" in result.output


def test_help_documents_the_exit_codes() -> None:
    from click.testing import CliRunner

    from drafting.cli import cli

    result = CliRunner().invoke(cli, ["revise", "--help"])
    assert result.exit_code == 0
    for code in ("0  完成", "1  修订带来了新的错误", "2  无法照办", "4  模型接口调用失败"):
        assert code in result.output
    for option in ("--model", "--base-url", "--api-key-env", "--section", "--instruction", "--yes", "--undo"):
        assert option in result.output


def test_langsmith_tracing_in_the_environment_sees_no_revision(draft: Path) -> None:
    """The revision prompt is rendered with ``format_messages()`` only: with tracing switched on
    in the user's environment, a stand-in LangSmith endpoint receives nothing (a child process, so
    LangSmith reads the variables fresh; ``test_llm_draft`` proves the stand-in would see a leak)."""
    with Sink() as sink, revision_server() as server:
        env = tracing_env(sink.url)
        args = ["revise", str(draft), "--section", "problems", "--instruction", INSTRUCTION, "--yes"]
        args += ["--model", MODEL, "--base-url", server.base_url]
        done = run_traced_cli(args, env)
        assert done.returncode == 0, done.stderr
        assert len(server.requests) == 1
        time.sleep(0.3)
        assert sink.hits == []
