"""With a data file: the printed tables must equal it (D1) and the title name its agency (D2)."""

from __future__ import annotations

from drafting.checks import run_checks
from drafting.evaluation.synthetic import make_draft
from drafting.reading import read_text
from drafting.reading.from_draft import from_draft

from .checks_support import busy, errors, handwritten, replace_cell, rules, table_line


def test_tables_equal_to_the_data_pass() -> None:
    assert not run_checks(read_text(handwritten()), busy()[0])


def test_d1_a_cell_that_differs_from_the_data() -> None:
    text = handwritten()
    line = table_line(text, "本年新收")
    edited = replace_cell(replace_cell(line, 0, "109"), 6, "151")
    found = errors(run_checks(read_text(text.replace(line, edited)), busy()[0]))
    assert "D1" in rules(found)
    assert any("表三 一、本年新收政府信息公开申请数量" in f.location for f in found if f.rule == "D1")


def test_d2_title_names_another_agency() -> None:
    data = busy()[0]
    text = handwritten().replace(data.agency.name, "某市某局", 1)
    assert "D2" in rules(run_checks(read_text(text), data), "warning")


def test_a_draft_is_held_to_its_own_data() -> None:
    data, draft = busy()
    assert not errors(run_checks(draft))
    report = from_draft(make_draft(data))
    assert report.data == data
