"""Prose a reviewer would not send back (issue 14, items 3 and 4): 表二 stated as what it counts, no
unused short form, the subject varied, the applicant breakdown kept whole, wordings that differ
between agencies and years but never between two runs; last year's problems and measures carried
forward by ``init --from``, reported on in 五, and checked (Y5); the leadership phrase."""

from __future__ import annotations

import copy
import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from drafting.checks import run_checks
from drafting.data import ReportData, load_data, validate_raw
from drafting.data.load import Loaded
from drafting.document import load_draft
from drafting.draft import draft_report
from drafting.evaluation.synthetic import random_data
from drafting.offline import MARKER_OPEN, write_section
from drafting.phrasing import Chooser, own_words, sentences

from .conftest import REFERENCE_EXAMPLE

_EXAMPLE = load_data(REFERENCE_EXAMPLE).raw
NAMES = (
    "青山县教育局",
    "临江市财政局",
    "东湖区司法局",
    "白沙县交通运输局",
    "南岭县卫生健康委员会",
    "北川市生态环境局",
)


def _raw(**agency: Any) -> dict[str, Any]:
    r = copy.deepcopy(_EXAMPLE)
    r["agency"].update(agency)
    return r


def _data(r: dict[str, Any]) -> ReportData:
    return validate_raw(r, "test.yaml").data


def _draft_text(d: ReportData) -> str:
    dr = draft_report(Loaded("test.yaml", d))
    return "\n".join([*dr.preamble, *(p for s in dr.sections for p in s.paragraphs)])


def _cli(*args: str, cwd: Path, seed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
    return subprocess.run(
        [str(Path(sys.executable).parent / "drafting"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- 表二's meaning ---------------------------------------------------------------------------------


def test_table2_states_decisions_made_and_the_amount_charged_never_published() -> None:
    for name in NAMES:
        r = _raw(name=name, short_name=None)
        r["table2"].update({"licensing": 126, "penalty": 18, "coercion": 2, "admin_fees": "9116.36"})
        active = write_section("overview", _data(r))[1]
        assert "公开行政许可" not in active and "公开行政事业性收费" not in active
        assert re.search(r"行政许可(事项并作出处理)?(处理)?决定126件", active), active
        assert re.search(r"行政处罚(事项并作出处理)?(处理)?决定18件", active), active
        assert re.search(r"(收取行政事业性收费(共计)?|行政事业性收费金额为)9116\.36万元", active), active


# --- short forms, subject, order --------------------------------------------------------------------


def test_no_short_form_is_defined_unless_used_later() -> None:
    for seed in range(30):
        text = _draft_text(random_data(seed))
        for m in re.finditer(r"（以下简称(《?[^）]+》?)）", text):
            assert m.group(1) in text[m.end() :], m.group(0)


def test_the_year_and_self_reference_open_at_most_one_sentence_of_the_narrative() -> None:
    for seed in range(30):
        d = random_data(seed)
        narrative = "\n".join(
            p for s in ("overview", "problems", "improvements") for p in write_section(s, d)
        )
        assert narrative.count(f"{d.year}年，{d.self_reference}") <= 1, narrative


def test_year_on_year_never_splits_the_applicant_breakdown() -> None:
    for name in NAMES:
        r = _raw(name=name, short_name=None)
        r["table3"]["new"].update(natural=3, commercial=2)
        r["table3"]["disclosed"].update(natural=3, commercial=2)
        last = copy.deepcopy(_EXAMPLE["table3"])
        last["new"]["natural"] = 4
        last["disclosed"]["natural"] = 4
        r["previous"] = {"year": 2022, "table3": last}
        on_request = write_section("overview", _data(r))[2]
        assert re.search(r"其中，?自然人申请3件、法人或其他组织申请2件", on_request), on_request
        assert "较上年（4件）增加1件" in on_request
        assert not re.search(r"法人或其他组织申请2件[，；]较上年", on_request), on_request


# --- wordings vary between agencies and years, never between runs --------------------------------------


def test_the_choice_is_stable_and_differs_by_agency_and_year() -> None:
    assert Chooser("甲局", 2024).pick("x", range(1000)) == Chooser("甲局", 2024).pick("x", range(1000))
    picks = {Chooser(name, year).pick("x", range(1000)) for name in NAMES for year in (2023, 2024)}
    assert len(picks) > 6
    assert sorted(Chooser("甲局", 2024).order("y", "abcde")) == list("abcde")


def _generated(n: int) -> list[ReportData]:
    out = []
    for i in range(n // 2):
        for year in (2023, 2025):
            raw = random_data(i * 10 + year, year=year).model_dump(mode="python")
            raw["agency"] = {
                "name": NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f"第{i}分局"),
                "self_reference": "我局",
            }
            raw["facts"] = {k: ([] if (i + year + len(k)) % 2 else None) for k in raw["facts"]}
            out.append(validate_raw(raw, "generated.yaml").data)
    return out


def test_two_agencies_or_two_years_share_no_sentence_over_30_own_characters() -> None:
    drafts = [(f"{d.agency.name}{d.year}", set(sentences(_draft_text(d)))) for d in _generated(20)]
    for (a, sa), (b, sb) in itertools.combinations(drafts, 2):
        shared = [s for s in sa & sb if len(own_words(s)) > 30]
        assert not shared, (a, b, shared)


def test_a_sentence_names_its_time_once() -> None:
    """The opening chosen for a sentence (全年, 我局全年, 本年度…) is never followed by a second time
    word from the clause after it (``我局全年本年度没有制发…``)."""
    doubled = re.compile(r"(?:全年|本年度?)(?:全年|本年度?)")
    for d in _generated(40):
        found = doubled.findall(_draft_text(d))
        assert not found, (d.agency.name, d.year, found)


def test_offline_drafts_pass_their_own_number_checks() -> None:
    for d in _generated(20):
        findings = run_checks(draft_report(Loaded("generated.yaml", d)), d)
        assert [f for f in findings if f.rule != "R1"] == [], [f.message for f in findings]


def test_the_same_data_gives_the_same_draft_in_every_process(tmp_path: Path) -> None:
    texts = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        result = _cli(
            "draft", str(REFERENCE_EXAMPLE), "-o", str(out / "r"), "--format", "md", cwd=tmp_path, seed=seed
        )
        assert result.returncode in (0, 1), result.stderr
        texts.append(next(out.rglob("*.md")).read_text(encoding="utf-8"))
    assert texts[0] == texts[1]


# --- the leadership phrase ---------------------------------------------------------------------------


def test_leadership_opens_the_overview_when_given() -> None:
    for name in NAMES[:3]:
        d = _data(_raw(name=name, leadership="在县委、县政府的正确领导下"))
        assert "在县委、县政府的正确领导下，" in write_section("overview", d)[0]
    assert "领导下" not in write_section("overview", _data(_raw()))[0]


# --- last year carried forward -------------------------------------------------------------------------


def _last_year_file(tmp_path: Path) -> Path:
    r = _raw()
    r["facts"]["problems"] = ["政策解读形式较为单一", "工作人员多为兼职，队伍不够稳定"]
    r["facts"]["improvements"] = ["丰富图解、视频等解读形式", "加强业务培训"]
    path = tmp_path / "2023.json"
    path.write_text(json.dumps(r, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def test_init_from_keeps_last_years_problems_and_measures(tmp_path: Path) -> None:
    last = _last_year_file(tmp_path)
    result = _cli("init", "--from", str(last), "-o", "2024.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = load_data(tmp_path / "2024.yaml").data
    assert data.previous is not None and data.year == 2024
    assert data.previous.problems == ["政策解读形式较为单一", "工作人员多为兼职，队伍不够稳定"]
    assert [m.measure for m in data.previous.measures or []] == ["丰富图解、视频等解读形式", "加强业务培训"]
    assert all(m.result is None for m in data.previous.measures or [])
    assert "leadership:" in (tmp_path / "2024.yaml").read_text(encoding="utf-8")


def test_init_from_into_excel_keeps_problems_and_an_open_cell_per_measure(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    last = _last_year_file(tmp_path)
    result = _cli("init", "--from", str(last), "-o", "2024.xlsx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    book = tmp_path / "2024.xlsx"
    wb = load_workbook(book)
    rows = {r[1].value: r[2] for r in wb["上年数据"].iter_rows() if isinstance(r[1].value, str)}
    assert rows["previous.problems.1"].value == "工作人员多为兼职，队伍不够稳定"
    assert rows["previous.problems.1"].protection.locked  # last year's words are not edited here
    result_cell = rows["previous.measures.1.result"]
    assert not result_cell.protection.locked and result_cell.value is None
    result_cell.value = "全年组织业务培训4次"
    wb.save(book)
    data = load_data(book).data
    assert data.previous is not None
    assert data.previous.problems == ["政策解读形式较为单一", "工作人员多为兼职，队伍不够稳定"]
    assert [(m.measure, m.result) for m in data.previous.measures or []] == [
        ("丰富图解、视频等解读形式", None),
        ("加强业务培训", "全年组织业务培训4次"),
    ]
    drafted = _cli("draft", str(book), "-o", "out", "--format", "md", cwd=tmp_path)
    assert drafted.returncode in (0, 1), drafted.stderr
    text = next((tmp_path / "out").rglob("*.md")).read_text(encoding="utf-8")
    assert "全年组织业务培训4次" in text
    assert "“丰富图解、视频等解读形式”这项措施本年的落实情况" in text  # asked for, not invented


def test_init_from_a_draft(tmp_path: Path) -> None:
    last = _last_year_file(tmp_path)
    assert _cli("draft", str(last), "-o", "last", "--format", "md", cwd=tmp_path).returncode in (0, 1)
    draft = next((tmp_path / "last").rglob("*.draft.json"))
    result = _cli("init", "--from", str(draft), "-o", "2024.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = load_data(tmp_path / "2024.yaml").data
    assert data.previous is not None and data.previous.problems == [
        "政策解读形式较为单一",
        "工作人员多为兼职，队伍不够稳定",
    ]


def _this_year(tmp_path: Path, results: list[str | None]) -> ReportData:
    r = _raw()
    r["year"] = 2024
    r["facts"]["problems"] = ["重点领域信息公开还不够深入"]
    r["previous"] = {
        "year": 2023,
        "problems": ["政策解读形式较为单一"],
        "measures": [{"measure": "丰富图解、视频等解读形式", "result": results[0]}, "加强业务培训"],
    }
    return _data(r)


def test_the_draft_states_what_became_of_each_measure_or_asks_for_it() -> None:
    d = _this_year(Path(), ["全年制作图解12期、短视频3个"])
    improvements = write_section("improvements", d)
    first = improvements[1]
    assert "政策解读形式较为单一" in first
    assert "丰富图解、视频等解读形式，全年制作图解12期、短视频3个" in first
    assert first.count(MARKER_OPEN) == 1 and "加强业务培训" in first  # the measure without a result
    assert "2025年" in improvements[0]  # next year's plan comes first


def test_y5_warns_when_five_does_not_answer_last_years_problem(tmp_path: Path) -> None:
    d = _this_year(tmp_path, [None])
    draft = draft_report(Loaded("d.yaml", d))
    assert not [f for f in run_checks(draft, d) if f.rule == "Y5"]  # the draft restates it
    sections = [
        s.model_copy(update={"paragraphs": ["我局将继续做好工作。"]}) if s.id == "improvements" else s
        for s in draft.sections
    ]
    edited = draft.model_copy(update={"sections": sections})
    found = [f for f in run_checks(edited, d) if f.rule == "Y5"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert "政策解读形式较为单一" in found[0].evidence
    # Through the command: the draft file with its own data.
    path = tmp_path / "edited.draft.json"
    path.write_text(edited.to_json(), encoding="utf-8")
    result = _cli("check", str(path), "--json", cwd=tmp_path)
    payload = json.loads(result.stdout)
    assert [f["rule"] for f in payload["findings"]].count("Y5") == 1
    assert load_draft(path).report_data().previous is not None


def test_offline_sections_pass_the_checks_a_models_sections_are_held_to() -> None:
    """Every wording the offline writer may choose, for several agencies and years, with last year's
    problems and measures: what a model's answer must pass, the offline text passes too."""
    from drafting.checks import model_findings

    for d in _generated(12):
        raw = d.model_dump(mode="python")
        raw["facts"]["problems"] = ["政策解读形式较为单一"]
        raw["facts"]["improvements"] = ["丰富图解、视频等解读形式"]
        raw["previous"] = {
            "year": d.year - 1,
            "problems": ["公开栏更新不及时"],
            "measures": [{"measure": "建立公开栏每月更新制度", "result": "已按月更新12次"}, "加强培训"],
        }
        data = validate_raw(raw, "generated.yaml").data
        for section in ("overview", "problems", "improvements", "other"):
            found = [
                (f.rule, f.message) for f, _ in model_findings(section, write_section(section, data), data)
            ]
            assert [f for f in found if f[0] != "R1"] == [], (data.agency.name, data.year, section, found)
