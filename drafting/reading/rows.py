"""A table's rows as collected from the stream of cells (``stream``): each row label met, the numbers
after it, and — where a source printed numbers apart from their labels (a converter that lost the
table's grid, plain PDF text printing a table's labels in a block and its numbers after them) —
the tie between them by their order, which ``tables`` keeps only when the sums confirm it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import official
from .cells import OTHER_HANDLING_2019, ReadingNotice, row_where
from .labels import (
    CORNER_KEY,
    HEADER_KEYS,
    TABLE3_ROW_LABELS,
    Label,
    belongs_elsewhere,
    find_labels,
    fuzzy_label,
    is_filler,
    is_header,
    prefix_label,
)
from .normalize import norm
from .stream import Item


@dataclass
class Collected:
    label: Label | None
    items: list[Item] = field(default_factory=list)
    line: int | None = None
    para: int | None = None
    page: int | None = None
    unit: int = -1  # the source row (a line, a grid row) the label stood in
    units: list[int] = field(default_factory=list)  # the source row of each item

    def own(self) -> list[Item]:
        """The items printed in the label's own source row."""
        return [i for i, u in zip(self.items, self.units, strict=True) if u == self.unit]


@dataclass
class SourceRow:
    """One source row that held numbers and no text."""

    index: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Gathered:
    rows: dict[str, Collected]  # labelled rows with numbers, in order of appearance
    realigned: list[str] = field(default_factory=list)  # rows given numbers by their order
    why: str = "行名与数字在原文中分开排列"  # how those rows were printed
    unconfirmed: list[str] = field(default_factory=list)  # rows whose numbers could not be tied
    seen: bool = False  # a label or header of the table was met
    bare: list[str] = field(default_factory=list)  # labels met that no number followed


def trim(cells: list[Item], width: int) -> list[Item]:
    cells = list(cells)
    while len(cells) > width and cells[0].kind == "blank":
        cells.pop(0)
    while len(cells) > width and cells[-1].kind == "blank":
        cells.pop()
    return cells


_WRAP_LINES = 5  # a long label wraps over at most this many source rows


# Header words only one table has: meeting one says the table is there (总计, 其他 are everyone's).
_OWN_HEADERS = {
    table: frozenset(
        k for k in keys if len(k) >= 3 and not any(k in v for t, v in HEADER_KEYS.items() if t != table)
    )
    for table, keys in HEADER_KEYS.items()
}


def _join_wrapped_labels(items: Sequence[Item], table: str) -> list[Item]:
    """A row label a page or a conversion wrapped over several source rows (``2.其他法律行政法规禁``
    / ``止公开``) as one text item, when only the rows together hold a label (a label found across
    the first break)."""
    out: list[Item] = []
    n = 0
    while n < len(items):
        item = items[n]
        taken = _wrapped_label(items, n, table) if item.kind == "text" else 0
        if taken:
            parts = [items[k].text.strip() for k in range(n, n + taken, 2)]
            out.append(dataclasses.replace(item, text="".join(parts)))
            n += taken
            continue
        out.append(item)
        n += 1
    return out


def _wrapped_label(items: Sequence[Item], n: int, table: str) -> int:
    """How many items (text, nl, text, …) from ``n`` make one label wrapped over source rows; 0 if none."""
    first = norm(items[n].text)
    joined, end = first, n
    for _ in range(_WRAP_LINES - 1):
        if not (end + 2 < len(items) and items[end + 1].kind == "nl" and items[end + 2].kind == "text"):
            return 0
        nxt = norm(items[end + 2].text)
        if not nxt or is_filler(nxt) or find_labels(table, nxt):
            return 0
        joined += nxt
        end += 2
        if any(start < len(first) < stop for start, stop, _ in find_labels(table, joined)):
            return end - n + 1
    return 0


def collect(items: Sequence[Item], table: str, notes: list[ReadingNotice], width: int = 0) -> Gathered:
    """Each labelled row's cells, in order of appearance. The first occurrence of a row that carries
    numbers wins; a label repeated after a page break adds nothing.

    With ``width`` (表三), the binding is checked: a source row of numbers alone belongs to the label
    before it — unless the table shows it was printed apart from its labels (labels left with no
    numbers while rows of numbers stand alone or pile onto one label): then the labels without
    numbers of their own and the rows of numbers are tied in order (``realigned``), or, when their
    counts differ, left ``unconfirmed``."""
    items = _join_wrapped_labels(items, table)
    rows: dict[str, Collected] = {}
    units: list[SourceRow] = []
    unit = 0
    unit_items: list[Item] = []
    unit_text = False
    seen = False
    current: Collected | None = None
    ordinal = ""  # a bare （三） waiting for the label split from it
    results_started = False
    prev: Item | None = None

    def start(label: Label, item: Item) -> Collected | None:
        row = _start(rows, label, item)
        if row is not None:
            row.unit = unit
        return row

    for item in items:
        if item.kind in ("nl", "end"):
            if not unit_text and any(i.kind in ("num", "na") for i in unit_items):
                units.append(SourceRow(unit, list(unit_items)))
            # an empty line is no source row (cells one per paragraph stay consecutive); prose or a
            # heading between two rows of numbers parts them
            unit += 2 if item.kind == "end" else 1 if unit_items or unit_text else 0
            unit_items, unit_text = [], False
            if item.kind == "end":
                current = None
                ordinal = ""
            prev = item
            continue
        if item.kind == "text":
            unit_text = True
            text = norm(item.text)
            if text[:1] in ".、" and prev is not None and prev.kind == "num" and prev.glued:
                # ``…72.没有现成信息`` : the last digit numbers the next row, it is not data. The
                # shared item stays intact (other tables read the same stream): edit a copy.
                number = prev.text[-1]
                if current is not None and current.items and current.items[-1] is prev:
                    current.items.pop()
                    current.units.pop()
                    if len(prev.text) > 1:
                        current.items.append(dataclasses.replace(prev, text=prev.text[:-1], glued=False))
                        current.units.append(unit)
                if unit_items and unit_items[-1] is prev:
                    unit_items.pop()
                text = number + "." + text[1:]
            text = ordinal + text
            ordinal = ""
            found = find_labels(table, text)
            if found:
                seen = True
                for _, _, label in found:
                    current = start(label, item)
                    if label.kind in ("row", "table2_row") and label.id not in ("new", "carried_over"):
                        results_started = True
                prev = item
                continue
            if table == "table3" and text == official.TOTAL_LABEL and results_started:
                if "results_total" not in rows or not has_numbers(rows["results_total"]):
                    current = start(TABLE3_ROW_LABELS["results_total"], item)
                prev = item
                continue
            if _is_ordinal(text):
                ordinal = text
                prev = item
                continue
            if CORNER_KEY in text or any(k in text for k in _OWN_HEADERS[table]):
                seen = True
            if is_filler(text) or is_header(table, text) or _continues(current, text):
                prev = item
                continue
            wrapped = prefix_label(table, text)
            if wrapped is not None:
                current = start(wrapped, item)  # a long label's first line: the rest wrapped below
                prev = item
                continue
            guess = None if belongs_elsewhere(table, text) else fuzzy_label(table, text)
            if guess is not None and guess.kind in ("row", "table2_row"):
                seen = True
                notes.append(
                    ReadingNotice(
                        "S2",
                        "warning",
                        f"表格行名“{text}”与规定的“{guess.official}”不一致，请按格式改正",
                        f"{'表三' if table == 'table3' else '表二'}（{row_where(Collected(None, [], item.line, item.para, item.page))}）",
                        evidence=text,
                        place=f"{table}/label:{guess.id}",
                    )
                )
                current = start(guess, item)
                prev = item
                continue
            current = None
        elif item.kind in ("num", "blank", "na"):
            unit_items.append(item)
            if current is not None:
                current.items.append(item)
                current.units.append(unit)
        prev = item
    if not unit_text and any(i.kind in ("num", "na") for i in unit_items):
        units.append(SourceRow(unit, list(unit_items)))
    out = Gathered({}, seen=seen)
    if width:
        _check_binding(rows, units, width, out)
    out.rows = {k: r for k, r in rows.items() if has_numbers(r) or k in out.unconfirmed}
    out.bare = [k for k in rows if k not in out.rows]
    return out


def _continues(current: Collected | None, text: str) -> bool:
    """Text that carries on the label of the row being read (its wrapped lines), perhaps behind a
    few characters of a merged label's column printed on the same line (``度办 情形，不计其他情形）``)."""
    if current is None or current.label is None:
        return False
    full = current.label.full
    return text in full or any(len(text) - k >= 4 and text[k:] in full for k in range(1, 4))


def _full(items: Sequence[Item], width: int) -> bool:
    """A source row holding a whole table row's numbers (one cell may have been lost)."""
    cells = trim([i for i in items if i.kind in ("num", "blank", "na")], width)
    numbers = sum(1 for i in cells if i.kind in ("num", "na"))
    return width - 1 <= numbers and len(cells) <= width


def _number_rows(units: list[SourceRow], width: int) -> list[SourceRow]:
    """Rows of numbers that stand with no label of their own, in order: each source row holding a
    table row's numbers, and a run of source rows of one or two cells each (a cell per line, as plain
    PDF text prints them) cut into rows of ``width`` when it holds whole rows. A shorter stray run (a
    page number) is not a row."""
    out: list[SourceRow] = []
    run: list[SourceRow] = []

    def flush() -> None:
        items = [i for u in run for i in u.items if i.kind in ("num", "blank", "na")]
        if items and len(items) % width == 0:
            for k in range(0, len(items), width):
                out.append(SourceRow(run[0].index, items[k : k + width]))
        run.clear()

    for u in units:
        if _full(u.items, width):
            flush()
            out.append(u)
        elif run and u.index == run[-1].index + 1:
            run.append(u)
        else:
            flush()
            run.append(u)
    flush()
    return out


def _check_binding(rows: dict[str, Collected], units: list[SourceRow], width: int, out: Gathered) -> None:
    """See ``collect``: tie rows of numbers printed apart from their labels back by their order."""
    labelled = [r.unit for r in rows.values()]
    if not labelled:
        return
    first, last = min(labelled), max(labelled)
    window = [u for u in units if first < u.index <= last + width + 1]
    full = [u for u in window if _full(u.items, width)]
    bare = [k for k, r in rows.items() if not has_numbers(r)]
    if full and not bare:
        _unlabelled_sub_rows(rows, {u.index for u in full}, out)
    if not bare:
        return
    numbers = _number_rows(window, width)
    bound = {id(i) for r in rows.values() for i in r.items}
    piled = any(sum(1 for i in r.items if i.kind in ("num", "na")) > width for r in rows.values())
    loose = [u for u in numbers if not any(id(i) in bound for i in u.items)]
    if not piled and not loose:
        return  # every row of numbers has a label of its own before it: the table as printed
    _stacked_first(rows)
    # in the order the labels were printed (a label met early as a header word keeps its first
    # place in ``rows``)
    apart = sorted(
        (k for k, r in rows.items() if r.unit not in r.units and _row_kind(r)), key=lambda k: rows[k].unit
    )
    if any(k.startswith("other_handling.") for k in rows):
        apart = [k for k in apart if k != OTHER_HANDLING_2019]  # the 2021 group label, not a row
    if len(apart) == len(numbers):
        for key, u in zip(apart, numbers, strict=True):
            rows[key].items = list(u.items)
            rows[key].units = [u.index] * len(u.items)
        out.realigned = apart
    else:
        out.unconfirmed = apart
    for r in rows.values():
        if r.unit in r.units:  # a row printed with its label keeps only its own numbers
            own = r.own()
            r.items, r.units = own, [r.unit] * len(own)


_SUB_ROWS_2021 = [r.path for r in official.TABLE3_ROWS if r.path.startswith("other_handling.")]


def _unlabelled_sub_rows(rows: dict[str, Collected], full_ids: set[int], out: Gathered) -> None:
    """``（六）其他处理`` merged over three rows of numbers whose own labels the page left empty: the
    2021 layout's three sub-rows, in their order (a page that kept only the first row would lose two)."""
    row = rows.get(OTHER_HANDLING_2019)
    if row is None or any(k in rows for k in _SUB_ROWS_2021):
        return
    printed = list(dict.fromkeys(u for u in row.units if u == row.unit or u in full_ids))
    if len(printed) != len(_SUB_ROWS_2021):
        return
    for key, unit in zip(_SUB_ROWS_2021, printed, strict=True):
        items = [i for i, u in zip(row.items, row.units, strict=True) if u == unit]
        rows[key] = Collected(
            TABLE3_ROW_LABELS[key], items, row.line, row.para, row.page, unit, [unit] * len(items)
        )
    del rows[OTHER_HANDLING_2019]
    out.realigned = list(_SUB_ROWS_2021)
    out.why = "“（六）其他处理”下的三行数字没有行名，按2021年格式的顺序读作1.、2.、3.三项"


def _stacked_first(rows: dict[str, Collected]) -> None:
    """Labels stacked in one source row (several sub-row labels in one merged cell, the numbers in
    the rows it spans): the numbers printed beside them belong to the first; the others are apart."""
    by_unit: dict[int, list[str]] = {}
    sub_rows = any(k.startswith("other_handling.") for k in rows)
    for key, row in rows.items():
        if _row_kind(row) and not (sub_rows and key == OTHER_HANDLING_2019):
            by_unit.setdefault(row.unit, []).append(key)
    for unit, keys in by_unit.items():
        owner = next((k for k in keys if unit in rows[k].units), None)
        if len(keys) < 2 or owner is None or owner == keys[0]:
            continue
        first, taken = rows[keys[0]], rows[owner]
        own = taken.own()
        first.items, first.units = own, [unit] * len(own)
        rest = [(i, u) for i, u in zip(taken.items, taken.units, strict=True) if u != unit]
        taken.items, taken.units = [i for i, _ in rest], [u for _, u in rest]


def _row_kind(row: Collected) -> bool:
    return row.label is not None and (row.label.kind == "row" or row.label.id == OTHER_HANDLING_2019)


def _is_ordinal(text: str) -> bool:
    return bool(text) and (
        (text.startswith("（") and text.endswith("）") and len(text) <= 4)
        or (len(text) <= 3 and text[-1] in "、." and text[0] in "一二三四五六七八九十")
    )


def has_numbers(row: Collected) -> bool:
    return any(i.kind in ("num", "na") for i in row.items) or (
        sum(1 for i in row.items if i.kind == "blank") >= 3
    )


def _start(rows: dict[str, Collected], label: Label, item: Item) -> Collected | None:
    if label.kind == "results":
        return None
    key = label.id
    if label.kind == "group":
        if key != OTHER_HANDLING_2019:
            return None  # group rows carry no numbers of their own
    existing = rows.get(key)
    if existing is not None and has_numbers(existing):
        return None  # already read; a repeat after a page break adds nothing
    row = Collected(label, [], item.line, item.para, item.page)
    rows[key] = row
    return row
