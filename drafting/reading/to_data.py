"""Printed tables → our data model: the one converter, for ``drafting import`` (``imported``) and for
the check library (``document_data``: the document's own tables as ``ReportData``, so the data rules
H1–H4, C1, C2, P1 and the figures module serve printed tables exactly as they serve data files).

The policy, one for both (``_stated_total`` holds the one switch in code):

- **A number printed in a cell** is taken as printed.
- **A blank cell**, a "/" or "无" (no number read) is **0** in the data — the model has no blank — and is
  always recorded, never silently: the import lists it for the author (``Imported.blanks``), the checks
  report it (H5) and leave it out of the sums it would falsify (``Context.blanks``).
- **A row not read at all** is all zeros; the import lists it, the checks report it as a missing row (S2).
- **Stated vs computed totals.** A printed 总计 (a row of 表三, （七）总计, a block of 表四) is kept as the
  data's stated ``total`` only when it differs from the sum of its parts, so the rule comparing them
  (H1, H3, H4) reports it; a total that agrees is left out and the data model computes it. Beside a
  blank cell the two uses part: the import keeps a differing total (it is the author's best evidence of
  what the blank should hold); the checks drop it, because the blank is already reported and the sum
  it falsifies would only repeat that.
- **The 2019 layout**: the import converts 表二 and the single （六）其他处理 row with a note saying how;
  the checks read figures from a 2021 表二 only (P2 reports the old layout).

What could not be carried over exactly is returned as notes for the author, never silently fixed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from .. import official
from ..chars import ascii_digits
from ..data.model import ReportData
from ..data.rules import check_rules
from ..errors import InputError, Issue, invalid_file
from .model import Report
from .tables import OTHER_HANDLING_2019, UNSURE, Row, Status, Value

_SELF_REFERENCES = (
    "我局",
    "我委",
    "我办",
    "我厅",
    "我镇",
    "我乡",
    "我区",
    "我县",
    "我市",
    "我街道",
    "本机关",
    "本单位",
    "本局",
)
_COLUMNS3 = official.TABLE3_COLUMN_KEYS
_WIDTH4 = len(official.TABLE4_COLUMNS) + 1


@dataclass
class Imported:
    data: ReportData  # shape-valid; may still break a cross-sum rule (see ``issues``)
    notes: list[str] = field(default_factory=list)  # what the user must check by hand
    blanks: list[str] = field(default_factory=list)  # cells the report left blank (written as 0)
    issues: list[Issue] = field(default_factory=list)  # the data rules the printed tables break

    @property
    def ok(self) -> bool:
        return not self.blanks and not any(i.is_error for i in self.issues)


def _int(value: Value) -> int:
    """A printed count as the data holds it: a blank is 0 (recorded by the caller), never negative."""
    return 0 if value is None else max(0, int(value))


def _stated_total(total: Value, parts: list[int], beside_blank: bool, keep_beside_blanks: bool) -> int | None:
    """The policy for a printed 总计: kept when it differs from the sum of its parts, left out (the
    model computes it) when it agrees or was not printed; beside a blank cell only when
    ``keep_beside_blanks`` (the import) — see the module docstring."""
    if total is None or (beside_blank and not keep_beside_blanks):
        return None
    value = _int(total)
    return value if value != sum(parts) else None


# --- 表三 ------------------------------------------------------------------------------------------


@dataclass
class _Table3:
    """表三 as data, with what the reading left open: blank cells (row path → column → status,
    ``total`` included) and the rows not read at all."""

    rows: dict[str, Any]  # nested as the data file holds it
    blanks: dict[str, dict[str, Status]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _cells3(row: Row, keep_beside_blanks: bool) -> tuple[dict[str, Any], dict[str, Status]]:
    """One 表三 row: the six counts, the stated total by the policy, and its blank cells."""
    values = list(row.values) + [None] * (len(_COLUMNS3) + 1 - len(row.values))
    status: list[Status] = list(row.status) + ["missing"] * (len(values) - len(row.status))
    blanks: dict[str, Status] = {
        key: s
        for key, value, s in zip((*_COLUMNS3, official.TOTAL_KEY), values, status, strict=False)
        if value is None and s != "derived"
    }
    out: dict[str, Any] = {k: _int(v) for k, v in zip(_COLUMNS3, values, strict=False)}
    beside = any(k in blanks for k in _COLUMNS3)
    total = _stated_total(values[len(_COLUMNS3)], list(out.values()), beside, keep_beside_blanks)
    if total is not None:
        out["total"] = total
    return out, blanks


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in flat.items():
        node = out
        *parents, leaf = path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
    return out


def _row3(rows: dict[str, Row], path: str) -> Row | None:
    """A row of the 2021 layout, the 2019 single （六）其他处理 row standing for ``3.其他``."""
    row = rows.get(path)
    if row is None and path == "other_handling.other":
        return rows.get(OTHER_HANDLING_2019)
    return row


def _table3(report: Report, keep_beside_blanks: bool) -> _Table3 | None:
    t = report.table3
    if t is None or not t.rows:
        return None
    out = _Table3({})
    flat: dict[str, Any] = {}
    zero = dict.fromkeys(_COLUMNS3, 0)
    old_layout = OTHER_HANDLING_2019 in t.rows
    for spec in official.TABLE3_ROWS:
        if spec.path == "results_total":
            continue
        row = _row3(t.rows, spec.path)
        if row is None:
            flat[spec.path] = dict(zero)
            if not (old_layout and spec.path.startswith("other_handling.")):
                out.missing.append(spec.path)
            continue
        if old_layout and spec.path == "other_handling.other":
            out.notes.append(
                "原报告表三为2019年格式，“（六）其他处理”只有一行，已整行填入“3.其他”，请按2021年格式分项核对"
            )
        flat[spec.path], blanks = _cells3(row, keep_beside_blanks)
        if blanks:
            out.blanks[spec.path] = blanks
    printed = t.rows.get("results_total")
    if printed is not None:
        # （七）总计 is a stated total too: kept when it differs from the result rows (H3) or its own
        # 总计 was kept (H1); otherwise the data derives it from the rows.
        cells, blanks = _cells3(printed, keep_beside_blanks)
        if blanks:
            out.blanks["results_total"] = blanks
        leaves = [flat[r.path] for r in official.TABLE3_RESULT_LEAVES]
        if "total" in cells or any(cells[k] != sum(leaf[k] for leaf in leaves) for k in _COLUMNS3):
            flat["results_total"] = cells
    out.rows = _nest({spec.path: flat[spec.path] for spec in official.TABLE3_ROWS if spec.path in flat})
    return out


# --- 表二 ------------------------------------------------------------------------------------------


def empty_table2() -> dict[str, Any]:
    """表二 as the data file holds it, every cell 0: what a row that was not read keeps."""
    zero = {"issued": 0, "repealed": 0, "in_force": 0}
    return {
        "rules": dict(zero),
        "normative": dict(zero),
        "licensing": 0,
        "penalty": 0,
        "coercion": 0,
        "admin_fees": Decimal(0),
    }


def table2_value(group: official.Table2Group, key: str, row: Row) -> Any:
    """One 表二 row (2021 format) as the data file holds it: the three counts of 规章 and 行政规范性文件,
    the amount of 行政事业性收费 (a negative or missing one is 0), or the one count of the others."""
    if len(group.columns) == 3:
        return {k: _int(v) for (k, _), v in zip(group.columns, row.values, strict=False)}
    if key == "admin_fees":
        value = row.values[0]
        return Decimal(value) if value is not None and value >= 0 else Decimal(0)
    return _int(row.values[0])


def _table2_2021(report: Report, blanks: list[str] | None = None) -> dict[str, Any]:
    """A 2021-format 表二 as data; blank cells and unread rows named in ``blanks`` when given (a
    规章 row printed as "/" is what a body that makes no 规章 prints: not a blank)."""
    t = report.table2
    out = empty_table2()
    if t is None or t.version != "2021":
        return out
    for group in official.TABLE2_GROUPS:
        for key, label in group.rows:
            row = t.rows.get(key)
            if row is None:
                if blanks is not None:
                    blanks.append(f"表二 {label}（整行未读到）")
                continue
            if blanks is not None:
                for (_, column), value, status in zip(group.columns, row.values, row.status, strict=False):
                    if value is None and not (key == "rules" and status == "na"):
                        blanks.append(f"表二 {label} / {column}（{_BLANK_TEXT.get(status, '空白')}）")
            out[key] = table2_value(group, key, row)
    return out


def _table2_import(report: Report, notes: list[str], blanks: list[str]) -> dict[str, Any]:
    t = report.table2
    if t is None or not t.rows:
        notes.append("没有读到表二，表二各项已填 0，请按原报告补填")
        return empty_table2()
    if t.version == "2019":
        notes.append(
            "原报告表二为2019年试行格式：已按“本年新制作数量→本年制发件数、对外公开总数量→现行有效件数、"
            "处理决定数量→本年处理决定数量”转换，本年废止件数和行政事业性收费金额原表没有，已填 0，请核对"
        )
        out = empty_table2()
        for key, read in t.rows.items():
            if "raw" in read.status:
                label = next(label for g in official.TABLE2_2019_GROUPS for k, label in g.rows if k == key)
                blanks.append(f"表二 {label}（{_BLANK_TEXT['raw']}）")
        for key in ("rules", "normative"):
            row = t.rows.get(key)
            if row is not None:
                out[key] = {"issued": _int(row.values[0]), "repealed": 0, "in_force": _int(row.values[2])}
        for key in ("licensing", "penalty", "coercion"):
            row = t.rows.get(key)
            if row is not None:
                out[key] = _int(row.values[2])
        return out
    return _table2_2021(report, blanks)


# --- 表四 ------------------------------------------------------------------------------------------


def _table4(report: Report, keep_beside_blanks: bool, blanks: list[str] | None = None) -> dict[str, Any]:
    """表四 as data, three blocks of four counts and a stated total by the policy; blank cells named
    in ``blanks`` when given."""
    row = report.table4.row if report.table4 else None
    out: dict[str, Any] = {}
    for n, (block, _) in enumerate(official.TABLE4_BLOCKS):
        values: list[Value] = list(row.values[n * _WIDTH4 : (n + 1) * _WIDTH4]) if row else [0] * _WIDTH4
        values += [None] * (_WIDTH4 - len(values))
        cells: dict[str, Any] = {}
        status = list(row.status[n * _WIDTH4 : (n + 1) * _WIDTH4]) if row else []
        for (key, label), value, state in zip(
            official.TABLE4_COLUMNS, values, [*status, *["blank"] * _WIDTH4], strict=False
        ):
            if value is None and blanks is not None:
                blanks.append(
                    f"表四 {official.table4_block_label(block)} / {label}（{_BLANK_TEXT.get(state, '空白')}）"
                )
            cells[key] = _int(value)
        beside = any(v is None for v in values[:-1])
        total = _stated_total(values[-1], list(cells.values()), beside, keep_beside_blanks)
        if total is not None:
            cells["total"] = total
        out[block] = cells
    if row is None and blanks is not None:
        blanks.append("表四（未读到）")
    return out


# --- 六 and the header -----------------------------------------------------------------------------

_FEE_NOTICES = re.compile(
    r"(?:发出|下发|送达|出具)?[^，。；]{0,12}收费通知(?:书)?[^，。；\d]{0,6}(\d+)\s*[件份次个]"
)
_FEE_AMOUNT = re.compile(
    r"(应收|实收|收取|收缴|共收)[^，。；\d]{0,12}信息处理费[^，。；\d]{0,6}(\d+(?:\.\d+)?)\s*(万元|元)"
)


def stated_fees(report: Report) -> dict[str, Decimal | int | None]:
    """What section 六 (or anywhere) states about the 信息处理费: notices and amounts, or None."""
    out: dict[str, Decimal | int | None] = {"notices": None, "billed": None, "collected": None}
    for p in report.narrative():
        text = ascii_digits(p.text)
        m = _FEE_NOTICES.search(text)
        if m and out["notices"] is None:
            out["notices"] = int(m.group(1))
        for m in _FEE_AMOUNT.finditer(text):
            amount = Decimal(m.group(2)) * (10000 if m.group(3) == "万元" else 1)
            key = "billed" if m.group(1) == "应收" else "collected"
            if out[key] is None:
                out[key] = amount
    return out


def _fees(report: Report) -> dict[str, Any]:
    """The fees 六 states; an amount billed that is not stated is the amount collected."""
    stated = stated_fees(report)
    collected = stated["collected"] or 0
    billed = stated["billed"] if stated["billed"] is not None else collected
    return {"notices": stated["notices"] or 0, "billed": billed, "collected": collected}


def _self_reference(report: Report) -> str:
    text = "".join(p.text for p in report.paragraphs)
    counts = Counter({w: text.count(w) for w in _SELF_REFERENCES})
    word, n = counts.most_common(1)[0]
    return word if n else "本机关"


# --- the two uses ----------------------------------------------------------------------------------


def document_data(report: Report, year: int | None) -> tuple[ReportData | None, dict[str, set[str]]]:
    """The printed tables as data for the checks, with the 表三 cells left blank (row path → column
    keys, ``total`` included); None when 表三 was not found at all."""
    t3 = _table3(report, keep_beside_blanks=False)
    if t3 is None:
        return None, {}
    raw = {
        "agency": {"name": report.agency or "（未识别的机关）"},
        "year": year if year is not None and 2000 <= year <= 2100 else 2000,
        "table2": _table2_2021(report),
        "table3": t3.rows,
        "table4": _table4(report, keep_beside_blanks=False),
        "fees": _fees(report),
    }
    # cells withheld (not tied to their row, digits not split) are not blanks the report left: the
    # checks gate on them by confidence instead
    blanks = {path: {c for c, s in cols.items() if s not in UNSURE} for path, cols in t3.blanks.items()}
    return ReportData.model_validate(raw), {path: cols for path, cols in blanks.items() if cols}


def _blank_texts(t3: _Table3) -> list[str]:
    """The 表三 cells the author must fill, as the import lists them (a blank 总计 is computed)."""
    columns = dict(official.TABLE3_COLUMNS)
    out = []
    for spec in official.TABLE3_ROWS:
        if spec.path in t3.missing:
            out.append(f"表三 {spec.full_label}（整行未读到）")
        for key, status in t3.blanks.get(spec.path, {}).items():
            if key in columns:
                out.append(f"表三 {spec.full_label} / {columns[key]}（{_BLANK_TEXT.get(status, '空白')}）")
    return out


_BLANK_TEXT = {"na": "原表为“/”", "raw": "数字连写，未能拆分", "unconfirmed": "未能确认属于该行"}


def _confirmed_rows(report: Report) -> bool:
    """Whether any 表三 row was read with confidence (a table whose every row could not be tied to
    its numbers is not read at all)."""
    t = report.table3
    return t is not None and any("unconfirmed" not in row.status for row in t.rows.values())


def imported(report: Report) -> Imported:
    """A report read → a data file's content (``drafting import``), with what the author must check."""
    year = report.year
    if year is None:
        raise InputError(
            f"{report.source}：无法从标题中读出报告年度。",
            hint="标题应为“<机关全称><年度>年政府信息公开工作年度报告”；请核对原报告的标题。",
        )
    t3 = _table3(report, keep_beside_blanks=True)
    if t3 is None or not _confirmed_rows(report):
        why = "；".join(n.message for n in report.notes if n.rule == "READ" and n.location == "表三")
        raise InputError(
            f"{report.source}：没有读到表三（收到和处理政府信息公开申请情况）的数字，无法导入。"
            + (f"{why}" if why else ""),
            hint="请确认报告中的表三是文字而不是图片；可用 drafting import --format cells 查看读到的内容。",
        )
    notes: list[str] = []
    blanks: list[str] = []
    for note in report.notes:
        if note.rule in ("SPLIT", "H5", "S2", "READ"):
            notes.append(re.sub(r"\s+", " ", note.message))
    agency = report.agency or "（请填写机关全称）"
    if not report.agency:
        notes.append("标题中没有机关全称，agency.name 请手工填写")
    table2 = _table2_import(report, notes, blanks)
    notes += t3.notes
    blanks += _blank_texts(t3)
    raw: dict[str, Any] = {
        "agency": {"name": agency, "self_reference": _self_reference(report)},
        "year": year,
        "table2": table2,
        "table3": t3.rows,
        "table4": _table4(report, keep_beside_blanks=True, blanks=blanks),
        "fees": _fees(report),
    }
    try:
        data = ReportData.model_validate(raw)
    except ValidationError as exc:
        raise invalid_file(
            exc,
            f"{report.source}：读出的数据不完整",
            "请用 drafting import --format cells 查看读到的表格，对照原报告核对。",
        ) from None
    return Imported(data, notes, blanks, check_rules(data))
