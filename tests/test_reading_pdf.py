"""Reading PDF reports: our own Word output printed to PDF by LibreOffice (fixtures made by
``tests/fixtures/pdf/make.py``), PDFs built here (a scan without text, a broken file), and the real
report in ``../shared/real`` when it is present."""

from __future__ import annotations

import difflib
import io
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting import official
from drafting.checks import run_checks
from drafting.cli import cli
from drafting.data import load_data
from drafting.reading import read_report
from drafting.reading.pdf import page_number_like

from .conftest import EXAMPLES, SHARED

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
PDF = FIXTURES / "district-dept-2024.pdf"
DOCX = FIXTURES / "district-dept-2024.docx"  # the document the PDF was printed from
HEADER = "示例市东湖区住房和建设局政务公开"  # the running header on every page of the PDF
REAL = SHARED / "real" / "r017.pdf"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _only_punctuation_lost(docx_text: str, pdf_text: str) -> bool:
    """LibreOffice drops some punctuation it hangs in the margin at a line's end (、；) when it
    prints: the PDF really lacks them (every PDF tool agrees). Nothing else may differ."""
    matcher = difflib.SequenceMatcher(None, docx_text, pdf_text, autojunk=False)
    for op, i1, i2, _, _ in matcher.get_opcodes():
        if op == "equal":
            continue
        if op != "delete" or set(docx_text[i1:i2]) - set("、；，。"):
            return False
    return True


@pytest.fixture(scope="module")
def from_pdf():  # type: ignore[no-untyped-def]
    return read_report(PDF)


@pytest.fixture(scope="module")
def from_docx():  # type: ignore[no-untyped-def]
    return read_report(DOCX)


def test_a_pdf_reads_as_the_document_it_was_printed_from(from_pdf, from_docx) -> None:  # type: ignore[no-untyped-def]
    assert from_pdf.kind == "pdf"
    assert from_pdf.title == from_docx.title == "示例市东湖区住房和建设局2024年政府信息公开工作年度报告"
    assert [h.text for h in from_pdf.headings] == [p.heading for p in official.PARTS]
    assert len(from_pdf.narrative()) == len(from_docx.narrative())
    for got, expected in zip(from_pdf.narrative(), from_docx.narrative(), strict=True):
        assert got.part == expected.part
        assert _only_punctuation_lost(expected.text, got.text), (expected.text, got.text)
    assert from_pdf.cells() == from_docx.cells()
    assert not from_pdf.notes


def test_lines_wrapped_by_the_page_are_joined_across_page_breaks(from_pdf) -> None:  # type: ignore[no-untyped-def]
    # Every paragraph is whole: it ends as a sentence does, wherever the page broke it.
    for paragraph in from_pdf.narrative():
        assert paragraph.text.endswith(("。", "）", "”", "：")) or len(paragraph.text) < 20, paragraph.text
    pages = [p.page for p in from_pdf.narrative()]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] >= 6
    assert any(p.page != q.page for p, q in zip(from_pdf.narrative(), from_pdf.narrative()[1:], strict=False))


def test_page_numbers_and_running_headers_are_dropped(from_pdf) -> None:  # type: ignore[no-untyped-def]
    texts = [from_pdf.title, *(h.text for h in from_pdf.headings), *(p.text for p in from_pdf.narrative())]
    assert not [t for t in texts if HEADER in t]
    assert not [t for t in texts if page_number_like(t)]


def test_locations_name_the_page(from_pdf) -> None:  # type: ignore[no-untyped-def]
    assert from_pdf.narrative()[0].where() == "前言 第1段（第1页）"
    assert from_pdf.headings[0].where() == "第1页“一、总体情况”"


def test_a_table_broken_across_pages_reads_whole(from_pdf) -> None:  # type: ignore[no-untyped-def]
    data = load_data(EXAMPLES / "district-dept-2024.yaml").data
    rows = from_pdf.cells()["table3"]["rows"]
    assert len(rows) == 25
    for label, row in (
        ("一、本年新收政府信息公开申请数量", data.table3.new),
        ("四、结转下年度继续办理", data.table3.carry_forward),
    ):
        applicants = [row.natural, row.commercial, row.research, row.social, row.legal, row.other]
        assert rows[label] == [*applicants, sum(applicants)]
    assert from_pdf.cells()["table4"] is not None and len(from_pdf.cells()["table4"]) == 15


def test_check_and_import_take_a_pdf(tmp_path: Path) -> None:
    code, out, err = _run("check", str(PDF), "--json")
    docx_code, docx_out, _ = _run("check", str(DOCX), "--json")
    assert (code, json.loads(out)) == (docx_code, json.loads(docx_out)), err
    target = tmp_path / "data.yaml"
    code, _, err = _run("import", str(PDF), "-o", str(target))
    assert code == 0, err
    imported = load_data(target).data
    expected = load_data(EXAMPLES / "district-dept-2024.yaml").data
    assert imported.year == 2024 and imported.agency.name == expected.agency.name
    assert imported.table3 == expected.table3
    assert imported.table4 == expected.table4
    assert imported.table2 == expected.table2


def _image_only_pdf() -> bytes:
    """A 'scanned' page: one picture, no text."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    image = pdfium.PdfImage.new(pdf)
    bitmap = pdfium.PdfBitmap.new_native(200, 280, pdfium.raw.FPDFBitmap_BGR)
    bitmap.fill_rect((230, 230, 230, 255), 0, 0, 200, 280)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(500, 700).translate(40, 60))
    page.insert_obj(image)
    page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_image_only_pdf(), "PDF 没有文字层（可能是扫描件）"),
        ((FIXTURES / "encrypted.pdf").read_bytes(), "PDF 设有打开密码"),
        (b"%PDF-1.7\nnot really a PDF", "文件已损坏，或不是有效的 PDF"),
        (PDF.read_bytes()[: PDF.stat().st_size // 2], "文件已损坏，或不是有效的 PDF"),
    ],
    ids=["scanned", "encrypted", "garbage", "truncated"],
)
@pytest.mark.parametrize("command", ["check", "import"])
def test_unusable_pdfs_exit_2_with_a_chinese_message(
    tmp_path: Path, content: bytes, message: str, command: str
) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    code, out, err = _run(command, str(path))
    assert code == 2
    assert message in err
    assert "Traceback" not in out + err and "Pdfium" not in err and "Error" not in err
    assert out == ""


def test_pdfs_read_on_several_threads_at_once_read_the_same() -> None:
    # PDFium must never be called from two threads at once: the reader takes turns.
    expected = read_report(PDF).cells()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: read_report(PDF).cells(), range(8)))
    assert all(r == expected for r in results)


def test_a_pdf_is_known_by_its_content_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "report.bin"
    path.write_bytes(PDF.read_bytes())
    assert read_report(path).kind == "pdf"


@pytest.mark.parametrize(
    "text",
    [
        "-1-",
        "- 12 -",
        "— 3 —",
        "－4－",
        "第1页",
        "第 2 页 共 5 页",
        "第2页，共5页",
        "共5页 第2页",
        "1/5",
        "3 / 12",
        "7",
    ],
)
def test_page_number_shapes(text: str) -> None:
    assert page_number_like(text)


@pytest.mark.parametrize("text", ["2024年", "一、总体情况", "第二十条第（一）项", "1.属于国家秘密", "2024"])
def test_what_is_not_a_page_number(text: str) -> None:
    assert not page_number_like(text)


def test_reading_other_formats_never_imports_the_pdf_library(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text(
        "示例县2024年政府信息公开工作年度报告\n一、总体情况\n2024年，我县……。\n", encoding="utf-8"
    )
    code = (
        "import sys\nfrom drafting.cli import cli\nfrom drafting.reading import read_report\n"
        f"read_report({str(report)!r})\nprint('pypdfium2' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.skipif(not REAL.exists(), reason="../shared/real/r017.pdf (a real published PDF) is not here")
def test_a_real_published_pdf() -> None:
    truth = json.loads((REAL.parent / "truth.json").read_text(encoding="utf-8"))["r017.pdf"]
    report = read_report(REAL)
    cells = report.cells()
    assert cells["table3"]["rows"] == truth["tables"]["table3"]
    assert cells["table4"] == truth["tables"]["table4"]
    assert report.title.endswith("2023年政府信息公开工作年度报告")
    assert [h.part for h in report.headings] == [p.id for p in official.PARTS]
    code, out, _ = _run("check", str(REAL), "--json")
    errors = sorted(f["rule"] for f in json.loads(out)["findings"] if f["severity"] == "error")
    assert (code, errors) == (1, sorted(d["rule"] for d in truth["true_defects"]))


def _rotated_copy(pages: list[int]) -> bytes:
    """The fixture with some pages turned to landscape the way PDF producers do it: the page is
    stored on its side (/Rotate 90) and its content drawn turned back, so that it shows upright."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(PDF))
    for n in pages:
        page = pdf[n]
        left, bottom, right, top = page.get_mediabox()
        width, height = right - left, top - bottom
        page.set_mediabox(0, 0, height, width)
        for obj in list(page.get_objects(max_depth=1)):
            obj.transform(pdfium.PdfMatrix(0, 1, -1, 0, height, 0))
        page.set_rotation(90)
        page.gen_content()
        page.close()
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def test_pages_stored_on_their_side_read_as_shown(tmp_path: Path, from_pdf) -> None:  # type: ignore[no-untyped-def]
    # Only the first two pages: pypdfium2's content regeneration garbles the glyphs of later pages
    # of this file (pdftotext reads the same garble), which is the test's tool, not the reader.
    path = tmp_path / "rotated.pdf"
    path.write_bytes(_rotated_copy([0, 1]))
    report = read_report(path)
    assert report.title == from_pdf.title
    assert [p.text for p in report.narrative()] == [p.text for p in from_pdf.narrative()]
    assert report.cells() == from_pdf.cells()


def test_a_ruled_grid_on_a_page_stored_on_its_side() -> None:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from drafting.reading.pdf.page import page_content
    from drafting.reading.pdf.ruling import tables

    width, height = 300.0, 200.0
    rules = [
        ((20, 20), (220, 20)),
        ((20, 60), (220, 60)),
        ((20, 100), (220, 100)),
        ((20, 20), (20, 100)),
        ((120, 20), (120, 100)),
        ((220, 20), (220, 100)),
    ]

    def cells(rotated: bool) -> list[tuple[int, int, int, int]]:
        pdf = pdfium.PdfDocument.new()
        page = pdf.new_page(height, width) if rotated else pdf.new_page(width, height)

        def at(x: float, y: float) -> tuple[float, float]:
            return (height - y, x) if rotated else (x, y)

        for start, end in rules:
            path = raw.FPDFPageObj_CreateNewPath(*at(*start))
            raw.FPDFPath_LineTo(path, *at(*end))
            raw.FPDFPageObj_SetStrokeColor(path, 0, 0, 0, 255)
            raw.FPDFPath_SetDrawMode(path, 0, 1)
            raw.FPDFPage_InsertObject(page.raw, path)
        if rotated:
            page.set_rotation(90)
        raw.FPDFPage_GenerateContent(page.raw)
        content = page_content(page)
        found = tables(content.rules, 1)
        assert (content.width, content.height) == (width, height)
        assert len(found) == 1
        return sorted((round(c.x0), round(c.top), round(c.x1), round(c.bottom)) for c in found[0].cells)

    assert (
        cells(rotated=True)
        == cells(rotated=False)
        == [
            (20, 100, 120, 140),
            (20, 140, 120, 180),
            (120, 100, 220, 140),
            (120, 140, 220, 180),
        ]
    )


@pytest.mark.parametrize(
    "name", ["district-dept-2024.pdftotext.txt", "district-dept-2024.pdftotext-layout.txt"]
)
def test_the_pdfs_text_conversions_read_as_the_pdf(name: str, from_pdf) -> None:  # type: ignore[no-untyped-def]
    # What a reviewer is sent instead of the PDF: poppler's pdftotext output, plain (a table's labels
    # in a block, its numbers one per line after them) and -layout (a merged label's column printed
    # into the rows beside it, long labels wrapped around their numbers).
    report = read_report(FIXTURES / name)
    assert report.title.replace(" ", "") == from_pdf.title.replace(" ", "")
    assert report.cells() == from_pdf.cells()
    found = [f for f in run_checks(report) if f.is_error]
    assert not found, [f.message for f in found]
