"""Issue 16, done when: a two-prompt-version run over the project's suite, against the loopback
server, writes a report with per-case rubric scores and their spread, a pairwise win rate with its
interval and the deterministic quality figures; given a labels file, the judges' agreement with it;
and a rerun makes no model call.

Version B's prompts make the model add a sentence of stock phrases to each overview. The loopback
judge scores that lower on specificity and prefers version A's draft in both orders; the reviewers'
labels (A good, B bad) agree with the judge and not with the checks, which pass both versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from drafting.evaluation.panels import judge_usage

from . import llm_support
from .eval_support import SUITE, record_of, run_eval, write
from .judge_support import (
    SLOGANS,
    Billing,
    Counted,
    exported,
    judged_text,
    pair_texts,
    prefer,
    rubric_of,
    score,
    two_versions,
)
from .openai_stub import stub_server

# Three graders per rubric (the suite's graders: 3): their scores, by what the judged draft holds.
VAGUE = Counted([score(2, "套话代替了事实"), score(2, "空话较多"), score(3, "有一些具体做法")])
CONCRETE = Counted([score(4, "做法具体"), score(5, "都有依据"), score(4, "基本具体")])
OTHER = Counted([score(4, "规范"), score(4, "规范"), score(5, "很规范")])


def _judge(body: dict[str, Any]) -> str:
    if rubric_of(body) == "具体而非口号":
        return VAGUE(body) if SLOGANS in judged_text(body) else CONCRETE(body)
    return OTHER(body)


def _pairwise(body: dict[str, Any]) -> str:
    draft_a, _ = pair_texts(body)
    return prefer("B" if SLOGANS in draft_a else "A", "另一份多了空话")


_keyed = llm_support.keyed_fixture  # the key and fast retries for every test


def test_two_prompt_versions_over_the_project_suite(tmp_path: Path) -> None:
    a, b = two_versions(tmp_path)
    out, html = tmp_path / "run.json", tmp_path / "run.html"
    billing = Billing(judge=_judge, pairwise=_pairwise)  # what the server bills, by use

    with stub_server(reply=billing) as server:
        args = [
            SUITE, "--prompts", a, "--prompts", b, "--model", "openai:writer", "--judge-model", "openai:judge",
            "--pairwise", "--base-url", server.base_url,
        ]  # fmt: skip
        res = run_eval(*args, "--json", out, "--html", html)
        sent = len(server.requests)
        first_bill = dict(billing.billed)
        rerun = run_eval(*args, "--json", tmp_path / "rerun.json")
        after_rerun = len(server.requests)
    assert res.exit_code == 0, res.output
    record = record_of(out)
    cases = len(record.cases)
    assert cases == 11 and len(record.runs) == 2 * cases and all(r.passed for r in record.runs)
    # 4 sections per draft, 4 rubrics × 3 graders per draft, 2 orders per case's pair — less the
    # correspondence rubric of version B: it reads only 五, which B left as A wrote it, so its three
    # samples are the same requests as A's, asked once.
    assert sent == 2 * cases * 4 + 2 * cases * 12 - cases * 3 + cases * 2

    # Per-case rubric scores with their spread.
    for run in record.runs:
        assert [j.name for j in run.judgements] == ["register", "concision", "specificity", "correspondence"]
        specificity = run.judgements[2]
        if run.prompt == "version-b":
            assert sorted(specificity.scores) == [2, 2, 3] and specificity.spread == 1
            assert (specificity.median, specificity.majority) == (2.0, 2)
        else:
            assert sorted(specificity.scores) == [4, 4, 5] and specificity.spread == 1
    assert "具体而非口号" in res.output and "2 · 分差≤1" in res.output and "4 · 分差≤1" in res.output
    page = html.read_text(encoding="utf-8")
    assert page.count('<table class="judges">') == 2 * cases
    assert "中位数 2（" in page and "套话代替了事实" in page

    # A pairwise win rate with its interval: version A in every case, in both orders.
    assert [c.outcome for c in record.pairwise] == ["a"] * cases
    assert "100.0%（95% 区间 74.1%–100.0%）" in res.output and "0.0%（95% 区间 0.0%–25.9%）" in res.output
    assert "100.0%（95% 区间 74.1%–100.0%）" in page

    # The deterministic figures: version B says the same stock phrases in every draft.
    for run in record.runs:
        assert run.quality is not None and run.quality.total > 0
        slogans = run.quality.slogans
        if run.prompt == "version-b":
            assert slogans == {"高度重视": 1, "切实加强": 1, "进一步提升": 1}
        else:
            assert slogans == {}
    assert "质量指标" in res.output and "质量指标（按字计）" in page

    # The reviewers' labels: version A good, version B bad. The judge agrees; the checks, which
    # pass both versions, let every one of B's drafts through.
    marks = exported(html, lambda attrs: "good" if attrs["prompt"] == "version-a" else "bad")
    labels = write(tmp_path / "labels.json", json.dumps(marks, ensure_ascii=False))
    agreed = run_eval("--rescore", out, "--labels", labels, "--html", tmp_path / "labelled.html")
    assert agreed.exit_code == 0, agreed.output
    rows = {
        line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
        for line in agreed.output.splitlines()
        if line.startswith("│") and line.count("│") == 9
    }
    assert rows["具体而非口号"][:6] == ["评分", "100.0%", f"{2 * cases}/{2 * cases}", "0", "0", "0"]
    assert int(rows["具体而非口号"][6]) > 0  # what the judge costs a draft, beside how often it agrees
    assert rows["全部期望"] == ["整体", "50.0%", f"{cases}/{2 * cases}", str(cases), "0", "0", "—"]
    assert "与人工标注的一致程度" in (tmp_path / "labelled.html").read_text(encoding="utf-8")

    # A rerun makes no model call: drafts, grades and comparisons all come from the cache.
    assert rerun.exit_code == 0, rerun.output
    assert after_rerun == sent
    again = record_of(tmp_path / "rerun.json")
    assert [r.judgements for r in again.runs] != [] and all(
        g.cached for r in again.runs for j in r.judgements for g in j.grades
    )
    assert [sorted(j.scores) for r in again.runs for j in r.judgements] == [
        sorted(j.scores) for r in record.runs for j in r.judgements
    ]
    assert all(o.cached for c in again.pairwise for o in c.orders)

    # What the judges cost: every grade and order counted, the run's spending as the server billed
    # it (the shared correspondence requests once); the rerun spent nothing.
    usage = {u.task: u for u in judge_usage(record)}
    grading, comparing = usage["评分"], usage["两两比较"]
    assert (grading.judge, grading.asked, grading.answers) == ("openai:judge", 2 * cases * 12, 2 * cases * 12)
    assert grading.cached == cases * 3 and grading.spent == first_bill["judge"] > 0
    assert (comparing.asked, comparing.cached, comparing.spent) == (2 * cases, 0, first_bill["pairwise"])
    assert f"{grading.spent}" in res.output and "评分模型用量" in res.output and "评分模型用量" in page
    rerun_usage = {u.task: u for u in judge_usage(again)}
    assert rerun_usage["评分"].spent == rerun_usage["两两比较"].spent == 0
    assert rerun_usage["评分"].tokens == grading.tokens
