"""Tables from a page's rules: the rules' crossings make cell boxes, cells that share corners make a
table, and a cell that covers several columns or rows of the table's grid is a merged cell.

Rules are stroked lines and thin filled rectangles (both ways of drawing a border). A larger filled
box is a background — a shaded row, a highlighted phrase — and never a border.
"""

from __future__ import annotations

import bisect
import statistics
from dataclasses import dataclass, field
from typing import Final

from ..blocks import Grid, GridCell
from ..normalize import clean_line
from .text import Char, is_wide, text_lines

SNAP: Final = 3.0  # points: rules this close are one rule; a crossing may miss by this much
MAX_RULES: Final = 3000  # more rules than this on a page is a drawing, not a table: skip it

# How a path's segments are told apart (PDFium's FPDF_SEGMENT_* values).
LINE_TO: Final = 0
MOVE_TO: Final = 2

Point = tuple[int, float, float, bool]  # segment kind, x, y, whether it closes the subpath


@dataclass
class Rule:
    horizontal: bool
    at: float  # y of a horizontal rule, x of a vertical one
    start: float
    end: float


def path_rules(points: list[Point], filled: bool, stroked: bool) -> list[Rule]:
    """A path's straight, axis-parallel edges (when it is stroked), or the thin rectangles it fills,
    as rules."""
    edges: list[tuple[float, float, float, float]] = []
    boxes: list[tuple[float, float, float, float]] = []
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None
    sub: list[tuple[float, float]] = []

    def end_subpath() -> None:
        if len(sub) >= 4:
            xs = [p[0] for p in sub]
            ys = [p[1] for p in sub]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))

    for kind, x, y, closes in points:
        if kind == MOVE_TO or prev is None:
            end_subpath()
            sub = [(x, y)]
            start = prev = (x, y)
            continue
        if kind == LINE_TO:  # a Bézier curve is never a rule
            edges.append((prev[0], prev[1], x, y))
        sub.append((x, y))
        prev = (x, y)
        if closes and start is not None:
            edges.append((x, y, start[0], start[1]))
            prev = start
    end_subpath()
    out: list[Rule] = []
    if stroked:
        for x0, y0, x1, y1 in edges:
            if abs(y1 - y0) < 1 and abs(x1 - x0) >= 1:
                out.append(Rule(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
            elif abs(x1 - x0) < 1 and abs(y1 - y0) >= 1:
                out.append(Rule(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1)))
    elif filled:
        for x0, y0, x1, y1 in boxes:
            w, h = x1 - x0, y1 - y0
            if h <= SNAP and w > h:
                out.append(Rule(True, (y0 + y1) / 2, x0, x1))
            elif w <= SNAP and h > w:
                out.append(Rule(False, (x0 + x1) / 2, y0, y1))
    return out


def _close(rules: list[Rule]) -> list[Rule]:
    """Where two or more vertical rules end at one height with no rule across them, draw it: a
    table broken across pages leaves its merged cells open at the page's foot and head."""
    out = list(rules)
    verticals = [r for r in rules if not r.horizontal]
    for ends in ([(r.start, r.at) for r in verticals], [(r.end, r.at) for r in verticals]):
        ends.sort()
        n = 0
        while n < len(ends):
            group = [ends[n]]
            while n + len(group) < len(ends) and ends[n + len(group)][0] - group[0][0] <= SNAP:
                group.append(ends[n + len(group)])
            if len(group) >= 2:
                y = statistics.mean(g[0] for g in group)
                out.append(Rule(True, y, min(g[1] for g in group), max(g[1] for g in group)))
            n += len(group)
    return out


def _merge(rules: list[Rule]) -> list[Rule]:
    """Rules at nearly the same place become one place; touching collinear pieces become one rule."""
    out: list[Rule] = []
    for horizontal in (True, False):
        group = sorted((r for r in rules if r.horizontal == horizontal), key=lambda r: r.at)
        clusters: list[list[Rule]] = []
        for r in group:
            if clusters and r.at - clusters[-1][-1].at <= SNAP:
                clusters[-1].append(r)
            else:
                clusters.append([r])
        for cluster in clusters:
            at = statistics.mean(r.at for r in cluster)
            pieces = sorted(cluster, key=lambda r: r.start)
            current = Rule(horizontal, at, pieces[0].start, pieces[0].end)
            for r in pieces[1:]:
                if r.start <= current.end + SNAP:
                    current.end = max(current.end, r.end)
                else:
                    out.append(current)
                    current = Rule(horizontal, at, r.start, r.end)
            out.append(current)
    return out


@dataclass
class Cell:
    x0: float
    top: float
    x1: float
    bottom: float
    chars: list[Char] = field(default_factory=list)

    def holds(self, c: Char) -> bool:
        return self.x0 <= c.cx <= self.x1 and self.top <= c.cy <= self.bottom


def _cells(rules: list[Rule]) -> list[Cell]:
    """The smallest boxes whose four sides are drawn: from each crossing of rules, the nearest
    crossing below on the same vertical rule and to the right on the same horizontal rule whose
    far corner closes the box."""
    hs = [r for r in rules if r.horizontal]
    vs = [r for r in rules if not r.horizontal]
    points: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    for vi, v in enumerate(vs):
        for hi, h in enumerate(hs):
            if v.start - SNAP <= h.at <= v.end + SNAP and h.start - SNAP <= v.at <= h.end + SNAP:
                on_h, on_v = points.setdefault((v.at, h.at), (set(), set()))
                on_h.add(hi)
                on_v.add(vi)
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in points:
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    for ys in by_x.values():
        ys.sort()
    for xs in by_y.values():
        xs.sort()
    out: list[Cell] = []
    for (x, y), (on_h, on_v) in sorted(points.items(), key=lambda p: (p[0][1], p[0][0])):
        below = [b for b in by_x[x] if b > y and points[(x, b)][1] & on_v]
        right = [r for r in by_y[y] if r > x and points[(r, y)][0] & on_h]
        cell = next(
            (
                Cell(x, y, r, b)
                for b in below
                for r in right
                if (r, b) in points
                and points[(r, b)][1] & points[(r, y)][1]
                and points[(r, b)][0] & points[(x, b)][0]
            ),
            None,
        )
        if cell is not None:
            out.append(cell)
    return out


def _axis(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _nearest(axis: list[float], value: float) -> int:
    return min(range(len(axis)), key=lambda i: abs(axis[i] - value))


def _cell_text(chars: list[Char]) -> str:
    """A cell's lines joined: Chinese runs on across a wrapped line, Latin words keep a space."""
    parts: list[str] = []
    for line in text_lines(chars, 0):
        text = clean_line(line.text.replace("\t", " "))
        if parts and parts[-1] and text and not (is_wide(parts[-1][-1]) or is_wide(text[0])):
            parts.append(" ")
        parts.append(text)
    return "".join(parts)


@dataclass
class Table:
    cells: list[Cell]
    page: int
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    columns: list[float] = field(default_factory=list)  # the grid's column boundaries, left to right
    rows: list[float] = field(default_factory=list)  # its row boundaries, top to bottom
    _at: dict[tuple[int, int], Cell] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.x0 = min(c.x0 for c in self.cells)
        self.top = min(c.top for c in self.cells)
        self.x1 = max(c.x1 for c in self.cells)
        self.bottom = max(c.bottom for c in self.cells)
        self.columns = _axis([c.x0 for c in self.cells] + [c.x1 for c in self.cells])
        self.rows = _axis([c.top for c in self.cells] + [c.bottom for c in self.cells])
        self._at = {pos: cell for cell in self.cells for pos in self._positions(cell)}

    def _positions(self, cell: Cell) -> list[tuple[int, int]]:
        """The grid positions a cell covers (several for a merged cell)."""
        r0, r1 = _nearest(self.rows, cell.top), _nearest(self.rows, cell.bottom)
        c0, c1 = _nearest(self.columns, cell.x0), _nearest(self.columns, cell.x1)
        return [(r, c) for r in range(r0, max(r1, r0 + 1)) for c in range(c0, max(c1, c0 + 1))]

    def holds(self, c: Char) -> Cell | None:
        """The cell a character's middle falls in (found through the grid, not cell by cell)."""
        if not (self.x0 <= c.cx <= self.x1 and self.top <= c.cy <= self.bottom):
            return None
        column = bisect.bisect_right(self.columns, c.cx) - 1
        row = bisect.bisect_right(self.rows, c.cy) - 1
        cell = self._at.get((row, column))
        return cell if cell is not None and cell.holds(c) else None

    def grid(self) -> Grid:
        """The table as a grid: a merged cell's text at its first position, covered positions
        marked (as ``expand_spans`` does for HTML)."""
        placed: dict[tuple[int, int], GridCell] = {}
        for cell in sorted(self.cells, key=lambda c: (c.top, c.x0)):
            text = _cell_text(cell.chars)
            positions = self._positions(cell)
            for pos in positions:
                placed.setdefault(pos, GridCell(text, origin=(pos == positions[0])))
        rows = [
            [placed.get((r, c), GridCell("", origin=False)) for c in range(len(self.columns) - 1)]
            for r in range(len(self.rows) - 1)
        ]
        return Grid([row for row in rows if any(cell.origin for cell in row)], page=self.page)


def tables(rules: list[Rule], page: int) -> list[Table]:
    """The page's tables: groups of cells that share corners, of two rows and two columns at least
    (a framed paragraph is one cell, and its text stays in the text flow)."""
    rules = _merge(_close(_merge(rules)))
    if len(rules) > MAX_RULES:
        return []
    cells = _cells(rules)
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    corners: dict[tuple[int, int], int] = {}
    for i, c in enumerate(cells):
        for x, y in ((c.x0, c.top), (c.x1, c.top), (c.x0, c.bottom), (c.x1, c.bottom)):
            key = (round(x / SNAP), round(y / SNAP))
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    j = corners.get((key[0] + dx, key[1] + dy))
                    if j is not None:
                        parent[find(i)] = find(j)
            corners[key] = i
    groups: dict[int, list[Cell]] = {}
    for i, c in enumerate(cells):
        groups.setdefault(find(i), []).append(c)
    found = [Table(group, page) for group in groups.values()]
    return [t for t in found if len(t.rows) >= 3 and len(t.columns) >= 3]
