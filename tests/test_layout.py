"""The official table layouts are one module that the tables and the Excel template both read: each
number cell of a layout names the data key it shows, and both fill exactly those places."""

from __future__ import annotations

import pytest

from drafting import layout, official
from drafting.data import load_data
from drafting.data.excel import workbook_layout
from drafting.tables import build_tables

from .conftest import EXAMPLES


@pytest.mark.parametrize("table_id", list(layout.LAYOUTS))
def test_a_layout_has_labels_and_keys_but_no_numbers(table_id: str) -> None:
    shape = layout.LAYOUTS[table_id]()
    numbers = [c for row in shape.header + shape.body for c in row if c.kind == "number"]
    paths = [c.path for c in numbers]
    assert all(c.text == "" for c in numbers)
    assert len(paths) == len(set(paths)) and all(p.startswith(table_id + ".") for p in paths)
    for path in paths:  # every key is a cell of the official format
        assert official.cell_label(path).startswith(official.cell_label(table_id).split()[0])


@pytest.mark.parametrize("table_id", list(layout.LAYOUTS))
def test_the_report_tables_fill_the_layout_in_place(table_id: str) -> None:
    data = load_data(EXAMPLES / "pingtan-2021.yaml").data
    table = build_tables(data)[table_id]
    shape = layout.LAYOUTS[table_id]()
    for built, empty in zip(table.grid(), shape.grid(), strict=True):
        for a, b in zip(built, empty, strict=True):
            assert (a is None) == (b is None)
            if a is not None and b is not None:
                assert (a.kind, a.rowspan, a.colspan) == (b.kind, b.rowspan, b.colspan)
                assert a.text == b.text or b.kind == "number"


def test_the_excel_template_puts_an_input_where_the_layout_has_a_number() -> None:
    sheets = {s.name: s for s in workbook_layout()}
    for sheet_name, table_id in (("表二", "table2"), ("表三", "table3"), ("表四", "table4")):
        shape = layout.LAYOUTS[table_id]()
        wanted = [c.path for row in shape.header + shape.body for c in row if c.kind == "number"]
        placed = [c.path for c in sheets[sheet_name].cells if c.role in ("input", "derived")]
        assert placed == wanted, sheet_name
