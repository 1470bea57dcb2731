"""The example data files: each validates and drafts through the CLI, and the ones taken from real
reports hold exactly the published figures (checked against the corpus when it is present)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from drafting import official
from drafting.cli import cli
from drafting.data import load_data
from drafting.tables import format_number, table3_rows, table4_values

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"
ALL_EXAMPLES = sorted(EXAMPLES.glob("*.yaml"))

# Example → the corpus record its figures were copied from (real-009 is only partly visible).
SOURCES = {
    "pingtan-2021.yaml": "real-003.yaml",
    "pingtan-2022.yaml": "real-004.yaml",
    "district-dept-2024.yaml": "real-009.yaml",
}


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def draft_text(tmp_path: Path, name: str) -> str:
    result = invoke("draft", str(EXAMPLES / name), "-o", str(tmp_path), "--format", "md,txt")
    assert result.exit_code == 0, result.output
    return (tmp_path / name.replace(".yaml", ".md")).read_text(encoding="utf-8")


def test_the_promised_examples_exist() -> None:
    names = {p.name for p in ALL_EXAMPLES}
    assert {"daxinganling-2023.yaml", *SOURCES} <= names


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=lambda p: p.name)
def test_example_validates_without_errors(path: Path) -> None:
    result = invoke("validate", str(path))
    assert result.exit_code == 0, result.output
    assert "数据有效" in result.output
    assert not [i for i in load_data(path).warnings if i.is_error]


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=lambda p: p.name)
def test_example_drafts_through_the_cli(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "drafts"
    result = invoke("draft", str(path), "-o", str(out), "--format", "md,txt")
    assert result.exit_code == 0, result.output
    stem = path.stem
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{stem}.draft.json", f"{stem}.md", f"{stem}.txt"]
    )
    data = load_data(path).data
    md = (out / f"{stem}.md").read_text(encoding="utf-8")
    txt = (out / f"{stem}.txt").read_text(encoding="utf-8")
    for text in (md, txt):
        assert data.title in text
        positions = [text.index(part.heading) for part in official.PARTS]
        assert positions == sorted(positions), "the six headings are out of order"


def test_pingtan_2022_carries_over_and_compares_with_last_year(tmp_path: Path) -> None:
    loaded = load_data(EXAMPLES / "pingtan-2022.yaml")
    data, prev = loaded.data, loaded.data.previous
    assert prev is not None and prev.table3 is not None and prev.table2 is not None
    # previous: holds exactly 2021's tables, as drafting init --from copied them.
    last = load_data(EXAMPLES / "pingtan-2021.yaml").data
    assert (prev.year, prev.table2, prev.table3, prev.table4) == (
        last.year,
        last.table2,
        last.table3,
        last.table4,
    )
    # C1 holds, and C2 holds for 行政规范性文件: 665 + 88 − 55 = 698.
    assert data.table3.carried_over == prev.table3.carry_forward
    n = data.table2.normative
    assert n.in_force == prev.table2.normative.in_force + n.issued - n.repealed
    assert not [i for i in loaded.warnings if i.rule in ("C1", "C2")]

    text = draft_text(tmp_path, "pingtan-2022.yaml")
    change = data.table3.new.sum - prev.table3.new.sum
    assert change > 0
    assert "较上年" in text
    assert f"增加{change}件" in text


def test_pingtan_2022_carry_over_is_really_checked(tmp_path: Path) -> None:
    """Breaking the carried-over cell against last year's 结转下年度 makes validation fail (C1)."""
    text = (EXAMPLES / "pingtan-2022.yaml").read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith("  carried_over:"))
    assert "natural: 1," in line
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace(line, line.replace("natural: 1,", "natural: 0,")), encoding="utf-8")
    result = invoke("validate", str(broken))
    assert result.exit_code == 1
    assert "上年结转" in result.output and "C1" in result.output


def test_department_draft_reports_appeals_and_fees(tmp_path: Path) -> None:
    data = load_data(EXAMPLES / "district-dept-2024.yaml").data
    t4 = data.table4
    litigation = t4.litigation_direct.sum + t4.litigation_after_review.sum
    assert t4.review.pending and t4.litigation_direct.pending  # some cases 尚未审结
    assert data.table3.carried_over.sum and data.table3.carry_forward.sum
    overdue_fee = data.table3.other_handling.overdue_fee.sum
    assert 0 < overdue_fee <= data.fees.notices  # F2 holds with a non-zero row

    text = draft_text(tmp_path, "district-dept-2024.yaml")
    assert f"行政复议{t4.review.sum}件" in text
    assert f"行政诉讼{litigation}件" in text
    assert "尚未审结" in text
    assert "均获维持" not in text
    assert f"收费通知{data.fees.notices}件" in text
    assert f"{format_number(data.fees.billed)}元" in text
    assert f"{format_number(data.fees.collected)}元" in text
    assert "【待补充" not in text  # every topic has the author's facts


def test_township_draft_shows_markers_for_missing_facts(tmp_path: Path) -> None:
    data = load_data(EXAMPLES / "township-2024.yaml").data
    assert data.table3.new.sum == 0
    missing = [topic for topic, _ in official.FACT_TOPICS if data.facts.get(topic) is None]
    assert missing
    text = draft_text(tmp_path, "township-2024.yaml")
    assert "未收到政府信息公开申请" in text
    assert text.count("【待补充") == len(missing)


# --- the real figures are copied exactly --------------------------------------------------------


def _corpus(name: str) -> dict[str, Any]:
    from ruamel.yaml import YAML

    record: dict[str, Any] = YAML(typ="safe").load((CORPUS / name).read_text(encoding="utf-8"))
    return record


def _decimal(value: Any) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not next to this checkout")
@pytest.mark.parametrize(("example", "source"), sorted(SOURCES.items()))
def test_real_figures_match_the_corpus(example: str, source: str) -> None:
    record = _corpus(source)
    data = load_data(EXAMPLES / example).data
    if example.startswith("pingtan"):
        assert data.year == record["year"]
        assert record["url"] in (EXAMPLES / example).read_text(encoding="utf-8")

    t2 = record["table2"]
    for key, label in official.TABLE2_GROUPS[0].rows:
        counts = getattr(data.table2, key)
        stated = t2[official.TABLE2_GROUPS[0].heading][label]
        assert [counts.issued, counts.repealed, counts.in_force] == list(stated.values()), label
    for group in official.TABLE2_GROUPS[1:]:
        for key, label in group.rows:
            (stated,) = t2[group.heading][label].values()
            assert getattr(data.table2, key) == _decimal(stated), label

    ours = {spec.cells_label: table3_rows(data.table3)[spec.path] for spec in official.TABLE3_ROWS}
    visible = record["table3"]["rows"]
    assert visible, "no rows to compare"
    for label, values in visible.items():
        assert ours[label] == values, label
    if record["table4"] is not None:
        assert table4_values(data.table4) == record["table4"]
