"""Word (.docx) in the style of Chinese official documents (GB/T 9704-2012).

A4 with the standard type area (margins 37/35/28/26 mm, 22 lines of 28 characters), the title in
方正小标宋简体 二号, the body in 仿宋_GB2312 三号 with a two-character indent, 一级 headings in 黑体 and 二级
in 楷体_GB2312, and a "— N —" page number. Fonts are set on the styles, never on runs, so an office can
restyle the whole report in Word in one place. python-docx has no East-Asian font API (python-docx
#154), so ``set_cjk_font`` writes ``w:rFonts/@w:eastAsia`` itself.

The tables render ``Table`` cells exactly as laid out (spans included); this module never computes a
number or spells a label. Column widths are written to both ``w:tblGrid`` and every ``w:tcW``, with a
fixed layout, because word processors differ in which of the two they trust (LIBRARIES.md).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from .. import official
from ..document import Draft
from ..tables import Cell, Table
from .blocks import blocks
from .inline import reads_left, segments, title_lines

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.styles.style import BaseStyle
    from docx.text.paragraph import Paragraph

# --- GB/T 9704-2012 page and type area --------------------------------------------------------

PAGE_MM = (210.0, 297.0)  # A4
MARGIN_TOP_MM, MARGIN_BOTTOM_MM = 37.0, 35.0  # 天头 37 mm; the 版心 is 156 × 225 mm
MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 28.0, 26.0  # 订口 28 mm
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
TEXT_WIDTH_MM = PAGE_MM[0] - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
TEXT_HEIGHT_MM = PAGE_MM[1] - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225
# The page number's 一字线 sits 7 mm below the type area; Word measures the footer from the page edge.
FOOTER_DISTANCE_MM = MARGIN_BOTTOM_MM - 7.0 - 5.0

# Chinese type sizes (字号) in points.
ER_HAO, SAN_HAO, SI_HAO, WU_HAO, XIAO_WU = 22.0, 16.0, 14.0, 10.5, 9.0

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING_1 = "黑体"
FONT_HEADING_2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"
FONT_LATIN = "Times New Roman"  # digits and Latin letters in 公文

STYLE_TABLE_TEXT = "表格文字"
STYLE_TABLE_TEXT_SMALL = "表格文字（小）"
STYLE_RUN_IN_HEADING = "段首小标题"  # the "（一）主动公开。" that opens a paragraph, in 楷体

PAGE_DASH = "—"  # 一字线 on each side of the page number

_TWIPS_PER_MM = 1440 / 25.4


def _twips(mm: float) -> int:
    return int(mm * _TWIPS_PER_MM)  # rounded down, so columns summing to 156 mm never overflow


LINE_PITCH_TWIPS = int(TEXT_HEIGHT_MM * _TWIPS_PER_MM / LINES_PER_PAGE)  # 579 = 固定值 28.95 磅
# 28 characters of 三号 are 448 pt, 6 pt more than the 156 mm line: condense the body by a quarter
# point (in twips) so exactly 28 fit. Done with letter-spacing rather than Word's character grid
# (docGrid linesAndChars), which LibreOffice lays out with gaps between every character.
BODY_CHAR_SPACING_TWIPS = -5


@dataclass(frozen=True)
class TableSpec:
    """How one official table is set: column widths (mm, summing to at most the type area) and the
    paragraph style of its text."""

    widths_mm: tuple[float, ...]
    style: str
    cell_margin_mm: float


CELL_MARGIN_VERTICAL_TWIPS = _twips(0.4)  # a little air above and below small table text

TABLE_SPECS = {
    "table2": TableSpec((54.0, 34.0, 34.0, 34.0), STYLE_TABLE_TEXT, 1.9),
    # 表三: 三、本年度办理结果 | group label | row label | seven numbers.
    # The number columns are as wide as their titles need at four characters a line (商业企业,
    # 社会公益/组织), so that no title breaks inside a word; the row labels get the rest.
    "table3": TableSpec(
        (8.0, 14.0, 47.0, 11.0, 14.0, 14.0, 14.0, 14.0, 10.0, 10.0), STYLE_TABLE_TEXT_SMALL, 0.6
    ),
    "table4": TableSpec((10.4,) * 15, STYLE_TABLE_TEXT_SMALL, 0.8),
}


def render(draft: Draft) -> bytes:
    """The draft as a .docx file's bytes."""
    doc = official_document()
    _set_properties(doc, draft)
    add_title(doc, draft.title, draft.agency)
    for block in blocks(draft):
        if block.table is not None:
            _add_table(doc, block.table)
        elif block.kind == "heading":
            doc.add_paragraph(block.text, style="Heading 1")
        elif block.kind == "subheading":
            doc.add_paragraph(block.text, style="Heading 2")
        elif block.kind == "signature":
            _add_signature_line(doc, block.text)
        else:
            add_body_paragraph(doc, block.text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def official_document() -> DocxDocument:
    """A blank document set up as 公文: the GB/T 9704 page and type area, the styles (title, body,
    two heading levels, table text) and the "— N —" page numbers. The report starts here, and so
    does any other document an office sends in official style (the reviewer's 整改清单)."""
    import docx

    doc = docx.Document()
    _drop_thumbnail(doc)
    _set_page(doc)
    _set_styles(doc)
    _set_footers(doc)
    return doc


# --- fonts ------------------------------------------------------------------------------------


def set_cjk_font(style: BaseStyle, east_asia: str, latin: str = FONT_LATIN) -> None:
    """Set a style's East-Asian and Latin fonts (``_name_fonts``), and the hint that keeps shared
    punctuation in the East-Asian one."""
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    _name_fonts(rfonts, east_asia, latin)
    # Quotes and dashes are shared by both scripts; the hint keeps them in the Chinese font.
    rfonts.set(qn("w:hint"), "eastAsia")


def _name_fonts(rfonts: BaseOxmlElement, east_asia: str, latin: str) -> None:
    """Name the fonts of a ``w:rFonts`` outright. The theme attributes are removed because Word
    lets ``w:asciiTheme`` and friends win over the explicit names."""
    from docx.oxml.ns import qn

    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)


def _element(tag: str, **attrs: str) -> BaseOxmlElement:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    return OxmlElement(tag, {qn(f"w:{k}"): v for k, v in attrs.items()})


def _replace_child(parent: BaseOxmlElement, child: BaseOxmlElement) -> None:
    """Put ``child`` into ``parent`` in place of any element with its tag."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    parent.append(child)


# --- page -------------------------------------------------------------------------------------


def _drop_thumbnail(doc: DocxDocument) -> None:
    """python-docx's template carries a thumbnail of its own blank page; a report should not."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    rels = doc.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rid]


def _set_page(doc: DocxDocument) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = _element("w:docGrid")
        sect_pr.append(grid)
    # 22 lines come from the exact 28.95 pt line spacing of the styles. No snapping grid: LibreOffice
    # puts a 二号 title line on two grid lines and spreads characters over a character grid.
    grid.attrib.pop(qn("w:type"), None)
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:  # the template says ja-JP, which makes Word pick Japanese glyphs
        lang.set(qn("w:eastAsia"), "zh-CN")


# --- styles -----------------------------------------------------------------------------------


def _set_styles(doc: DocxDocument) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    _set_defaults(doc)
    styles = doc.styles

    normal = styles["Normal"]
    set_cjk_font(normal, FONT_BODY)
    normal.font.size = Pt(SAN_HAO)
    _letter_spacing(normal, BODY_CHAR_SPACING_TWIPS)
    _paragraph(normal, align="both", indent_chars=2, size=SAN_HAO)

    title = styles["Title"]
    set_cjk_font(title, FONT_TITLE, FONT_TITLE)  # the year in the title is 小标宋 too
    title.font.size = Pt(ER_HAO)
    _plain_black(title)
    _paragraph(title, align="center", indent_chars=0, size=ER_HAO, after_lines=1)
    pbdr = title.element.get_or_add_pPr().find(_qn("w:pBdr"))
    if pbdr is not None:  # the template underlines its Title with a blue rule
        pbdr.getparent().remove(pbdr)

    for name, font in (("Heading 1", FONT_HEADING_1), ("Heading 2", FONT_HEADING_2)):
        heading = styles[name]
        set_cjk_font(heading, font)
        heading.font.size = Pt(SAN_HAO)
        _plain_black(heading)
        _paragraph(heading, align="both", indent_chars=2, size=SAN_HAO, keep_next=True)

    run_in = styles.add_style(STYLE_RUN_IN_HEADING, WD_STYLE_TYPE.CHARACTER)
    set_cjk_font(run_in, FONT_HEADING_2)

    footer = styles["Footer"]
    set_cjk_font(footer, FONT_PAGE_NUMBER, FONT_PAGE_NUMBER)
    footer.font.size = Pt(SI_HAO)
    _paragraph(footer, align=None, indent_chars=0, size=SI_HAO, exact=False)

    table_text = styles.add_style(STYLE_TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(WU_HAO)
    _paragraph(table_text, align="center", indent_chars=0, size=WU_HAO, exact=False)
    _letter_spacing(table_text, 0)
    small = styles.add_style(STYLE_TABLE_TEXT_SMALL, WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = table_text
    small.font.size = Pt(XIAO_WU)
    _paragraph(small, align=None, indent_chars=0, size=XIAO_WU, exact=False)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _set_defaults(doc: DocxDocument) -> None:
    """Document defaults: Chinese as the East-Asian language, and no theme fonts to fall back on."""
    root = doc.styles.element
    rpr = root.find(f"{_qn('w:docDefaults')}/{_qn('w:rPrDefault')}/{_qn('w:rPr')}")
    if rpr is None:
        return
    lang = rpr.find(_qn("w:lang"))
    if lang is not None:
        lang.set(_qn("w:val"), "en-US")
        lang.set(_qn("w:eastAsia"), "zh-CN")
    rfonts = rpr.find(_qn("w:rFonts"))
    if rfonts is not None:
        _name_fonts(rfonts, FONT_BODY, FONT_LATIN)


_RPR_AFTER_SPACING = (
    "w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
    "specVanish oMath"
).split()


def _letter_spacing(style: BaseStyle, twips: int) -> None:
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(_qn("w:spacing")):
        rpr.remove(old)
    spacing = _element("w:spacing", val=str(twips))
    # CT_RPr order: rFonts b i … color spacing w kern position sz …; insert before what follows it.
    follows = {_qn(f"w:{t}") for t in _RPR_AFTER_SPACING}
    after = next((el for el in rpr if el.tag in follows), None)
    if after is None:
        rpr.append(spacing)
    else:
        after.addprevious(spacing)


def _plain_black(style: BaseStyle) -> None:
    """Headings in 公文 are neither bold nor coloured; the typeface alone marks the level."""
    from docx.shared import RGBColor

    font = style.font  # type: ignore[attr-defined]
    font.bold = False
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    color = rpr.find(_qn("w:color"))
    if color is not None:
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color.attrib.pop(_qn(attr), None)
    for tag in ("w:spacing", "w:kern"):  # the template's Title letter-spacing and kerning
        for el in rpr.findall(_qn(tag)):
            rpr.remove(el)


def _paragraph(
    style: BaseStyle,
    *,
    align: str | None,
    indent_chars: int,
    size: float,
    exact: bool = True,
    after_lines: int = 0,
    keep_next: bool = False,
) -> None:
    """Paragraph layout of a style: spacing on the 公文 line pitch, the indent in characters (with
    its twips equivalent for readers that ignore ``firstLineChars``), alignment."""
    ppr = style.element.get_or_add_pPr()
    if keep_next:
        _replace_child(ppr, _element("w:keepNext"))
    spacing = {"before": "0", "after": str(after_lines * LINE_PITCH_TWIPS)}
    if exact:
        spacing |= {"line": str(LINE_PITCH_TWIPS), "lineRule": "exact"}
    else:
        spacing |= {"line": "240", "lineRule": "auto"}
    _replace_child(ppr, _element("w:spacing", **spacing))
    if not exact:  # small table text must not be pushed onto the page's 28.95 pt line grid
        _replace_child(ppr, _element("w:snapToGrid", val="0"))
    twips = round(indent_chars * size * 20)
    _replace_child(
        ppr,
        _element("w:ind", firstLineChars=str(indent_chars * 100), firstLine=str(twips))
        if indent_chars
        else _element("w:ind", firstLineChars="0", firstLine="0"),
    )
    if align is not None:
        _replace_child(ppr, _element("w:jc", val=align))
    _order_ppr(ppr)


# CT_PPr's children must follow the schema order or Word calls the file corrupt.
_PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
    "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()


def _order_ppr(ppr: BaseOxmlElement) -> None:
    rank = {_qn(f"w:{tag}"): i for i, tag in enumerate(_PPR_ORDER)}
    children = sorted(ppr, key=lambda el: rank.get(el.tag, len(rank)))
    for child in children:
        ppr.remove(child)
        ppr.append(child)


# --- footer: "— N —" ----------------------------------------------------------------------------


def _set_footers(doc: DocxDocument) -> None:
    """Odd pages carry the number at the right and even pages at the left, one character in from
    the edge of the type area (GB/T 9704-2012 §7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles["Footer"]
        paragraph.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = Pt(SI_HAO)
        else:
            paragraph.paragraph_format.left_indent = Pt(SI_HAO)
        _page_number(paragraph)


def _page_number(paragraph: Paragraph) -> None:
    paragraph.add_run(f"{PAGE_DASH} ")
    for kind in ("begin", "instr", "separate", "number", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            instr = _element("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        elif kind == "number":
            run.text = "1"
        else:
            run._r.append(_element("w:fldChar", fldCharType=kind))
    paragraph.add_run(f" {PAGE_DASH}")


# --- properties and content -------------------------------------------------------------------


def _set_properties(doc: DocxDocument, draft: Draft) -> None:
    """Author = the agency, title = the report's, created = the publication date (or when the draft
    was made): never python-docx's "python-docx" and 2013 defaults."""
    published = draft.data.get("published")
    if published:
        when = dt.datetime.combine(dt.date.fromisoformat(str(published)), dt.time())
    else:
        when = draft.provenance.created.astimezone(dt.UTC).replace(tzinfo=None)
    set_properties(doc, author=draft.agency, title=draft.title, subject=official.TITLE_SUFFIX, when=when)


def set_properties(doc: DocxDocument, *, author: str, title: str, subject: str, when: dt.datetime) -> None:
    """The document's properties, all of them ours (python-docx's template has its own)."""
    props = doc.core_properties
    # The properties hold at most 255 characters (python-docx raises beyond); validated data stays
    # far below, a draft edited by hand need not.
    props.author = author[:255]
    props.last_modified_by = author[:255]
    props.title = title[:255]
    props.subject = subject[:255]
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.language = "zh-CN"
    props.revision = 1
    props.created = when
    props.modified = when


def add_title(doc: DocxDocument, title: str, agency: str) -> None:
    """The title in 小标宋 二号, broken after the agency's name when it needs two lines."""
    paragraph = doc.add_paragraph(style="Title")
    chars_per_line = int(TEXT_WIDTH_MM * 72 / 25.4 // ER_HAO)
    for i, line in enumerate(title_lines(title, agency, chars_per_line)):
        if i:
            paragraph.runs[-1].add_break()
        paragraph.add_run(line)


def add_body_paragraph(doc: DocxDocument, text: str) -> Paragraph:
    """A body paragraph; a run-in heading (``（一）主动公开。``) set in 楷体, a 【待补充】 marked."""
    from docx.enum.text import WD_COLOR_INDEX

    paragraph = doc.add_paragraph()
    for segment in segments(text):
        if segment.kind == "run_in":
            paragraph.add_run(segment.text, style=STYLE_RUN_IN_HEADING)
        elif segment.kind == "marker":
            # A gap the author must fill stands out in yellow, as reviewers mark drafts by hand.
            paragraph.add_run(segment.text).font.highlight_color = WD_COLOR_INDEX.YELLOW
        else:
            paragraph.add_run(segment.text)
    return paragraph


def _add_signature_line(doc: DocxDocument, text: str) -> None:
    """A line of the 落款: right-aligned, without the first-line indent, a blank line above the
    first (the agency) as printed reports leave."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.paragraph_format.first_line_indent = Pt(0)
    previous = paragraph._p.getprevious()
    if previous is None or previous.pPr is None or previous.pPr.jc is None:
        paragraph.paragraph_format.space_before = Pt(28.95)
    paragraph.add_run(text)


# --- tables -----------------------------------------------------------------------------------


def _add_table(doc: DocxDocument, table: Table) -> None:
    """Append ``table`` as one ``w:tbl`` built from its grid: a merged cell is a ``w:tc`` with
    ``w:gridSpan``, and each row it covers below holds a ``w:vMerge`` continuation. Written as XML in
    one piece: python-docx's ``Table.cell``/``merge`` rebuild the whole grid on every call, which took
    most of the time of a draft."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    spec = TABLE_SPECS.get(table.id) or TableSpec(
        (TEXT_WIDTH_MM / table.n_cols,) * table.n_cols, STYLE_TABLE_TEXT_SMALL, 1.0
    )
    widths = [_twips(mm) for mm in spec.widths_mm]
    style_id = doc.styles[spec.style].style_id
    grid = table.grid()
    covering: dict[tuple[int, int], tuple[int, int, Cell]] = {}
    for r, line in enumerate(grid):
        for c, cell in enumerate(line):
            if cell is not None:
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        covering[(r + dr, c + dc)] = (r, c, cell)
    rows = []
    for r in range(len(grid)):
        cells = []
        c = 0
        while c < table.n_cols:
            r0, c0, cell = covering[(r, c)]
            cells.append(_tc_xml(cell, table, c0, r == r0, widths, style_id, keep_next=r < len(grid) - 1))
            c = c0 + cell.colspan
        # A row never breaks across pages, and the header rows repeat on every page.
        header = "<w:tblHeader/>" if r < len(table.header) else ""
        rows.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>{''.join(cells)}</w:tr>")
    margin = _twips(spec.cell_margin_mm)
    grid_cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    table_style = doc.styles["Table Grid"].style_id
    xml = (
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        f'<w:tblStyle w:val="{table_style}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblCellMar>'
        f'<w:top w:w="{CELL_MARGIN_VERTICAL_TWIPS}" w:type="dxa"/><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:bottom w:w="{CELL_MARGIN_VERTICAL_TWIPS}" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/>'
        '</w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid_cols}</w:tblGrid>"
        f"{''.join(rows)}</w:tbl>"
    )
    doc.element.body._insert_tbl(parse_xml(xml))


def _tc_xml(
    cell: Cell, table: Table, column: int, starts: bool, widths: list[int], style_id: str, *, keep_next: bool
) -> str:
    """One ``w:tc``: the cell where it starts, or the empty continuation of a cell from above. The
    width is the sum of the grid columns it spans, as in ``w:tblGrid``."""
    props = f'<w:tcW w:w="{sum(widths[column : column + cell.colspan])}" w:type="dxa"/>'
    if cell.colspan > 1:
        props += f'<w:gridSpan w:val="{cell.colspan}"/>'
    if cell.rowspan > 1:
        props += '<w:vMerge w:val="restart"/>' if starts else "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    # Each row keeps with the next, so a table that fits on a page is not cut (Word and LibreOffice
    # move it whole); a longer one still breaks, its header repeated.
    ppr = f'<w:pStyle w:val="{style_id}"/>' + ("<w:keepNext/>" if keep_next else "")
    if reads_left(cell, column, table):
        ppr += '<w:jc w:val="left"/>'
    run = f'<w:r><w:t xml:space="preserve">{escape(cell.text)}</w:t></w:r>' if starts and cell.text else ""
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr>{ppr}</w:pPr>{run}</w:p></w:tc>"
