"""Build the defect corpus: clean reports, and reports with one seeded defect per rule, in every
page layout of FORMAT.md §9.

    python evals/defects/make.py          # rewrites evals/defects/cases/ and manifest.json

Bases are our offline drafts of synthetic data, of the real figures in ../shared/corpus and of
examples/*.yaml. Each defect edits one thing of a base's page (a heading, a cell, a sentence) and
names the rule that must find it; clean cases must draw no error at all. The generated files are
committed, so CI reads them without regenerating; ``evals/defects/score.py`` (the scorer
``drafting.evaluation.defects``) scores them.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from drafting import official  # noqa: E402
from drafting.checks import RULES  # noqa: E402
from drafting.data import load_data  # noqa: E402
from drafting.data.model import ReportData  # noqa: E402
from drafting.document import Draft  # noqa: E402
from drafting.evaluation.synthetic import (  # noqa: E402
    LAYOUTS,
    Page,
    PageItem,
    corpus_data,
    expected_cells,
    make_draft,
    page_of,
    page_to_draft,
    random_data,
    render_page,
    set_cell,
    table2_2019,
    table3_2019,
    variant,
)
from drafting.tables import Table  # noqa: E402

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
SHARED = ROOT.parent / "shared"
ALL_LAYOUTS = (*LAYOUTS, "draft")
SUFFIX = {"md": ".md", "html": ".html", "docx": ".docx", "draft": ".draft.json"}


@dataclass
class Base:
    name: str
    data: ReportData
    draft: Draft


@dataclass
class Seeded:
    page: Page
    data: ReportData | None = None  # written beside the case and passed as --data
    previous: ReportData | None = None  # passed as --previous
    previous_page: Page | None = None  # last year's report (as page text), passed as --previous
    cells: bool = True  # the page's tables are still the official ones: score the import


def bases() -> list[Base]:
    out = []
    for seed in (1, 2, 3, 4, 5, 7, 8, 9, 11, 13, 17, 21):
        data = random_data(seed)
        out.append(Base(f"syn{seed}", data, make_draft(data)))
    for path in sorted((SHARED / "corpus").glob("real-*.yaml")):
        data = corpus_data(path)
        out.append(Base(path.stem, data, make_draft(data)))
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        data = load_data(path).data
        out.append(Base(path.stem, data, make_draft(data)))
    return out


# --- editing a page ----------------------------------------------------------------------------


def _paragraphs(page: Page, part: str | None) -> list[PageItem]:
    current = None
    out = []
    for item in page.items:
        if item.kind == "heading":
            current = item.part
        elif item.kind == "paragraph" and current == part:
            out.append(item)
    return out


def edit(page: Page, part: str | None, pattern: str, repl: str | Callable[[re.Match[str]], str]) -> bool:
    """Replace the first match of ``pattern`` in the paragraphs of ``part``; False if none."""
    for item in _paragraphs(page, part):
        new, n = re.subn(pattern, repl, item.text, count=1)
        if n:
            item.text = new
            return True
    return False


def heading(page: Page, part: str) -> PageItem:
    return next(i for i in page.items if i.kind == "heading" and i.part == part)


def table(page: Page, table_id: str) -> tuple[int, Table]:
    for n, item in enumerate(page.items):
        if item.table is not None and item.table.id == table_id:
            return n, item.table
    raise KeyError(table_id)


def put(page: Page, n: int, t: Table) -> None:
    page.items[n] = replace(page.items[n], table=t)


def row_index(path: str) -> int:
    return next(i for i, r in enumerate(official.TABLE3_ROWS) if r.path == path)


def t3(table3: Table, path: str) -> list[int]:
    return list(table3.values[official.TABLE3_ROW_BY_PATH[path].cells_label])


# --- defects ---------------------------------------------------------------------------------
# Each returns the seeded page (and data) or None when the base does not allow it.


def s1_missing(b: Base, page: Page) -> Seeded:
    page.items.remove(heading(page, "problems_improvements"))
    return Seeded(page)


def s1_order(b: Base, page: Page) -> Seeded:
    start = page.items.index(heading(page, "other"))
    tail = page.items[start:]
    five = page.items.index(heading(page, "problems_improvements"))
    page.items = page.items[:five] + tail + page.items[five:start]
    return Seeded(page)


def s1_typo(b: Base, page: Page) -> Seeded:
    heading(page, "appeals").text = "四、政府信息公开行政法复议、行政诉讼情况"
    return Seeded(page)


def s1_numeral(b: Base, page: Page) -> Seeded:
    heading(page, "proactive").text = "三、主动公开政府信息情况"
    return Seeded(page)


def s2_table(b: Base, page: Page) -> Seeded:
    n, _ = table(page, "table3")
    del page.items[n]
    return Seeded(page, cells=False)


def s2_label(b: Base, page: Page) -> Seeded:
    n, t = table(page, "table3")
    body = [list(r) for r in t.body]
    for r, row in enumerate(body):
        for c, cell in enumerate(row):
            if cell.text == "2.其他法律行政法规禁止公开":
                body[r][c] = replace(cell, text="2.其他法律行政止公开")
    put(page, n, replace(t, body=tuple(tuple(r) for r in body)))
    return Seeded(page)


def s3_none(b: Base, page: Page) -> Seeded | None:
    changed = False
    for item in _paragraphs(page, "overview"):
        new = re.sub(r"^（[一二三四五]）[^。]{1,14}。", "", item.text)
        changed = changed or new != item.text
        item.text = new
    return Seeded(page) if changed else None


def s4_period(b: Base, page: Page) -> Seeded | None:
    return Seeded(page) if edit(page, None, r"本报告所列数据的统计期限[^。]*。", "") else None


def s5_count(b: Base, page: Page) -> Seeded | None:
    return Seeded(page) if edit(page, None, "六个部分", "五个部分") else None


def s6_title(b: Base, page: Page) -> Seeded:
    item = next(i for i in page.items if i.kind == "title")
    item.text = item.text.replace("政府信息公开工作年度报告", "政府信息公开工作告年度报")
    return Seeded(page)


def _t3_change(page: Page, path: str, col: int, delta: int, keep_total: bool) -> Seeded:
    n, t = table(page, "table3")
    values = t3(t, path)
    row = row_index(path)
    t = set_cell(t, row, col, values[col] + delta)
    if keep_total and col != 6:
        t = set_cell(t, row, 6, values[6] + delta)
    put(page, n, t)
    return Seeded(page)


def h1(b: Base, page: Page) -> Seeded:
    return _t3_change(page, "new", 6, 1, keep_total=False)


def h2(b: Base, page: Page) -> Seeded:
    return _t3_change(page, "carry_forward", 0, 1, keep_total=True)


def h3(b: Base, page: Page) -> Seeded:
    return _t3_change(page, "results_total", 0, 1, keep_total=True)


def h4(b: Base, page: Page) -> Seeded:
    n, t = table(page, "table4")
    put(page, n, set_cell(t, 0, 4, t.values["row"][4] + 1))
    return Seeded(page)


def h5(b: Base, page: Page) -> Seeded:
    n, t = table(page, "table3")
    put(page, n, set_cell(t, row_index("disclosed"), 2, None))
    return Seeded(page)


def c1(b: Base, page: Page) -> Seeded:
    last = random_data(_seed(b.name) + 500, year=b.data.year - 1).model_dump(mode="python")
    forward = b.data.table3.carried_over.model_dump(exclude={"total"})
    forward["natural"] += 1
    last["table3"]["carry_forward"] = forward
    return Seeded(page, previous=_balanced(last))


def c2(b: Base, page: Page) -> Seeded:
    return Seeded(page, previous=_balanced(_following(b, 700, in_force_extra=9)))


def _following(b: Base, offset: int, in_force_extra: int) -> dict[str, Any]:
    """Last year's data from which this year's carry-over follows, its 现行有效件数 ``in_force_extra``
    more than this year's figures imply."""
    last = random_data(_seed(b.name) + offset, year=b.data.year - 1).model_dump(mode="python")
    last["table3"]["carry_forward"] = b.data.table3.carried_over.model_dump(exclude={"total"})
    n = b.data.table2.normative
    last["table2"]["normative"] = {
        "issued": 1,
        "repealed": 0,
        "in_force": n.in_force - n.issued + n.repealed + in_force_extra,
    }
    return last


def c4(b: Base, page: Page) -> Seeded:
    """Last year's 行政许可 six times this year's and more (a jump); the carry-over and 现行有效件数
    still follow on, so that the jump is the one cross-year finding."""
    last = _following(b, 900, in_force_extra=0)
    last["table2"]["licensing"] = b.data.table2.licensing * 6 + 60
    return Seeded(page, previous=_balanced(last))


def y4(b: Base, page: Page) -> Seeded:
    """This year's narrative is last year's with the year changed: last year's report is the same
    page a year earlier (its tables left out, so that the copied narrative is the one finding)."""
    year, last_year = str(b.data.year), str(b.data.year - 1)
    items = [
        replace(i, text=i.text.replace(year, last_year))
        for i in page.items
        if i.table is None and i.kind in ("title", "heading", "subheading", "paragraph")
    ]
    return Seeded(page, previous_page=Page(items), cells=True)


def _balanced(raw: dict[str, Any]) -> ReportData:
    """Last year's data with 一 (or 二) adjusted so that its own columns balance."""
    from drafting.data.load import validate_raw

    t = raw["table3"]
    t["results_total"] = None
    for key in official.TABLE3_COLUMN_KEYS:
        done = 0
        for spec in official.TABLE3_RESULT_LEAVES:
            node: Any = t
            for part in spec.path.split("."):
                node = node[part]
            done += node[key]
        need = done + t["carry_forward"][key]
        t["carried_over"][key] = min(t["carried_over"][key], need)
        t["new"][key] = need - t["carried_over"][key]
    for name, row in t.items():
        if isinstance(row, dict) and name != "results_total":
            row.pop("total", None)
            for sub in row.values():
                if isinstance(sub, dict):
                    sub.pop("total", None)
    return validate_raw(raw, "previous").data


def _seed(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) % 1000


def p2(b: Base, page: Page) -> Seeded:
    n2, _ = table(page, "table2")
    put(page, n2, table2_2019(b.data))
    n3, t = table(page, "table3")
    put(page, n3, table3_2019(t))
    return Seeded(page, cells=False)


def p1(b: Base, page: Page) -> Seeded | None:
    if not re.search(r"[乡镇县]|街道", b.data.agency.name):
        return None
    n, t = table(page, "table2")
    body = [list(r) for r in t.body]
    for r, row in enumerate(body):
        if row and row[0].text == "规章":
            body[r] = [row[0], replace(row[1], text="1"), row[2], replace(row[3], text="6")]
    values = dict(t.values)
    values["rules"] = {"issued": 1, "repealed": 0, "in_force": 6}
    put(page, n, replace(t, body=tuple(tuple(r) for r in body), values=values))
    return Seeded(page)


def n1_received(b: Base, page: Page) -> Seeded | None:
    new, carried = b.data.table3.new.sum, b.data.table3.carried_over.sum
    if not new:
        return None
    stated = new + carried if carried else new + 1
    return (
        Seeded(page)
        if edit(page, "overview", rf"新收政府信息公开申请{new}件", f"收到政府信息公开申请{stated}件")
        else None
    )


def n1_concluded(b: Base, page: Page) -> Seeded | None:
    return (
        Seeded(page)
        if edit(page, "overview", r"办结(\d+)件", lambda m: f"办结{int(m.group(1)) + 2}件")
        else None
    )


def n2_breakdown(b: Base, page: Page) -> Seeded | None:
    return (
        Seeded(page)
        if edit(page, "overview", r"予以公开(\d+)件", lambda m: f"予以公开{int(m.group(1)) + 1}件")
        else None
    )


def n3_upheld(b: Base, page: Page) -> Seeded | None:
    r = b.data.table4.review
    if not (r.corrected or r.other or r.pending):
        return None
    ok = edit(page, "overview", r"(被申请政府信息公开行政复议\d+件（[^）]*）)", r"\1，均获维持")
    return Seeded(page) if ok else None


def n3_none(b: Base, page: Page) -> Seeded | None:
    if not b.data.table3.new.sum:
        return None
    ok = edit(
        page, "overview", r"(\d{4}年，[^，。]{1,8})新收政府信息公开申请\d+件", r"\1未收到政府信息公开申请"
    )
    return Seeded(page) if ok else None


def n4(b: Base, page: Page) -> Seeded | None:
    ok = edit(
        page,
        "overview",
        r"现行有效行政规范性文件(\d+)件",
        lambda m: f"现行有效行政规范性文件{int(m.group(1)) + 7}件",
    )
    return Seeded(page) if ok else None


def n0(b: Base, page: Page) -> Seeded | None:
    ok = edit(
        page, "overview", r"^（一）主动公开。", "（一）主动公开。全年通过门户网站主动公开政府信息98765条。"
    )
    return Seeded(page, data=b.data) if ok else None


def n5(b: Base, page: Page) -> Seeded | None:
    """A figure of the author's facts copied with another figure of the data in its place
    (培训2次 → 培训3次, 3 being, say, the fee notices): bound by its words, not by its value."""
    from drafting.binding import Binder
    from drafting.figures import bindable_numbers

    binder = Binder(b.data)
    others = sorted(v for v in bindable_numbers(b.data) if 1 < v < 1000 and v == v.to_integral_value())
    for item in _paragraphs(page, "overview"):
        for m, bindings in binder.read(item.text):
            fact = [x for x in bindings if x.figure.key.startswith("fact:") and x.certain]
            if not fact or len(bindings) > 1 or m.chinese or m.value is None or m.approx:
                continue
            swap = next((v for v in others if v != m.value and abs(v - m.value) <= 40), None)
            if swap is None:
                continue
            item.text = item.text[: m.start] + m.text.replace(str(m.value), str(swap), 1) + item.text[m.end :]
            return Seeded(page, data=b.data)
    return None


def n6(b: Base, page: Page) -> Seeded | None:
    """A share the data cannot give (自然人申请占99.9%)."""
    ok = edit(page, "overview", r"(其中自然人申请\d+件)", r"\1（占99.9%）")
    return Seeded(page, data=b.data) if ok else None


def f1(b: Base, page: Page) -> Seeded | None:
    for item in _paragraphs(page, "other"):
        if "信息处理费" in item.text or "收费通知" in item.text:
            page.items.remove(item)
            return Seeded(page)
    return None


def f2(b: Base, page: Page) -> Seeded | None:
    if not b.data.table3.new.sum:
        return None
    n, t = table(page, "table3")
    source = next((s for s in ("disclosed", "partial", "unable.not_held") if t3(t, s)[0] > 0), None)
    if source is None:
        return None
    overdue = "other_handling.overdue_fee"
    t = set_cell(t, row_index(source), 0, t3(t, source)[0] - 1)
    t = set_cell(t, row_index(source), 6, t3(t, source)[6] - 1)
    t = set_cell(t, row_index(overdue), 0, t3(t, overdue)[0] + 1)
    t = set_cell(t, row_index(overdue), 6, t3(t, overdue)[6] + 1)
    put(page, n, t)
    y, s = b.data.year, b.data.self_reference
    for item in _paragraphs(page, "other"):
        if "收费通知" in item.text:
            item.text = f"{y}年，{s}发出政府信息公开收费通知0件，未收取信息处理费。"
            return Seeded(page)
    return None


def f3(b: Base, page: Page) -> Seeded | None:
    y, s = b.data.year, b.data.self_reference
    for item in _paragraphs(page, "other"):
        if "收费通知" in item.text:
            item.text = f"{y}年，{s}发出政府信息公开收费通知0件，收取信息处理费300元。"
            return Seeded(page)
    return None


def y1_period(b: Base, page: Page) -> Seeded | None:
    y = b.data.year
    ok = edit(page, None, rf"自{y}年1月1日起至{y}年12月31日止", f"自{y - 1}年1月1日起至{y - 1}年12月31日止")
    return Seeded(page) if ok else None


def y1_title(b: Base, page: Page) -> Seeded:
    item = next(i for i in page.items if i.kind == "title")
    item.text = item.text.replace(f"{b.data.year}年", f"{b.data.year - 1}年")
    return Seeded(page, data=b.data)


def y2_stale(b: Base, page: Page) -> Seeded | None:
    y = b.data.year
    return Seeded(page) if edit(page, "overview", rf"^{y}年，", f"{y - 2}年，") else None


def y3(b: Base, page: Page) -> Seeded | None:
    y = b.data.year
    return Seeded(page) if edit(page, "problems_improvements", rf"^{y + 1}年，", f"{y}年，") else None


def r1(b: Base, page: Page) -> Seeded | None:
    ok = edit(
        page, "overview", r"^（三）政府信息管理。", "（三）政府信息管理。【待补充：保密审查的具体做法】"
    )
    return Seeded(page) if ok else None


def r2(b: Base, page: Page) -> Seeded | None:
    return Seeded(page) if edit(page, "overview", r"^（一）主动公开。", "（一）**主动公开**。") else None


def r3(b: Base, page: Page) -> Seeded | None:
    return Seeded(page) if edit(page, "overview", r"(?<=[\u4e00-\u9fff])，(?=[\u4e00-\u9fff])", ",") else None


def r4(b: Base, page: Page) -> Seeded | None:
    return Seeded(page) if edit(page, "problems_improvements", "二是", "三是") else None


def r5(b: Base, page: Page) -> Seeded | None:
    return Seeded(page) if edit(page, "overview", r"^（二）", "(2)") else None


def d1(b: Base, page: Page) -> Seeded:
    seeded = _t3_change(page, "new", 0, 1, keep_total=True)
    seeded.data = b.data
    return seeded


def d2(b: Base, page: Page) -> Seeded:
    item = next(i for i in page.items if i.kind == "title")
    item.text = item.text.replace(b.data.agency.name, "某某市人民政府办公室")
    return Seeded(page, data=b.data)


@dataclass(frozen=True)
class Defect:
    rule: str
    name: str
    fn: Callable[[Base, Page], Seeded | None]
    layouts: tuple[str, ...] = ALL_LAYOUTS
    copies: int = 4


TEXT_ONLY = tuple(x for x in ALL_LAYOUTS if x != "draft")
NOT_MD = tuple(x for x in ALL_LAYOUTS if x != "md")
DEFECTS = (
    Defect("S1", "missing-heading", s1_missing, TEXT_ONLY),
    Defect("S1", "heading-order", s1_order, TEXT_ONLY),
    Defect("S1", "heading-typo", s1_typo, TEXT_ONLY),
    Defect("S1", "heading-numeral", s1_numeral, TEXT_ONLY),
    Defect("S2", "missing-table", s2_table),
    Defect("S2", "label-typo", s2_label, TEXT_ONLY),
    Defect("S3", "no-subsections", s3_none),
    Defect("S4", "no-period", s4_period),
    Defect("S5", "part-count", s5_count),
    Defect("S6", "garbled-title", s6_title),
    Defect("H1", "row-total", h1),
    Defect("H2", "identity", h2),
    Defect("H3", "results-total", h3),
    Defect("H4", "table4-total", h4),
    Defect("H5", "blank-cell", h5),
    Defect("C1", "carry-over", c1),
    Defect("C2", "in-force", c2),
    Defect("P2", "layout-2019", p2, TEXT_ONLY),
    Defect("P1", "township-rules", p1),
    Defect("N1", "received", n1_received),
    Defect("N1", "concluded", n1_concluded),
    Defect("N2", "breakdown", n2_breakdown),
    Defect("N3", "upheld-claim", n3_upheld),
    Defect("N3", "none-claim", n3_none),
    Defect("N4", "in-force-text", n4),
    Defect("N0", "unbound", n0),
    Defect("F1", "no-fee-statement", f1),
    Defect("F2", "notices", f2),
    Defect("F3", "fee-without-notice", f3),
    Defect("Y1", "period", y1_period),
    Defect("Y1", "title-year", y1_title),
    Defect("Y2", "stale-year", y2_stale),
    Defect("Y3", "improvement-year", y3),
    Defect("R1", "placeholder", r1),
    Defect("R2", "markdown", r2, NOT_MD),
    Defect("R3", "half-width", r3),
    Defect("R4", "enumeration", r4),
    Defect("R5", "numbering", r5),
    Defect("D1", "table-vs-data", d1),
    Defect("D2", "agency-vs-data", d2),
    Defect("N5", "fact-figure", n5),
    Defect("N6", "invented-share", n6),
    # Added later, so that the cases before them keep their bases and layouts.
    Defect("C4", "jump", c4),
    Defect("Y4", "copied-narrative", y4),
)
CATEGORY = {rule.id: rule.category for rule in RULES.values()}  # the catalogue's, never spelt again


# --- writing ------------------------------------------------------------------------------------


@dataclass
class Writer:
    manifest: list[dict[str, Any]] = field(default_factory=list)

    def write(
        self,
        case_id: str,
        base: Base,
        seeded: Seeded,
        layout: str,
        kind: str,
        rule: str | None,
        quirk: str = "",
    ) -> None:
        suffix = SUFFIX.get(layout, ".txt")
        path = CASES / f"{case_id}{suffix}"
        if layout == "draft":
            content: str | bytes = page_to_draft(base.draft, seeded.page).to_json()
        else:
            content = render_page(seeded.page, layout)
            if quirk and quirk != "gb18030" and isinstance(content, str):
                content = variant(content, quirk)
        if isinstance(content, str):
            content = content.encode("gb18030" if quirk == "gb18030" else "utf-8")
        path.write_bytes(content)
        entry: dict[str, Any] = {
            "id": case_id,
            "file": f"cases/{path.name}",
            "layout": layout + (f"+{quirk}" if quirk else ""),
            "kind": kind,
            "rule": rule,
            "category": CATEGORY.get(rule or "", None),
            "base": base.name,
            "data": None,
            "previous": None,
            "cells": None,
        }
        if seeded.data is not None:
            entry["data"] = self._json(f"{case_id}.data.json", seeded.data)
        if seeded.previous is not None:
            entry["previous"] = self._json(f"{case_id}.previous.json", seeded.previous)
        if seeded.previous_page is not None:
            name = f"{case_id}.previous.txt"
            (CASES / name).write_text(str(render_page(seeded.previous_page, "txt")), encoding="utf-8")
            entry["previous"] = f"cases/{name}"
        if seeded.cells:
            entry["cells"] = self._json_raw(f"{case_id}.cells.json", expected_cells(seeded.page))
        self.manifest.append(entry)

    def _json(self, name: str, data: ReportData) -> str:
        (CASES / name).write_text(data.model_dump_json(indent=1, exclude_none=True), encoding="utf-8")
        return f"cases/{name}"

    def _json_raw(self, name: str, value: Any) -> str:
        (CASES / name).write_text(json.dumps(value, ensure_ascii=False, default=str), encoding="utf-8")
        return f"cases/{name}"


def main() -> None:
    if CASES.exists():
        shutil.rmtree(CASES)
    CASES.mkdir(parents=True)
    writer = Writer()
    all_bases = bases()
    # Clean: every base in three layouts (rotating), two bases in every layout, quirks, encodings.
    for n, base in enumerate(all_bases):
        layouts = [ALL_LAYOUTS[(n + k * 3) % len(ALL_LAYOUTS)] for k in range(3)]
        if n < 2:
            layouts = list(ALL_LAYOUTS)
        for layout in layouts:
            writer.write(
                f"clean-{base.name}-{layout}", base, Seeded(page_of(base.draft)), layout, "clean", None
            )
    quirks = ("fullwidth", "enum_comma", "halfparens", "spaces", "pagebreak", "gb18030")
    for n, quirk in enumerate(quirks):
        for k, layout in enumerate(("txt", "pipe", "lines", "concat")):
            if quirk == "pagebreak" and layout != "txt":
                continue
            base = all_bases[(n * 4 + k) % len(all_bases)]
            writer.write(
                f"clean-{base.name}-{layout}-{quirk}",
                base,
                Seeded(page_of(base.draft)),
                layout,
                "clean",
                None,
                quirk,
            )
    reference = CASES / "clean-reference-2023.txt"
    shutil.copy(SHARED / "reference" / "2023-daxinganling-green-products-bureau.txt", reference)
    ref_base = next(b for b in all_bases if b.name == "daxinganling-2023")
    writer.manifest.append(
        {
            "id": "clean-reference-2023",
            "file": f"cases/{reference.name}",
            "layout": "txt(published)",
            "kind": "clean",
            "rule": None,
            "category": None,
            "base": ref_base.name,
            "data": None,
            "previous": None,
            "cells": writer._json_raw(
                "clean-reference-2023.cells.json", expected_cells(page_of(ref_base.draft))
            ),
        }
    )
    # Defects: each seeded into several bases and layouts.
    counter = 0
    for defect in DEFECTS:
        made = 0
        for attempt in range(len(all_bases)):
            if made >= defect.copies:
                break
            base = all_bases[(attempt * 5 + counter) % len(all_bases)]
            layout = defect.layouts[(made + counter) % len(defect.layouts)]
            seeded = defect.fn(base, page_of(base.draft))
            if seeded is None:
                continue
            writer.write(
                f"{defect.rule}-{defect.name}-{base.name}-{layout}",
                base,
                seeded,
                layout,
                "defect",
                defect.rule,
            )
            made += 1
        if made == 0:
            raise SystemExit(f"no base allows defect {defect.rule} {defect.name}")
        counter += 1
    (HERE / "manifest.json").write_text(
        json.dumps(writer.manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    kinds = {k: sum(1 for c in writer.manifest if c["kind"] == k) for k in ("clean", "defect")}
    print(f"wrote {len(writer.manifest)} cases ({kinds['clean']} clean, {kinds['defect']} defect) to {CASES}")


if __name__ == "__main__":
    main()
