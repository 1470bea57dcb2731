"""What a run shows and how it gates: the self-contained HTML report (drill-down, findings marked in
the text, the character diff between prompt versions), ``--baseline`` regressions and
``--min-pass-rate``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from drafting.data import load_data

from . import llm_support
from .eval_support import (
    DISTRICT,
    copy_prompts,
    district_case,
    offline_answers,
    record_of,
    replay_file,
    result,
    run_eval,
    suite_text,
    write,
)
from .llm_support import SERVER_SENTENCE, good_text, section_of
from .openai_stub import stub_server

MARK = "本段由回放写成。"
VERSION_B = "本报告内容已经复核。"

_keyed = llm_support.keyed_fixture  # fast retries and a key for every test


def _by_prompt_version(body: dict[str, Any]) -> str:
    """A model whose answer depends on the prompt: version B's system prompt asks for a sentence."""
    section = section_of(body)
    text = good_text(section, load_data(DISTRICT).data)
    system = body["messages"][0]["content"]
    if "【版本B】" in system and section == "overview":
        text = text.replace(SERVER_SENTENCE, SERVER_SENTENCE + VERSION_B, 1)
    return text


def test_the_html_report_is_self_contained_with_drilldown_and_prompt_diff(tmp_path: Path) -> None:
    a = copy_prompts(tmp_path / "prompts-a")
    b = copy_prompts(tmp_path / "prompts-b", system_extra=f"【版本B】请在第一段末尾写明：{VERSION_B}")
    suite = write(
        tmp_path / "s.yaml",
        suite_text(district_case("d", f"not_contains: {VERSION_B}\ncontains: {SERVER_SENTENCE}")),
    )
    html, out = tmp_path / "report.html", tmp_path / "run.json"
    with stub_server(reply=_by_prompt_version) as server:
        res = run_eval(
            suite, "--prompts", a, "--prompts", b, "--model", "openai:test-model", "--base-url", server.base_url,
            "--json", out, "--html", html,
        )  # fmt: skip
    assert res.exit_code == 0, res.output
    record = record_of(out)
    assert [p.label for p in record.prompts] == ["prompts-a", "prompts-b"]
    assert record.prompts[0].versions["system"] != record.prompts[1].versions["system"]
    assert [r.passed for r in record.runs] == [True, False]  # version B wrote the sentence we forbade
    page = html.read_text(encoding="utf-8")
    # self-contained: inline style, nothing fetched from anywhere
    assert "<style>" in page
    # one inline script of ours (the reviewers' labels), which fetches nothing either
    assert page.count("<script") == 1 and "<script>" in page
    assert not re.search(r"<script[^>]|<link|<img|src=|@import|url\(|href=\"(?!#)", page)
    script = page[page.index("<script>") : page.index("</script>")]
    assert not re.search(r"fetch\(|XMLHttpRequest|WebSocket|https?:|import\(", script)
    # the matrix, then the drill-down of the case with the draft text
    assert "通过率（提示词版本 × 模型）" in page and "50%（1/2）" not in page and "100%（1/1）" in page
    assert 'id="case-d"' in page and "新收政府信息公开申请66件" in page
    assert "（二）依申请公开" in page and "模型的原始回答" in page
    # the failed expectation is marked in the text of version B's draft
    assert re.search(r'<mark class="expect" title="[^"]*不应出现[^"]*">' + VERSION_B + "</mark>", page)
    # the character diff between the two prompt versions, for the same case
    assert "提示词版本对比：prompts-a → prompts-b" in page
    inserted = re.findall(r"<ins>([^<]*)</ins>", page)
    assert len(inserted) == 1 and sorted(inserted[0]) == sorted(VERSION_B)  # where the 。 falls is difflib's
    assert page.count("（无变化）") == 3  # only the overview changed


def test_findings_in_a_stored_draft_are_marked_where_their_location_says(tmp_path: Path) -> None:
    """A stored draft edited as a model might have written it, re-scored: the finding is located in
    its paragraph and the words it quotes are marked."""
    suite = write(
        tmp_path / "s.yaml", suite_text(district_case("d", "flagged: {section: overview, rule: N3}"))
    )
    base = tmp_path / "base.json"
    assert run_eval(suite, "--json", base).exit_code == 0
    ok, reason = result(record_of(base), "d", "flagged:overview:N3")
    assert not ok and "原样采用" in reason  # the clean draft has no such flaw to catch
    raw = json.loads(base.read_text(encoding="utf-8"))
    overview = raw["runs"][0]["draft"]["sections"][0]["paragraphs"]
    overview[2] += "全年政府信息公开行政复议、行政诉讼案件均获维持。"
    edited = write(tmp_path / "edited.json", json.dumps(raw, ensure_ascii=False))
    html = tmp_path / "r.html"
    res = run_eval("--rescore", edited, "--html", html, "--baseline", base, "--json", tmp_path / "again.json")
    assert res.exit_code == 1  # a regression: N3 passed in the baseline
    assert "rule:N3 在基线中通过，现在未通过" in res.output
    ok, reason = result(record_of(tmp_path / "again.json"), "d", "flagged:overview:N3")
    assert ok and "检查在草稿中报告 N3" in reason
    page = html.read_text(encoding="utf-8")
    assert re.search(
        r'<p class="flagged">（二）依申请公开。.*<mark class="finding" title="N3：[^"]*">[^<]*均获维持', page
    )


def _replay_run(tmp_path: Path, name: str, overview: str | None = None) -> tuple[Any, Path]:
    answers = offline_answers(mark=MARK)
    if overview is not None:
        answers["overview"] = overview
    replay = replay_file(tmp_path / f"{name}.jsonl", [{"section": s, "reply": t} for s, t in answers.items()])
    suite = write(
        tmp_path / "s.yaml",
        suite_text(district_case("d", f"fallback: false\ncontains: {{section: overview, text: {MARK}}}")),
    )
    out = tmp_path / f"{name}.json"
    return run_eval(suite, "--model", f"replay:{replay}", "--json", out), out


def test_baseline_prints_only_regressions_and_fails_on_one(tmp_path: Path) -> None:
    res, base = _replay_run(tmp_path, "base")
    assert res.exit_code == 0, res.output
    # The same answers again: no regression, exit 0.
    again, _ = _replay_run(tmp_path, "same")
    assert again.exit_code == 0
    same = run_eval("--rescore", tmp_path / "same.json", "--baseline", base)
    assert same.exit_code == 0 and "与基线相比没有回归" in same.output
    # A seeded regression: the overview now invents a count, so it falls back to the offline text.
    wrong = offline_answers(mark=MARK)["overview"].replace(
        "新收政府信息公开申请66件", "新收政府信息公开申请61件"
    )
    suite = tmp_path / "s.yaml"
    replay = replay_file(tmp_path / "worse.jsonl", [{"section": "overview", "reply": wrong}] + [
        {"section": s, "reply": t} for s, t in offline_answers(mark=MARK).items() if s != "overview"
    ])  # fmt: skip
    worse = run_eval(suite, "--model", f"replay:{replay}", "--baseline", base)
    assert worse.exit_code == 1, worse.output
    lines = [line for line in worse.output.splitlines() if "✗" in line]
    assert len(lines) == 2
    assert any("fallback 在基线中通过，现在未通过" in line and "overview" in line for line in lines)
    assert any(f"contains:一、总体情况:{MARK} 在基线中通过" in line for line in lines)
    # only regressions: no matrix, no list of what still passes
    assert "通过率（提示词版本 × 模型）" not in worse.output and "no_errors" not in worse.output


def test_a_baseline_from_another_suite_is_refused(tmp_path: Path) -> None:
    _, base = _replay_run(tmp_path, "base")
    other = write(tmp_path / "o.yaml", suite_text(district_case("another")))
    res = run_eval(other, "--baseline", base)
    assert res.exit_code == 2 and "没有可比较的草稿" in res.output


def test_min_pass_rate_gates(tmp_path: Path) -> None:
    cases = district_case("good") + district_case("bad", "contains: 这句话不会出现在任何草稿中")
    suite = write(tmp_path / "s.yaml", suite_text(cases))
    below = run_eval(suite, "--min-pass-rate", "0.9")
    assert below.exit_code == 1
    assert "通过率低于门槛" in below.output and "50.0%（1/2）" in below.output and "门槛 90%" in below.output
    at = run_eval(suite, "--min-pass-rate", "0.5")
    assert at.exit_code == 0 and "通过率低于门槛" not in at.output
    assert run_eval(suite).exit_code == 0  # no gate asked for: the report only
    wrong = run_eval(suite, "--min-pass-rate", "90")
    assert wrong.exit_code == 2 and "0 到 1 之间" in wrong.output
