"""The catalogue of rule ids stays in step with what the checks emit and what the corpus seeds: it is
derived from the checks' registrations, and every check run over the defect corpus reports only the
rules it registered."""

from __future__ import annotations

import json
import re
from functools import cache

import pytest

from drafting.check import last_year
from drafting.checks import CHECKS, RULES, Finding, build_context, run_checks
from drafting.checks.registry import checks_for, rule_of
from drafting.data import load_data
from drafting.evaluation.defects import Case, load_cases
from drafting.reading import read_report

from .checks_support import DEFECTS
from .conftest import ROOT

# A rule id as checks write it: a capital letter and one or two digits, quoted.
_LITERAL = re.compile(r'"([A-Z][0-9]{1,2})"')
# Catalogued but never the seeded defect of a corpus case, each for its reason.
NOT_SEEDED = {
    "S7": "an empty section only arises from a single section's text, not from a whole document",
    "SPLIT": "a reading notice (digits split by guess), a warning on clean reports, never a defect",
    "D3": "a data file's own problems: the corpus's data files are valid",
    "READ": "a reading notice (a part or table the reader could not locate or confirm), never a defect",
}
# Rules only a model's section is held to (``check_section(…, strict=True)``): a published report
# never breaks them, so the corpus of whole reports cannot seed them; tests/test_model_answers.py
# and evals/answers exercise each.
MODEL_ONLY = {rule: "a model's section only" for rule in ("M1", "M2", "M3", "M4", "M5", "M6")}
NOT_SEEDED |= MODEL_ONLY


def test_every_rule_id_in_the_check_library_is_catalogued() -> None:
    emitted: set[str] = set()
    for path in (ROOT / "drafting" / "checks").glob("*.py"):
        if path.name == "registry.py":
            continue
        emitted |= set(_LITERAL.findall(path.read_text(encoding="utf-8")))
    assert emitted, "no rule ids found: the pattern no longer matches how checks name rules"
    assert emitted <= set(RULES), sorted(emitted - set(RULES))


def test_every_catalogued_rule_is_seeded_in_the_defect_corpus_or_emitted() -> None:
    manifest = json.loads((ROOT / "evals" / "defects" / "manifest.json").read_text(encoding="utf-8"))
    seeded = {case["rule"] for case in manifest if case["rule"]}
    assert seeded <= set(RULES), sorted(seeded - set(RULES))
    assert set(RULES) - seeded <= set(NOT_SEEDED), sorted(set(RULES) - seeded)


def test_every_rule_has_a_category_a_chinese_description_and_a_check() -> None:
    names = {spec.name for spec in CHECKS}
    for rule in RULES.values():
        assert re.search(r"[\u4e00-\u9fff]", rule.description) and "\n" not in rule.description, rule
        assert rule.checks and (set(rule.checks) <= names or rule.id == "D3"), rule
    for spec in CHECKS:
        assert spec.rules and all(r in RULES for r in spec.rules), spec.name


def test_the_corpus_manifest_files_each_rule_under_its_catalogued_category() -> None:
    for case in load_cases(DEFECTS):
        if case.rule is not None:
            assert case.category == RULES[case.rule].category, case.id


@cache
def _corpus_runs() -> list[tuple[Case, str, list[Finding]]]:
    """Every check run on its own over every corpus case: (case, check name, its findings)."""
    out: list[tuple[Case, str, list[Finding]]] = []
    for case in load_cases(DEFECTS):
        report = read_report(DEFECTS / case.file)
        data = load_data(DEFECTS / case.data).data if case.data else None
        previous = last_year(DEFECTS / case.previous) if case.previous else None
        ctx = build_context(report, data, previous)
        for spec in CHECKS:
            out.append((case, spec.name, list(spec.fn(ctx))))
    return out


def test_every_check_reports_only_the_rules_registered_to_it_over_the_defect_corpus() -> None:
    by_name = {spec.name: spec for spec in CHECKS}
    reported: set[str] = set()
    for case, name, findings in _corpus_runs():
        for f in findings:
            rule = f.rule
            assert rule in by_name[name].rules, (case.id, name, rule)
            assert name in RULES[rule].checks, (case.id, name, rule)
            reported.add(rule)
    # and the corpus exercises every rule a whole report can break (READ is the reader's notice of
    # what it could not read, not a rule a report breaks: tests/test_reading_confidence.py)
    assert set(RULES) - reported <= {"S7", "D3", "READ", *MODEL_ONLY}, sorted(set(RULES) - reported)


def test_every_finding_over_the_corpus_carries_its_evidence_category_and_fingerprint() -> None:
    tables = {"table2", "table3", "table4"}
    for case, name, findings in _corpus_runs():
        for f in findings:
            where = (case.id, name, f.rule)
            assert f.evidence.strip(), where
            assert f.category == RULES[f.rule].category, where
            assert re.fullmatch(r"[0-9a-f]{16}", f.fingerprint), where
            for cell in f.cells:
                assert cell.table in tables and cell.row, (where, cell)


def test_findings_of_one_report_have_distinct_fingerprints() -> None:
    for case in load_cases(DEFECTS)[::7]:
        report = read_report(DEFECTS / case.file)
        data = load_data(DEFECTS / case.data).data if case.data else None
        findings = run_checks(report, data)
        prints = [f.fingerprint for f in findings]
        assert len(prints) == len(set(prints)), (case.id, [(f.rule, f.location) for f in findings])


def test_run_checks_only_takes_rule_ids() -> None:
    case = next(c for c in load_cases(DEFECTS) if c.rule == "H1")
    report = read_report(DEFECTS / case.file)
    everything = run_checks(report)
    only = run_checks(read_report(DEFECTS / case.file), only=["H1", "R1"])
    assert only and only == [f for f in everything if f.rule in ("H1", "R1")]
    assert {s.name for s in checks_for(["H1"])} == {"cross_sums", "reading_notices"}
    with pytest.raises(ValueError, match="X9"):
        run_checks(report, only=["X9"])


def test_data_file_rules_belong_to_the_d3_family() -> None:
    entry = rule_of("D3-H1")
    assert entry is not None and entry.id == "D3" and entry.category == "data"
    assert rule_of("D3") is entry and rule_of("H1-D3") is None and rule_of("Z9") is None
