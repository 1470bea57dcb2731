"""A key pasted where it does not belong is refused and never repeated, stored or sent (issue 17,
item 8): in an option, an environment variable or config.toml that should name a variable, a URL or
a model; in a revision instruction, a hand edit, the typed-instructions file. Every check looks for
the key in every printed line and every file the run left (drafts, documents, history, cache)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting import config
from drafting.cli import cli
from drafting.keys import looks_like_key, redact
from drafting.revise.session import RevisionSession

from . import revise_support
from .conftest import REFERENCE_EXAMPLE, write_config
from .llm_support import all_written_text
from .revise_support import MODEL, Terminal, draft_json, revise_cli, revision_server

PASTED = "sk-live-9f8e7d6c5b4a39281706f5e4d3c2b1a0"  # not the key of any test server: a pasted one

_keyed = revise_support.keyed_fixture
draft = revise_support.draft_fixture


@pytest.mark.parametrize(
    "text",
    [
        PASTED,
        "Bearer abc.def",
        "0123456789abcdef0123456789abcdef.AbCdEfGh12345678",  # Zhipu
        "hf_AbCdEfGhIjKlMnOpQrStUvWxYz",
        "AIzaSyA1234567890abcdefghijklmnopqrstu",
        "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e",  # 36 hex, no prefix
        "请把密钥sk-abc123def456加进去",
    ],
)
def test_key_shapes(text: str) -> None:
    assert looks_like_key(text)
    assert "***" in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "压缩到200字以内，语气更正式",
        "参见 https://www.gov.cn/zhengce/content/2021-05/12/content_5606037.htm 的要求",
        "国办公开办函〔2021〕30号",
        "openai:qwen2.5-72b-instruct",
        "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B",
        "DEEPSEEK_API_KEY",
        "http://127.0.0.1:8000/v1",
        "task-force 小组",
    ],
)
def test_ordinary_text_is_not_a_key(text: str) -> None:
    assert not looks_like_key(text)
    assert redact(text) == text


# --- settings that should name a variable, a URL or a model ---------------------------------------

_SETTINGS = {"api_key_env": "--api-key-env", "base_url": "--base-url", "model": "--model"}


def _draft_args(out: Path) -> list[str]:
    return ["draft", str(REFERENCE_EXAMPLE), "-o", str(out), "--format", "md"]


@pytest.mark.parametrize("where", ["flag", "env", "config"])
@pytest.mark.parametrize("setting", sorted(_SETTINGS))
def test_a_key_in_a_naming_setting_is_refused_unrepeated(
    setting: str, where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "drafts"
    args = _draft_args(out)
    if setting != "model":
        args += ["--model", "deepseek"]
    if where == "flag":
        args += [_SETTINGS[setting], PASTED]
    elif where == "env":
        monkeypatch.setenv(f"DRAFTING_{setting.upper()}", PASTED)
    else:
        write_config(f'{setting} = "{PASTED}"\n')
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert f"设置项 {setting}" in result.output and "像是一个密钥" in result.output
    assert {"flag": "命令行选项", "env": "环境变量", "config": "配置文件"}[where] in result.output
    assert PASTED not in result.output and "Traceback" not in result.output
    assert not out.exists()
    home = config.home()
    assert home is not None
    ours = [p for p in home.rglob("*") if p.is_file() and p != config.config_path()]  # not the user's own
    assert all(PASTED.encode() not in p.read_bytes() for p in ours)


def test_a_bad_number_setting_does_not_repeat_a_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DRAFTING_TIMEOUT", PASTED)
    result = CliRunner().invoke(cli, [*_draft_args(tmp_path / "d"), "--model", "deepseek"])
    assert result.exit_code == 2 and "DRAFTING_" in result.output
    assert PASTED not in result.output


# --- revision instructions and hand edits -------------------------------------------------------------


def test_a_key_in_a_revision_instruction_is_neither_sent_nor_stored(draft: Path) -> None:
    before = draft.read_bytes()
    with revision_server() as server:
        result = revise_cli(
            draft,
            "--section",
            "problems",
            "--instruction",
            f"用这个密钥 {PASTED} 压缩到200字",
            "--yes",
            server=server,
        )
        assert server.requests == []  # never sent to the model
    assert result.exit_code == 2, result.output
    assert "像是密钥" in result.output and "没有发给模型" in result.output
    assert PASTED not in result.output
    assert draft.read_bytes() == before
    home = config.home()
    assert home is not None
    assert PASTED.encode() not in all_written_text(draft.parent, home)


def test_a_key_in_a_hand_edit_is_not_saved(draft: Path, tmp_path: Path) -> None:
    before = draft.read_bytes()
    text = tmp_path / "mine.txt"
    text.write_text(f"我局的问题。\n接口密钥为{PASTED}。\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["revise", str(draft), "--section", "problems", "--text-file", str(text)]
    )
    assert result.exit_code == 2, result.output
    assert "像是密钥" in result.output and PASTED not in result.output
    assert draft.read_bytes() == before
    assert PASTED.encode() not in all_written_text(draft.parent)
    assert draft_json(draft)["history"] == []


def test_the_typed_instructions_file_keeps_no_key(draft: Path, tmp_path: Path) -> None:
    history = tmp_path / "data" / "revise-history.txt"
    with revision_server() as server:
        from drafting.backends import get_backend

        backend = get_backend(MODEL, base_url=server.base_url)
        screen = Terminal(RevisionSession(draft, backend), history_file=history).play(
            "2\r", f"补充：密钥 {PASTED}\r", "q\r"
        )
        assert server.requests == []
    assert "像是密钥" in screen and PASTED not in screen
    kept = history.read_text(encoding="utf-8")
    assert "补充：密钥 ***" in kept and PASTED not in kept
    assert PASTED.encode() not in all_written_text(draft.parent)
