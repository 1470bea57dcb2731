"""One 整改清单 per agency, as a Word document in official style, ready to send: addressed to the
agency, listing what to correct (errors) and what to verify (warnings) in each of its reports, with
where each problem is and what it rests on. Dismissed findings are left out; confirmed ones say so;
the reader's notices about its own reading (``READ``) are the reviewer's, not the agency's.

The page, fonts and page numbers are the report writer's (``writers.docx.official_document``: GB/T
9704-2012), so a 整改清单 looks like the documents an office sends. The sender's name is
``--office``; without it the 落款 is a visible 【待补充】 marker, never an invented office.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .. import official
from .examine import UNREADABLE
from .judged import Judged, Reviewed

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

FOLDER = "整改清单"
_EVIDENCE_LIMIT = 160


def file_name(agency: str, fallback: str) -> str:
    """A file name for the agency's list that every file system takes."""
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", agency).strip("._") or fallback
    return f"{name}.docx"


def render(agency: str, reports: Sequence[Reviewed], office: str, today: dt.date) -> bytes:
    """The 整改清单 of one agency over its reports (those with findings that count)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from ..writers.docx import SAN_HAO, add_body_paragraph, add_title, official_document, set_properties

    doc = official_document()
    sender = office or "【待补充：审核单位名称】"
    title = f"{agency}{official.TITLE_SUFFIX}整改清单"
    set_properties(
        doc, author=office, title=title, subject="整改清单", when=dt.datetime.combine(today, dt.time())
    )
    add_title(doc, title, agency)
    to = doc.add_paragraph(f"{agency}：")
    to.paragraph_format.first_line_indent = Pt(0)
    titles = "、".join(f"《{_title(r)}》" for r in reports)
    errors = sum(sum(1 for j in r.to_send if j.is_error) + int(r.item.status == UNREADABLE) for r in reports)
    warnings = sum(sum(1 for j in r.to_send if not j.is_error) for r in reports)
    counts = "、".join(
        x
        for x in (
            f"需要整改的问题 {errors} 处" if errors else "",
            f"请核实的事项 {warnings} 处" if warnings else "",
        )
        if x
    )
    add_body_paragraph(
        doc,
        f"经审核，你单位发布的{titles}有{counts}，清单如下。请对需要整改的问题逐项改正后重新发布，"
        f"对请核实的事项核实后自行决定是否修改，并将整改情况报送{sender}。",
    )
    several = len(reports) > 1
    for n, r in enumerate(reports, 1):
        if several:
            doc.add_paragraph(
                f"{official.chinese_ordinal(n)}、《{_title(r)}》（文件：{r.item.source.relative}）",
                style="Heading 1",
            )
        _problems(doc, r, several)
    closing = [sender, f"{today.year}年{today.month}月{today.day}日"]
    doc.add_paragraph()
    for line in closing:
        p = add_body_paragraph(doc, line)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.right_indent = Pt(SAN_HAO * 4)  # 右空四字
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _title(r: Reviewed) -> str:
    if r.item.title:
        return r.item.title
    year = f"{r.item.year}年" if r.item.year else ""
    return f"{r.item.agency}{year}{official.TITLE_SUFFIX}"


def _problems(doc: DocxDocument, r: Reviewed, several: bool) -> None:
    from ..writers.docx import add_body_paragraph

    errors = [_line(j) for j in r.to_send if j.is_error]
    warnings = [_line(j) for j in r.to_send if not j.is_error]
    if r.item.status == UNREADABLE:
        errors.insert(
            0,
            f"报告文件“{r.item.source.relative}”无法读取：{r.item.reason.rstrip('。')}。"
            "请重新发布可以读取的版本（网页、Word 文档或带文字层的 PDF）。",
        )
    groups = [
        (f"需要整改的问题（{len(errors)}处）", errors),
        (f"请核实的事项（{len(warnings)}处）", warnings),
    ]
    shown = [(head, items) for head, items in groups if items]
    for n, (head, items) in enumerate(shown, 1):
        label = official.paren_ordinal(n) if several else f"{official.chinese_ordinal(n)}、"
        doc.add_paragraph(f"{label}{head}", style="Heading 2" if several else "Heading 1")
        for k, line in enumerate(items, 1):
            add_body_paragraph(doc, f"{k}．{line}")


def _line(j: Judged) -> str:
    f = j.finding
    where = str(f.get("location") or "")
    message = str(f.get("message") or "").rstrip("。")
    evidence = " ".join(str(f.get("evidence") or "").split())
    if len(evidence) > _EVIDENCE_LIMIT:
        evidence = evidence[:_EVIDENCE_LIMIT] + "……"
    text = f"{where}：{message}。" if where else f"{message}。"
    if evidence:
        text += f"（依据：{evidence}）"
    if j.decision == "confirm":
        text += "（经审核确认）"
    return text
