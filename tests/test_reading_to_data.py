"""The one converter from printed tables to data (``reading.to_data``) and its stated policy: a
printed 总计 is kept only when it differs from its parts; a blank cell is 0 and always recorded;
beside a blank, the import keeps a differing total and the checks drop it."""

from __future__ import annotations

from drafting.checks import build_context, run_checks
from drafting.reading.to_data import document_data, imported

from .checks_support import busy, handwritten, read, replace_cell, table_line

NEW = "本年新收"


def _with(cells: dict[int, str], label: str = NEW) -> str:
    text = handwritten()
    line = table_line(text, label)
    changed = line
    for index, value in sorted(cells.items(), reverse=True):  # a blank shifts the cells after it
        changed = replace_cell(changed, index, value)
    return text.replace(line, changed)


def test_a_total_that_agrees_is_left_out_one_that_differs_is_kept() -> None:
    new = busy()[0].table3.new
    agreeing = imported(read(handwritten()))
    assert agreeing.data.table3.new.total is None and agreeing.data.table3.new.sum == new.sum
    assert not agreeing.blanks and not [i for i in agreeing.issues if i.rule == "H1"]
    differing = imported(read(_with({6: str(new.sum + 1)})))
    assert differing.data.table3.new.total == new.sum + 1
    assert [i.path for i in differing.issues if i.rule == "H1"] == ["table3.new.total"]
    doc, blanks = document_data(read(_with({6: str(new.sum + 1)})), 2023)
    assert doc is not None and doc.table3.new.total == new.sum + 1 and not blanks


def test_beside_a_blank_the_import_keeps_a_differing_total_and_the_checks_drop_it() -> None:
    new = busy()[0].table3.new
    text = _with({1: "", 6: str(new.sum + 5)})  # 商业企业 left blank, 总计 printed wrong
    report = read(text)
    result = imported(report)
    assert result.data.table3.new.commercial == 0  # a blank is 0 in the data …
    assert any("本年新收" in b and "商业企业" in b for b in result.blanks)  # … and never silently
    assert result.data.table3.new.total == new.sum + 5  # the author's evidence of what the blank holds
    assert not result.ok
    doc, blanks = document_data(read(text), 2023)
    assert doc is not None and doc.table3.new.total is None
    assert blanks == {"new": {"commercial"}}
    assert build_context(read(text)).blanks == {"new": {"commercial"}}
    found = {f.rule for f in run_checks(read(text))}
    assert "H5" in found and "H1" not in found  # the blank is reported once, not again as a sum


def test_table4_follows_the_same_policy() -> None:
    text = handwritten()
    line = next(
        ln for ln in text.splitlines() if ln.count("\t") >= 14 and ln.split("\t")[0].strip().isdigit()
    )
    cells = line.split("\t")
    review = [int(c) for c in cells[:5]]
    cells[4] = str(sum(review[:4]) + 3)  # 行政复议 总计 printed wrong
    wrong = text.replace(line, "\t".join(cells))
    assert imported(read(wrong)).data.table4.review.total == sum(review[:4]) + 3
    assert "H4" in {f.rule for f in run_checks(read(wrong))}
    cells[1] = ""  # and 结果纠正 left blank beside it
    blank = text.replace(line, "\t".join(cells))
    assert imported(read(blank)).data.table4.review.total == sum(review[:4]) + 3
    doc, _ = document_data(read(blank), 2023)
    assert doc is not None and doc.table4.review.total is None
    found = {f.rule for f in run_checks(read(blank))}
    assert "H5" in found and "H4" not in found
