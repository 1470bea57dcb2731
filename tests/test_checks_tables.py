"""Table checks on the tables printed in the document: H1–H5, C1/C2, P1, P2."""

from __future__ import annotations

from drafting.checks import run_checks
from drafting.data.model import PreviousYear
from drafting.reading import read_text

from .checks_support import busy, errors, findings_of, handwritten, replace_cell, rules, table_line


def _edit_row(label: str, index: int, value: str) -> str:
    text = handwritten()
    line = table_line(text, label)
    return text.replace(line, replace_cell(line, index, value))


def test_h1_row_total() -> None:
    found = errors(findings_of(_edit_row("本年新收", 6, "151")))
    assert [f.rule for f in found] == ["H1"]
    assert "表三 一、本年新收政府信息公开申请数量 / 总计" in found[0].location


def test_h2_stated_identity() -> None:
    text = handwritten()
    line = table_line(text, "结转下年度继续办理")
    bumped = replace_cell(replace_cell(line, 0, "2"), 6, "2")
    assert "H2" in rules(errors(findings_of(text.replace(line, bumped))))


def test_h3_results_total() -> None:
    text = handwritten()
    line = table_line(text, "（七）总计")
    cells = line.split("\t")
    bumped = replace_cell(replace_cell(line, 0, str(int(cells[3]) + 1)), 6, str(int(cells[-1]) + 1))
    assert "H3" in rules(errors(findings_of(text.replace(line, bumped))))


def test_h4_table4_total() -> None:
    text = handwritten()
    line = "0\t1\t1\t0\t2\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0"
    assert line in text
    found = errors(findings_of(text.replace(line, line.replace("\t2\t", "\t3\t", 1))))
    assert [f.rule for f in found] == ["H4"]


def test_h5_blank_cell_and_slash() -> None:
    blank = errors(findings_of(_edit_row("（一）予以公开", 2, "")))
    assert "H5" in rules(blank)
    slash = errors(findings_of(_edit_row("（一）予以公开", 2, "/")))
    assert "H5" in rules(slash)


def test_c1_carry_over_against_last_year() -> None:
    data = busy()[0]
    last_t3 = data.table3.model_copy(
        update={
            "carry_forward": data.table3.carried_over.model_copy(
                update={"natural": data.table3.carried_over.natural + 3}
            )
        }
    )
    report = read_text(handwritten())
    ok = run_checks(
        report,
        previous=PreviousYear(
            year=data.year - 1,
            table3=data.table3.model_copy(update={"carry_forward": data.table3.carried_over}),
        ),
    )
    assert "C1" not in rules(ok)
    bad = run_checks(read_text(handwritten()), previous=PreviousYear(year=data.year - 1, table3=last_t3))
    assert "C1" in rules(errors(bad))


def test_c2_documents_in_force_is_a_warning() -> None:
    data = busy()[0]
    n = data.table2.normative
    last = data.table2.model_copy(update={"normative": n.model_copy(update={"in_force": n.in_force + 50})})
    found = run_checks(read_text(handwritten()), previous=PreviousYear(year=data.year - 1, table2=last))
    assert "C2" in rules(found, "warning")
    assert not errors(found)


def test_p1_rules_at_township_level() -> None:
    data = busy()[0]
    town = data.model_copy(
        update={"agency": data.agency.model_copy(update={"name": "昌图县七家子镇人民政府"})}
    )
    text = handwritten(town)
    line = table_line(text, "规章")
    assert "P1" in rules(findings_of(text.replace(line, "规章\t1\t0\t6")), "warning")
    assert "P1" not in rules(findings_of(text))


def test_p2_outdated_layout(tmp_path: object) -> None:
    text = handwritten().replace(
        "本年制发件数\t本年废止件数\t现行有效件数", "本年新制作数量\t本年新公开数量\t对外公开总数量"
    )
    text = text.replace("行政规范性文件\t", "规范性文件\t")
    assert "P2" in rules(errors(findings_of(text)))


def test_concatenated_row_that_breaks_h1_is_an_error() -> None:
    text = handwritten()
    line = table_line(text, "本年新收")
    assert "H1" in rules(
        errors(findings_of(text.replace(line, "一、本年新收政府信息公开申请数量 108971169151")))
    )
