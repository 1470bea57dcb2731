"""PDF reports → blocks: paragraphs joined from the page's lines, tables from its ruled cells.

pypdfium2 (PDFium, the PDF engine of Chromium; Apache-2.0/BSD-3) gives each character with its box
and every path a page draws; it is imported only when a PDF is read. The rest is ours, because no
small library does it: ``text`` (characters → lines), ``ruling`` (rules → cells → tables with merged
cells), ``flow`` (page furniture dropped, wrapped lines joined, reading order). A PDF with no text
layer (a scan), an encrypted or a broken one is refused with a Chinese message (exit 2), never read
as an empty report.
"""

from __future__ import annotations

import threading
from typing import Final

from ...errors import InputError
from ...limits import MAX_PDF_CHARS, MAX_PDF_PAGES, PAGES_HINT, quiet
from ..blocks import Block
from .flow import Page, blocks, drop_furniture, page_number_like
from .ruling import tables
from .text import Char, text_lines

__all__ = ["page_number_like", "pdf_blocks"]

_MIN_TEXT_PER_PAGE: Final = 20  # fewer readable characters than this per page: no text layer
_NEEDS_TEXT: Final = (
    "请向发布机关索取可复制文字的 PDF 或 Word 版本；"
    "或用文字识别（OCR）软件识别后另存为 .docx 或 .txt，核对识别结果后再检查。"
)
_BROKEN_HINT: Final = "请重新下载该 PDF，或从原文件重新导出；也可以另存为 .docx 后再试。"


# PDFium is not thread-safe, not even across documents: a second thread calling it at the same time
# corrupts the process (pypdfium2's documentation). A folder of reports read on threads (review,
# the web workspace) takes turns here; the checks and everything else still run in parallel.
_PDFIUM: Final = threading.Lock()


def pdf_blocks(raw_bytes: bytes, source: str) -> list[Block]:
    with _PDFIUM:
        pages = _read_pages(raw_bytes, source)
    drop_furniture(pages)
    return blocks(pages)


def _read_pages(raw_bytes: bytes, source: str) -> list[Page]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from .page import page_content

    quiet("pypdfium2")
    try:
        document = pdfium.PdfDocument(raw_bytes)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise InputError(
                f"{source}：PDF 设有打开密码（已加密），无法读取。",
                hint="请在 PDF 阅读器中输入密码打开后，另存为不加密的 PDF 或 .docx，再检查。",
            ) from None
        raise InputError(f"{source}：文件已损坏，或不是有效的 PDF，无法打开。", hint=_BROKEN_HINT) from None
    pages: list[Page] = []
    readable = unmapped = seen = 0
    try:
        if len(document) == 0:
            raise InputError(f"{source}：PDF 中没有页面。", hint=_BROKEN_HINT)
        if len(document) > MAX_PDF_PAGES:
            raise InputError(
                f"{source}：PDF 有 {len(document)} 页，超过上限 {MAX_PDF_PAGES} 页，不像是一份年度报告。",
                hint=PAGES_HINT,
            )
        for n in range(len(document)):
            try:
                page = document[n]
            except pdfium.PdfiumError:
                raise InputError(f"{source}：PDF 第{n + 1}页已损坏，无法读取。", hint=_BROKEN_HINT) from None
            try:
                content = page_content(page, source, n + 1, MAX_PDF_CHARS - seen)
            finally:
                page.close()
            seen += content.counted
            found = tables(content.rules, n + 1)
            free: list[Char] = []
            for c in content.chars:
                cell = next((hit for t in found if (hit := t.holds(c)) is not None), None)
                (free if cell is None else cell.chars).append(c)
            pages.append(Page(n + 1, content.width, content.height, text_lines(free, n + 1), found))
            readable += len(content.chars)
            unmapped += content.unmapped
    finally:
        document.close()
    if unmapped > readable:
        raise InputError(
            f"{source}：PDF 中的文字无法正确提取（字体缺少编码信息，复制出来是乱码）。", hint=_NEEDS_TEXT
        )
    if readable < _MIN_TEXT_PER_PAGE * len(pages):
        raise InputError(
            f"{source}：PDF 没有文字层（可能是扫描件），无法读取其中的文字和表格。", hint=_NEEDS_TEXT
        )
    return pages
