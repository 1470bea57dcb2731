"""One PDF page through PDFium (pypdfium2): its characters with their boxes and the rules it draws,
in top-down coordinates as the page is shown (its rotation applied). The only module that calls
the library; ``pdf_blocks`` imports it when a PDF is read."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

import pypdfium2.raw as raw

from ...errors import InputError
from ...limits import MAX_PDF_CHARS, MAX_PDF_OBJECTS, PAGES_HINT
from .ruling import Point, Rule, path_rules
from .text import Char

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_DEPTH = 8  # form XObjects nested deeper than this are not searched for rules
_LARGEST_TYPE = 48.0  # points: no report sets text larger (初号 is 42 pt); a taller box is broken


@dataclass
class PageContent:
    width: float
    height: float
    chars: list[Char]
    rules: list[Rule]
    unmapped: int  # characters whose font has no Unicode mapping (garbage when copied)
    counted: int = 0  # every character PDFium counted on the page, spaces it generated included


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _then(inner: Matrix, outer: Matrix) -> Matrix:
    """The transformation ``inner`` followed by ``outer``."""
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _matrix(obj: Any) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _shows(get_colour: Any, obj: Any) -> bool:
    """A colour that is neither white nor transparent (on the white page every report uses)."""
    r, g, b, a = (ctypes.c_uint(0) for _ in range(4))
    if not get_colour(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return True
    return a.value > 0 and min(r.value, g.value, b.value) < 235


class _Reader:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.left, self.bottom, right, self.top = page.get_bbox()
        self.width, self.height = right - self.left, self.top - self.bottom
        self.rotation = page.get_rotation() % 360

    def view(self, x: float, y: float) -> tuple[float, float]:
        """PDF user space → the page as shown: origin top left, y down, rotation applied."""
        u, v = x - self.left, self.top - y
        if self.rotation == 90:
            return self.height - v, u
        if self.rotation == 180:
            return self.width - u, self.height - v
        if self.rotation == 270:
            return v, self.width - u
        return u, v

    def size(self) -> tuple[float, float]:
        if self.rotation in (90, 270):
            return self.height, self.width
        return self.width, self.height

    def chars(
        self, source: str = "", number: int = 0, budget: int = MAX_PDF_CHARS
    ) -> tuple[list[Char], int, int]:
        textpage = self.page.get_textpage()
        out: list[Char] = []
        unmapped = 0
        try:
            handle = textpage.raw
            count = textpage.count_chars()
            if count > budget:  # the document's characters so far: a dense page of a report has ~3,000
                raise InputError(
                    f"{source}：PDF 到第{number}页已超过 {MAX_PDF_CHARS} 个字符，远超年度报告，无法读取。",
                    hint=PAGES_HINT,
                )
            for i in range(count):
                if raw.FPDFText_IsGenerated(handle, i):
                    continue  # spaces and line breaks PDFium guessed: our layout decides those
                code = raw.FPDFText_GetUnicode(handle, i)
                if raw.FPDFText_HasUnicodeMapError(handle, i) or code == 0xFFFD or 0xE000 <= code <= 0xF8FF:
                    unmapped += 1
                    continue
                ch = chr(code) if 0 < code < 0x110000 else ""
                if not ch.strip() or ch in "\ufeff\u200b":
                    continue
                x0, y0, x1, y1 = self.box(textpage, i)
                ax, ay = self.view(x0, y0)
                bx, by = self.view(x1, y1)
                out.append(Char(ch, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
        finally:
            textpage.close()
        return out, unmapped, count

    @staticmethod
    def box(textpage: Any, i: int) -> tuple[float, float, float, float]:
        """A character's box: the font's (one line high, so a line's characters line up), unless the
        font's metrics are broken (seen on vertical text: boxes 200 points wide), then the glyph's."""
        x0, y0, x1, y1 = textpage.get_charbox(i, loose=True)
        if x1 - x0 <= 1.5 * (y1 - y0) and y1 - y0 <= _LARGEST_TYPE:
            return x0, y0, x1, y1
        t0, u0, t1, u1 = textpage.get_charbox(i)
        tw, th = t1 - t0, u1 - u0
        if x1 - x0 <= 3 * tw + 3 or y1 - y0 <= 3 * th + 3:
            return x0, y0, x1, y1
        half = max(tw, th) / 2
        middle = (u0 + u1) / 2
        return t0, middle - half, t1, middle + half

    def rules(self) -> list[Rule]:
        out: list[Rule] = []
        for i in range(raw.FPDFPage_CountObjects(self.page.raw)):
            self._visit(raw.FPDFPage_GetObject(self.page.raw, i), _IDENTITY, 0, out)
        return out

    def _visit(self, obj: Any, outer: Matrix, depth: int, out: list[Rule]) -> None:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM and depth < _MAX_DEPTH:
            inner = _then(_matrix(obj), outer)
            for i in range(raw.FPDFFormObj_CountObjects(obj)):
                self._visit(raw.FPDFFormObj_GetObject(obj, i), inner, depth + 1, out)
            return
        if kind != raw.FPDF_PAGEOBJ_PATH:
            return
        fill, stroke = ctypes.c_int(0), ctypes.c_int(0)
        raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
        # Only what shows is a rule: the white boxes WPS draws behind paragraphs and cells would
        # join a paragraph to the table below it.
        filled = bool(fill.value) and _shows(raw.FPDFPageObj_GetFillColor, obj)
        stroked = bool(stroke.value) and _shows(raw.FPDFPageObj_GetStrokeColor, obj)
        if not filled and not stroked:
            return
        matrix = _then(_matrix(obj), outer)
        points: list[Point] = []
        x, y = ctypes.c_float(0), ctypes.c_float(0)
        for i in range(raw.FPDFPath_CountSegments(obj)):
            segment = raw.FPDFPath_GetPathSegment(obj, i)
            raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
            vx, vy = self.view(*_apply(matrix, x.value, y.value))
            closes = bool(raw.FPDFPathSegment_GetClose(segment))
            points.append((raw.FPDFPathSegment_GetType(segment), vx, vy, closes))
        out.extend(path_rules(points, filled, stroked))


def page_content(page: Any, source: str = "", number: int = 0, budget: int = MAX_PDF_CHARS) -> PageContent:
    """A page's characters and rules; ``budget`` is how many characters the document may still
    hold (``limits.MAX_PDF_CHARS`` in all)."""
    reader = _Reader(page)
    # A page drawing more objects than any report page (a ruled table page has ~2,000) is refused
    # before each is read: their rules would be compared with each other.
    objects = raw.FPDFPage_CountObjects(page.raw)
    if objects > MAX_PDF_OBJECTS:
        raise InputError(
            f"{source}：PDF 第{number}页有 {objects} 个图形和文字对象，远超年度报告的页面，无法读取。",
            hint=PAGES_HINT,
        )
    chars, unmapped, counted = reader.chars(source, number, budget)
    width, height = reader.size()
    return PageContent(width, height, chars, reader.rules(), unmapped, counted)
