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
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from pydantic import ValidationError

from . import pins
from .binding import Binder, Binding, is_comparison
from .data.model import ReportData
from .document import Draft, Section
from .figures import bindable_numbers, compute, numbers_in
from .history import Dropped, Entry, TextState, entries, next_number
from .numbers import CN_NUMERAL_CHARS, Mention
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


# --- an edit kept with its numbers updated --------------------------------------------------------

UPDATED_NOTE = "您之前对本节的修改已保留，并按新数据更新了其中的数字："
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_ARABIC = re.compile(r"[0-9０-９][0-9０-９,，.．]*")
_CHINESE = re.compile(f"[{CN_NUMERAL_CHARS}]+")


@dataclass(frozen=True)
class Updated:
    """A number of a kept edit restated from the new data."""

    label: str  # the figure, as the tables name it
    old: str  # the mention as the text wrote it
    new: str

    def render(self) -> str:
        return f"{self.label} {self.old}→{self.new}"


class Renumbered(NamedTuple):
    paragraphs: list[str]
    updated: list[Updated]
    problem: str | None  # why the numbers cannot all be updated with certainty


def _reading(line: str) -> str:
    """A basis line as words read it: each number only as zero or not (未收到申请, 未收取费用)."""
    return _DIGITS.sub(lambda m: "0" if Decimal(m.group()) == 0 else "#", line)


def why_not_renumbered(section: str, old: ReportData, new: ReportData) -> str | None:
    """Why a changed figure cannot be followed by updating the edit's numbers: the agency, the year
    or the facts changed, or — in the sections that restate the figures in words (一、六) — a
    figure went from zero to some or back, or a plain reading changed (全部办结, 均为维持)."""
    was, now = basis(section, old), basis(section, new)
    for key in ("机关", "报告年度", "素材"):
        before, after = was.whole.get(key), now.whole.get(key)
        if before != after:
            if key == "素材":
                return "本节依据的素材（数据文件 facts 中的相应条目）变了"
            return f"本节依据的数据变了：“{_short(before or '（无）')}”现为“{_short(after or '（无）')}”"
    if section not in ("overview", "other"):
        return None
    lines_was, lines_now = {**was.whole, **was.figures}, {**now.whole, **now.figures}
    for key in dict.fromkeys([*lines_was, *lines_now]):
        before, after = lines_was.get(key), lines_now.get(key)
        if before is None or after is None or _reading(before) != _reading(after):
            return (
                f"本节依据的数据变了：“{_short(before or '（无）')}”现为“{_short(after or '（无）')}”，"
                "文字中的说法（如“未收到”“均为维持”）无法自动更新"
            )
    return None


def stale_numbers(section: str, old: ReportData, new: ReportData) -> set[Decimal]:
    """The numbers of the figures that changed, as the old data stated them."""
    was, now = basis(section, old), basis(section, new)
    lines_was, lines_now = {**was.whole, **was.figures}, {**now.whole, **now.figures}
    out: set[Decimal] = set()
    for key, before in lines_was.items():
        if key not in ("机关", "报告年度", "素材"):
            out |= _changed_numbers(before, lines_now.get(key))
    return out


def _sure(bindings: list[Binding], m: Mention) -> Binding | None:
    """The figure m certainly states (its words name one figure, and its number is that figure's)."""
    for b in bindings:
        if b.certain and b.matches(m):
            return b
    return None


def _restated(m: Mention, new: Binding) -> str | None:
    """``m`` as written, with the new figure's number in place of the old; None when that cannot
    be done with certainty (an approximation, 万 inside a count, an amount in another unit)."""
    value = new.figure.value
    if value is None or m.approx or not new.certain:
        return None
    if new.figure.money and m.unit != new.figure.money:
        return None
    if not new.figure.money and ("万" in m.text or "亿" in m.text):
        return None
    if m.chinese:
        if value != value.to_integral_value():
            return None
        return _CHINESE.sub(str(int(value)), m.text, count=1)
    found = _ARABIC.search(m.text)
    if found is None:
        return None
    stated = found.group().translate(str.maketrans("０１２３４５６７８９．，", "0123456789.,"))
    decimals = len(stated.split(".", 1)[1]) if "." in stated else 0
    shown = value.quantize(Decimal(1).scaleb(-decimals)) if decimals else value
    if value != value.to_integral_value() and not decimals:
        shown = value
    text = f"{shown:,f}" if "," in stated else format(shown, "f")
    if "." in text and not decimals:
        text = text.rstrip("0").rstrip(".")
    return m.text[: found.start()] + text + m.text[found.end() :]


def renumber(paragraphs: list[str], old: ReportData, new: ReportData, stale: set[Decimal]) -> Renumbered:
    """An edit's paragraphs with each number bound to a changed figure restated from the new data
    (``binding``: by the words that name it, never by its value). A number that may be a changed
    figure but is not bound to one with certainty, or a ratio or year-on-year figure stated beside a
    changed one, makes the update uncertain: ``problem`` says which."""
    was, now = Binder(old), Binder(new)
    out: list[str] = []
    updated: list[Updated] = []
    for paragraph in paragraphs:
        edits: list[tuple[int, int, str]] = []
        touched: set[int] = set()
        derived: list[Mention] = []
        for (m, old_b), (_, new_b) in zip(was.read(paragraph), now.read(paragraph), strict=True):
            sure = _sure(old_b, m)
            if sure is not None:
                same = next((b for b in new_b if b.figure.key == sure.figure.key), None)
                if same is not None and same.figure.values == sure.figure.values:
                    continue
                text = None if same is None else _restated(m, same)
                if text is None:
                    return Renumbered(
                        paragraphs, [], f"本节写到的“{m.text}”（{sure.figure.label}）无法按新数据改写"
                    )
                edits.append((m.start, m.end, text))
                updated.append(Updated(sure.figure.label, m.text, text))
                touched.add(m.sentence)
                continue
            if m.value is not None and (m.is_figure or m.is_ratio) and m.value in stale:
                return Renumbered(
                    paragraphs, [], f"本节写到的“{m.text}”可能是变了的数字，但无法确定它对应表格中的哪一项"
                )
            if m.is_ratio or (m.is_figure and is_comparison(paragraph, m)):
                derived.append(m)
        for m in derived:
            if m.sentence in touched:
                return Renumbered(
                    paragraphs, [], f"本节写到的“{m.text}”由变了的数字算出（同比、占比），无法自动更新"
                )
        for start, end, text in reversed(edits):
            paragraph = paragraph[:start] + text + paragraph[end:]
        out.append(paragraph)
    return Renumbered(out, updated, None)


@dataclass(frozen=True)
class Kept:
    """What becomes of an accepted edit over new data: kept (its numbers updated, if any), or set
    aside with the reason."""

    paragraphs: list[str]
    updated: list[Updated] = field(default_factory=list)
    reason: str | None = None


def keep_edit(section: str, paragraphs: list[str], old: ReportData, new: ReportData) -> Kept:
    """An edited section's text over new data: as it was while its data did not change; with the
    numbers bound to the changed figures restated when that is certain; else set aside (reason)."""
    reason = why_dropped(section, paragraphs, old, new)
    if reason is None:
        return Kept(paragraphs)
    blocked = why_not_renumbered(section, old, new)
    if blocked is not None:
        return Kept(paragraphs, reason=blocked)
    done = renumber(paragraphs, old, new, stale_numbers(section, old, new))
    if done.problem is not None:
        return Kept(paragraphs, reason=done.problem)
    return Kept(done.paragraphs, done.updated)


def updated_note(updated: list[Updated]) -> str:
    return UPDATED_NOTE + "；".join(u.render() for u in updated) + "。请核对上下文是否仍然通顺。"


@dataclass(frozen=True)
class Carried:
    kept: list[str] = field(default_factory=list)  # section ids whose edits were kept
    dropped: list[Dropped] = field(default_factory=list)
    updated: dict[str, list[Updated]] = field(default_factory=dict)  # section id → numbers restated


def _dropped_note(reason: str, entry: int, section: str) -> str:
    return (
        f"您之前对本节的修改未能保留：{reason}。本节已按新数据重新起草；原修改已另存在草稿修改历史第 {entry} 条，"
        f"可用 drafting revise 草稿文件 --restore --section {section} 恢复后再核对修改。"
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
    updated: dict[str, list[Updated]] = {}
    sections: list[Section] = []
    for section in new.sections:
        try:
            prev = previous.section(section.id)
        except KeyError:
            sections.append(section)
            continue
        if prev.edited:
            if old_data is None:
                outcome = Kept(prev.paragraphs, reason="原草稿中的数据无法读取")
            else:
                outcome = keep_edit(section.id, prev.paragraphs, old_data, new_data)
            if outcome.reason is None:
                state = TextState.of(prev)
                notes = [n for n in state.notes if not n.startswith(UPDATED_NOTE)]
                if outcome.updated:
                    notes.append(updated_note(outcome.updated))
                    updated[section.id] = outcome.updated
                state = state.model_copy(update={"paragraphs": outcome.paragraphs, "notes": notes})
                section = state.apply(section)
                kept.append(section.id)
            else:
                dropped.append(Dropped(section=section.id, reason=outcome.reason, text=TextState.of(prev)))
                note = _dropped_note(outcome.reason, number, section.id)
                section = section.model_copy(update={"notes": [*section.notes, note]})
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
    carried = Carried(kept, dropped, updated)
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
        updated={section: [u.render() for u in done] for section, done in updated.items()},
        data_file=new.provenance.data_file,
    )
    out = new.model_copy(update={"sections": sections, "history": [*previous.history, entry.as_json()]})
    return out, carried
