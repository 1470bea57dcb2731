"""The Word writer: golden XML parts, and the promises a published 公文-style file must keep, checked
by opening the file with python-docx as any reader would."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

from drafting import official
from drafting.cli import cli
from drafting.tables import Table
from drafting.writers import render

from .conftest import REFERENCE_EXAMPLE
from .output_support import AGENCY, check_golden, docx_parts, pretty_xml, sample_draft


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    out = render(sample_draft(), "docx")
    assert isinstance(out, bytes)
    return out


@pytest.mark.parametrize(
    "part",
    ["word/document.xml", "word/styles.xml", "word/footer1.xml", "word/footer2.xml", "docProps/core.xml"],
)
def test_xml_parts_match_golden(docx_bytes: bytes, part: str) -> None:
    parts = docx_parts(docx_bytes)
    check_golden("docx/" + part.split("/")[-1], pretty_xml(parts[part]))


def test_rendering_is_deterministic(docx_bytes: bytes) -> None:
    again = render(sample_draft(), "docx")
    assert isinstance(again, bytes)
    first, second = docx_parts(docx_bytes), docx_parts(again)
    assert first.keys() == second.keys()
    assert all(first[n] == second[n] for n in first)


# --- the tables ------------------------------------------------------------------------------------


def _spans(tbl: Any) -> list[tuple[int, int, int, int, str]]:
    """(row, column, rowspan, colspan, text) of every cell that starts a merged region, read back
    from ``w:gridSpan`` and ``w:vMerge`` as Word reads them."""
    origins: dict[tuple[int, int], list[Any]] = {}
    for r, tr in enumerate(tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            vmerge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            if vmerge is not None and vmerge.get(qn("w:val")) != "restart":
                above = next(
                    o for (orow, ocol), o in sorted(origins.items(), reverse=True) if ocol == c and orow < r
                )
                above[2] += 1
            else:
                text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                origins[(r, c)] = [r, c, 1, span, text]
            c += span
    return sorted(tuple(o) for o in origins.values())  # type: ignore[misc]


def _expected_spans(table: Table) -> list[tuple[int, int, int, int, str]]:
    out = []
    for r, line in enumerate(table.grid()):
        for c, cell in enumerate(line):
            if cell is not None:
                out.append((r, c, cell.rowspan, cell.colspan, cell.text))
    return sorted(out)


def test_three_tables_with_the_official_merges(docx_bytes: bytes) -> None:
    draft = sample_draft()
    doc = Document(io.BytesIO(docx_bytes))
    assert len(doc.tables) == 3
    for docx_table, table_id in zip(doc.tables, ("table2", "table3", "table4"), strict=True):
        assert _spans(docx_table._tbl) == _expected_spans(draft.table(table_id)), table_id


def test_table3_header_and_group_merges(docx_bytes: bytes) -> None:
    tbl = Document(io.BytesIO(docx_bytes)).tables[1]._tbl
    spans = {text: (rs, cs) for _, _, rs, cs, text in _spans(tbl)}
    assert spans[official.TABLE3_CORNER] == (3, 3)
    assert spans[official.TABLE3_APPLICANTS] == (1, 7)
    assert spans[official.TABLE3_LEGAL_PERSONS] == (1, 5)
    assert spans[official.TABLE3_RESULTS_HEADING] == (22, 1)
    assert spans["（三）不予公开"] == (8, 1)
    assert spans["（四）无法提供"] == (3, 1)
    assert spans["（五）不予处理"] == (5, 1)
    assert spans["（六）其他处理"] == (3, 1)
    xml = tbl.xml
    assert 'w:gridSpan w:val="7"' in xml and 'w:vMerge w:val="restart"' in xml


def test_table4_two_level_header(docx_bytes: bytes) -> None:
    tbl = Document(io.BytesIO(docx_bytes)).tables[2]._tbl
    spans = _spans(tbl)
    assert (0, 0, 1, 5, official.TABLE4_REVIEW) in spans
    assert (0, 5, 1, 10, official.TABLE4_LITIGATION) in spans
    assert (1, 5, 1, 5, official.TABLE4_BLOCKS[1][1]) in spans
    assert (1, 10, 1, 5, official.TABLE4_BLOCKS[2][1]) in spans
    assert (1, 0, 2, 1, "结果维持") in spans  # the review block's titles span both lower rows


def test_header_rows_repeat_and_rows_never_split(docx_bytes: bytes) -> None:
    doc = Document(io.BytesIO(docx_bytes))
    draft = sample_draft()
    for docx_table, table_id in zip(doc.tables, ("table2", "table3", "table4"), strict=True):
        n_header = len(draft.table(table_id).header)
        for r, tr in enumerate(docx_table._tbl.tr_lst):
            tr_pr = tr.trPr
            assert tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None
            assert (tr_pr.find(qn("w:tblHeader")) is not None) == (r < n_header), (table_id, r)
    assert draft.table("table3").header and draft.table("table4").header


def test_widths_agree_in_grid_and_cells_and_fit_the_type_area(docx_bytes: bytes) -> None:
    doc = Document(io.BytesIO(docx_bytes))
    section = doc.sections[0]
    text_width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    for docx_table in doc.tables:
        tbl = docx_table._tbl
        grid = [int(col.get(qn("w:w"))) for col in tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) <= text_width
        assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        assert int(tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) == sum(grid)
        for tr in tbl.tr_lst:
            c = 0
            for tc in tr.tc_lst:
                tc_w = tc.tcPr.find(qn("w:tcW"))
                assert tc_w.get(qn("w:type")) == "dxa"
                assert int(tc_w.get(qn("w:w"))) == sum(grid[c : c + tc.grid_span])
                c += tc.grid_span
            assert c == len(grid)


# --- page, fonts, properties --------------------------------------------------------------------------


def test_page_is_gbt_9704(docx_bytes: bytes) -> None:
    section = Document(io.BytesIO(docx_bytes)).sections[0]
    mm = {
        name: round(getattr(section, name).mm)
        for name in (
            "page_width",
            "page_height",
            "top_margin",
            "bottom_margin",
            "left_margin",
            "right_margin",
        )
    }
    assert mm == {
        "page_width": 210,
        "page_height": 297,
        "top_margin": 37,
        "bottom_margin": 35,
        "left_margin": 28,
        "right_margin": 26,
    }


def _east_asia(doc: Any, style: str) -> str | None:
    rfonts = doc.styles[style].element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsiaTheme")) is None and rfonts.get(qn("w:asciiTheme")) is None
    value: str | None = rfonts.get(qn("w:eastAsia"))
    return value


def test_east_asian_fonts_and_sizes_are_on_the_styles(docx_bytes: bytes) -> None:
    doc = Document(io.BytesIO(docx_bytes))
    assert _east_asia(doc, "Normal") == "仿宋_GB2312"
    assert _east_asia(doc, "Title") == "方正小标宋简体"
    assert _east_asia(doc, "Heading 1") == "黑体"
    assert _east_asia(doc, "Heading 2") == "楷体_GB2312"
    assert doc.styles["Normal"].font.size.pt == 16  # 三号
    assert doc.styles["Title"].font.size.pt == 22  # 二号
    assert doc.styles["Heading 1"].font.size.pt == 16
    indent = doc.styles["Normal"].element.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200"
    # No run carries a font of its own: restyling the report is done on the styles.
    body = doc.element.body
    assert not body.findall(".//" + qn("w:r") + "/" + qn("w:rPr") + "/" + qn("w:rFonts"))


def test_headings_paragraphs_and_title(docx_bytes: bytes) -> None:
    doc = Document(io.BytesIO(docx_bytes))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paragraphs[0] == ("Title", f"{AGENCY}\n2024年{official.TITLE_SUFFIX}")
    headings = [text for style, text in paragraphs if style == "Heading 1"]
    assert headings == [p.heading for p in official.PARTS]
    assert ("Heading 2", "（一）存在的主要问题") in paragraphs
    run_in = next(p for p in doc.paragraphs if p.text.startswith("（一）主动公开。"))
    assert run_in.runs[0].text == "（一）主动公开。" and run_in.runs[0].style.name == "段首小标题"
    gap = next(r for p in doc.paragraphs for r in p.runs if r.text.startswith("【待补充"))
    assert gap.font.highlight_color is not None


def test_page_number_footer(docx_bytes: bytes) -> None:
    doc = Document(io.BytesIO(docx_bytes))
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and "fldChar" in xml
        assert footer.paragraphs[0].text == "— 1 —"


def test_core_properties_are_ours(docx_bytes: bytes) -> None:
    doc = Document(io.BytesIO(docx_bytes))
    props = doc.core_properties
    assert props.author == AGENCY
    assert props.title == f"{AGENCY}2024年{official.TITLE_SUFFIX}"
    assert props.created.date().isoformat() == "2025-01-20"  # the publication date
    assert props.comments == ""
    everything = b"".join(docx_parts(render_bytes()).values())
    assert b"python-docx" not in everything
    assert not any(n.startswith("docProps/thumbnail") for n in docx_parts(docx_bytes))


def render_bytes() -> bytes:
    out = render(sample_draft(), "docx")
    assert isinstance(out, bytes)
    return out


def test_created_falls_back_to_the_draft_time_without_a_publication_date() -> None:
    draft = sample_draft()
    draft = draft.model_copy(update={"data": {**draft.data, "published": None}})
    out = render(draft, "docx")
    assert isinstance(out, bytes)
    created = Document(io.BytesIO(out)).core_properties.created
    assert created.replace(tzinfo=None) == draft.provenance.created.replace(tzinfo=None)


# --- through the CLI ---------------------------------------------------------------------------------


def test_draft_command_writes_docx_and_html(tmp_path: Path) -> None:
    out = tmp_path / "drafts"
    result = CliRunner().invoke(
        cli, ["draft", str(REFERENCE_EXAMPLE), "-o", str(out), "--format", "md,docx,html"]
    )
    assert result.exit_code == 0, result.output
    stem = REFERENCE_EXAMPLE.stem
    doc = Document(str(out / f"{stem}.docx"))
    assert len(doc.tables) == 3
    assert doc.core_properties.author.startswith("大兴安岭")
    assert (out / f"{stem}.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (out / f"{stem}.md").is_file()
