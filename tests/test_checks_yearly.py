"""Year over year beyond carry-over: C4 (figures that jump ×5 or ×1/5) and Y4 (内容雷同: a narrative
part repeating last year's), on reports we render, through ``run_checks`` and ``drafting check
--previous``; and the overlap measure and its calibration."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting.checks import run_checks
from drafting.checks.yearly import MIN_CHARS, REPEAT_THRESHOLD, common_phrases, jumped
from drafting.cli import cli
from drafting.evaluation import similar_pairs
from drafting.evaluation.folders import AGENCIES, last_year, page, report_data
from drafting.evaluation.synthetic import render_page
from drafting.overlap import fold, overlap
from drafting.reading import read_text

from .conftest import SHARED


def _pair(copy: bool) -> tuple[str, str]:
    """This year's and last year's page text of one agency; this year's narrative a copy of last
    year's (its figures brought up to date) when ``copy``."""
    data = report_data(AGENCIES[4], 2024, 11)
    last = last_year(data)
    this_page = page(data, random.Random(1))
    last_page = page(last, random.Random(1 if copy else 2))
    return str(render_page(this_page, "txt")), str(render_page(last_page, "txt"))


def test_a_copied_narrative_is_y4_with_the_repeated_passages_quoted() -> None:
    this, last = _pair(copy=True)
    findings = run_checks(read_text(this), None, read_text(last))
    y4 = [f for f in findings if f.rule == "Y4"]
    assert {f.location for f in y4} == {"一、总体情况", "五、存在的主要问题及改进情况"}
    for f in y4:
        assert f.severity == "warning" and f.category == "year"
        share = int(re.search(r"有 (\d+)% 的文字", f.message).group(1))  # type: ignore[union-attr]
        assert share >= 90 and "内容雷同" in f.message
        quoted = f.evidence.split("重复的段落：")[1]
        first = quoted.split("”")[0].lstrip("“").rstrip("…")
        assert first and first in this  # each quote is found, as written, in this year's text
    assert not [f for f in findings if f.is_error]


def test_a_narrative_written_afresh_is_not_y4() -> None:
    this, last = _pair(copy=False)
    assert "Y4" not in {f.rule for f in run_checks(read_text(this), None, read_text(last))}


def test_y4_needs_last_years_report_of_an_earlier_year() -> None:
    this, _ = _pair(copy=True)
    assert "Y4" not in {f.rule for f in run_checks(read_text(this))}
    assert "Y4" not in {f.rule for f in run_checks(read_text(this), None, read_text(this))}  # same year


def test_drafting_check_with_last_years_report_says_y4_and_c4(tmp_path: Path) -> None:
    this, _ = _pair(copy=True)
    (tmp_path / "2024.txt").write_text(this, encoding="utf-8")
    # last year's 行政许可 many times this year's: a jump
    data = report_data(AGENCIES[4], 2024, 11)
    before = last_year(data)
    raw = before.model_dump(mode="python")
    raw["table2"]["licensing"] = data.table2.licensing * 6 + 60
    from drafting.data.load import validate_raw

    jumped_page = page(validate_raw(raw, "last").data, random.Random(1))
    (tmp_path / "2023.txt").write_text(str(render_page(jumped_page, "txt")), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["check", str(tmp_path / "2024.txt"), "--previous", str(tmp_path / "2023.txt")]
    )
    assert "［Y4］" in result.stdout and "内容雷同" in result.stdout
    assert "［C4］" in result.stdout and "表二 行政许可 / 本年处理决定数量" in result.stdout


@pytest.mark.parametrize(
    ("this", "last", "jump"),
    [
        (50, 10, True),
        (49, 10, False),
        (10, 50, True),
        (11, 50, False),
        (9, 0, False),
        (10, 0, True),
        (0, 10, True),
        (4, 20, True),
        (0, 9, False),
    ],
)
def test_a_jump_is_five_times_either_way_on_rows_of_ten_or_more(this: int, last: int, jump: bool) -> None:
    assert jumped(this, last) is jump


# --- the overlap measure -----------------------------------------------------------------------


def test_numbers_years_punctuation_and_spaces_do_not_count() -> None:
    a = "2023年，我局主动公开政府信息356条，其中政策解读12篇。"
    b = "2024 年 我局主动公开政府信息 ４１２ 条; 其中政策解读 9 篇"
    assert fold(a).text == fold(b).text == "#年我局主动公开政府信息#条其中政策解读#篇"
    assert overlap(a, b).coverage == 1.0


def test_common_phrases_are_left_out_of_the_count() -> None:
    shared = "坚持以习近平新时代中国特色社会主义思想为指导，坚持以公开为常态、不公开为例外"
    a = shared + "，本局围绕营商环境改革集中公开涉企收费目录清单四十项。"
    b = shared + "，该镇聚焦乡村振兴发布村务财务公开信息二百余条。"
    assert overlap(a, b).coverage > 0.5  # the stock phrases alone make them look alike
    assert overlap(a, b, common=common_phrases()).coverage < 0.2  # the words joining them remain


def test_passages_are_the_repeated_runs_in_this_years_words() -> None:
    last = "我局今年重点推进了教育收费公开工作，并组织了三次培训。另有其他内容若干。"
    this = "我局今年重点推进了教育收费公开工作，并组织了五次培训。这一段完全是新写的内容。"
    found = overlap(this, last, min_passage=10)
    assert found.passages[0].startswith("我局今年重点推进了教育收费公开工作")
    assert "新写" not in "".join(found.passages)


def test_the_threshold_separates_the_built_calibration_pairs() -> None:
    by_kind: dict[str, list[float]] = {}
    for pair in similar_pairs.pairs(20):
        key = pair.kind if pair.kind != "copied" else f"copied{pair.rewritten:.1f}"
        coverage = overlap(pair.this, pair.last, common=common_phrases())
        assert coverage.counted >= MIN_CHARS
        by_kind.setdefault(key, []).append(coverage.coverage)
    assert min(by_kind["copied0.0"] + by_kind["copied0.2"]) >= REPEAT_THRESHOLD + 0.1
    assert max(by_kind["other_agency"] + by_kind["honest"]) <= REPEAT_THRESHOLD - 0.1


@pytest.mark.skipif(
    not (SHARED / "real").is_dir(),
    reason=f"the shared real reports are not beside this checkout: {SHARED / 'real'}",
)
def test_real_reports_of_different_agencies_are_not_alike_and_a_copy_of_one_is() -> None:
    from drafting.reading import read_report

    texts = []
    for path in sorted((SHARED / "real").glob("*")):
        if path.suffix in (".txt", ".md", ".html") and path.name != "README.md":
            report = read_report(path)
            texts.append((report.agency, "\n".join(p.text for p in report.part_paragraphs("overview"))))
    assert len(texts) >= 5
    for (a, x), (b, y) in [(p, q) for p in texts for q in texts if p[0] != q[0]]:
        if len(x) >= MIN_CHARS and len(y) >= MIN_CHARS:
            assert overlap(x, y, common=common_phrases()).coverage < REPEAT_THRESHOLD, (a, b)
    agency, text = texts[0]
    moved = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), text)
    assert overlap(moved, text, common=common_phrases()).coverage >= 0.95, agency
