"""Labels from people: a labels file (as the report's export button writes it) against a run record,
with no model: how well the draft's overall verdict, each kind of expectation, each rule and each
judge agrees with the reviewers — agreement, false pass, false fail, undecided; stale labels set
aside; a bad labels file refused in Chinese."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from . import llm_support
from .conftest import EXAMPLES
from .eval_support import DISTRICT, run_eval, suite_text, write
from .judge_support import exported, first_user, score
from .openai_stub import stub_server

CASES = {
    "first": DISTRICT,
    "second": EXAMPLES / "township-2024.yaml",
    "third": EXAMPLES / "pingtan-2022.yaml",
}
# What the judge gives each case's draft on specificity; the reviewers' labels.
SCORES = {"示例市东湖区住房和建设局": 5, "示例县青山镇人民政府": 2, "平潭综合实验区管理委员会": 5}
LABELS = {"first": "good", "second": "good", "third": "bad"}

_keyed = llm_support.keyed_fixture  # fast retries and a key for every test


def _judge(body: dict[str, Any]) -> str:
    text = first_user(body)
    if "评分标准：公文文风" in text:
        return "这份草稿不错。"  # never a score: undecided for every draft
    agency = next(a for a in SCORES if a in text)
    return score(SCORES[agency], "依据素材")


def _run(tmp_path: Path) -> tuple[Path, Path, list[dict[str, Any]]]:
    cases = ""
    for case, data in CASES.items():
        cases += f"  - id: {case}\n    data: {data}\n    expect:\n"
        cases += "      - judge: {rubric: specificity, model: openai:judge}\n"
        cases += "      - judge: {rubric: register, model: openai:judge}\n"
        if case == "third":
            cases += "      - contains: 这句话不会出现\n"
    suite = write(tmp_path / "s.yaml", suite_text(cases))
    out, html = tmp_path / "run.json", tmp_path / "run.html"
    with stub_server(reply=_judge) as server:
        res = run_eval(suite, "--base-url", server.base_url, "--json", out, "--html", html)
        sent = [r.body for r in server.requests]
    assert res.exit_code == 0, res.output
    return out, html, sent


def _tokens(body: dict[str, Any]) -> int:
    """What the loopback server bills a request: its messages' characters and its answer's."""
    return sum(len(str(m["content"])) for m in body["messages"]) + len(_judge(body))


def test_agreement_of_each_check_and_judge_with_the_reviewers(tmp_path: Path) -> None:
    out, html, sent = _run(tmp_path)
    labels = write(
        tmp_path / "labels.json",
        json.dumps(exported(html, lambda a: LABELS.get(a["case"]), "看过"), ensure_ascii=False),
    )
    page = tmp_path / "again.html"
    res = run_eval("--rescore", out, "--labels", labels, "--html", page)  # no server: no model
    assert res.exit_code == 0, res.output
    rows = {
        line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
        for line in res.output.splitlines()
        if line.startswith("│") and "│" in line[1:]
    }
    # name → category, agreement, agreed/labelled, false pass, false fail, undecided, tokens a draft
    assert rows["全部期望"] == ["整体", "100.0%", "3/3", "0", "0", "0", "—"]  # checks ask no model
    # specificity passed the third draft (5) that people marked bad, failed the second (2) marked good
    specificity = [_tokens(b) for b in sent if "评分标准：具体而非口号" in first_user(b)]
    assert len(specificity) == 3
    assert rows["具体而非口号"] == ["评分", "33.3%", "1/3", "1", "1", "0", f"{sum(specificity) / 3:.0f}"]
    # never a score: undecided, and it cost its asks and re-asks all the same
    register = rows["公文文风"]
    assert register[:6] == ["评分", "—", "0/0", "0", "0", "3"] and int(register[6]) > int(
        rows["具体而非口号"][6]
    )
    assert rows["contains"] == ["期望", "100.0%", "1/1", "0", "0", "0", "—"]
    assert "3 份草稿：好 2，不好 1" in res.output
    shown = page.read_text(encoding="utf-8")
    assert "与人工标注的一致程度" in shown and "人工标注 3 份草稿（好 2，不好 1）" in shown


def test_labels_of_changed_drafts_are_set_aside(tmp_path: Path) -> None:
    out, html, _ = _run(tmp_path)
    content = exported(html, lambda a: LABELS.get(a["case"]))
    content["labels"][0]["draft"] = "0000000000000000"  # a text nobody labelled
    labels = write(tmp_path / "labels.json", json.dumps(content, ensure_ascii=False))
    res = run_eval("--rescore", out, "--labels", labels)
    assert res.exit_code == 0, res.output
    assert "1 条标注的草稿已改变，未计入" in res.output and "2 份草稿：好 1，不好 1" in res.output
    content_none = {**content, "labels": []}
    write(labels, json.dumps(content_none, ensure_ascii=False))
    res = run_eval("--rescore", out, "--labels", labels)
    assert res.exit_code == 2 and "标注文件中没有任何标注" in res.output and "导出标注文件" in res.output
    for label in content["labels"]:
        label["draft"] = "0000000000000000"
    write(labels, json.dumps(content, ensure_ascii=False))
    res = run_eval("--rescore", out, "--labels", labels)
    assert res.exit_code == 2 and "都对不上" in res.output and "3 条标注的草稿已经改变" in res.output


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"labels": []}', ["不是标注文件", "drafting.eval-labels/1"]),
        ('{"schema": "drafting.eval-labels/1", "labels": [', ["JSON"]),
        (
            '{"schema": "drafting.eval-labels/1",\n "labels": [{"prompt": "p", "model": "m", "case": "c",\n'
            ' "label": "ok"}]}',
            ["第3行", "label"],
        ),
        (
            '{"schema": "drafting.eval-labels/1", "labels": [{"prompt": "p", "model": "m", "case": "c",'
            ' "label": "good", "lable": "x"}]}',
            ["不认识的项目“lable”", "label"],
        ),
    ],
)
def test_a_bad_labels_file_is_refused_in_chinese_before_anything_runs(
    tmp_path: Path, content: str, expected: list[str]
) -> None:
    labels = write(tmp_path / "labels.json", content)
    suite = write(tmp_path / "s.yaml", suite_text(f"  - id: d\n    data: {DISTRICT}\n"))
    res = run_eval(suite, "--labels", labels, "--json", tmp_path / "r.json")
    assert res.exit_code == 2, res.output
    assert not (tmp_path / "r.json").exists()
    for text in expected:
        assert text in res.output, res.output
    assert "Traceback" not in res.output
