"""Reading a report — our draft, or anyone's published one — into one in-memory ``Report``.

``read_report(path)`` takes ``.draft.json``, ``.md``, ``.txt``, ``.html``, ``.docx`` and ``.pdf``
(text in UTF-8 or GB18030); ``read_text(text, kind)`` reads text already in memory. The result holds the title,
preamble, headings, paragraphs by part and the three tables as cells, plus what the reader noticed.
"""

from __future__ import annotations

from pathlib import Path

from ..chars import writable
from ..errors import InputError
from ..files import decode, read_bytes, recover
from ..limits import check_size
from .assemble import assemble
from .blocks import Block, Grid, text_blocks
from .model import Heading, Paragraph, Report
from .plain import looks_like_markdown, metadata_header
from .tables import ReadingNotice
from .wrapped import join_page_breaks, join_wrapped

__all__ = ["Heading", "Paragraph", "ReadingNotice", "Report", "read_report", "read_text"]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc, .wps, .xls, .et
_SUPPORTED = "支持的报告格式：.draft.json（本工具生成的草稿）、.md、.txt、.html、.docx、.pdf。"


def read_text(text: str, kind: str = "txt", source: str = "（文本）") -> Report:
    """A report whose text is already in memory: ``kind`` is txt, md or html. A crawler's metadata
    header is dropped (its 标题 is kept as a hint for the title); page text that is really Markdown
    (a conversion saved as .txt) is read as Markdown; lines a PDF wrapped are joined, and paragraphs a
    page break cut in two. Control characters are dropped first: quoted in a finding, an escape
    sequence would reach the terminal."""
    text = writable(text)
    if kind == "html":
        from .html import html_blocks

        blocks, hint = html_blocks(text, source)
        return _usable(assemble(blocks, source, "html", hint))
    lines = text.splitlines()
    header = metadata_header(lines)
    if kind == "txt" and looks_like_markdown(lines[header.lines :]):
        kind = "md"
    blocks = join_page_breaks(join_wrapped(text_blocks(text, markdown=(kind == "md"), skip=header.lines)))
    return _usable(assemble(blocks, source, kind, header.title))


def read_report(path: Path | str) -> Report:
    path = Path(path)
    source = str(path)
    recover(path.parent)  # our own documents, left half-replaced by a killed run, are made whole first
    raw = read_bytes(path, hint=_SUPPORTED, limit="pdf")  # the largest kind; each is held to its own below
    name = path.name.lower()
    suffix = path.suffix.lower()
    if suffix in (".doc", ".wps") or raw[:8] == _OLE:
        kind = suffix if suffix in (".doc", ".wps") else "旧版 Word 或 WPS 文档（.doc/.wps）"
        raise InputError(
            f"{source}：不支持旧版 Word 格式（{kind}）。",
            hint="请在 Word 或 WPS 中用“另存为”保存为 .docx（Word 文档）后再试；也可另存为 PDF。",
        )
    if raw.lstrip()[:5] == b"{\\rtf":
        raise InputError(
            f"{source}：这是 RTF 格式的文档，不能直接读取。",
            hint="请在 Word 或 WPS 中用“另存为”保存为 .docx（Word 文档）后再试。",
        )
    if suffix == ".pdf" or b"%PDF-" in raw[:1024]:
        from .pdf import pdf_blocks

        if not raw.strip():
            raise InputError(f"{source}：文件是空的。")
        check_size(len(raw), source, "pdf")
        return _usable(assemble(_writable(pdf_blocks(raw, source)), source, "pdf"))
    if suffix == ".docx" or raw[:4] == b"PK\x03\x04":
        from .docx import docx_blocks

        if not raw.strip():
            raise InputError(f"{source}：文件是空的。")
        check_size(len(raw), source, "docx")
        return _usable(assemble(_writable(docx_blocks(raw, source)), source, "docx"))
    if not raw.strip():
        raise InputError(f"{source}：文件是空的。", hint="请确认选择了正确的报告文件。")
    draft = name.endswith(".json") or raw.lstrip()[:1] == b"{"
    check_size(len(raw), source, "draft" if draft else "report")
    text = decode(raw, source)
    if name.endswith(".json") or text.lstrip().startswith("{"):
        return _usable(_from_json(text, source))
    if suffix in (".html", ".htm", ".xhtml") or text.lstrip()[:200].lower().startswith(
        ("<!doctype", "<html")
    ):
        return read_text(text, "html", source)
    kind = "md" if suffix in (".md", ".markdown") else "txt"
    return read_text(text, kind, source)


def _writable(blocks: list[Block]) -> list[Block]:
    """Blocks without control characters (see ``read_text``), for the formats read as blocks."""
    for block in blocks:
        if isinstance(block, Grid):
            for row in block.rows:
                for cell in row:
                    cell.text = writable(cell.text)
        else:
            block.text = writable(block.text)
    return blocks


def _from_json(text: str, source: str) -> Report:
    from ..document import parse_draft
    from ..yamlfile import parse_json
    from .from_draft import from_draft

    content = parse_json(text, source, hint=_SUPPORTED)
    if not isinstance(content, dict) or content.get("schema") != "drafting.draft/1":
        raise InputError(
            f"{source}：不是本工具生成的草稿文件（缺少 schema: drafting.draft/1）。",
            hint="数据文件请用 drafting validate 校验；" + _SUPPORTED,
        )
    return from_draft(parse_draft(content, source), source)


def _usable(report: Report) -> Report:
    """A file with no title, no heading and no table is not a report we can check."""
    has_table = any(
        t is not None and (getattr(t, "rows", None) or getattr(t, "row", None))
        for t in (report.table2, report.table3, report.table4)
    )
    if not report.title and not report.headings and not has_table:
        raise InputError(
            f"{report.source}：没有找到年度报告的标题、章节标题或表格，无法检查。",
            hint="请确认这是一份政府信息公开工作年度报告；" + _SUPPORTED,
        )
    return report
