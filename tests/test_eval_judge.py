"""Graded rubrics (``judge:``) against the loopback judge: graders that disagree (the spread), answers
that cannot be read (re-asked once, then unscored with the reason, never a made-up score), an
endpoint that fails (unscored, the run goes on), the cache (a rerun asks nothing), rescoring stored
grades without a model, and suites and options refused before any request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from . import llm_support
from .eval_support import district_case, record_of, run_eval, suite_text, write
from .judge_support import Counted, first_user, is_reask, rubric_of, score
from .llm_support import KEY
from .openai_stub import stub_server

_keyed = llm_support.keyed_fixture  # the key and fast retries for every test


def _suite(tmp_path: Path, expect: str, *ids: str) -> Path:
    cases = "".join(district_case(i, expect) for i in ids or ("d",))
    return write(tmp_path / "s.yaml", suite_text(cases))


def _judgement(path: Path, name: str, case: str = "d") -> Any:
    run = next(r for r in record_of(path).runs if r.case == case)
    return next(j for j in run.judgements if j.name == name)


DISAGREE = """\
judge: {rubric: register, model: openai:judge-a, graders: 3}
judge: {rubric: concision, model: [openai:judge-a, openai:judge-b]}"""


def _disagreeing(body: dict[str, Any], samples: Counted) -> str:
    if rubric_of(body) == "公文文风":
        return samples(body)  # three samples of one model: 2, 4 and 5 in some order
    return score(5 if body["model"] == "judge-a" else 3, f"{body['model']} 的理由")


def test_graders_that_disagree_are_reported_with_their_spread_and_a_rerun_asks_nothing(
    tmp_path: Path,
) -> None:
    suite = _suite(tmp_path, DISAGREE)
    samples = Counted([score(2, "口语较多"), score(4, "基本规范"), score(5, "规范")])
    out, again, html = tmp_path / "1.json", tmp_path / "2.json", tmp_path / "r.html"
    with stub_server(reply=lambda body: _disagreeing(body, samples)) as server:
        args = [suite, "--base-url", server.base_url]
        first = run_eval(*args, "--json", out, "--html", html)
        sent = list(server.requests)
        second = run_eval(*args, "--json", again)
        after_rerun = len(server.requests)
        third = run_eval(*args, "--no-cache")
        after_uncached = len(server.requests)
    assert first.exit_code == second.exit_code == third.exit_code == 0, first.output
    # Three samples of one model are three requests (each sample its own cache key), at the judge
    # prompt's temperature; two models one each.
    assert len(sent) == 5
    assert sorted(r.body["model"] for r in sent) == ["judge-a"] * 4 + ["judge-b"]
    assert {r.body["temperature"] for r in sent} == {0.7}
    register = _judgement(out, "register")
    assert sorted(g.score for g in register.grades) == [2, 4, 5]
    assert {g.sample for g in register.grades} == {1, 2, 3}
    assert (register.median, register.spread, register.majority) == (4.0, 3, None)
    assert {g.reason for g in register.grades} == {"口语较多", "基本规范", "规范"}
    concision = _judgement(out, "concision")
    assert [(g.model, g.score) for g in concision.grades] == [("openai:judge-a", 5), ("openai:judge-b", 3)]
    assert (concision.median, concision.spread) == (4.0, 2)
    assert register.prompt.startswith("v1-") and record_of(out).judge_prompts["judge"] == register.prompt
    # The terminal and the report show the median with the spread; the page has each grader's reason.
    assert "评分标准" in first.output and "4 · 分差≤3" in first.output and "4 · 分差≤2" in first.output
    page = html.read_text(encoding="utf-8")
    assert "中位数 4（" in page and "分差 3；无多数" in page and "口语较多" in page
    assert "openai:judge-b#1：" in page
    # The rerun made no request: every grade came from the cache, the same as before.
    assert after_rerun == len(sent)
    cached = _judgement(again, "register")
    assert all(g.cached for g in cached.grades) and sorted(g.score for g in cached.grades) == [2, 4, 5]
    assert after_uncached == 2 * len(sent)  # --no-cache asks again


# Inline rubrics, each scripted to misbehave in its own way (the title is the rubric's first clause).
MISBEHAVING = """\
judge: {rubric: 改正后可读：看文风是否规范, model: openai:judge}
judge: {rubric: 两次闲聊：看文风是否规范, model: openai:judge, min_score: 3}
judge: {rubric: 分数越界：看文风是否规范, model: openai:judge}
judge: {rubric: 夹带文字：看文风是否规范, model: openai:judge}
judge: {rubric: 小数分数：看文风是否规范, model: openai:judge}"""
CHATTER = "好的，我认真阅读了这份草稿，整体写得不错，文风比较规范。"


def _misbehaving(body: dict[str, Any]) -> str:
    rubric = rubric_of(body)
    again = is_reask(body)
    if rubric == "改正后可读":
        return score(4, "改正后给出") if again else CHATTER
    if rubric == "两次闲聊":
        return CHATTER
    if rubric == "分数越界":
        return score(7)
    if rubric == "夹带文字":
        return score(3, "第二次只给 JSON") if again else "评分如下：" + score(3)
    return score(3.5)


def test_answers_that_cannot_be_read_are_reasked_once_then_left_unscored_with_the_reason(
    tmp_path: Path,
) -> None:
    suite = _suite(tmp_path, MISBEHAVING)
    out = tmp_path / "run.json"
    with stub_server(reply=_misbehaving) as server:
        res = run_eval(suite, "--base-url", server.base_url, "--json", out, "--html", tmp_path / "r.html")
        sent = server.requests
    assert res.exit_code == 0, res.output  # no gate asked for: the run reports and finishes
    assert len(sent) == 10  # every rubric was asked twice: once, and once again
    reasks = [r for r in sent if is_reask(r.body)]
    assert len(reasks) == 5
    chatter = next(r for r in reasks if "改正后可读" in first_user(r.body))
    messages = chatter.body["messages"]
    assert messages[1] == {"role": "assistant", "content": CHATTER}  # the answer sent back
    assert "你的回答无法使用：回答不是 JSON 对象，没有给出分数" in messages[2]["content"]
    mended = _judgement(out, "inline-" + _id("改正后可读：看文风是否规范"))
    (grade,) = mended.grades
    assert (grade.score, grade.reason, grade.answers) == (4, "改正后给出", [CHATTER, score(4, "改正后给出")])
    cases = {
        "两次闲聊": "重新提问后仍无法使用：回答不是 JSON 对象，没有给出分数",
        "分数越界": "重新提问后仍无法使用：分数 7 不在 1 到 5 之间",
        "小数分数": "重新提问后仍无法使用：分数“3.5”不是 1 到 5 的整数",
    }
    for title, why in cases.items():
        (grade,) = _judgement(out, "inline-" + _id(f"{title}：看文风是否规范")).grades
        assert grade.score is None and grade.unscored == why and len(grade.answers) == 2
    (grade,) = _judgement(out, "inline-" + _id("夹带文字：看文风是否规范")).grades
    assert grade.score == 3 and "评分如下" in grade.answers[0]
    # An unscored rubric with a threshold is not met — no score is assumed — and says why.
    run = record_of(out).runs[0]
    (gated,) = [r for r in run.results if r.kind == "judge"]
    assert not gated.ok and "没有有效评分" in gated.reason and not run.passed
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "未评分——重新提问后仍无法使用：分数 7 不在 1 到 5 之间" in page


def _id(rubric: str) -> str:
    import hashlib

    return hashlib.sha256(rubric.encode("utf-8")).hexdigest()[:8]


def test_an_endpoint_that_fails_leaves_grades_unscored_and_the_run_goes_on(tmp_path: Path) -> None:
    suite = _suite(tmp_path, "judge: {rubric: register, graders: 2}", "a", "b")
    out = tmp_path / "run.json"
    with stub_server(reply=lambda body: score(5)) as server:
        server.state.always = "server_error"
        res = run_eval(suite, "--judge-model", "openai:judge", "--base-url", server.base_url, "--json", out)
        sent = len(server.requests)
    assert res.exit_code == 0, res.output
    # Both drafts read the same data, so they share their two samples' requests, each tried with the
    # retry policy's attempts (more than one: four requests at least).
    assert sent >= 4
    record = record_of(out)
    assert [r.case for r in record.runs] == ["a", "b"] and all(r.passed for r in record.runs)
    for run in record.runs:
        (judgement,) = run.judgements
        assert judgement.scores == [] and len(judgement.grades) == 2
        assert all(g.unscored.startswith("模型接口调用失败") for g in judgement.grades)
    assert "未评分 4/4" in res.output  # both drafts, two samples each


def test_a_judge_model_the_provider_refuses_stops_the_run_without_echoing_the_key(tmp_path: Path) -> None:
    suite = _suite(tmp_path, "judge: register")
    with stub_server() as server:
        server.state.always = "unauthorized_echo"
        res = run_eval(
            suite,
            "--judge-model",
            "openai:judge",
            "--base-url",
            server.base_url,
            "--json",
            tmp_path / "r.json",
        )
    assert res.exit_code == 1, res.output
    assert KEY not in res.output and not (tmp_path / "r.json").exists()


def test_min_score_gates_on_the_median_and_a_rescore_reads_the_stored_grades_without_a_model(
    tmp_path: Path,
) -> None:
    suite = _suite(tmp_path, "judge: {rubric: specificity, model: openai:judge, graders: 3, min_score: 4}")
    out = tmp_path / "run.json"
    with stub_server(reply=Counted([score(3), score(4), score(5)])) as server:
        res = run_eval(suite, "--base-url", server.base_url, "--json", out, "--min-pass-rate", "1")
    assert res.exit_code == 0, res.output
    run = record_of(out).runs[0]
    (result,) = [r for r in run.results if r.name == "judge:specificity"]
    assert result.ok and "具体而非口号：中位数 4（" in result.reason and "达到 4 分" in result.reason
    # No server any more: a rescore asks nobody and reads the same grades.
    again = tmp_path / "again.json"
    res = run_eval("--rescore", out, "--json", again)
    assert res.exit_code == 0, res.output
    assert record_of(again).runs[0].judgements == run.judgements
    # A stricter threshold in the suite, rescored: the same grades now fail it.
    write(suite, suite.read_text(encoding="utf-8").replace("min_score: 4", "min_score: 4.5"))
    res = run_eval(suite, "--rescore", out, "--json", again, "--min-pass-rate", "1")
    assert res.exit_code == 1
    (result,) = [r for r in record_of(again).runs[0].results if r.name == "judge:specificity"]
    assert not result.ok and "低于 4.5 分" in result.reason
    # A rubric edited since the run: its stored grades are set aside, not read against the new text.
    write(
        suite,
        suite_text(district_case("d", "judge: {rubric: 看正文是否具体, name: specificity, min_score: 4}")),
    )
    res = run_eval(suite, "--rescore", out, "--json", again)
    assert res.exit_code == 0, res.output
    (judgement,) = record_of(again).runs[0].judgements
    assert judgement.grades == [] and "评分标准在记录之后改动过" in judgement.skipped
    assert not [r for r in record_of(again).runs[0].results if r.kind == "judge"]
    assert "评分标准 看正文是否具体 未评分" in res.output


def test_a_judge_without_a_model_is_not_asked_and_says_so(tmp_path: Path) -> None:
    suite = _suite(tmp_path, "judge: register")
    out = tmp_path / "run.json"
    res = run_eval(suite, "--json", out, "--min-pass-rate", "1")
    assert res.exit_code == 0, res.output
    (judgement,) = record_of(out).runs[0].judgements
    assert judgement.grades == [] and "没有指定评分模型" in judgement.skipped
    assert "评分标准 公文文风 未评分：没有指定评分模型" in res.output


@pytest.mark.parametrize(
    ("expect", "args", "expected"),
    [
        ("judge: regster", [], ["第6行", "没有编号为“regster”的评分标准", "register"]),
        ("judge: {rubric: register, graders: 0}", [], ["第6行", "graders"]),
        ("judge: {rubric: register, min_score: 6}", [], ["第6行", "min_score"]),
        ("judge: {rubric: register, grader: 3}", [], ["第6行", "不认识的项目“grader”", "graders"]),
        ("judge: {rubric: quality judgement}", [], ["第6行", "用中文写出的评分标准"]),
        ("judge: register", ["--judge-model", "offline"], ["评分模型“offline”不能用于评分"]),
        ("judge: register", ["--judge-model", "deepseek"], ["DEEPSEEK_API_KEY"]),
        (
            "judge: register",
            ["--rescore", "x.json", "--judge-model", "openai:j"],
            ["--rescore", "--judge-model"],
        ),
    ],
)
def test_bad_judges_are_refused_before_any_request(
    tmp_path: Path, expect: str, args: list[str], expected: list[str]
) -> None:
    suite = _suite(tmp_path, expect)
    with stub_server() as server:
        res = run_eval(suite, "--base-url", server.base_url, *args, "--json", tmp_path / "r.json")
        sent = len(server.requests)
    assert res.exit_code == 2, res.output
    assert sent == 0 and not (tmp_path / "r.json").exists()
    for text in expected:
        assert text in res.output, res.output


def test_a_schema_2_record_is_rescored_with_quality_figures_and_no_grades(tmp_path: Path) -> None:
    suite = _suite(tmp_path, "judge: register")
    out = tmp_path / "run.json"
    assert run_eval(suite, "--json", out).exit_code == 0
    raw = json.loads(out.read_text(encoding="utf-8"))
    raw["schema"] = "drafting.eval-run/2"
    for key in ("judge_prompts", "slogans_file", "slogans", "pairwise"):
        raw.pop(key)
    for run in raw["runs"]:
        run.pop("judgements")
        run.pop("quality")
    old = write(tmp_path / "old.json", json.dumps(raw, ensure_ascii=False))
    again = tmp_path / "again.json"
    res = run_eval("--rescore", old, "--json", again)
    assert res.exit_code == 0, res.output
    run = record_of(again).runs[0]
    assert run.quality is not None and run.quality.total > 500
    (judgement,) = run.judgements
    assert "记录中没有这一评分标准的评分" in judgement.skipped
    assert json.loads(again.read_text(encoding="utf-8"))["schema"] == "drafting.eval-run/3"
