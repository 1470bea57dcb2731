"""One resolver for every model spec (``backends.resolve``): offline, chat specs and presets, replay
files. Draft, revise and eval go through it, so ``--model replay:FILE`` means the same answers in
``drafting draft`` as in ``drafting eval``, and revise refuses it with its reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting import official
from drafting.backends import BackendError, ChatRequest, Message, get_backend, resolve_model
from drafting.cli import cli
from drafting.config import Settings
from drafting.errors import InputError

from .eval_support import DISTRICT, offline_answers, replay_file
from .llm_support import KEY
from .revise_support import draft_dir

MARK = "（回放的回答）"


def _replay(tmp_path: Path, answers: dict[str, str | list[str]], **extra: str) -> Path:
    entries = [
        {"section": s, **({"replies": a} if isinstance(a, list) else {"reply": a}), **extra}
        for s, a in answers.items()
    ]
    return replay_file(tmp_path / "answers.jsonl", entries)


def _draft(tmp_path: Path, *args: str) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["draft", str(DISTRICT), "-o", str(out), "--format", "md", *args])
    return result.exit_code, result.output, out


def test_each_kind_of_spec_is_told_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_model("offline", Settings()).kind == "offline"
    assert resolve_model(settings=Settings()).kind == "offline"  # the default
    replay = _replay(tmp_path, {"overview": "一段话。"})
    chosen = resolve_model(f"replay:{replay}", Settings())
    assert chosen.kind == "replay" and chosen.replay is not None and chosen.replay.path == replay
    monkeypatch.setenv("DEEPSEEK_API_KEY", KEY)
    chosen = resolve_model("deepseek", Settings())
    assert chosen.kind == "chat" and chosen.endpoint is not None
    assert chosen.endpoint.name == "deepseek:deepseek-chat"
    assert KEY not in repr(chosen)  # the endpoint names the key's variable, never the key


def test_a_replay_path_in_a_suite_is_read_from_the_suite_folder(tmp_path: Path) -> None:
    _replay(tmp_path / "suite", {"overview": "一段话。"})
    chosen = resolve_model("replay:answers.jsonl", Settings(), base=tmp_path / "suite")
    assert chosen.replay is not None and chosen.replay.path == tmp_path / "suite" / "answers.jsonl"


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("deepseek", "DEEPSEEK_API_KEY"),  # the key is checked before any request
        ("replay:", "缺少文件路径"),
        ("replay:nowhere.yaml", "找不到"),
        ("gpt4", "不认识的起草方式"),
    ],
)
def test_a_spec_that_cannot_work_is_refused_before_any_request(spec: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        resolve_model(spec, Settings())
    assert words in str(info.value)


def test_offline_opens_no_chat_backend() -> None:
    with pytest.raises(InputError, match="不使用模型接口"):
        get_backend("offline")


def test_a_replay_answers_only_requests_that_name_their_section(tmp_path: Path) -> None:
    backend = get_backend(f"replay:{_replay(tmp_path, {'overview': ['第一次。', '第二次。']})}")
    first = ChatRequest((Message("user", "写"),), section="overview")
    again = ChatRequest((Message("user", "写"),), section="overview", ask=2)
    assert [backend.complete(r).text for r in (first, again, again)] == ["第一次。", "第二次。", "第二次。"]
    with pytest.raises(BackendError) as info:
        backend.complete(ChatRequest((Message("user", "写"),)))
    assert info.value.kind == "config" and "哪个部分" in info.value.message


def test_draft_with_a_replay_writes_its_answers(tmp_path: Path) -> None:
    answers = offline_answers(DISTRICT, mark=MARK)
    spec = f"replay:{_replay(tmp_path, dict(answers))}"
    code, output, out = _draft(tmp_path, "--model", spec)
    assert code == 0, output
    draft = json.loads((out / f"{DISTRICT.stem}.draft.json").read_text(encoding="utf-8"))
    sections = {s["id"]: s for s in draft["sections"]}
    assert list(sections) == list(official.SECTION_IDS)
    for section in sections.values():
        assert section["backend"] == spec and not section["notes"]
        assert section["paragraphs"][0].endswith(MARK)
    assert draft["provenance"]["backend"] == spec
    assert "缓存命中" in output  # the model path's usage line; a replay is never cached
    assert not (tmp_path / "drafting-home" / "cache").exists()


def test_a_replayed_re_ask_gets_the_second_reply(tmp_path: Path) -> None:
    answers: dict[str, str | list[str]] = dict(offline_answers(DISTRICT, mark=MARK))
    answers["overview"] = ["今年工作很好。", str(answers["overview"])]  # no sub-parts: the checks re-ask
    code, output, out = _draft(tmp_path, "--model", f"replay:{_replay(tmp_path, answers)}")
    assert code == 0, output
    draft = json.loads((out / f"{DISTRICT.stem}.draft.json").read_text(encoding="utf-8"))
    overview = draft["sections"][0]
    assert overview["paragraphs"][0].endswith(MARK)
    assert overview["notes"] == ["模型第一次的回答未通过检查，重新提问后通过。"]
    assert overview["usage"]["asks"] == 2


def test_a_draft_uses_only_answers_that_name_no_case(tmp_path: Path) -> None:
    replay = _replay(tmp_path, dict(offline_answers(DISTRICT)), case="some-case")
    code, output, out = _draft(tmp_path, "--model", f"replay:{replay}")
    assert code == 2
    assert "没有这些部分的通用回答" in output and "不写 case" in output
    assert "Traceback" not in output and not out.exists()


def test_revise_refuses_a_replay_with_its_reason(tmp_path: Path) -> None:
    draft = draft_dir(tmp_path)
    replay = _replay(tmp_path, {"overview": "一段话。"})
    before = draft.read_bytes()
    args = ["--section", "overview", "--instruction", "压缩", "--model", f"replay:{replay}"]
    result = CliRunner().invoke(cli, ["revise", str(draft), *args])
    assert result.exit_code == 2
    assert "修订不能使用回放模型" in result.output and "--model" in result.output
    assert draft.read_bytes() == before


@pytest.mark.parametrize("command", ["draft", "revise", "eval"])
def test_every_command_lists_the_same_ways_to_name_a_model(command: str) -> None:
    from drafting.backends.endpoints import MODEL_HELP

    shown = CliRunner().invoke(cli, [command, "--help"]).output
    assert MODEL_HELP.replace(" ", "") in "".join(shown.split())
