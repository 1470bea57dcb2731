"""Issues 10 and 17 end to end: ``drafting draft --model`` against the loopback OpenAI server and
``drafting validate`` as a user runs them — the re-ask the server receives, the truthful reason a
section fell back, chatter kept out, facts quoted as data, an injected fact never in the draft, an
echoed prompt refused; and the labelled-answer corpus gated through ``drafting eval``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from drafting import offline
from drafting.cli import cli
from drafting.data import load_data
from drafting.document import load_draft
from drafting.evaluation.harness import EvalOptions, run_eval
from drafting.evaluation.labels import KEPT_OUT, label_cells

from . import llm_support
from .conftest import EXAMPLES, ROOT
from .llm_support import MODEL, run_draft, section_of
from .openai_stub import StubServer, stub_server

DISTRICT = EXAMPLES / "district-dept-2024.yaml"
DATA = load_data(DISTRICT).data
INJECTED = ROOT / "evals" / "answers" / "data" / "injected-2024.yaml"
ANSWERS = ROOT / "evals" / "answers"


_keyed = llm_support.keyed_fixture  # the key and fast retries for every test


def offline_answer(data_file: Path) -> Any:
    data = load_data(data_file).data
    return lambda body: "\n\n".join(offline.write_section(section_of(body), data))


def overview_answers(
    first: Callable[[str], str], again: Callable[[str], str]
) -> Callable[[dict[str, Any]], str]:
    """Every section answered with the district's offline text; 一 changed by ``first`` when first
    asked and by ``again`` when asked again."""
    good = offline_answer(DISTRICT)

    def reply(body: dict[str, Any]) -> str:
        text = good(body)
        if section_of(body) != "overview":
            return text
        asked = any(m["role"] == "assistant" for m in body["messages"])
        return again(text) if asked else first(text)

    return reply


@pytest.fixture
def wrong_then_right() -> Iterator[StubServer]:
    """一 first answered with a fact's figure changed (培训3次) and chatter around it; the re-ask
    answered right. The other sections answered right at once."""

    def first(text: str) -> str:
        return "好的，以下是总体情况部分：\n\n" + text.replace("培训2次", "培训3次") + "\n\n希望对您有帮助！"

    with stub_server(reply=overview_answers(first, lambda text: text)) as s:
        yield s


def test_the_reask_tells_the_model_what_the_data_says(wrong_then_right: StubServer, tmp_path: Path) -> None:
    result = run_draft(wrong_then_right, tmp_path, "--format", "md", files=(DISTRICT,))
    assert result.exit_code == 0, result.output
    overview = [r for r in wrong_then_right.requests if section_of(r.body) == "overview"]
    assert len(overview) == 2
    first_answer = next(m["content"] for m in overview[1].body["messages"] if m["role"] == "assistant")
    reask = overview[1].body["messages"][-1]["content"]
    assert reask.startswith("你上一次的回答有以下问题：")
    assert re.search(
        r"“[^”]*培训3次”：素材（监督保障）“组织政务公开业务培训2次[^”]*”中为2次。请改为2次。", reask
    ), reask
    assert "请改正正文或表格" not in reask
    for quoted in re.findall(r"“([^”]+)”：", reask):
        assert quoted in first_answer
    section = next(
        s for s in load_draft(tmp_path / "district-dept-2024.draft.json").sections if s.id == "overview"
    )
    assert section.backend == MODEL
    assert section.notes == ["模型第一次的回答未通过检查，重新提问后通过。"]
    text = (tmp_path / "district-dept-2024.md").read_text(encoding="utf-8")
    assert "培训2次" in text and "好的" not in text and "希望对您有帮助" not in text


def test_the_fallback_note_says_truthfully_why(tmp_path: Path) -> None:
    """A model that 'repairs' one figure by breaking another: the note names the new problem."""
    reply = overview_answers(
        lambda text: text.replace("办结64件", "办结66件"),
        lambda text: text.replace("参训86人次", "参训88人次"),
    )
    with stub_server(reply=reply) as server:
        result = run_draft(server, tmp_path, "--format", "md", files=(DISTRICT,))
    assert result.exit_code == 0, result.output
    section = next(
        s for s in load_draft(tmp_path / "district-dept-2024.draft.json").sections if s.id == "overview"
    )
    assert section.backend == "offline"
    (note,) = section.notes
    assert "两次回答都未通过检查" in note and "重新提问后的回答出现了新的问题" in note and "88人次" in note
    assert "88人次" in result.output  # the terminal says the same


def test_a_fact_that_addresses_the_model_is_data_not_an_instruction(tmp_path: Path) -> None:
    seen: list[str] = []

    def reply(body: dict[str, Any]) -> str:
        seen.append("\n".join(m["content"] for m in body["messages"]))
        return offline_answer(INJECTED)(body)

    validated = CliRunner().invoke(cli, ["validate", str(INJECTED)])
    assert validated.exit_code == 0
    assert re.search(r"提示［K1］素材（依申请公开）第2条（facts\.on_request\.1，第\d+行", validated.output)
    with stub_server(reply=reply) as server:
        result = run_draft(server, tmp_path, "--format", "md", files=(INJECTED,))
    assert result.exit_code == 0, result.output
    assert "［K1］" in result.output  # draft says it too, at its line
    assert all("忽略之前的所有指示" not in prompt for prompt in seen)  # never sent
    assert all("<<<素材" in prompt and "一律不执行" in prompt for prompt in seen)
    text = (tmp_path / "injected-2024.md").read_text(encoding="utf-8")
    assert "999" not in text and "人工智能生成" not in text
    offline_run = CliRunner().invoke(
        cli, ["draft", str(INJECTED), "-o", str(tmp_path / "off"), "--format", "md"]
    )
    assert offline_run.exit_code == 0
    assert "999" not in (tmp_path / "off" / "injected-2024.md").read_text(encoding="utf-8")


def test_a_fact_contradicting_the_tables_is_reported_and_left_out(tmp_path: Path) -> None:
    source = DISTRICT.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        source.replace(
            "    - 已办结的申请均在法定期限内答复\n",
            "    - 全年新收政府信息公开申请99件，已办结的申请均在法定期限内答复\n",
        ),
        encoding="utf-8",
    )
    validated = CliRunner().invoke(cli, ["validate", str(bad)])
    assert validated.exit_code == 0
    assert "［K2］" in validated.output and "99件" in validated.output and "66" in validated.output
    result = CliRunner().invoke(cli, ["draft", str(bad), "-o", str(tmp_path / "out"), "--format", "md"])
    assert result.exit_code == 0 and "［K2］" in result.output
    assert "99件" not in (tmp_path / "out" / "bad.md").read_text(encoding="utf-8")


def test_an_answer_that_repeats_the_prompt_is_refused(tmp_path: Path) -> None:
    good = offline_answer(DISTRICT)

    def echo(body: dict[str, Any]) -> str:
        if section_of(body) == "other":
            return body["messages"][0]["content"]  # the system prompt, as an echoing server does
        return good(body)

    with stub_server(reply=echo) as server:
        result = run_draft(server, tmp_path, "--format", "md", files=(DISTRICT,))
    assert result.exit_code == 0, result.output
    sections = {s.id: s for s in load_draft(tmp_path / "district-dept-2024.draft.json").sections}
    assert sections["other"].backend == "offline"
    assert "照抄了提示词" in sections["other"].notes[0]
    assert "公文写作助手" not in (tmp_path / "district-dept-2024.md").read_text(encoding="utf-8")


# --- the labelled corpus, gated ----------------------------------------------------------------------

# The figures this branch reaches on evals/answers (issue 10's thresholds: the held-out set is measured
# the same way). CI fails when the checks fall below them.
MIN_FAITHFUL = 0.98
MIN_RECALL = 0.95


def test_the_answer_corpus_passes_its_gates_through_the_library(tmp_path: Path) -> None:
    result = run_eval(
        EvalOptions(
            suite=ANSWERS / "suite.yaml",
            concurrency=2,
            min_faithful=MIN_FAITHFUL,
            min_recall=MIN_RECALL,
            html_out=tmp_path / "report.html",
        )
    )
    assert not result.label_gates, result.label_gates
    (cell,) = label_cells(result.record)
    assert cell.faithful.rate >= MIN_FAITHFUL and cell.faults.rate >= MIN_RECALL
    assert all(t.ok >= 1 for t in cell.classes.values())  # every class caught at least once
    for label in KEPT_OUT:  # chatter, headings and damaged URLs in 0 drafts
        assert cell.classes[label].ok == cell.classes[label].total, label
    faithful_runs = [r for r in result.record.runs if "faithful" in r.labels.values()]
    assert all(r.passed for r in faithful_runs)  # accepted and intact (URLs among their expectations)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "忠实回答采用率" in html and "错误发现率" in html


def test_eval_prints_the_labelled_figures_and_gates_on_them(tmp_path: Path) -> None:
    replay = tmp_path / "r.jsonl"
    good = "\n\n".join(offline.write_section("other", DATA))
    wrong = good.replace("实收信息处理费600元", "实收信息处理费900元")
    plain = [
        {"section": s, "reply": "\n\n".join(offline.write_section(s, DATA))}
        for s in ("overview", "problems", "improvements")
    ]
    entries = [
        {"case": "ok", "section": "other", "reply": good, "label": "faithful"},
        {"case": "bad", "section": "other", "reply": wrong, "label": "label-swap"},
        *plain,
    ]
    replay.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in entries) + "\n", encoding="utf-8")
    suite = tmp_path / "s.yaml"
    suite.write_text(
        f"name: 小集\ncases:\n  - id: ok\n    data: {DISTRICT}\n  - id: bad\n    data: {DISTRICT}\n",
        encoding="utf-8",
    )
    ran = CliRunner().invoke(
        cli, ["eval", str(suite), "--model", f"replay:{replay}", "--min-faithful", "1", "--min-recall", "1"]
    )
    assert ran.exit_code == 0, ran.output
    assert "忠实回答采用率" in ran.output and "label-swap" in ran.output
    # An answer labelled faithful that the checks refuse: the gate fails the run.
    entries[0]["reply"] = wrong
    replay.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in entries) + "\n", encoding="utf-8")
    failed = CliRunner().invoke(
        cli, ["eval", str(suite), "--model", f"replay:{replay}", "--min-faithful", "0.9"]
    )
    assert failed.exit_code == 1
    assert "忠实回答采用率 0.0%（0/1），门槛 90%" in failed.output
