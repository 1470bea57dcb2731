"""How sure the reader is of what it located: the part headings as a whole and each table.

Read first, judge second: a check runs only on what was read with confidence. What could not be
located is said once, as a reading notice (rule ``READ``, a warning: it is the reader's limit, not
the report's fault), and the rules that need it are not assessed — never "缺少章节" or a cross-sum
error built on a guess. What is there and read is ``confident`` even when it breaks a rule: a table
printed with its 总计 as 0 is read with confidence, and H1 says so.
"""

from __future__ import annotations

from .. import official
from .model import Located, Report
from .tables import READ, ReadingNotice, Table2Read, Table3Read, Table4Read

# Three distinct part headings found are enough to trust the reading of the part structure: a
# missing part is then the report's (S1), not the reader's. Fewer mean the text's shape defeated the
# reader (a report on one line, headings drawn as images, an unknown wording).
MIN_PARTS = 3

_TABLE_PART = {p.table: p for p in official.PARTS if p.table}
_TABLE_NAME = {"table2": "表二", "table3": "表三", "table4": "表四"}


def locate(report: Report) -> None:
    """Set ``report.located`` — the part headings as a whole (``parts``), each part (``part:<id>``: its
    heading found or not) and each table — and add one ``READ`` notice for each thing not located with
    confidence."""
    parts = list(dict.fromkeys(h.part for h in report.headings))
    if len(parts) >= MIN_PARTS:
        report.located["parts"] = Located("confident", f"找到 {len(parts)} 个章节标题")
    else:
        found = "；".join(h.text for h in report.headings) or "没有"
        reason = f"只识别出 {len(parts)} 个章节标题（{found}）"
        report.located["parts"] = Located("uncertain", reason)
        report.notes.append(
            ReadingNotice(
                READ,
                "warning",
                f"未能识别报告的章节：{reason}。文本可能丢失了换行，或标题不是文字；章节是否齐全、顺序和各部分的"
                "内容要求未作检查",
                "章节标题",
                evidence=f"识别出的章节标题：{found}",
                place="parts/unlocated",
            )
        )
    for part in official.PARTS:
        heading = next((h for h in report.headings if h.part == part.id), None)
        report.located[f"part:{part.id}"] = (
            Located("confident", f"{heading.where()}")
            if heading is not None
            else Located("absent", f"没有找到“{part.heading}”")
        )
    parts_known = report.located["parts"].confident
    for name, table in (("table2", report.table2), ("table3", report.table3), ("table4", report.table4)):
        located = _table(name, table)
        report.located[name] = located
        if located.confident:
            continue
        if located.status == "absent" and parts_known:
            continue  # the report has no such table: S2 says so
        if (
            located.status == "uncertain"
            and table is not None
            and not isinstance(table, Table4Read)
            and table.rows
        ):
            continue  # the rows it could not confirm are named in the table's own notice
        part = _TABLE_PART[name]
        report.notes.append(
            ReadingNotice(
                READ,
                "warning",
                f"未能识别“{part.heading}”的表格（{_TABLE_NAME[name]}）：{located.reason}。依赖该表的规则未作检查，"
                "请对照原报告核对",
                _TABLE_NAME[name],
                evidence=located.reason,
                place=f"{name}/unlocated",
            )
        )


def _table(name: str, table: Table2Read | Table3Read | Table4Read | None) -> Located:
    label = _TABLE_NAME[name]
    if table is None:
        return Located("absent", f"没有找到{label}")
    read = bool(table.row) if isinstance(table, Table4Read) else bool(table.rows)
    if not read:
        if table.seen:
            return Located("uncertain", f"找到了{label}的表头或行名，但没有读到其中的数字")
        return Located("absent", f"没有找到{label}的表头、行名或数字")
    rows = [table.row] if isinstance(table, Table4Read) else list(table.rows.values())
    unconfirmed = [r for r in rows if r is not None and "unconfirmed" in r.status]
    if unconfirmed:
        return Located("uncertain", f"{label}有 {len(unconfirmed)} 行的数字未能确认")
    if isinstance(table, Table3Read):
        if table.realigned:
            return Located("confident", f"有 {len(table.realigned)} 行按顺序对应，各行各列的勾稽关系都相符")
    return Located("confident", f"读到{label}")
