"""``drafting eval`` end to end on the project's suites: offline (the CI gate), the scripted replay
with deliberately flawed answers (the harness tests itself), the run record and its re-scoring, and
flaky cases across repeats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafting.checks import check_section
from drafting.data import load_data
from drafting.narrative import clean

from .conftest import EXAMPLES
from .eval_support import (
    DISTRICT,
    EVALS,
    REPLAY_SUITE,
    SUITE,
    district_case,
    offline_answers,
    record_of,
    replay_file,
    result,
    run_eval,
    section_text,
    suite_text,
    write,
)


def test_ci_offline_run_of_the_project_suite_passes_at_100_percent(tmp_path: Path) -> None:
    out_json, out_html = tmp_path / "out" / "run.json", tmp_path / "out" / "run.html"
    res = run_eval(
        SUITE, "--model", "offline", "--min-pass-rate", "1.0", "--json", out_json, "--html", out_html
    )
    assert res.exit_code == 0, res.output
    record = record_of(out_json)
    assert [r.case for r in record.runs] == [c.id for c in record.cases]
    assert len(record.runs) >= 11 and all(r.passed for r in record.runs)
    # every expectation of every case was evaluated and holds; the matrix says so
    assert all(res.ok for r in record.runs for res in r.results)
    assert sum(len(r.results) for r in record.runs) > 150
    assert "100% 11/11" in res.output
    assert out_html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_default_suite_is_evals_suite_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EVALS.parent)
    res = run_eval("--min-pass-rate", "1.0")
    assert res.exit_code == 0, res.output
    assert "项目自带评测集" in res.output


def test_ci_replay_suite_passes_only_because_every_flaw_is_caught(tmp_path: Path) -> None:
    out = tmp_path / "replay.json"
    res = run_eval(REPLAY_SUITE, "--min-pass-rate", "1.0", "--json", out, "--html", tmp_path / "replay.html")
    assert res.exit_code == 0, res.output
    record = record_of(out)
    assert record.models == ["replay:replay/answers.yaml"]
    assert all(r.passed for r in record.runs)


# case → (section, rule, text of the flaw in the model's answer, what the writer did with it)
FLAWS = {
    "flaw-wrong-count": ("overview", "N1", "新收政府信息公开申请68件", "fallback"),
    "flaw-made-up-figure": ("overview", "N0", "999项", "reask"),
    "flaw-markdown-table": ("other", "R2", "| 3件 | 900元 | 600元 |", "fallback"),
    "flaw-half-width": ("improvements", "R3", "负责公开的机关.", "fallback"),
    "flaw-missing-subsection": ("overview", "S3", "", "fallback"),  # the flaw is what is not there
    "flaw-stale-year": ("problems", "Y2", "2023年，我局政府信息公开工作", "fallback"),
    "flaw-improvements-year": ("improvements", "Y3", "2024年，我局将", "reask"),
    "flaw-upheld-pending": ("overview", "N3", "均获维持", "fallback"),
}
MISSING = "（四）政府信息公开平台建设"


@pytest.fixture(scope="module")
def replay_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("replay") / "run.json"
    res = run_eval(REPLAY_SUITE, "--json", out, "--html", out.with_suffix(".html"))
    assert res.exit_code == 0, res.output
    return out


@pytest.mark.parametrize("case", sorted(FLAWS))
def test_each_deliberate_flaw_is_caught_by_its_rule(replay_record: Path, case: str) -> None:
    section, rule, flaw, path = FLAWS[case]
    record = record_of(replay_record)
    run = next(r for r in record.runs if r.case == case)
    data = load_data(DISTRICT).data
    # The model's first answer really has the flaw, and the check library names it by its rule.
    first = next(a for a in run.answers if a.section == section and a.ask == 1)
    assert (flaw in first.text) if flaw else (MISSING not in first.text)
    assert rule in {f.rule for f in check_section(section, clean(first.text, section), data)}
    # The writer did not let it through: it re-asked and kept the corrected answer, or fell back.
    assert section in run.reasked
    assert (section in run.fallbacks) == (path == "fallback")
    kept = section_text(record, case, section)
    if path == "reask":
        second = next(a for a in run.answers if a.section == section and a.ask == 2)
        assert kept == "\n".join(clean(second.text, section))
    assert (flaw not in kept) if flaw else (MISSING in kept)
    # The expectation says how it was caught, with the rule's own message.
    ok, reason = result(record, case, f"flagged:{section}:{rule}")
    assert ok and "已发现" in reason and f"{rule}：" in reason
    # And the report shows it: the rejected answer is marked in the drill-down.
    page = replay_record.with_suffix(".html").read_text(encoding="utf-8")
    block = page[page.index(f'id="case-{case}"') :]
    block = block[: block.index("</section>")]
    assert "已发现" in block and "未采用" in block
    if case != "flaw-missing-subsection":  # nothing to mark in what is missing
        assert '<mark class="finding"' in block


def test_markdown_and_fences_are_cleaned_away_and_the_answer_kept(replay_record: Path) -> None:
    record = record_of(replay_record)
    run = next(r for r in record.runs if r.case == "flaw-markdown")
    raw = next(a for a in run.answers if a.section == "problems").text
    assert "```" in raw and "**" in raw and "## " in raw
    kept = section_text(record, "flaw-markdown", "problems")
    assert "```" not in kept and "**" not in kept and "#" not in kept
    assert "三是答复“本机关不掌握相关政府信息”的申请较多" in kept  # the model's text, not the offline one
    assert run.fallbacks == [] and run.reasked == [] and run.passed


def test_good_answers_are_kept_as_written(replay_record: Path) -> None:
    record = record_of(replay_record)
    for case in ("good-district", "good-zero"):
        run = next(r for r in record.runs if r.case == case)
        assert run.passed and run.fallbacks == [] and run.reasked == []
        assert all(s["backend"] == "replay:replay/answers.yaml" for s in run.draft["sections"])
    assert "围绕住房和城乡建设中心工作" in section_text(record, "good-district", "overview")


def test_a_flaw_that_is_not_there_is_reported_as_not_caught(tmp_path: Path) -> None:
    """The harness cannot rubber-stamp: a 'flaw' case whose answer is fine fails its expectation."""
    replay = replay_file(
        tmp_path / "fine.jsonl",
        [{"case": "fine", "section": s, "reply": text} for s, text in offline_answers().items()],
    )
    suite = write(
        tmp_path / "s.yaml", suite_text(district_case("fine", "flagged: {section: overview, rule: N1}"))
    )
    out = tmp_path / "run.json"
    res = run_eval(suite, "--model", f"replay:{replay}", "--json", out, "--min-pass-rate", "1.0")
    assert res.exit_code == 1, res.output
    ok, reason = result(record_of(out), "fine", "flagged:overview:N1")
    assert not ok and "原样采用" in reason
    assert "通过率低于门槛" in res.output


def test_the_record_is_rescored_without_a_model_to_identical_results(tmp_path: Path) -> None:
    answers = offline_answers()
    wrong = answers["overview"].replace("新收政府信息公开申请66件", "新收政府信息公开申请68件")
    entries = [{"section": s, "reply": t} for s, t in answers.items() if s != "overview"]
    entries.append({"section": "overview", "replies": [wrong, answers["overview"]]})
    replay = replay_file(tmp_path / "r.jsonl", entries)
    expect = "flagged: {section: overview, rule: N1}\npasses: [N1, Y2]\ncontains: 新收政府信息公开申请66件"
    suite = write(tmp_path / "s.yaml", suite_text(district_case("d", expect)))
    first = tmp_path / "run.json"
    assert run_eval(suite, "--model", f"replay:{replay}", "--repeat", "2", "--json", first).exit_code == 0
    # Remove the model and the suite: re-scoring needs neither.
    replay.unlink()
    suite.unlink()
    res = run_eval("--rescore", first, "--json", tmp_path / "again.json")
    assert res.exit_code == 0, res.output
    before, after = record_of(first), record_of(tmp_path / "again.json")
    assert len(after.runs) == len(before.runs) == 2
    assert before.runs[0].reasked == ["overview"] and before.runs[0].passed
    for a, b in zip(before.runs, after.runs, strict=True):
        assert (a.findings, a.results, a.passed, a.fallbacks, a.reasked) == (
            b.findings,
            b.results,
            b.passed,
            b.fallbacks,
            b.reasked,
        )
        assert a.draft == b.draft and a.answers == b.answers
    assert after.scored >= before.scored


def test_rescoring_with_an_edited_suite_applies_the_new_expectations(tmp_path: Path) -> None:
    suite = write(tmp_path / "s.yaml", suite_text(district_case("d", "contains: 新收政府信息公开申请66件")))
    first = tmp_path / "run.json"
    assert run_eval(suite, "--json", first).exit_code == 0
    write(tmp_path / "s.yaml", suite_text(district_case("d", "not_contains: 新收政府信息公开申请66件")))
    res = run_eval(suite, "--rescore", first, "--json", tmp_path / "again.json", "--min-pass-rate", "1")
    assert res.exit_code == 1
    ok, reason = result(record_of(tmp_path / "again.json"), "d", "not_contains:全文:新收政府信息公开申请66件")
    assert not ok and "不应出现" in reason


def test_rescore_refuses_options_that_need_a_model(tmp_path: Path) -> None:
    res = run_eval("--rescore", tmp_path / "x.json", "--model", "offline")
    assert res.exit_code == 2 and "--rescore 只用已保存的草稿重新评分" in res.output


def test_flaky_cases_across_repeats_are_shown(tmp_path: Path) -> None:
    answers = offline_answers()
    entries = [{"section": s, "reply": text} for s, text in answers.items()]
    # In the second repeat the model invents a count twice: the section falls back.
    wrong = answers["overview"].replace("新收政府信息公开申请66件", "新收政府信息公开申请61件")
    entries.append({"case": "d", "section": "overview", "repeat": 2, "reply": wrong})
    replay = replay_file(tmp_path / "flaky.jsonl", entries)
    suite = write(tmp_path / "s.yaml", suite_text(district_case("d", "fallback: false")))
    out = tmp_path / "run.json"
    res = run_eval(
        suite, "--model", f"replay:{replay}", "--repeat", "3", "--json", out, "--html", tmp_path / "r.html"
    )
    assert res.exit_code == 0, res.output
    record = record_of(out)
    assert [r.passed for r in record.runs] == [True, False, True]
    assert record.runs[1].fallbacks == ["overview"]
    flaky = res.output[res.output.index("不稳定的案例") :]
    assert "│ d " in flaky and "2/3" in flaky.split("未通过的草稿")[0]
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'href="#case-d"' in page and "2/3" in page


def _record_with_findings(tmp_path: Path) -> Path:
    """An offline run whose draft has findings (the township's missing facts: R1 warnings) and an
    expectation they decide (``passes: [R1]`` fails)."""
    suite = write(
        tmp_path / "s.yaml", suite_text(district_case("t", "passes: [R1]", EXAMPLES / "township-2024.yaml"))
    )
    first = tmp_path / "run.json"
    res = run_eval(suite, "--json", first)
    assert res.exit_code == 0, res.output
    return first


def test_the_record_stores_the_check_librarys_findings_whole(tmp_path: Path) -> None:
    first = _record_with_findings(tmp_path)
    raw = json.loads(first.read_text(encoding="utf-8"))
    assert raw["schema"] == "drafting.eval-run/3"  # 3: judges, pairwise and quality figures added
    stored = [f for run in raw["runs"] for f in run["findings"]]
    assert stored and all(set(f) == {"finding", "section", "paragraph"} for f in stored)
    assert all(
        list(f["finding"])
        == ["rule", "category", "severity", "message", "location", "evidence", "cells", "fingerprint"]
        for f in stored
    )
    (run,) = record_of(first).runs
    assert {f.rule for f in run.findings} == {"R1"} and all(f.finding.evidence for f in run.findings)
    # what decided a result is the finding itself, not a copy of its text
    (failed,) = [r for r in run.results if r.name == "passes:R1"]
    assert not failed.ok and failed.finding == run.findings[0].finding


def test_a_schema_1_record_is_still_rescored_and_compared(tmp_path: Path) -> None:
    first = _record_with_findings(tmp_path)
    raw = json.loads(first.read_text(encoding="utf-8"))
    # the record as version 1 wrote it: flat findings without evidence, cells or fingerprint
    raw["schema"] = "drafting.eval-run/1"
    flat = ("rule", "category", "severity", "message", "location")
    for run in raw["runs"]:
        run["findings"] = [
            {**{k: f["finding"][k] for k in flat}, "section": f["section"], "paragraph": f["paragraph"]}
            for f in run["findings"]
        ]
        for r in run["results"]:
            del r["finding"]
    old = write(tmp_path / "old.json", json.dumps(raw, ensure_ascii=False))
    assert record_of(old).runs[0].findings[0].rule == "R1"  # read, its findings under ``finding``
    res = run_eval("--rescore", old, "--json", tmp_path / "again.json")
    assert res.exit_code == 0, res.output
    again, before = record_of(tmp_path / "again.json"), record_of(first)
    assert [r.findings for r in again.runs] == [r.findings for r in before.runs]
    assert [r.results for r in again.runs] == [r.results for r in before.runs]
    # as a baseline too: the run compared with its own old record has no regression
    res = run_eval("--rescore", first, "--baseline", old)
    assert res.exit_code == 0 and "没有回归" in res.output, res.output
    # a record of a shape this version does not know is refused, in Chinese
    raw["schema"] = "drafting.eval-run/9"
    res = run_eval(
        "--rescore", write(tmp_path / "future.json", json.dumps(raw)), "--json", tmp_path / "x.json"
    )
    assert res.exit_code == 2 and "另一版本的评测记录（drafting.eval-run/9）" in res.output, res.output


def test_the_eval_is_one_library_call(tmp_path: Path) -> None:
    # What the command does, without the command: the web workspace makes this same call.
    from drafting.evaluation import EvalOptions
    from drafting.evaluation import run_eval as library_run_eval

    suite = write(
        tmp_path / "s.yaml", suite_text(district_case("a") + district_case("b"), extra="repeat: 2\n")
    )
    started: list[int] = []
    done: list[str] = []
    out = tmp_path / "r.json"
    result = library_run_eval(
        EvalOptions(suite=suite, models=["offline"], json_out=out, min_pass_rate=1.0),
        on_start=started.append,
        on_done=lambda run: done.append(run.case),
    )
    assert started == [4] and sorted(done) == ["a", "a", "b", "b"]
    assert result.written == [out] and record_of(out).runs == result.record.runs
    assert not result.failed and result.below == [] and result.regressions is None
    again = library_run_eval(EvalOptions(rescore=out, baseline=out))
    assert again.regressions == [] and again.written == []
