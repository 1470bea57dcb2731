"""Synthetic reports for the defect corpus, the bench and the tests: consistent random data, real
figures from ``../shared/corpus``, and renderers for every page layout of FORMAT.md §9.

A page is a list of ``PageItem``s (title, headings, paragraphs, tables) taken from a draft, so a
defect can be seeded by editing one item before the page is rendered as text, Markdown, HTML or Word.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import official
from ..chars import fullwidth_digits
from ..data.load import Loaded, validate_raw
from ..data.model import ReportData
from ..document import Draft
from ..draft import draft_report
from ..tables import Cell, Table, render_markdown, render_text
from ..yamlfile import parse_document

AGENCIES = (
    ("大兴安岭地区行政公署绿色产品产业发展局", "我局", "地区绿产局"),
    ("平潭综合实验区管理委员会", "我区", None),
    ("深圳市龙岗区住房和建设局", "我局", "区住建局"),
    ("昌图县七家子镇人民政府", "我镇", None),
    ("杭州市西湖区人民政府办公室", "我办", None),
    ("宁波市自然资源和规划局", "我局", "市自然资源规划局"),
    ("成都市武侯区教育局", "我局", None),
    ("江西省交通运输厅", "我厅", None),
    ("苏州市市场监督管理局", "我局", None),
    ("长沙县人力资源和社会保障局", "本机关", None),
)

FACT_POOL: dict[str, tuple[str, ...]] = {
    "active": (
        "通过门户网站主动公开政府信息{n}条",
        "发布政策解读{m}篇，采用图解、视频等形式",
        "及时更新政府信息公开指南和目录",
        "在政务新媒体发布信息{k}条",
    ),
    "on_request": (
        "规范接收、登记、办理、答复、归档流程",
        "指定专人负责受理政府信息公开申请",
        "所有申请均在法定期限内答复",
    ),
    "management": (
        "落实“先审查、后公开”和三级审核制度",
        "开展规范性文件清理",
        "严格公开前保密审查",
    ),
    "platforms": (
        "以政府网站为第一平台，优化政府信息公开专栏",
        "整合政务新媒体账号{j}个",
        "在政务服务大厅设置信息公开查阅点",
    ),
    "oversight": (
        "将政务公开纳入年度绩效考核",
        "组织政务公开业务培训{j}次",
        "未发生责任追究情况",
    ),
    "problems": (
        "政策解读形式较为单一",
        "公开内容的深度和广度有待提升",
        "工作人员多为兼职，队伍不够稳定",
    ),
    "improvements": (
        "丰富图解、视频等解读形式",
        "加强业务培训，提升队伍能力",
        "深化重点领域信息公开",
    ),
    "other": ("人大代表建议和政协提案办理结果均已按要求公开",),
}


def _split(total: int, parts: int, rng: random.Random, skew: float = 0.7) -> list[int]:
    """``total`` spread over ``parts`` cells, most of it in the first (自然人 dominates)."""
    out = [0] * parts
    for _ in range(total):
        out[0 if rng.random() < skew else rng.randrange(parts)] += 1
    return out


def random_data(
    seed: int, *, year: int | None = None, previous: bool = False, scale: int | None = None
) -> ReportData:
    """A consistent data set (every cross-sum holds) of realistic shape."""
    rng = random.Random(seed)
    year = year or rng.choice((2022, 2023, 2024) if previous else (2021, 2022, 2023, 2024))
    name, self_ref, short = AGENCIES[rng.randrange(len(AGENCIES))]
    scale = scale if scale is not None else rng.choice((0, 0, 3, 12, 40, 150))
    keys = official.TABLE3_COLUMN_KEYS

    def applicants(values: list[int]) -> dict[str, int]:
        return dict(zip(keys, values, strict=True))

    new = _split(scale, 6, rng)
    carried = _split(rng.choice((0, 0, 1, 2)) if scale else 0, 6, rng, 0.9)
    handled = [a + b for a, b in zip(new, carried, strict=True)]
    forward = [min(h, rng.choice((0, 0, 0, 1))) for h in handled]
    leaves = [r.path for r in official.TABLE3_RESULT_LEAVES]
    weights = [8, 3] + [0.2] * 8 + [4, 0.5, 0.5] + [0.5] * 5 + [0.5, 0.2, 0.8]
    results: dict[str, list[int]] = {p: [0] * 6 for p in leaves}
    for col in range(6):
        for _ in range(handled[col] - forward[col]):
            path = rng.choices(leaves, weights)[0]
            results[path][col] += 1
    overdue_fee = sum(results["other_handling.overdue_fee"])
    notices = overdue_fee + (rng.choice((0, 0, 1, 2)) if scale else 0)
    billed = Decimal(rng.choice((100, 200, 300))) * notices
    collected = billed if notices and rng.random() < 0.5 else Decimal(0)
    table3: dict[str, Any] = {"new": applicants(new), "carried_over": applicants(carried)}
    for path in leaves:
        node = table3
        *parents, leaf = path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = applicants(results[path])
    table3["carry_forward"] = applicants(forward)

    def outcomes() -> dict[str, int]:
        if rng.random() < 0.6:
            return {"upheld": 0, "corrected": 0, "other": 0, "pending": 0}
        return {
            "upheld": rng.choice((0, 1, 2)),
            "corrected": rng.choice((0, 0, 1)),
            "other": rng.choice((0, 0, 1)),
            "pending": rng.choice((0, 0, 1)),
        }

    issued, repealed = rng.choice((0, 2, 5, 12)), rng.choice((0, 1, 3))
    facts: dict[str, list[str]] = {}
    for topic, pool in FACT_POOL.items():
        chosen = rng.sample(pool, k=min(len(pool), rng.choice((1, 2, 3))))
        facts[topic] = [
            c.format(
                n=rng.randint(20, 900), m=rng.randint(2, 30), k=rng.randint(10, 400), j=rng.randint(2, 9)
            )
            for c in chosen
        ]
    if rng.random() < 0.2:
        facts["other"] = []
    raw: dict[str, Any] = {
        "agency": {"name": name, "self_reference": self_ref, "short_name": short},
        "year": year,
        "published": dt.date(year + 1, 1, 20),
        "table2": {
            "rules": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative": {
                "issued": issued,
                "repealed": repealed,
                "in_force": issued + rng.randint(repealed, 80),
            },
            "licensing": rng.choice((0, 0, 12, 356, 2293)),
            "penalty": rng.choice((0, 3, 41, 1282)),
            "coercion": rng.choice((0, 0, 2, 42)),
            "admin_fees": rng.choice((Decimal(0), Decimal(0), Decimal("12.5"), Decimal("9116.36"))),
        },
        "table3": table3,
        "table4": {
            "review": outcomes(),
            "litigation_direct": outcomes(),
            "litigation_after_review": outcomes(),
        },
        "fees": {"notices": notices, "billed": billed, "collected": collected},
        "facts": facts,
    }
    if previous:
        last_forward = carried
        raw["previous"] = {
            "year": year - 1,
            "table2": {
                **raw["table2"],
                "normative": {
                    "issued": 1,
                    "repealed": 0,
                    "in_force": raw["table2"]["normative"]["in_force"] - issued + repealed,
                },
            },
        }
        prev3 = random_data(seed + 1000, year=year - 1).table3.model_dump(mode="python")
        prev3["carry_forward"] = applicants(last_forward)
        prev3["results_total"] = None
        # keep last year's own columns balanced: put the difference into 新收
        prev_data = _rebalance(prev3)
        raw["previous"]["table3"] = prev_data
    return validate_raw(raw, f"synthetic-{seed}").data


def _rebalance(t3: dict[str, Any]) -> dict[str, Any]:
    """Make 一 + 二 = （七） + 四 hold in every column by adjusting 一 (never below 0)."""
    for key in official.TABLE3_COLUMN_KEYS:
        done = sum(_leaf_value(t3, r.path, key) for r in official.TABLE3_RESULT_LEAVES)
        need = done + t3["carry_forward"][key] - t3["carried_over"][key]
        if need < 0:
            t3["carried_over"][key] -= need
            need = 0
        t3["new"][key] = need
    return t3


def _leaf_value(t3: dict[str, Any], path: str, key: str) -> int:
    node: Any = t3
    for p in path.split("."):
        node = node[p]
    return int(node[key])


def corpus_data(path: Path) -> ReportData:
    """A data set from the real figures of ``../shared/corpus/real-*.yaml``; rows the published
    excerpt did not show are completed so that the cross-sums hold (marked as synthetic)."""
    raw, _ = parse_document(path.read_text(encoding="utf-8"), str(path), ".yaml")
    t2 = raw["table2"]
    g1, g5, g6, g8 = (t2[g.heading] for g in official.TABLE2_GROUPS)
    keys = official.TABLE3_COLUMN_KEYS
    rows = {k: v for k, v in (raw.get("table3") or {}).get("rows", {}).items()}
    by_label = {r.cells_label: r for r in official.TABLE3_ROWS}
    table3: dict[str, Any] = {}
    for label, values in rows.items():
        spec = by_label[label]
        if spec.path == "results_total":
            continue
        node = table3
        *parents, leaf = spec.path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = dict(zip(keys, values[:6], strict=True))
    for spec in official.TABLE3_ROWS:
        if spec.path == "results_total":
            continue
        node = table3
        *parents, leaf = spec.path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node.setdefault(leaf, dict.fromkeys(keys, 0))
    if "（七）总计" not in rows:
        table3 = _rebalance_forward(table3)
    t4 = raw.get("table4") or [0] * 15
    table4 = {
        block: dict(zip(("upheld", "corrected", "other", "pending"), t4[n * 5 : n * 5 + 4], strict=True))
        for n, (block, _) in enumerate(official.TABLE4_BLOCKS)
    }
    agency = str(raw["agency"]).split("（")[0]
    data = {
        "agency": {"name": agency, "self_reference": "本机关" if "镇" not in agency else "我镇"},
        "year": raw["year"],
        "table2": {
            "rules": _counts(g1["规章"]),
            "normative": _counts(g1["行政规范性文件"]),
            "licensing": g5["行政许可"]["本年处理决定数量"],
            "penalty": g6["行政处罚"]["本年处理决定数量"],
            "coercion": g6["行政强制"]["本年处理决定数量"],
            "admin_fees": Decimal(str(g8["行政事业性收费"]["本年收费金额（单位：万元）"])),
        },
        "table3": table3,
        "table4": table4,
        "fees": {"notices": 0, "billed": 0, "collected": 0},
        "facts": {topic: list(pool[:2]) for topic, pool in FACT_POOL.items() if "{" not in "".join(pool[:2])},
    }
    return validate_raw(data, str(path)).data


def _rebalance_forward(t3: dict[str, Any]) -> dict[str, Any]:
    for key in official.TABLE3_COLUMN_KEYS:
        done = sum(_leaf_value(t3, r.path, key) for r in official.TABLE3_RESULT_LEAVES)
        rest = t3["new"][key] + t3["carried_over"][key] - done
        if rest >= 0:
            t3["carry_forward"][key] = rest
        else:
            t3["new"][key] -= rest
    return t3


def _counts(d: dict[str, int]) -> dict[str, int]:
    return {"issued": d["本年制发件数"], "repealed": d["本年废止件数"], "in_force": d["现行有效件数"]}


def make_draft(data: ReportData, source: str = "synthetic") -> Draft:
    return draft_report(Loaded(source, data), now=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))


# --- pages -----------------------------------------------------------------------------------


@dataclass
class PageItem:
    kind: str  # title / heading / subheading / paragraph / table
    text: str = ""
    table: Table | None = None
    part: str = ""  # the part a heading or table belongs to


@dataclass
class Page:
    items: list[PageItem] = field(default_factory=list)

    def tables(self) -> dict[str, Table]:
        return {i.table.id: i.table for i in self.items if i.table is not None}


def page_of(draft: Draft) -> Page:
    """The draft in reading order, as items a defect can edit."""
    page = Page([PageItem("title", draft.title)])
    page.items += [PageItem("paragraph", p) for p in draft.preamble]
    by_part: dict[str, list[Any]] = {}
    for spec in official.NARRATIVE_SECTIONS:
        by_part.setdefault(spec.part, []).append(draft.section(spec.id))
    for part in official.PARTS:
        page.items.append(PageItem("heading", part.heading, part=part.id))
        if part.table:
            page.items.append(PageItem("table", table=draft.table(part.table), part=part.id))
        for section in by_part.get(part.id, []):
            if section.title:
                page.items.append(PageItem("subheading", section.title, part=part.id))
            page.items += [PageItem("paragraph", p, part=part.id) for p in section.paragraphs]
    return page


def expected_cells(page: Page) -> dict[str, Any]:
    """What ``import --format cells`` must read from this page's tables."""
    t = page.tables()
    out: dict[str, Any] = {"table2": None, "table3": None, "table4": None}
    if "table2" in t:
        values = t["table2"].values
        t2: dict[str, dict[str, Any]] = {}
        for group in official.TABLE2_GROUPS:
            for key, label in group.rows:
                v = values.get(key)
                if isinstance(v, dict):
                    t2[label] = {c: _json_num(v.get(k)) for k, c in group.columns}
                else:
                    t2[label] = {group.columns[0][1]: _json_num(v)}
        out["table2"] = t2
    if "table3" in t:
        out["table3"] = {"rows": dict(t["table3"].values)}
    if "table4" in t:
        out["table4"] = list(t["table4"].values["row"])
    return out


def _json_num(value: Any) -> int | float | None:
    if value is None:
        return None
    d = Decimal(str(value))
    return int(d) if d == d.to_integral_value() else float(d)


def set_cell(table: Table, row: int, col: int, value: int | None) -> Table:
    """``table`` with the ``col``-th number of body row ``row`` replaced (None = a blank cell);
    its values follow, so the expected cells stay true to the page."""
    body = [list(r) for r in table.body]
    numbers = [i for i, c in enumerate(body[row]) if c.kind == "number"]
    idx = numbers[col]
    body[row][idx] = replace(body[row][idx], text="" if value is None else str(value))
    values = {k: (list(v) if isinstance(v, list) else v) for k, v in table.values.items()}
    if table.id == "table3":
        label = official.TABLE3_ROWS[row].cells_label
        values[label][col] = value
    elif table.id == "table4":
        values["row"][col] = value
    return Table(
        table.id,
        table.part,
        table.n_cols,
        table.header,
        tuple(tuple(r) for r in body),
        table.label_cols,
        values,
    )


# --- renderers -------------------------------------------------------------------------------

# ``apart``: a PDF converted to Markdown with 表三's labels and numbers printed apart; ``portal``: the
# report as a government portal publishes it (see ``_portal``).
TEXT_LAYOUTS = ("txt", "md", "pipe", "lines", "paragraphs", "concat", "html", "apart", "portal")
LAYOUTS = (*TEXT_LAYOUTS, "docx")


def _labels_and_numbers(table: Table) -> list[tuple[list[str], list[str]]]:
    """Each body row as (its label cells, its number cells), merged labels only where they start."""
    out = []
    for row in table.grid(table.body):
        labels = [c.text for c in row if c is not None and c.kind != "number" and c.text]
        numbers = [c.text for c in row if c is not None and c.kind == "number"]
        out.append((labels, numbers))
    return out


def _header_texts(table: Table) -> list[str]:
    return [c.text for row in table.header for c in row]


def _table_pipe(table: Table) -> str:
    lines = []
    if table.header:
        lines.append("| " + " | ".join(_header_texts(table)) + " |")
    for labels, numbers in _labels_and_numbers(table):
        lines.append(" | ".join([*labels, *numbers]) + " |")
    return "\n".join(lines)


def _table_lines(table: Table) -> str:
    lines = []
    for text in _header_texts(table):
        lines += [text, "|"]
    for labels, numbers in _labels_and_numbers(table):
        for text in [*labels, *numbers]:
            if text:
                lines.append(text)
            lines.append("|")
    return "\n".join(lines)


def _table_paragraphs(table: Table) -> str:
    paras = []
    for text in _header_texts(table):
        paras += [w for w in text.split("或其他") if w] if text == official.TABLE3_LEGAL_PERSONS else [text]
    for labels, numbers in _labels_and_numbers(table):
        for text in labels:
            if text.startswith("（") and "）" in text and table.id == "table3":
                head, rest = text.split("）", 1)
                paras += [head.replace("（", "(") + ")", rest] if rest else [text]
            else:
                paras.append(text)
        paras += [" " + n for n in numbers]
    return "\n\n".join(paras)


def _table_concat(table: Table) -> str:
    lines: list[str] = []
    if table.id == "table4":
        lines += _header_texts(table)
        lines.append("".join(n for _, numbers in _labels_and_numbers(table) for n in numbers))
        return "\n".join(lines)
    if table.header:
        lines.append(" ".join(_header_texts(table)))
    previous_leaf = False
    for labels, numbers in _labels_and_numbers(table):
        text = "".join(labels)
        digits = "".join(numbers)
        if not numbers:
            lines.append(text)
            previous_leaf = False
            continue
        is_leaf = table.id == "table3" and labels and labels[-1][:1].isdigit() and labels[-1][0] != "1"
        if is_leaf and previous_leaf and lines:
            lines[-1] += text + digits  # ``…72.没有现成信息…`` : the next row glued on
        else:
            lines.append(f"{text} {digits}")
        previous_leaf = bool(labels) and labels[-1][:1].isdigit()
    return "\n".join(lines)


def _table_html(table: Table) -> str:
    rows = []
    for row in (*table.header, *table.body):
        cells = []
        for c in row:
            span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            )
            text = html_lib.escape(c.text) if c.text else "&nbsp;"
            cells.append(f"<td{span}>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1">' + "".join(rows) + "</table>"


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def _table_apart(table: Table) -> str:
    """表三 as a PDF-to-Markdown converter leaves it when it loses the table's grid: a row whose
    label fits its cell comes out as a pipe row; a longer label as plain lines wrapped at the cell's
    width, its numbers later as a pipe table of their own after the next row that came out whole —
    labels and numbers each in order, their pairing lost. The header's words are wrapped lines too."""
    if table.id != "table3":
        return render_markdown(table)
    lines = [piece for text in _header_texts(table) for piece in _wrap(text, 8)]
    pending: list[list[str]] = []
    for labels, numbers in _labels_and_numbers(table):
        lines += [piece for text in labels[:-1] for piece in _wrap(text, 10)]  # group labels
        if not numbers:
            lines += _wrap(labels[-1], 10) if labels else []
            continue
        label = labels[-1]
        if len(label) > 12:
            lines += _wrap(label, 10)
            pending.append(numbers)
            continue
        lines.append("| " + " | ".join([label, *numbers]) + " |")
        lines += _orphan_rows(pending)
        pending = []
    return "\n".join(lines + _orphan_rows(pending))


def _orphan_rows(rows: list[list[str]]) -> list[str]:
    """Rows of numbers each printed as a pipe table of its own, as the converter leaves them."""
    return [
        line for numbers in rows for line in ("| " + " | ".join(numbers) + " |", "|" + "---|" * len(numbers))
    ]


_TABLE_RENDERERS = {
    "txt": render_text,
    "md": render_markdown,
    "pipe": _table_pipe,
    "lines": _table_lines,
    "paragraphs": _table_paragraphs,
    "concat": _table_concat,
    "apart": _table_apart,
}


def render_page(page: Page, layout: str) -> str | bytes:
    """The page in one layout: text for txt/md/pipe/lines/paragraphs/concat/html, bytes for docx."""
    if layout == "docx":
        return _docx(page)
    if layout in _WEB_PAGES:
        return _WEB_PAGES[layout].render(page)
    table_text = _TABLE_RENDERERS[layout]
    markdown = layout in ("md", "apart")
    out = []
    for item in page.items:
        if item.table is not None:
            out.append(table_text(item.table))
        elif markdown and item.kind == "title":
            out.append(f"# {item.text}")
        elif markdown and item.kind == "heading":
            out.append(f"## {item.text}")
        elif markdown and item.kind == "subheading":
            out.append(f"### {item.text}")
        elif item.kind == "paragraph" and not markdown:
            out.append("　　" + item.text)
        else:
            out.append(item.text)
    return "\n\n".join(out) + "\n"


@dataclass(frozen=True)
class _WebPage:
    """A web page around the report (``html``: a bare page; ``portal``: as a government portal
    publishes it): what its ``<head>`` and ``<body>`` hold besides the report, and how each item of
    the report is written."""

    title_suffix: str  # after the report's title in ``<title>``
    head: str
    top: str  # the page before the report
    bottom: str  # and after it
    table: Callable[[Table], str]
    title: Callable[[str], str]
    heading: Callable[[str], str]
    text: Callable[[str], str]  # a paragraph, or any item of another kind

    def render(self, page: Page) -> str:
        body = []
        for item in page.items:
            if item.table is not None:
                body.append(self.table(item.table))
            else:
                write = {"title": self.title, "heading": self.heading}.get(item.kind, self.text)
                body.append(write(item.text))
        title = next((i.text for i in page.items if i.kind == "title"), "")
        return (
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html_lib.escape(title)}'
            f"{self.title_suffix}</title>{self.head}</head><body>{self.top}"
            + "".join(body)
            + f"{self.bottom}</body></html>\n"
        )


_PORTAL_TOP = (
    '<div class="top"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政府信息公开</a></li>'
    '<li><a href="/ldzc/">领导之窗</a></li><li><a href="/zfgzbg/">政府工作报告</a></li>'
    '<li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>'
    '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; 年度报告</div>'
)
_PORTAL_BOTTOM = (
    '<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>'
    '<div class="files">附件下载：</div></td></tr></table>'
    '<div class="footer"><p>主办单位：示例市人民政府办公室　联系我们　网站地图</p>'
    "<p>网站标识码：0000000000　ICP备00000000号</p></div>"
)


def _spans(text: str) -> str:
    """Text as a word processor's export splits it: runs of ten characters each in a ``<span>``,
    numbers cut across spans wherever the run ends."""
    return "".join(f"<span>{html_lib.escape(piece)}</span>" for piece in _wrap(text, 10))


def _portal_cell(c: Cell) -> str:
    span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
        f' colspan="{c.colspan}"' if c.colspan > 1 else ""
    )
    if c.kind == "number":
        digits = "".join(f"<span>{d}</span>" for d in c.text) or "&nbsp;"
        content = f"<p><br/></p><p>{digits}</p><p>&nbsp;</p>"
    elif len(c.text) > 12:
        half = len(c.text) // 2
        content = (
            f"<p><span>{html_lib.escape(c.text[:half])}</span></p><p>{html_lib.escape(c.text[half:])}</p>"
        )
    elif len(c.text) > 6:
        content = f"<p>{html_lib.escape(c.text[:4])}<br/>{html_lib.escape(c.text[4:])}</p>"
    else:
        content = f"<p>{html_lib.escape(c.text) or '&nbsp;'}</p>"
    return f'<td valign="center" width="66"{span}>{content}</td>'


def _portal_table(table: Table) -> str:
    rows = ["<tr>" + "".join(_portal_cell(c) for c in row) + "</tr>" for row in (*table.header, *table.body)]
    return (
        '<div align="center"><table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">'
        "<tbody>" + "".join(rows) + "</tbody></table></div>"
    )


_WEB_PAGES = {
    "html": _WebPage(
        title_suffix="",
        head="",
        top='<div class="nav">当前位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>',
        bottom="",
        table=_table_html,
        title=lambda text: f"<h1>{html_lib.escape(text)}</h1>",
        heading=lambda text: f"<p><strong>{html_lib.escape(text)}</strong></p>",
        text=lambda text: f"<p>{html_lib.escape(text)}</p>",
    ),
    # The site's navigation, breadcrumbs and footer around the report, the report inside a layout
    # table, a ``<title>`` with the site's name after it, text in ``<p>``/``<span>`` with ``&nbsp;``
    # padding, long table labels broken over ``<p>``s and ``<br>``, numbers split over ``<span>``s
    # and padded with empty ``<p>``s (as a word processor's HTML export leaves them), merged cells
    # as rowspan/colspan.
    "portal": _WebPage(
        title_suffix="_年度报告_示例市人民政府",
        head="<script>var site = {nav: 1};</script>",
        top=_PORTAL_TOP
        + '<table class="layout" width="100%"><tr><td width="20%"><ul><li>政府信息公开指南</li>'
        + '<li>政府信息公开制度</li><li>政府信息公开年报</li></ul></td><td><div class="content">',
        bottom="</div>" + _PORTAL_BOTTOM,
        table=_portal_table,
        title=lambda text: (
            f'<div class="article-title"><h2>{html_lib.escape(text)}</h2></div>'
            '<div class="info">发布时间：2025-01-20　来源：本网　字号：<a>大</a> <a>中</a> <a>小</a></div>'
        ),
        heading=lambda text: (
            f'<p style="text-indent:2em"><strong><span>{html_lib.escape(text)}</span></strong></p>'
        ),
        text=lambda text: f'<p style="text-indent:2em">&nbsp;{_spans(text)}</p>',
    ),
}


def _docx(page: Page) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.author = "drafting"
    for item in page.items:
        if item.table is not None:
            _docx_table(document, item.table)
        elif item.kind == "title":
            document.add_heading(item.text, level=0)
        elif item.kind == "heading":
            document.add_heading(item.text, level=1)
        else:
            document.add_paragraph(item.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_table(document: Any, table: Table) -> None:
    rows = (*table.header, *table.body)
    grid = table.grid(rows)
    out = document.add_table(rows=len(grid), cols=table.n_cols)
    placed: list[tuple[int, int, Cell]] = []
    for r, line in enumerate(grid):
        for c, cell in enumerate(line):
            if cell is not None:
                placed.append((r, c, cell))
    for r, c, cell in placed:
        target = out.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(out.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        target.text = cell.text


# --- variants of a rendered page (FORMAT.md §9 "also expect") ---------------------------------


def variant(text: str, name: str) -> str:
    """A page's text with one real-world quirk: full-width digits in the tables, ``1、`` numbering,
    half-width parentheses in labels, stray spaces inside labels, a page break that repeats the
    header and a group label inside 表三."""
    if name == "fullwidth":
        return _in_tables(text, lambda line: fullwidth_digits(line))
    if name == "enum_comma":
        return _in_tables(text, lambda line: _re.sub(r"(?<![\d.])([1-8])\.(?=\D)", r"\1、", line))
    if name == "halfparens":
        return _in_tables(text, lambda line: line.replace("（", "(").replace("）", ")"))
    if name == "spaces":
        return (
            text.replace("商业企业", "商业 企业")
            .replace("属于国家秘密", "属于 国家秘密")
            .replace("本年新收政府信息公开申请数量", "本年新收政府信息 公开申请数量")
        )
    if name == "pagebreak":
        marker = "5.属于三类内部事务信息"
        at = text.find(marker)
        if at < 0:
            return text
        start = text.rfind("\n", 0, at) + 1
        repeat = f"\n第 2 页\n{official.TABLE3_APPLICANTS}\n（三）不予公开"
        line = text[start : text.find("\n", at)]
        cells = line.split("\t")
        if len(cells) > 3:
            line = "\t".join(["", "（三）不予公开", *cells[2:]])
        return text[:start] + repeat.lstrip("\n") + "\n" + line + text[text.find("\n", at) :]
    raise ValueError(name)


import re as _re  # noqa: E402 - kept beside the variants that use it


def _in_tables(text: str, fn: Any) -> str:
    """Apply ``fn`` to table lines only (lines that hold tabs, pipes or no sentence mark)."""
    out = []
    for line in text.split("\n"):
        is_table = ("\t" in line or "|" in line or "。" not in line) and not line.startswith(("　　", "#"))
        heading = _re.match(r"^[一二三四五六]、[^\t]*情况$|^[一二三四五六]、其他需要报告的事项$", line)
        out.append(fn(line) if is_table and not heading else line)
    return "\n".join(out)


def table2_2019(data: ReportData) -> Table:
    """表二 in the 2019 试行 layout, from 2021 figures (for reports printed in the outdated format)."""
    t = data.table2
    rows = {
        "rules": (t.rules.issued, t.rules.issued, t.rules.in_force),
        "normative": (t.normative.issued, t.normative.issued, t.normative.in_force),
        "licensing": (t.licensing, 0, t.licensing),
        "other_services": (0, 0, 0),
        "penalty": (t.penalty, 0, t.penalty),
        "coercion": (t.coercion, 0, t.coercion),
        "admin_fees": (1, 0),
        "procurement": (0, 0),
    }
    body: list[tuple[Cell, ...]] = []
    for group in official.TABLE2_2019_GROUPS:
        body.append((Cell(group.heading, "header", colspan=4),))
        head = [
            Cell(official.TABLE2_INFO_HEADER, "header"),
            *(Cell(label, "header") for _, label in group.columns),
        ]
        if len(head) < 4:
            head[-1] = replace(head[-1], colspan=4 - len(head) + 1)
        body.append(tuple(head))
        for key, label in group.rows:
            values = [Cell(str(v), "number") for v in rows[key]]
            if len(values) < 3:
                values[-1] = replace(values[-1], colspan=3 - len(values) + 1)
            body.append((Cell(label), *values))
    return Table("table2", official.PARTS[1].heading, 4, (), tuple(body), 1, {})


def table3_2019(table: Table) -> Table:
    """表三 with （六）其他处理 as the single row of the 2019 format."""
    body = list(table.body)
    rows = list(official.TABLE3_ROWS)
    first = next(i for i, r in enumerate(rows) if r.path.startswith("other_handling."))
    idx = [i for i, r in enumerate(rows) if r.path.startswith("other_handling.")]
    sums = [0] * 7
    for i in idx:
        numbers = [c for c in body[i] if c.kind == "number"]
        for k, c in enumerate(numbers):
            sums[k] += int(c.text)
    merged = (
        Cell(official.TABLE3_GROUPS["other_handling"], colspan=2),
        *(Cell(str(v), "number") for v in sums),
    )
    new_body = [*body[:first], merged, *body[idx[-1] + 1 :]]
    # the 三、本年度办理结果 label spans two fewer rows now
    head = new_body[2]
    new_body[2] = (replace(head[0], rowspan=head[0].rowspan - 2), *head[1:])
    values = {
        k: v for k, v in table.values.items() if not k.startswith(official.TABLE3_GROUPS["other_handling"])
    }
    values[official.TABLE3_GROUPS["other_handling"]] = sums
    return Table(table.id, table.part, table.n_cols, table.header, tuple(new_body), table.label_cols, values)


def page_to_draft(draft: Draft, page: Page) -> Draft:
    """The draft with the page's text and tables (headings stay official: a draft cannot misspell
    them). Used to seed a defect into a ``.draft.json``."""
    preamble: list[str] = []
    sections: dict[str, list[str]] = {s.id: [] for s in draft.sections}
    part = None
    current = ""
    for item in page.items:
        if item.kind == "heading":
            part = item.part
            current = {"overview": "overview", "problems_improvements": "problems", "other": "other"}.get(
                part or "", ""
            )
        elif item.kind == "subheading" and part == "problems_improvements":
            current = "improvements" if "改进" in item.text else "problems"
        elif item.kind == "paragraph":
            if part is None:
                preamble.append(item.text)
            elif current:
                sections[current].append(item.text)
    title = next((i.text for i in page.items if i.kind == "title"), draft.title)
    tables = dict(draft.tables)
    for t in page.tables().values():
        tables[t.id] = t.as_dict()
    new_sections = [s.model_copy(update={"paragraphs": sections[s.id]}) for s in draft.sections]
    return draft.model_copy(
        update={"title": title, "preamble": preamble, "sections": new_sections, "tables": tables}
    )
