"""Eval suites on disk: the project's suites load; a bad suite or replay is refused in Chinese at
its line, with exit code 2 and before any draft; the JSON schema is current and describes the file."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from drafting.data import load_data
from drafting.document import Draft
from drafting.draft import draft_report
from drafting.evaluation import scoring
from drafting.evaluation.suite import EXPECTATIONS, SCHEMA_FILE, load_suite, schema_text

from .conftest import EXAMPLES
from .eval_support import DISTRICT, EVALS, REPLAY_SUITE, SUITE, district_case, run_eval, suite_text, write


def test_the_project_suite_covers_every_example_and_every_extra_data_file() -> None:
    suite = load_suite(SUITE)
    used = {c.data_path.resolve() for c in suite.cases}
    for path in [*EXAMPLES.glob("*.yaml"), *(EVALS / "data").glob("*.yaml")]:
        # carry-over-2023 is the previous year of carry-over-2024, not a case of its own
        if path.name != "carry-over-2023.yaml":
            assert path.resolve() in used, path
    previous = next(c for c in suite.cases if c.id == "carry-over-2024").loaded.data.previous
    assert previous is not None and previous.year == 2023
    assert len(load_suite(REPLAY_SUITE).cases) >= 10


# (what the suite says, what the message must name) — each is refused with exit 2.
BAD_SUITES = [
    (district_case("a", "contians: 新收"), ["第7行", "不认识的检查项“contians”", "是不是“contains”"]),
    (district_case("a") + "    exepct: []\n", ["第6行", "不认识的项目“exepct”", "是不是“expect”"]),
    (
        district_case("a", "contains: {sectoin: overview, text: 新收}"),
        ["第7行", "不认识的项目“sectoin”", "section"],
    ),
    (district_case("a", "fallback: overveiw"), ["第7行", "“overveiw”不是正文的部分", "overview"]),
    (district_case("a", "length: {section: other, min: 50, max: 10}"), ["第7行", "min（50）大于 max（10）"]),
    (district_case("a", "passes: [n1]"), ["第7行", "“n1”不是检查规则的编号"]),
    # Shaped like a rule id but not one the check library has: it would always pass silently.
    (district_case("a", "passes: [N9]"), ["第7行", "“N9”不是检查规则的编号", "N1"]),
    ("  - id: a\n    data: nowhere.yaml\n", ["第5行", "数据文件", "nowhere.yaml", "不存在"]),
    ("  - data: " + str(DISTRICT) + "\n", ["第4行", "缺少“id”"]),
    (district_case("a") + district_case("a"), ["第6行", "案例编号“a”重复了"]),
]


@pytest.mark.parametrize(("cases", "expected"), BAD_SUITES)
def test_a_bad_suite_is_refused_in_chinese_at_its_line(
    tmp_path: Path, cases: str, expected: list[str]
) -> None:
    suite = write(tmp_path / "bad.yaml", suite_text(cases, extra="description: 坏的评测集\n"))
    result = run_eval(suite, "--json", tmp_path / "run.json")
    assert result.exit_code == 2, result.output
    for fragment in expected:
        assert fragment in result.output, (fragment, result.output)
    assert "Traceback" not in result.output
    assert not (tmp_path / "run.json").exists()


def test_a_data_file_with_errors_is_named_with_its_first_problem(tmp_path: Path) -> None:
    broken = DISTRICT.read_text(encoding="utf-8").replace(
        "carried_over:         {natural: 2", "carried_over: {natural: 3"
    )
    data = write(tmp_path / "broken.yaml", broken)
    suite = write(tmp_path / "s.yaml", suite_text(district_case("a", data=data)))
    result = run_eval(suite)
    assert result.exit_code == 2
    assert "案例“a”的数据文件" in result.output and "H2" in result.output
    assert "drafting validate" in result.output


def test_a_missing_default_suite_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_eval()
    assert result.exit_code == 2
    assert "找不到评测集 evals/suite.yaml" in result.output


def test_a_replay_without_an_answer_stops_before_any_draft(tmp_path: Path) -> None:
    replay = write(tmp_path / "r.yaml", "answers:\n  - section: overview\n    reply: 一段话。\n")
    suite = write(tmp_path / "s.yaml", suite_text(district_case("a")))
    result = run_eval(suite, "--model", f"replay:{replay}", "--json", tmp_path / "run.json")
    assert result.exit_code == 2
    assert "没有案例“a”这些部分的回答：problems、improvements、other" in result.output
    assert not (tmp_path / "run.json").exists()


def test_a_bad_replay_entry_is_refused_at_its_line(tmp_path: Path) -> None:
    replay = write(
        tmp_path / "r.yaml",
        "answers:\n  - section: overview\n    reply: 一段话。\n  - section: other\n    replys: [一段话。]\n",
    )
    suite = write(tmp_path / "s.yaml", suite_text(district_case("a")))
    result = run_eval(suite, "--model", f"replay:{replay}")
    assert result.exit_code == 2
    assert "第5行" in result.output and "不认识的项目“replys”" in result.output and "replies" in result.output


def test_the_schema_file_is_current() -> None:
    path = EVALS / SCHEMA_FILE
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if current != schema_text():
        path.write_text(schema_text(), encoding="utf-8")
        pytest.fail(f"{path} was stale and has been regenerated: review and commit it")


def test_the_schema_accepts_our_suites_and_refuses_an_unknown_key() -> None:
    schema = json.loads((EVALS / SCHEMA_FILE).read_text(encoding="utf-8"))
    for path in (SUITE, REPLAY_SUITE):
        jsonschema.validate(YAML(typ="safe").load(path.read_text(encoding="utf-8")), schema)
    bad = YAML(typ="safe").load(SUITE.read_text(encoding="utf-8"))
    bad["cases"][0]["expect"].append({"contains": {"txt": "新收"}})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def _scored(expect: list[object], draft: Draft) -> list[tuple[bool, str]]:
    data = load_data(DISTRICT).data
    items = EXPECTATIONS.validate_python(expect)
    _, results = scoring.score(draft, data, items, scoring.Behaviour(frozenset(), frozenset()))
    return [(r.ok, r.reason) for r in results]


def test_short_forms_mean_the_same_as_long_forms() -> None:
    draft = draft_report(load_data(DISTRICT))
    pairs = [
        (["no_errors"], [{"no_errors": True}]),
        ([{"passes": "N1"}], [{"passes": ["N1"]}]),
        ([{"contains": "新收政府信息公开申请66件"}], [{"contains": {"text": ["新收政府信息公开申请66件"]}}]),
        ([{"fallback": "overview"}], [{"fallback": ["overview"]}]),
        ([{"flagged": "overview"}], [{"flagged": {"section": "overview"}}]),
    ]
    for short, long in pairs:
        assert _scored(short, draft) == _scored(long, draft)
