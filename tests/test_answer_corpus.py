"""The model-answer corpus of issue 10 (evals/answers): generated files are current, load as a replay
and a suite with the project's own loaders, cover every fault class, and the measuring script runs."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from drafting import official
from drafting.backends.replay import load_replay
from drafting.evaluation.suite import load_suite

from .conftest import ROOT
from .eval_support import replay_file, run_eval, suite_text, write

ANSWERS = ROOT / "evals" / "answers"
FAULT_CLASSES = [
    "wrong-figure-other",
    "wrong-figure",
    "wrong-base",
    "label-swap",
    "yoy-direction",
    "yoy-percent",
    "invented-share",
    "upheld-pending",
    "false-claim",
    "stale-year",
    "unit-wan",
    "appeals-omitted",
    "fee-omitted",
    "invented-activity",
    "invented-empty-topic",
    "invented-problem",
    "measures-in-problems",
    "chatter-before",
    "chatter-after",
    "chatter-note",
    "repeated-heading",
    "url-damage",
    "injected-instruction",
]


def _script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ANSWERS / name), *args], capture_output=True, text=True, timeout=300, check=False
    )


def test_the_generated_files_are_what_the_generator_writes() -> None:
    done = _script("make.py", "--check")
    assert done.returncode == 0, done.stderr + done.stdout
    assert re.search(r"\d+ answers: \d+ faithful, \d+ faults", done.stdout)


def test_the_corpus_loads_and_every_case_has_an_answer_for_every_section() -> None:
    suite = load_suite(ANSWERS / "suite.yaml")
    replay = load_replay(ANSWERS / "answers.yaml")
    ids = [c.id for c in suite.cases]
    replay.require(ids, official.SECTION_IDS, 1)  # raises if any is missing
    labelled = {e.case: e for e in replay.entries if e.label}
    assert set(labelled) == set(ids)  # one labelled answer under test per case
    previous = {c.id: c.loaded.data.previous for c in suite.cases}
    assert previous["rich-overview-00"] is not None and previous["rich-overview-00"].year == 2023


def test_the_corpus_is_broad() -> None:
    entries = [e for e in load_replay(ANSWERS / "answers.yaml").entries if e.label]
    labels = Counter(e.label for e in entries)
    assert set(labels) == {"faithful", *FAULT_CLASSES}
    assert labels["faithful"] >= 100
    assert sum(n for label, n in labels.items() if label != "faithful") >= 50
    assert min(labels[c] for c in FAULT_CLASSES) >= 3
    faithful_sections = Counter(e.section for e in entries if e.label == "faithful")
    assert all(faithful_sections[s] >= 20 for s in official.SECTION_IDS)
    # Every fault is its faithful twin plus one fault.
    by_case = {e.case: e for e in entries}
    for e in entries:
        if e.label != "faithful":
            assert isinstance(e.case, str)
            twin_id, label = e.case.split("--")
            assert label == e.label
            assert by_case[twin_id].label == "faithful"
            assert by_case[twin_id].reply != e.reply


def test_faithful_answers_carry_the_number_forms_issue_10_names() -> None:
    texts = "\n".join(
        e.reply or "" for e in load_replay(ANSWERS / "answers.yaml").entries if e.label == "faithful"
    )
    for form in (
        "第二十条",
        "第三十三条",
        "国办公开办函〔2021〕30号",
        "1,286件",
        "20个工作日",
        "同比增长15.2%",
        "已审结的",
        "未收到法人或其他组织提出的申请",
        "其余申请均未收取信息处理费",
        "（四）平台建设",
        "培训两次",
        "http://www.example.gov.cn/jtj/",
        "【待补充：",
    ):
        assert form in texts, form


def test_measure_prints_the_false_rejection_rate_and_recall_per_class() -> None:
    done = _script("measure.py")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(r"忠实回答被拒绝：\d+/\d+（误拒率 \d+\.\d%）", out), out
    assert re.search(r"错误被发现：\d+/\d+（发现率 \d+\.\d%", out), out
    for label in FAULT_CLASSES:
        assert re.search(rf"^\s+{re.escape(label)}\s+\d+\s+\d+\s+\d+", out, re.M), label


def test_a_replay_entry_may_say_what_it_is_and_old_replays_still_load(tmp_path: Path) -> None:
    district = ROOT / "examples" / "district-dept-2024.yaml"
    reply = "2024年，我局发出政府信息公开收费通知3件，应收信息处理费900元，实收信息处理费600元。"
    replay = replay_file(
        tmp_path / "r.jsonl",
        [
            {"section": "other", "reply": reply, "label": "faithful"},
            {"section": "overview", "reply": "正文"},
            {"section": "problems", "reply": "正文"},
            {"section": "improvements", "reply": "正文"},
        ],
    )
    entries = load_replay(replay).entries
    assert [e.label for e in entries] == ["faithful", "", "", ""]
    suite = write(tmp_path / "s.yaml", suite_text(f"  - id: a\n    data: {district}\n"))
    result = run_eval(suite, "--model", f"replay:{replay}")
    assert result.exit_code == 0, result.output
