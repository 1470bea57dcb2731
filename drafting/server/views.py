"""What the draft page shows: the draft's sections and tables with an anchor on every paragraph and
every number cell, and the check findings linked to them.

The findings are ``drafting check DRAFT --data DATA --final``'s (``check.check_file``): the page
judges the draft as about to be published, as its 可发布 state does. A finding about table cells
names them (``Finding.cells``, the ids of ``official``): each is the cell of the draft's table with
the same data key, and the data page's input for it. A finding about text names its paragraph by
the reader's ``Paragraph.where()`` (``一、总体情况 第4段``): the page links it by reading the draft
the way the checks read it (``reading.from_draft``) and matching the same words, so the numbering
is never worked out a second time here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ..document import Draft


@dataclass(frozen=True)
class ViewCell:
    text: str
    header: bool
    number: bool
    rows: int
    cols: int
    path: str = ""  # a number cell's data key (``table3.new.natural``): what findings point at


@dataclass(frozen=True)
class ViewTable:
    id: str
    part: str
    header: list[list[ViewCell]]
    body: list[list[ViewCell]]


def tables(draft: Draft) -> dict[str, ViewTable]:
    """The draft's tables as stored, each number cell with its data key from the official layout
    (the stored table is that layout filled in, row for row and cell for cell)."""
    from ..layout import LAYOUTS

    out = {}
    for table_id in draft.tables:
        table = draft.table(table_id)
        shape = LAYOUTS[table_id]() if table_id in LAYOUTS else None

        def cells(rows: Any, shaped: Any) -> list[list[ViewCell]]:
            same = shaped is not None and [len(r) for r in rows] == [len(r) for r in shaped]
            out_rows = []
            for r, row in enumerate(rows):
                line = []
                for c, cell in enumerate(row):
                    path = shaped[r][c].path if same and cell.kind == "number" else ""
                    line.append(
                        ViewCell(
                            cell.text,
                            cell.kind == "header",
                            cell.kind == "number",
                            cell.rowspan,
                            cell.colspan,
                            path,
                        )
                    )
                out_rows.append(line)
            return out_rows

        out[table_id] = ViewTable(
            table_id,
            table.part,
            cells(table.header, shape.header if shape else None),
            cells(table.body, shape.body if shape else None),
        )
    return out


def paragraph_anchors(draft: Draft) -> dict[str, str]:
    """``一、总体情况 第4段`` → ``p-overview-3`` (the fourth line of part 一, titles included)."""
    from ..reading.from_draft import from_draft

    report = from_draft(draft)
    anchors: dict[str, str] = {}
    seen: dict[str, int] = {}
    titles = {s.id: s.title for s in draft.sections}
    for paragraph in report.paragraphs:
        section = paragraph.section or ""
        if titles.get(section) and paragraph.text == titles[section] and section not in seen:
            anchors[paragraph.where()] = f"s-{section}"
            seen[section] = 0
            continue
        index = seen.get(section, 0)
        seen[section] = index + 1
        anchors[paragraph.where()] = f"p-{section}-{index}"
    return anchors


_TABLE_WORDS = (("表二", "t-table2"), ("表三", "t-table3"), ("表四", "t-table4"))


def anchor_for(location: str, anchors: dict[str, str]) -> str:
    if location in anchors:
        return anchors[location]
    for where, anchor in anchors.items():
        if location.startswith(where):
            return anchor
    for word, anchor in _TABLE_WORDS:
        if word in location:
            return anchor
    return ""


def section_anchors(draft: Draft) -> dict[str, str]:
    """``五、存在的主要问题及改进情况 存在的主要问题`` → ``sec-problems``: where a finding about a whole
    section (``official.section_label``) points."""
    from .. import official

    return {official.section_label(s.id, " "): f"sec-{s.id}" for s in draft.sections}


# The words a 【待补充：…】 marker of the offline writer opens with → the topic of facts whose
# absence it stands for: a marker's finding links to where the author writes those facts. A marker
# worded otherwise (a model's, one typed by hand) links to the facts as a whole.
_MARKER_TOPICS = (
    ("主动公开", "active"),
    ("依申请公开", "on_request"),
    ("政府信息管理", "management"),
    ("平台建设", "platforms"),
    ("监督保障", "oversight"),
    ("存在的主要问题", "problems"),
    ("改进措施", "improvements"),
    ("其他需要报告", "other"),
)


def marker_topic(evidence: str) -> str:
    """The topic of facts a 【待补充：…】 marker asks for ("" when it cannot be told)."""
    head = evidence.removeprefix("【待补充：")[:16]
    return next((topic for words, topic in _MARKER_TOPICS if words in head), "")


_MARKER = re.compile(r"【[^】]{0,40}待[补填][^】]*】")


def marked(text: str) -> Markup:
    """A paragraph as HTML, escaped, with each 【待补充】 marker in a ``<mark>``: the author sees at
    once what is still to write."""
    out = []
    last = 0
    for m in _MARKER.finditer(text):
        out += [escape(text[last : m.start()]), Markup("<mark>"), escape(m.group()), Markup("</mark>")]
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def findings(draft_path: Path, data_path: Path, draft: Draft) -> list[dict[str, Any]]:
    """The findings on the draft file (as ``drafting check DRAFT --data DATA --final``), each with
    the anchor it links to and the data keys of the cells it is about."""
    from ..check import TO_FILL, check_file

    anchors = {**paragraph_anchors(draft), **section_anchors(draft)}
    folder = f"{data_path.parent}{os.sep}"  # the page names the workspace's files by name alone
    out = []
    for f in check_file(draft_path, data_path, final=True):
        paths = [c.path for c in f.cells]
        anchor = f"cell-{paths[0]}" if paths else anchor_for(f.location, anchors)
        out.append(
            {
                "rule": f.rule,
                "severity": f.severity,
                "error": f.is_error,
                "message": f.message,
                "location": f.location.replace(folder, "数据文件 ", 1)
                if f.category == "data"
                else f.location,
                "anchor": anchor,
                "paths": paths,
                "topic": marker_topic(f.evidence) if f.rule == "R1" else "",
                "fill": f.rule in TO_FILL,
            }
        )
    return out


def flagged_cells(found: list[dict[str, Any]]) -> dict[str, str]:
    """Each cell some finding is about → ``error`` or ``warning`` (the worse one), for the tables."""
    out: dict[str, str] = {}
    for f in found:
        for path in f["paths"]:
            if f["error"] or path not in out:
                out[path] = "error" if f["error"] else "warning"
    return out
