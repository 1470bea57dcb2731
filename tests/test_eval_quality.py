"""The deterministic quality figures: characters per section, repeated runs of characters (Chinese
has no spaces to split on), overlap with the author's facts and with the offline draft, slogan
density from the list in ``evals/`` — computed for every draft, kept in the record, shown in the
terminal and the report, and computed again by ``--rescore``."""

from __future__ import annotations

import json
from pathlib import Path

from drafting import official
from drafting.data import load_data
from drafting.evaluation.quality import load_slogans, measure, repetition
from drafting.offline import write_section

from .eval_support import DISTRICT, EVALS, SUITE, district_case, record_of, run_eval, suite_text, write

REPEATED = "我局进一步加强政府信息公开工作的组织领导"  # 20 characters, no punctuation


def test_repetition_counts_characters_in_runs_that_occur_twice() -> None:
    paragraphs = [f"{REPEATED}。", f"同时，{REPEATED}。"]
    rate, found = repetition(paragraphs)
    assert round(rate, 4) == round(40 / 42, 4)  # every character but 同时
    assert [(r.text, r.count) for r in found] == [(REPEATED, 2)]
    # Spaces and punctuation do not hide a repeat, and do not count as characters.
    spaced = [" ".join(p) for p in paragraphs]
    assert repetition(spaced) == (rate, found)
    # Shared words shorter than the run (政府信息公开, 6 characters) are not a repetition.
    assert repetition(["我局做好政府信息公开工作。", "依申请公开的政府信息公开申请全部办结。"]) == (0.0, [])


def _sections(data_file: Path = DISTRICT) -> dict[str, list[str]]:
    data = load_data(data_file).data
    return {s: write_section(s, data) for s in official.SECTION_IDS}


def test_the_offline_draft_holds_all_the_facts_and_is_the_offline_text() -> None:
    data = load_data(DISTRICT).data
    sections = _sections()
    q = measure(sections, data, None)
    assert q.chars == {s: sum(len(p) for p in paras) for s, paras in sections.items()}
    assert q.total == sum(q.chars.values()) > 1000
    assert q.facts_coverage == 1.0 and q.offline_overlap == 1.0
    assert q.slogan_density is None and q.slogans == {}  # no list given: no figure, not a zero


def test_slogans_replacing_facts_show_in_every_figure() -> None:
    data = load_data(DISTRICT).data
    sections = _sections()
    sections["overview"] = [
        "我局高度重视政府信息公开工作，切实加强组织领导，高度重视队伍建设，取得明显成效。"
    ]
    q = measure(sections, data, ["高度重视", "切实加强", "取得明显成效", "狠抓落实"])
    assert q.slogans == {"高度重视": 2, "切实加强": 1, "取得明显成效": 1}
    assert q.slogan_density == round(4 * 1000 / q.total, 3)
    assert q.facts_coverage is not None and q.facts_coverage < 0.5  # the overview's facts are gone
    assert q.offline_overlap is not None and q.offline_overlap < 1.0


def test_the_slogan_list_skips_comments_and_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "s.txt", "# 注释\n\n高度重视\n切实加强  # 行尾注释\n高度重视\n")
    assert load_slogans(path) == ["高度重视", "切实加强"]
    shipped = load_slogans(EVALS / "slogans.txt")
    assert len(shipped) >= 40 and "进一步提升" in shipped
    # The register's own stock phrases (FORMAT.md §8) are not slogans.
    assert "以公开为常态" not in "".join(shipped)


def test_the_project_suite_reports_the_figures_in_the_record_terminal_and_page(tmp_path: Path) -> None:
    out, html = tmp_path / "run.json", tmp_path / "run.html"
    res = run_eval(SUITE, "--json", out, "--html", html)
    assert res.exit_code == 0, res.output
    record = record_of(out)
    assert record.slogans == load_slogans(EVALS / "slogans.txt")
    assert record.slogans_file and record.slogans_file.endswith("slogans.txt")
    assert all(r.quality is not None and r.quality.offline_overlap == 1.0 for r in record.runs)
    assert "质量指标（按字计" in res.output and "套话/千字" in res.output
    page = html.read_text(encoding="utf-8")
    assert "质量指标（按字计）" in page and "与离线稿重合 100.0%" in page
    # Rescored without a list in the record, the figures are computed again, minus the density.
    raw = json.loads(out.read_text(encoding="utf-8"))
    raw["slogans"] = None
    for run in raw["runs"]:
        run["quality"] = None
    stripped = write(tmp_path / "stripped.json", json.dumps(raw, ensure_ascii=False))
    res = run_eval("--rescore", stripped, "--json", tmp_path / "again.json")
    assert res.exit_code == 0, res.output
    again = record_of(tmp_path / "again.json")
    assert [r.quality.total for r in again.runs if r.quality] == [
        r.quality.total for r in record.runs if r.quality
    ]
    assert all(r.quality and r.quality.slogan_density is None for r in again.runs)


def test_a_missing_slogan_list_is_refused_at_its_line(tmp_path: Path) -> None:
    suite = write(tmp_path / "s.yaml", suite_text(district_case("d"), extra="slogans: nowhere.txt\n"))
    res = run_eval(suite, "--json", tmp_path / "r.json")
    assert res.exit_code == 2
    assert "第2行" in res.output and "套话清单" in res.output and "nowhere.txt" in res.output
