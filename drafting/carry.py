"""Writing a draft again over one the author has revised: keep what still holds.

``drafting draft`` over an existing ``<stem>.draft.json`` keeps each accepted revision or manual
edit whose data did not change, and gives up (saying why, and keeping its text in the history) the
ones whose data did. Pinned sentences are carried into the regenerated text either way.

What a section's text relies on:
- every section: the agency's name and how it refers to itself, the report year, and the author's
  facts on its topics (``statements.SECTION_TOPICS``); any change there drops the edit;
- 一、总体情况 restates the tables (and the plain readings such as "no applications"), 六、其他
  the fees: any change to those drops the edit, because such a text states them in words as well
  as in numbers ("未收到申请");
- any other figure only if the text states the number that changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from pydantic import ValidationError

from . import pins
from .data.model import ReportData
from .document import Draft, Section
from .figures import bindable_numbers, compute, numbers_in
from .history import Dropped, Entry, TextState, entries, next_number
from .statements import (
    SECTION_TOPICS,
    fact_lines,
    fee_statements,
    hints,
    table2_statements,
    table3_statements,
    table4_statements,
)


class Basis(NamedTuple):
    whole: dict[str, str]  # label → line: any change drops the edit
    figures: dict[str, str]  # label → line: a change drops it if the text states the old number


def _label(line: str) -> str:
    return line.split("：", 1)[0]


def _keyed(lines: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in lines:
        key = _label(line)
        while key in out:  # several lines with one label (写作提示): keep each
            key += "＋"
        out[key] = line
    return out


def basis(section: str, data: ReportData) -> Basis:
    """What one section's text relies on, line by line, as the statements state it."""
    f = compute(data)
    agency = data.agency
    whole = {
        "机关": f"机关：{agency.name}（简称{agency.short_name or agency.name}，自称{data.self_reference}）",
        "报告年度": f"报告年度：{data.year}年",
    }
    tables = [*table2_statements(data), *table3_statements(data, f), *table4_statements(f)]
    fees = fee_statements(data)
    if section == "overview":
        whole |= _keyed([*tables, *hints(data, f)])
        figures = _keyed(fees)
    elif section == "other":
        whole |= _keyed(fees)
        figures = _keyed(tables)
    else:
        figures = _keyed([*tables, *fees])
    if section in SECTION_TOPICS:
        whole["素材"] = "\n".join(fact_lines(section, data))
    return Basis(whole, figures)


def _short(text: str, limit: int = 40) -> str:
    text = text.replace("\n", "；")
    return text if len(text) <= limit else text[:limit] + "…"


def _changed_numbers(old: str, new: str | None) -> set[Decimal]:
    """The numbers of ``old`` that ``new`` no longer states in the same place."""
    before = numbers_in(old)
    after = numbers_in(new) if new is not None else []
    if len(before) != len(after):
        return set(before)
    return {a for a, b in zip(before, after, strict=True) if a != b}


def why_dropped(section: str, paragraphs: list[str], old: ReportData, new: ReportData) -> str | None:
    """Why an edited text no longer holds on the new data, or None if it still does."""
    was, now = basis(section, old), basis(section, new)
    for key in dict.fromkeys([*was.whole, *now.whole]):
        before, after = was.whole.get(key), now.whole.get(key)
        if before != after:
            if key == "素材":
                return "本节依据的素材（数据文件 facts 中的相应条目）变了"
            return f"本节依据的数据变了：“{_short(before or '（无）')}”现为“{_short(after or '（无）')}”"
    stated = set(numbers_in("\n".join(paragraphs)))
    for key, before in was.figures.items():
        after = now.figures.get(key)
        if before == after:
            continue
        hit = sorted(_changed_numbers(before, after) & stated)
        if hit:
            number = format(hit[0].normalize(), "f")
            return f"本节写到的数字 {number} 所依据的数据变了：“{_short(before)}”现为“{_short(after or '（无）')}”"
    return None


@dataclass(frozen=True)
class Carried:
    kept: list[str] = field(default_factory=list)  # section ids whose edits were kept
    dropped: list[Dropped] = field(default_factory=list)


def _dropped_note(reason: str, entry: int) -> str:
    return (
        f"您之前对本节的修改未能保留：{reason}。本节已按新数据重新起草；"
        f"原修改的文字记录在草稿修改历史第 {entry} 条（可用 drafting revise 草稿文件 --log 查看）。"
    )


def _pin_notes(pinned: list[str], data: ReportData) -> list[str]:
    allowed = bindable_numbers(data)
    notes = []
    for pin in pinned:
        stale = [format(n.normalize(), "f") for n in numbers_in(pin) if n not in allowed]
        if stale:
            notes.append(
                f"固定的句子“{_short(pin)}”中的数字 {'、'.join(stale)} 与新数据不符，已原样保留，请核对"
            )
    return notes


def carry_edits(previous: Draft, new: Draft, *, now: dt.datetime | None = None) -> tuple[Draft, Carried]:
    """``new`` (just drafted from the data) with ``previous``'s accepted edits that still hold,
    its pins, and its history plus one entry saying what was kept and what was dropped."""
    history = entries(previous)
    try:
        old_data: ReportData | None = previous.report_data()
    except ValidationError:
        old_data = None
    new_data = new.report_data()
    number = next_number(history)
    kept: list[str] = []
    dropped: list[Dropped] = []
    sections: list[Section] = []
    for section in new.sections:
        try:
            prev = previous.section(section.id)
        except KeyError:
            sections.append(section)
            continue
        if prev.edited:
            reason = "原草稿中的数据无法读取" if old_data is None else None
            if old_data is not None:
                reason = why_dropped(section.id, prev.paragraphs, old_data, new_data)
            if reason is None:
                section = TextState.of(prev).apply(section)
                kept.append(section.id)
            else:
                dropped.append(Dropped(section=section.id, reason=reason, text=TextState.of(prev)))
                section = section.model_copy(
                    update={"notes": [*section.notes, _dropped_note(reason, number)]}
                )
        if prev.pinned:
            placed = pins.restore(section.paragraphs, prev.pinned, prev.paragraphs).paragraphs
            notes = [*section.notes, *_pin_notes(prev.pinned, new_data)]
            section = section.model_copy(
                update={
                    "paragraphs": placed,
                    "pinned": list(prev.pinned),
                    "notes": list(dict.fromkeys(notes)),
                }
            )
        sections.append(section)
    carried = Carried(kept, dropped)
    revised = bool(history) or any(s.edited or s.pinned for s in previous.sections)
    if not revised:
        return new, carried
    entry = Entry(
        n=number,
        time=now or dt.datetime.now(dt.UTC).replace(microsecond=0),
        kind="redraft",
        model=new.provenance.backend,
        kept=kept,
        dropped=dropped,
        data_file=new.provenance.data_file,
    )
    out = new.model_copy(update={"sections": sections, "history": [*previous.history, entry.as_json()]})
    return out, carried
