"""Reading 表二、表三、表四 from a stream of cells (see ``stream``), anchored on row labels.

A row's numbers are the cells after its label, up to the next label or the next text that belongs
to no table. That one rule reads every layout: leading cells left empty by merged labels are
trimmed to the row width, blank cells stay ``None``, digits run together are split by the
cross-sums, and group labels repeated after a page break are just labels again. The rows are
collected by ``rows`` (which also ties rows printed apart from their labels back by order); here a
row's cells are fitted to the table, run-together digits split, and ties by order kept only when the
row and column sums confirm them — otherwise the row is withheld (``unconfirmed``), never guessed.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .. import official
from ..official import Cell, row_cells
from .cells import OTHER_HANDLING_2019, READ, UNSURE, ReadingNotice, Row, Status, Value, row_where
from .labels import TABLE2_2019_COLUMN_KEYS, TABLE2_2021_COLUMN_KEYS, is_filler, is_header
from .normalize import norm
from .rows import Collected, collect, trim
from .splitting import document_counts_split, split_blocks, split_free, split_with_total
from .stream import Item

__all__ = [  # the row vocabulary lives in ``cells``; readers of tables import it from here too
    "OTHER_HANDLING_2019",
    "READ",
    "UNSURE",
    "ReadingNotice",
    "Row",
    "Status",
    "Table2Read",
    "Table3Read",
    "Table4Read",
    "Value",
    "read_table2",
    "read_table3",
    "read_table4",
    "row_where",
]

WIDTH3 = len(official.TABLE3_COLUMNS) + 1  # six applicant columns and 总计
WIDTH4 = len(official.TABLE4_BLOCKS) * (len(official.TABLE4_COLUMNS) + 1)


@dataclass
class Table3Read:
    rows: dict[str, Row] = field(default_factory=dict)  # official row path (or 2019 other_handling)
    version: str = "2021"
    notes: list[ReadingNotice] = field(default_factory=list)
    # Rows whose labels and numbers the source printed apart (a conversion that split the table's
    # columns): tied back together by their order, and kept only when the sums confirm them.
    realigned: list[str] = field(default_factory=list)
    seen: bool = False  # whether any of the table's labels or header words was met at all


@dataclass
class Table2Read:
    rows: dict[str, Row] = field(default_factory=dict)  # row key (rules, normative, …)
    version: str = "2021"
    notes: list[ReadingNotice] = field(default_factory=list)
    seen: bool = False


@dataclass
class Table4Read:
    row: Row | None = None
    notes: list[ReadingNotice] = field(default_factory=list)
    seen: bool = False


_TABLE4_CELLS = tuple(c for block, _ in official.TABLE4_BLOCKS for c in row_cells("table4", block))


def _table2_cells(key: str, version: str) -> tuple[Cell, ...]:
    groups = official.TABLE2_2019_GROUPS if version == "2019" else official.TABLE2_GROUPS
    group = next(g for g in groups if key in dict(g.rows))
    return tuple(Cell("table2", key, column) for column, _ in group.columns)


# --- shared row fitting ----------------------------------------------------------------------


def _number(text: str) -> Value:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if "." not in text:
        return int(value)
    return value


def _concatenated(cells: list[Item], width: int) -> list[str] | None:
    """The digit runs of a row printed without separators, if that is what the row is."""
    nums = [c for c in cells if c.kind == "num"]
    if not nums or len(cells) >= width or any(c.kind == "na" for c in cells):
        return None
    if not all(c.text.isdigit() for c in nums):
        return None
    if sum(len(c.text) for c in nums) < width:
        return None
    return [c.text for c in nums]


def _plain(cells: list[Item], width: int) -> Row:
    values: list[Value] = []
    status: list[Status] = []
    for c in cells[:width]:
        if c.kind == "num":
            values.append(_number(c.text))
            status.append("ok")
        elif c.kind == "na":
            values.append(None)
            status.append("na")
        else:
            values.append(None)
            status.append("blank")
    while len(values) < width:
        values.append(None)
        status.append("missing")
    return Row(values, status)


def _at(row: Collected, fitted: Row) -> Row:
    fitted.line, fitted.para, fitted.page = row.line, row.para, row.page
    return fitted


# --- 表三 ------------------------------------------------------------------------------------


def read_table3(items: Sequence[Item]) -> Table3Read:
    out = Table3Read()
    gathered = collect(items, "table3", out.notes, WIDTH3)
    out.seen = gathered.seen
    collected = gathered.rows
    if not collected:
        return out
    candidates: dict[str, list[tuple[int, ...]]] = {}
    loose: set[str] = set()  # rows whose digits admit no split with 总计 = Σ (an H1 error, or a misprint)
    for key, row in collected.items():
        if key in gathered.unconfirmed:
            out.rows[key] = _at(row, Row([None] * WIDTH3, ["unconfirmed"] * WIDTH3))
            continue
        cells = trim([i for i in row.items if i.kind in ("num", "blank", "na")], WIDTH3)
        runs = _concatenated(cells, WIDTH3)
        if runs is not None:
            found = split_with_total(runs, WIDTH3)
            if found:
                candidates[key] = found
                out.rows[key] = _at(row, Row(list(found[0]), ["ok"] * WIDTH3, raw=" ".join(runs)))
                continue
            free = [s for s in split_free(runs, WIDTH3, max_len=5)[:2000] if len(s) == WIDTH3]
            if free:
                candidates[key] = free
                loose.add(key)
                out.rows[key] = _at(row, Row(list(free[0]), ["ok"] * WIDTH3, raw=" ".join(runs)))
                continue
            if len(cells) < WIDTH3 - 1 or sum(len(r) for r in runs) > WIDTH3:
                label = _row_label(key)
                out.rows[key] = _at(row, Row([None] * WIDTH3, ["raw"] * WIDTH3, raw=" ".join(runs)))
                out.notes.append(
                    ReadingNotice(
                        "H1",
                        "error",
                        f"表三“{label}”一行的数字连在一起（{' '.join(runs)}），无法拆分成满足"
                        "“总计 = 各类申请人之和”的7个数：请核对该行数字并用表格分栏填写",
                        f"表三 {label}（{row_where(row)}）",
                        evidence=" ".join(runs),
                        cells=row_cells("table3", key),
                    )
                )
                continue
        out.rows[key] = _at(row, _plain(cells, WIDTH3))
    _resolve_splits(out, candidates, loose)
    _derive_truncated_totals(out)
    if gathered.realigned:
        _confirm_realigned(out, gathered.realigned, gathered.why)
    if gathered.unconfirmed:
        _unconfirmed_notice(out, gathered.unconfirmed, "行名与数字在原文中分开排列，两者的个数对不上")
    leaves_2021 = [r.path for r in official.TABLE3_ROWS if r.path.startswith("other_handling.")]
    if OTHER_HANDLING_2019 in out.rows and not any(p in out.rows for p in leaves_2021):
        out.version = "2019"
    else:
        out.rows.pop(OTHER_HANDLING_2019, None)
    return out


def _leaf_paths(rows: dict[str, Row] | dict[str, list[int]]) -> list[str]:
    leaves = [r.path for r in official.TABLE3_RESULT_LEAVES]
    if OTHER_HANDLING_2019 in rows:
        leaves = [p for p in leaves if not p.startswith("other_handling.")] + [OTHER_HANDLING_2019]
    return leaves


def _sums_confirm(out: Table3Read, keys: list[str]) -> bool:
    """Whether the row and column sums confirm rows whose numbers were tied to them by order: each
    such row's 总计 is the sum of its six cells (H1), and in every column （七）总计 is the sum of the
    result rows (H3) and 一 + 二 = （七） + 四 (H2) wherever no blank cell leaves it open."""
    values = {k: r.values for k, r in out.rows.items()}
    for k in keys:
        v = values[k]
        if any(x is None for x in v) or sum(x for x in v[:-1] if x is not None) != v[-1]:
            return False
    leaves = _leaf_paths(out.rows)
    if any(p not in values for p in (*leaves, "results_total")):
        return False
    for col in range(WIDTH3):
        result_cells = [values[p][col] for p in leaves]
        total = values["results_total"][col]
        if total is None or any(c is None for c in result_cells):
            return False  # a realigned value would go unchecked in this column
        if sum(c for c in result_cells if c is not None) != total:
            return False
        pair = [values.get(p, [None] * WIDTH3)[col] for p in ("new", "carried_over", "carry_forward")]
        if all(c is not None for c in pair):
            new, carried, forward = (int(c) for c in pair if c is not None)
            if new + carried != total + forward:
                return False
    return True


def _confirm_realigned(out: Table3Read, keys: list[str], why: str) -> None:
    if _sums_confirm(out, keys):
        out.realigned = list(keys)
        _rows_notice(
            out,
            keys,
            f"表三有 {len(keys)} 行（{_labels(keys)}）{why}，已按先后顺序对应，各行各列的勾稽关系都相符：请对照原表核对",
            "按顺序对应的行",
            "realigned",
        )
        return
    for k in keys:
        row = out.rows[k]
        out.rows[k] = Row([None] * WIDTH3, ["unconfirmed"] * WIDTH3, row.line, row.para, page=row.page)
    _unconfirmed_notice(out, keys, f"{why}，按先后顺序对应后勾稽关系不成立")


def _unconfirmed_notice(out: Table3Read, keys: list[str], why: str) -> None:
    _rows_notice(
        out,
        keys,
        f"未能确认表三以下 {len(keys)} 行的数字：{_labels(keys)}（{why}）。这些行没有读入，依赖它们的规则未作检查：请对照原表核对",
        "未能确认的行",
        "unconfirmed",
    )


def _labels(keys: list[str]) -> str:
    return "、".join(_row_label(k) for k in keys[:6]) + ("等" if len(keys) > 6 else "")


def _rows_notice(out: Table3Read, keys: list[str], message: str, listed: str, place: str) -> None:
    """A reading notice about 表三's rows ``keys``: every row named in its evidence, their cells."""
    out.notes.append(
        ReadingNotice(
            READ,
            "warning",
            message,
            "表三",
            evidence=f"{listed}：" + "；".join(_row_label(k) for k in keys),
            cells=tuple(c for k in keys for c in row_cells("table3", k)),
            place=f"table3/{place}",
        )
    )


def _row_label(key: str) -> str:
    if key == OTHER_HANDLING_2019:
        return official.TABLE3_GROUPS["other_handling"]
    return official.TABLE3_ROW_BY_PATH[key].full_label


def _column_violations(rows: dict[str, list[int]]) -> int:
    """How many H2/H3 column identities fail for the rows known so far."""
    bad = 0
    leaves = [r.path for r in official.TABLE3_RESULT_LEAVES]
    if OTHER_HANDLING_2019 in rows:
        leaves = [p for p in leaves if not p.startswith("other_handling.")] + [OTHER_HANDLING_2019]
    have_leaves = all(p in rows for p in leaves)
    for col in range(WIDTH3):
        if have_leaves and "results_total" in rows:
            if sum(rows[p][col] for p in leaves) != rows["results_total"][col]:
                bad += 1
        if all(p in rows for p in ("new", "carried_over", "results_total", "carry_forward")):
            left = rows["new"][col] + rows["carried_over"][col]
            if left != rows["results_total"][col] + rows["carry_forward"][col]:
                bad += 1
    return bad


def _shape_score(values: Sequence[int]) -> tuple[int, int]:
    """Real rows are sparse and led by 自然人: prefer more zeros, then a larger first cell."""
    return (-sum(1 for v in values[:-1] if v == 0), -values[0])


def _resolve_splits(out: Table3Read, candidates: dict[str, list[tuple[int, ...]]], loose: set[str]) -> None:
    """Choose among the possible splits of run-together rows by the column identities (H2, H3),
    then by the usual shape of a row; say so wherever the choice stays open."""
    ambiguous = {k: v for k, v in candidates.items() if len(v) > 1}
    fixed = {
        k: [int(v) if v is not None else 0 for v in r.values]
        for k, r in out.rows.items()
        if k not in ambiguous
    }
    keys = list(ambiguous)
    unresolved: set[str] = set()
    if keys:
        combos = 1
        for k in keys:
            combos *= len(ambiguous[k])
        if combos <= 4096:
            scored = []
            for choice in itertools.product(*(ambiguous[k] for k in keys)):
                trial = dict(fixed) | {k: list(v) for k, v in zip(keys, choice, strict=True)}
                shape = tuple(_shape_score(v) for v in choice)
                scored.append((_column_violations(trial), shape, choice))
            scored.sort(key=lambda s: (s[0], s[1]))
            best = scored[0]
            tied = [s for s in scored if s[0] == best[0]]
            chosen = dict(zip(keys, best[2], strict=True))
            unresolved = {k for i, k in enumerate(keys) if len({s[2][i] for s in tied}) > 1}
        else:
            chosen = _descend(fixed, ambiguous)
            unresolved = set(keys)
        for k, values in chosen.items():
            out.rows[k].values = list(values)
    for k in sorted(unresolved | loose, key=list(candidates).index):
        row = out.rows[k]
        label = _row_label(k)
        shown = "、".join(str(v) for v in row.values)
        why = "不满足“总计 = 各类申请人之和”，" if k in loose else "可有多种拆分，"
        out.notes.append(
            ReadingNotice(
                "SPLIT",
                "warning",
                f"表三“{label}”一行的数字连写为“{row.raw}”，{why}已按各列勾稽关系和常见分布取 {shown}，请对照原表核对",
                f"表三 {label}（{row.where()}）",
                evidence=row.raw,
                cells=row_cells("table3", k),
            )
        )


def _descend(
    fixed: dict[str, list[int]], ambiguous: dict[str, list[tuple[int, ...]]]
) -> dict[str, tuple[int, ...]]:
    """Too many combinations to try them all: improve one row at a time, twice over."""
    chosen = {k: min(v, key=_shape_score) for k, v in ambiguous.items()}
    for _ in range(2):
        for k, options in ambiguous.items():

            def cost(option: tuple[int, ...], k: str = k) -> tuple[int, tuple[int, int]]:
                trial = dict(fixed) | {x: list(v) for x, v in chosen.items()} | {k: list(option)}
                return _column_violations(trial), _shape_score(option)

            chosen[k] = min(options, key=cost)
    return chosen


def _derive_truncated_totals(out: Table3Read) -> None:
    """Page text that drops the last cell of many rows (the reference report's leaf rows) lost a
    column, not data: 总计 is then derived and said so. One or two such rows are blanks (H5)."""
    short = [k for k, r in out.rows.items() if r.status[-1] == "missing" and "missing" not in r.status[:-1]]
    if len(short) < 3:
        return
    for k in short:
        row = out.rows[k]
        if all(isinstance(v, int) for v in row.values[:-1]):
            row.values[-1] = sum(v for v in row.values[:-1] if isinstance(v, int))
            row.status[-1] = "derived"
    out.notes.append(
        ReadingNotice(
            "H5",
            "warning",
            f"表三有 {len(short)} 行缺少“总计”一格（页面文字可能丢了最后一列），已按各类申请人之和补出：请核对原表",
            "表三",
            evidence="缺少总计的行：" + "；".join(_row_label(k) for k in short),
            cells=tuple(Cell("table3", k, official.TOTAL_KEY) for k in short),
        )
    )


# --- 表二 ------------------------------------------------------------------------------------


def _table2_widths(version: str) -> dict[str, int]:
    groups = official.TABLE2_2019_GROUPS if version == "2019" else official.TABLE2_GROUPS
    return {key: len(g.columns) for g in groups for key, _ in g.rows}


def read_table2(items: Sequence[Item], previous_in_force: dict[str, int] | None = None) -> Table2Read:
    out = Table2Read()
    gathered = collect(items, "table2", out.notes)
    out.seen = gathered.seen
    collected = gathered.rows
    if not collected:
        return out
    out.version = _table2_version(items, collected)
    if out.version == "2021":
        for key, row in collected.items():
            if row.label is not None and row.label.version == "2019" and key in _SHARED_2019_ROWS:
                # ``规范性文件`` in a 2021 table: the row is there, its name is the old one.
                label = dict(_table2_row_labels("2021"))[key]
                out.notes.append(
                    ReadingNotice(
                        "S2",
                        "warning",
                        f"表二行名“{row.label.official}”与规定的“{label}”不一致，请按格式改正",
                        f"表二（{row_where(row)}）",
                        evidence=row.label.official,
                        place=f"table2/label:{key}",
                    )
                )
    widths = _table2_widths(out.version)
    for key, row in collected.items():
        width = widths.get(key)
        if width is None:
            continue
        cells = trim([i for i in row.items if i.kind in ("num", "blank", "na")], width)
        if width > 1 and len(cells) == 1 and cells[0].kind == "na":
            out.rows[key] = _at(row, Row([None] * width, ["na"] * width))
            continue
        runs = _concatenated(cells, width)
        if runs is not None:
            out.rows[key] = _at(row, _split_table2(key, runs, width, out, previous_in_force))
            continue
        amount = _run_into_amount(cells, width)
        if amount is not None:
            out.rows[key] = _at(row, _unsplit_table2(key, amount, width, out, "（件数和金额之间没有分隔）"))
            continue
        out.rows[key] = _at(row, _plain(cells, width))
    _unplaced_table2(out, collected, gathered.bare, widths)
    return out


def _unplaced_table2(
    out: Table2Read, collected: dict[str, Collected], bare: list[str], widths: dict[str, int]
) -> None:
    """Labels no number followed, in a 表二 where a row took more numbers than it has cells: the page
    printed numbers before their labels (plain PDF text does), so those rows' numbers cannot be told
    — withheld, and said so, never called missing rows."""
    piled = [
        k
        for k, r in collected.items()
        if sum(1 for i in r.items if i.kind in ("num", "na")) > widths.get(k, 99)
    ]
    unplaced = [k for k in bare if k in widths and k not in out.rows]
    if not piled or not unplaced:
        return
    labels = dict(_table2_row_labels(out.version))
    for key in unplaced:
        out.rows[key] = Row([None] * widths[key], ["unconfirmed"] * widths[key])
    out.notes.append(
        ReadingNotice(
            READ,
            "warning",
            f"未能确认表二“{'”“'.join(labels[k] for k in unplaced)}”的数字：原文的数字与行名没有按行排列"
            "（数字印在行名之前）。这些行没有读入，依赖它们的规则未作检查：请对照原表核对",
            "表二",
            evidence="行名之前多出的数字：" + "；".join(labels[k] for k in piled),
            cells=tuple(c for k in unplaced for c in _table2_cells(k, out.version)),
            place="table2/unconfirmed",
        )
    )


def _run_into_amount(cells: list[Item], width: int) -> str | None:
    """Digits run into an amount (``政府集中采购13575394432.52元``: a count and a sum of money with no
    separator): too few cells, the last a decimal whose whole part could hold the missing ones."""
    nums = [c for c in cells if c.kind == "num"]
    if width < 2 or len(cells) >= width or not nums or "." not in nums[-1].text:
        return None
    whole = nums[-1].text.split(".")[0].lstrip("-")
    if len(whole) <= width - len(cells):
        return None
    return " ".join(c.text for c in nums)


def _unsplit_table2(key: str, raw: str, width: int, out: Table2Read, why: str = "") -> Row:
    """A 表二 row whose run-together digits admit no one split: kept raw (no value), said so."""
    label = dict(_table2_row_labels(out.version))[key]
    out.notes.append(
        ReadingNotice(
            "SPLIT",
            "warning",
            f"表二“{label}”的数字连写为“{raw}”{why}，无法确定如何拆分，已保留原文：请对照原表核对",
            f"表二 {label}",
            evidence=raw,
            cells=_table2_cells(key, out.version),
        )
    )
    return Row([None] * width, ["raw"] * width, raw=raw)


_ONLY_2019_ROWS = ("other_services", "procurement")  # rows only the 2019 试行 format has
_SHARED_2019_ROWS = ("normative",)  # a row of both formats that the 2019 one names differently


def _table2_version(items: Sequence[Item], collected: dict[str, Collected]) -> str:
    """The layout a 表二 was printed in, told by what only one layout has: the 2019 rows
    (其他对外管理服务事项, 政府集中采购) and columns (上一年项目数量, 本年增/减, 本年新制作数量, …) against the 2021
    columns (本年制发件数, 本年废止件数, 本年处理决定数量, 本年收费金额). The old name of a row both layouts
    have (``规范性文件``) decides only beside an old column. Column headers are counted inside
    run-together header text too."""
    if any(key in collected for key in _ONLY_2019_ROWS):
        return "2019"
    old_columns = new_columns = 0
    for item in items:
        if item.kind != "text":
            continue
        text = norm(item.text)
        for key in TABLE2_2021_COLUMN_KEYS:
            if key in text:
                new_columns += text.count(key)
                text = text.replace(key, "|")
        old_columns += sum(text.count(key) for key in TABLE2_2019_COLUMN_KEYS)
    old_names = any(
        r.label is not None and r.label.version == "2019" and k in _SHARED_2019_ROWS
        for k, r in collected.items()
    )
    return "2019" if old_columns > new_columns or (old_columns and old_names) else "2021"


def _split_table2(
    key: str, runs: list[str], width: int, out: Table2Read, previous: dict[str, int] | None
) -> Row:
    raw = " ".join(runs)
    label = dict(_table2_row_labels(out.version))[key]
    if out.version == "2021" and width == 3:
        split, count = document_counts_split(runs, (previous or {}).get(key))
        if split is not None:
            if count > 1:
                out.notes.append(
                    ReadingNotice(
                        "SPLIT",
                        "warning",
                        f"表二“{label}”的三个数连写为“{raw}”，可有多种拆分，已取 {split[0]}、{split[1]}、{split[2]}"
                        "（本年制发、本年废止、现行有效）：请对照原表核对，提供上年数据可据此确定",
                        f"表二 {label}",
                        evidence=raw,
                        cells=_table2_cells(key, out.version),
                    )
                )
            return Row(list(split), ["ok"] * 3, raw=raw)
    splits = split_free(runs, width)
    if len(splits) == 1:
        return Row(list(splits[0]), ["ok"] * width, raw=raw)
    return _unsplit_table2(key, raw, width, out)


def _table2_row_labels(version: str) -> list[tuple[str, str]]:
    groups = official.TABLE2_2019_GROUPS if version == "2019" else official.TABLE2_GROUPS
    return [row for g in groups for row in g.rows]


# --- 表四 ------------------------------------------------------------------------------------

_TABLE4_START = tuple(
    norm(x)
    for x in (
        official.TABLE4_REVIEW,
        official.TABLE4_LITIGATION,
        *(label for _, label in official.TABLE4_COLUMNS),
        *(label for _, label in official.TABLE4_BLOCKS[1:]),
    )
)


_APPEALS = next(p.id for p in official.PARTS if p.table == "table4")


def read_table4(items: Sequence[Item]) -> Table4Read:
    out = Table4Read()
    started = False
    totals_in_header = 0
    cells: list[Item] = []
    first: Item | None = None
    for item in items:
        if item.kind == "text":
            text = norm(item.text)
            if not started:
                if any(k in text for k in _TABLE4_START):
                    started = True
                    totals_in_header = text.count(official.TOTAL_LABEL)
                continue
            if cells and any(c.kind == "num" for c in cells):
                if is_header("table4", text) or is_filler(text):
                    if any(c.kind == "num" for c in cells) and len(cells) >= WIDTH4:
                        break
                    continue
                break
            totals_in_header += text.count(official.TOTAL_LABEL)
        elif item.kind in ("num", "blank", "na") and started:
            if item.kind != "blank" or cells:
                cells.append(item)
                first = first or item
        elif item.kind == "end" and started and cells:
            break
        elif item.kind == "end" and item.text == _APPEALS and not started:
            # 四's heading: a conversion that renamed the table's columns (``列1 | 列2 | …``) left it
            # no header words; the first row of numbers in the part is the table.
            started = True
    out.seen = started
    if not any(c.kind == "num" for c in cells):
        return out
    cells = trim(cells, WIDTH4)
    if len(cells) > WIDTH4:
        cells = cells[:WIDTH4]
    line = first.line if first else None
    para = first.para if first else None
    page = first.page if first else None
    runs = _concatenated(cells, WIDTH4)
    if runs is not None:
        shape = (len(official.TABLE4_BLOCKS), len(official.TABLE4_COLUMNS) + 1)
        found = split_blocks(runs, *shape)
        raw = " ".join(runs)
        if not found:
            found = split_blocks(runs, *shape, allow_bad=1)
            if found:
                out.row = Row(list(found[0]), ["ok"] * WIDTH4, line, para, raw, page)
                out.notes.append(
                    ReadingNotice(
                        "SPLIT",
                        "warning",
                        f"表四的数字连写为“{raw}”，有一栏不满足“总计 = 四项之和”，已取 {'、'.join(map(str, found[0]))}："
                        "请对照原表核对",
                        "表四",
                        evidence=raw,
                        cells=_TABLE4_CELLS,
                    )
                )
                return out
        if found:
            out.row = Row(list(found[0]), ["ok"] * WIDTH4, line, para, raw, page)
            if len(found) > 1:
                out.notes.append(
                    ReadingNotice(
                        "SPLIT",
                        "warning",
                        f"表四的数字连写为“{raw}”，可有多种拆分，已取 {'、'.join(map(str, found[0]))}：请对照原表核对",
                        "表四",
                        evidence=raw,
                        cells=_TABLE4_CELLS,
                    )
                )
            return out
        out.row = Row([None] * WIDTH4, ["raw"] * WIDTH4, line, para, raw, page)
        out.notes.append(
            ReadingNotice(
                "H4",
                "error",
                f"表四的数字连在一起（{raw}），无法拆分成每栏“总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结”"
                "的15个数：请核对并用表格分栏填写",
                "表四",
                evidence=raw,
                cells=_TABLE4_CELLS,
            )
        )
        return out
    row = _plain(cells, WIDTH4)
    row.line, row.para, row.page = line, para, page
    blocks = len(official.TABLE4_BLOCKS)
    if row.status[-1] == "missing" and "missing" not in row.status[:-1] and totals_in_header < blocks:
        head = row.values[-5:-1]
        if all(isinstance(v, int) for v in head):
            row.values[-1] = sum(v for v in head if isinstance(v, int))
            row.status[-1] = "derived"
            out.notes.append(
                ReadingNotice(
                    "H5",
                    "warning",
                    "表四“复议后起诉 总计”一列缺失（表头和数据都少一格），已按四项之和补出：请核对原表",
                    "表四 行政诉讼 复议后起诉 / 总计",
                    evidence="复议后起诉：" + "、".join(str(v) for v in head) + "，总计一格缺失",
                    cells=(Cell("table4", "litigation_after_review", official.TOTAL_KEY),),
                )
            )
    out.row = row
    return out
