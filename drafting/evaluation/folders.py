"""Folders of published reports as a reviewer receives them, built from our own renderings, for the
reviewer mode's tests and bench: every page layout (``synthetic.LAYOUTS``), our Word writer's
documents and PDFs made from them, agencies of every level, known defects, year-over-year pairs, a
narrative copied from last year, and a file that cannot be read.

Each report's narrative is our offline draft's (its sentences bound to the report's own figures)
with sentences of the genre added to every paragraph (``similar_pairs.sentence``), drawn for that
report alone — so two reports, even one agency's two years, share only the template's and the
official phrases, as real reports do, and only a report built to copy last year's does.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import official
from ..data.load import validate_raw
from ..data.model import ReportData
from .similar_pairs import sentence
from .synthetic import LAYOUTS, Page, make_draft, page_of, random_data, render_page, set_cell

SUFFIX = {"md": ".md", "html": ".html", "docx": ".docx", "writer": ".docx", "pdf": ".pdf"}
ALL_LAYOUTS = (*LAYOUTS, "writer", "pdf")  # writer: our own .docx; pdf: LibreOffice's of it


@dataclass(frozen=True)
class Agency:
    name: str
    self_reference: str
    region: str
    level: str


AGENCIES = (
    Agency("江州市人民政府", "我市", "江州市", "市"),
    Agency("江州市青山区人民政府", "我区", "江州市青山区", "县"),
    Agency("江州市青山区教育局", "我局", "江州市青山区", "部门"),
    Agency("江州市青山区石门镇人民政府", "我镇", "江州市青山区", "乡镇"),
    Agency("江州市交通运输局", "我局", "江州市", "部门"),
    Agency("临川县人民政府", "我县", "临川县", "县"),
    Agency("临川县卫生健康局", "我局", "临川县", "部门"),
    Agency("临川县白沙乡人民政府", "我乡", "临川县", "乡镇"),
)


@dataclass
class Planned:
    """One file of a built folder and what a review must find in it."""

    file: str  # its path under the folder
    agency: Agency
    year: int
    layout: str
    errors: tuple[str, ...] = ()  # rules of the errors seeded into it
    role: str = ""  # pair-last / pair-this / copied-last / copied / unreadable


@dataclass
class BuiltFolder:
    root: Path
    reports: list[Planned] = field(default_factory=list)

    def planned(self, file: str) -> Planned:
        return next(p for p in self.reports if p.file == file)


# --- data ------------------------------------------------------------------------------------------


def report_data(agency: Agency, year: int, seed: int, scale: int = 40) -> ReportData:
    """Consistent figures (every cross-sum holds) for ``agency``'s report of ``year``."""
    data = random_data(seed, year=year, scale=scale)
    raw = data.model_dump(mode="python")
    raw["agency"] = {"name": agency.name, "self_reference": agency.self_reference}
    return validate_raw(raw, f"{agency.name}-{year}").data


def last_year(data: ReportData, *, carry_mismatch: int = 0) -> ReportData:
    """The same agency's figures a year earlier, from which ``data`` follows on: its 结转下年度 is
    this year's 上年结转 (``carry_mismatch`` added to its 自然人, to break C1), its 现行有效件数 this
    year's before this year's 制发 and 废止; its 新收 balances its own columns."""
    raw: dict[str, Any] = data.model_dump(mode="python")
    raw["year"] = data.year - 1
    if data.published is not None:
        raw["published"] = data.published.replace(year=data.published.year - 1)
    t3 = raw["table3"]
    forward = data.table3.carried_over.model_dump(exclude={"total"})
    forward["natural"] += carry_mismatch
    t3["carry_forward"] = forward
    t3["results_total"] = None
    for key in official.TABLE3_COLUMN_KEYS:
        done = sum(_leaf(t3, spec.path)[key] for spec in official.TABLE3_RESULT_LEAVES)
        need = done + forward[key] - t3["carried_over"][key]
        if need < 0:
            t3["carried_over"][key] -= need
            need = 0
        t3["new"][key] = need
    _drop_totals(t3)
    n = data.table2.normative
    raw["table2"]["normative"] = {
        "issued": n.issued,
        "repealed": n.repealed,
        "in_force": max(0, n.in_force - n.issued + n.repealed),
    }
    raw.pop("previous", None)
    return validate_raw(raw, f"{data.agency.name}-{data.year - 1}").data


def _leaf(t3: dict[str, Any], path: str) -> dict[str, int]:
    node: Any = t3
    for part in path.split("."):
        node = node[part]
    leaf: dict[str, int] = node
    return leaf


def _drop_totals(node: Any) -> None:
    if isinstance(node, dict):
        node.pop("total", None)
        for value in node.values():
            _drop_totals(value)


# --- pages -----------------------------------------------------------------------------------------


def page(data: ReportData, rng: random.Random) -> Page:
    """Our offline draft of ``data``, each narrative paragraph lengthened by sentences of its own."""
    out = page_of(make_draft(data))
    items = []
    for item in out.items:
        if item.kind == "paragraph" and item.part in ("overview", "problems_improvements"):
            extra = "".join(sentence(rng) for _ in range(4 if item.part == "overview" else 3))
            item = replace(item, text=item.text + extra)
        items.append(item)
    return Page(items)


def with_error(p: Page, rule: str) -> Page:
    """``p`` with one seeded error: H1 (a row's 总计), H4 (a 表四 总计), N1 (the narrative's count of
    new applications one more than 表三's)."""
    items = list(p.items)
    if rule == "N1":
        for n, item in enumerate(items):
            m = re.search(r"新收政府信息公开申请(\d+)件", item.text)
            if item.kind == "paragraph" and m is not None:
                text = item.text[: m.start(1)] + str(int(m.group(1)) + 1) + item.text[m.end(1) :]
                items[n] = replace(item, text=text)
                return Page(items)
    for n, item in enumerate(items):
        t = item.table
        if t is None:
            continue
        if rule == "H1" and t.id == "table3":
            row = next(k for k, spec in enumerate(official.TABLE3_ROWS) if spec.path == "disclosed")
            total = t.values[official.TABLE3_ROWS[row].cells_label][6]
            items[n] = replace(item, table=set_cell(t, row, 6, total + 3))
            return Page(items)
        if rule == "H4" and t.id == "table4":
            items[n] = replace(item, table=set_cell(t, 0, 4, t.values["row"][4] + 2))
            return Page(items)
    raise ValueError(rule)


def write_page(p: Page, data: ReportData, path: Path, layout: str) -> Path:
    """``p`` in ``layout`` at ``path`` (its suffix set by the layout); ``pdf`` is written as our
    .docx, to be converted by ``convert_pdfs``."""
    path = path.with_suffix(SUFFIX.get(layout, ".txt"))
    path.parent.mkdir(parents=True, exist_ok=True)
    if layout in ("writer", "pdf"):
        from ..writers import render

        draft = make_draft(data)
        draft = _page_into(draft, p)
        content: str | bytes = render(draft, "docx")
        if layout == "pdf":
            path = path.with_suffix(".docx-for-pdf")
    else:
        content = render_page(p, layout)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _page_into(draft: Any, p: Page) -> Any:
    from .synthetic import page_to_draft

    return page_to_draft(draft, p)


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_pdfs(root: Path) -> int:
    """Every ``*.docx-for-pdf`` under ``root`` made a PDF by LibreOffice, in one run of it (each run
    starts LibreOffice afresh: seconds). Returns how many were made."""
    pending = sorted(root.rglob("*.docx-for-pdf"))
    office = libreoffice()
    if not pending or office is None:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        names = {}
        for n, src in enumerate(pending):
            name = f"f{n}.docx"
            shutil.copy(src, work / name)
            names[f"f{n}.pdf"] = src.with_suffix(".pdf")
        profile = work / "profile"
        subprocess.run(
            [
                office,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work / "out"),
                *sorted(str(work / f"f{n}.docx") for n in range(len(pending))),
            ],
            check=True,
            capture_output=True,
            timeout=60 + 5 * len(pending),
        )
        made = 0
        for name, target in names.items():
            produced = work / "out" / name
            if produced.exists():
                shutil.move(produced, target)
                made += 1
    for src in pending:
        src.unlink()
    return made


# --- the test folder -------------------------------------------------------------------------------


def build_test_folder(root: Path, *, pdf: bool = False) -> BuiltFolder:
    """A small folder a review is tested on:

    - one report per agency of ``AGENCIES`` for 2024, in rotating layouts (every page layout and our
      Word writer; PDF too when ``pdf`` and LibreOffice is present), some with seeded errors (H1,
      H4 in the tables, N1 in the narrative) in counts that fix the ranking: 临川县卫生健康局 two
      errors, then those with one;
    - 江州市交通运输局 2023 with 2024: the carry-over broken (C1) and the narrative of 2024 a copy of
      2023's with the year changed (Y4);
    - 临川县人民政府 2023 with 2024: a pair written afresh — carry-over right, narratives sharing only
      the template's and the official phrases (no Y4);
    - ``扫描件/无文字.pdf``: a PDF with no text layer (unreadable).
    """
    built = BuiltFolder(root)
    layouts = [*LAYOUTS, "writer", *(["pdf"] if pdf and libreoffice() else [])]
    seeded = {
        "临川县卫生健康局": ("H1", "H4"),
        "江州市青山区教育局": ("H1",),
        "江州市青山区石门镇人民政府": ("H4",),
        "江州市青山区人民政府": ("N1",),
    }
    for n, agency in enumerate(AGENCIES):
        year = 2024
        data = report_data(agency, year, 100 + n)
        p = page(data, random.Random(100 + n))
        errors = seeded.get(agency.name, ())
        for rule in errors:
            p = with_error(p, rule)
        layout = layouts[n % len(layouts)]
        sub = agency.region
        path = write_page(p, data, root / sub / f"{agency.name}{year}年报告", layout)
        role = ""
        if agency.name == "江州市交通运输局":
            role = "copied"
            last = last_year(data, carry_mismatch=2)
            # This year's narrative is last year's, its year and figures brought up to date.
            last_page = page(last, random.Random(100 + n))
            write_page(last_page, last, root / sub / f"{agency.name}{year - 1}年报告", "txt")
            built.reports.append(
                Planned(
                    f"{sub}/{agency.name}{year - 1}年报告.txt", agency, year - 1, "txt", role="copied-last"
                )
            )
            errors = (*errors, "C1")
        elif agency.name == "临川县人民政府":
            role = "pair-this"
            last = last_year(data)
            last_page = page(last, random.Random(999))
            write_page(last_page, last, root / sub / f"{agency.name}{year - 1}年报告", "html")
            built.reports.append(
                Planned(
                    f"{sub}/{agency.name}{year - 1}年报告.html", agency, year - 1, "html", role="pair-last"
                )
            )
        built.reports.append(Planned(_rel(path, root, layout), agency, year, layout, errors, role))
    scan = root / "扫描件" / "无文字.pdf"
    scan.parent.mkdir(parents=True, exist_ok=True)
    scan.write_bytes(blank_pdf())
    built.reports.append(Planned("扫描件/无文字.pdf", Agency("", "", "", ""), 0, "pdf", role="unreadable"))
    if pdf:
        convert_pdfs(root)
    return built


def _rel(path: Path, root: Path, layout: str) -> str:
    if layout == "pdf":
        path = path.with_suffix(".pdf")
    return path.relative_to(root).as_posix()


def blank_pdf() -> bytes:
    """A one-page PDF with nothing on it: what a scan without a text layer gives the reader."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# --- the bench folder ------------------------------------------------------------------------------

_CITIES = ("江州市", "临川市", "青阳市", "白河市", "云岭市", "东湖市", "南山市", "北塘市", "西岭市", "金沙市")
_COUNTIES = (
    "",
    "青山区",
    "石门县",
    "白沙县",
    "桃源区",
    "高新区",
    "梅林县",
    "清水县",
    "凤凰区",
    "长乐县",
    "安平县",
    "永宁区",
)
_OFFICES = (
    ("人民政府", "我市"),
    ("教育局", "我局"),
    ("卫生健康委员会", "我委"),
    ("交通运输局", "我局"),
    ("财政局", "我局"),
    ("民政局", "我局"),
    ("自然资源局", "我局"),
    ("住房和城乡建设局", "我局"),
    ("市场监督管理局", "我局"),
    ("生态环境局", "我局"),
    ("人力资源和社会保障局", "我局"),
    ("农业农村局", "我局"),
    ("水利局", "我局"),
    ("应急管理局", "我局"),
    ("文化和旅游局", "我局"),
    ("司法局", "我局"),
    ("统计局", "我局"),
    ("医疗保障局", "我局"),
    ("退役军人事务局", "我局"),
    ("人民政府办公室", "我办"),
    ("发展和改革委员会", "我委"),
    ("城市管理局", "我局"),
    ("审计局", "我局"),
    ("林业局", "我局"),
    ("商务局", "我局"),
    ("金桥镇人民政府", "我镇"),
    ("白石乡人民政府", "我乡"),
    ("东风街道办事处", "我街道"),
    ("河口镇人民政府", "我镇"),
    ("新华街道办事处", "我街道"),
)
# One in twenty reports of each kind: page layouts 8, HTML 4, Word from a page 2, our Word 3, PDF 3.
BENCH_MIX: tuple[str, ...] = (
    *("txt", "md", "pipe", "lines", "paragraphs", "concat", "txt", "md"),
    *("html",) * 4,
    *("docx",) * 2,
    *("writer",) * 3,
    *("pdf",) * 3,
)


def bench_agency(n: int) -> Agency:
    """The ``n``-th of 3,600 distinct agencies of every level."""
    city = _CITIES[n % len(_CITIES)]
    county = _COUNTIES[(n // len(_CITIES)) % len(_COUNTIES)]
    office, self_reference = _OFFICES[(n // (len(_CITIES) * len(_COUNTIES))) % len(_OFFICES)]
    if not county and office.endswith(("镇人民政府", "乡人民政府", "街道办事处")):
        county = "城关区"
    if office == "人民政府":
        self_reference = "我区" if county.endswith("区") else ("我县" if county else "我市")
    name = f"{city}{county}{office}"
    from ..review.agencies import level_of, region_of

    return Agency(name, self_reference, region_of(name), level_of(name))


def build_bench_folder(root: Path, count: int, *, pdf: bool = True) -> BuiltFolder:
    """``count`` reports of distinct agencies in the mix ``BENCH_MIX``; one in ten agencies with last
    year's report too (a fifth of those a copy), one in five reports with a seeded error. PDFs are
    LibreOffice's of our Word documents when LibreOffice is present (``pdf``), else our Word
    documents stand in for them (said by ``pdf_source``)."""
    built = BuiltFolder(root)
    errors = ("H1", "H4", "N1")
    for n in range(count):
        agency = bench_agency(n)
        layout = BENCH_MIX[n % len(BENCH_MIX)]
        if layout == "pdf" and not (pdf and libreoffice()):
            layout = "writer"
        data = report_data(agency, 2024, 10_000 + n, scale=(0, 3, 12, 40, 150)[n % 5])
        p = page(data, random.Random(n))
        seeded: tuple[str, ...] = ()
        if n % 5 == 1:
            rule = errors[(n // 5) % len(errors)]
            try:
                p = with_error(p, rule)
                seeded = (rule,)
            except ValueError:  # N1 needs applications in the text
                pass
        sub = f"{agency.region or '其他'}"
        path = write_page(p, data, root / sub / f"{agency.name}2024年报告", layout)
        built.reports.append(Planned(_rel(path, root, layout), agency, 2024, layout, seeded))
        if n % 10 == 3:
            last = last_year(data)
            copied = n % 50 == 3
            last_page = page(last, random.Random(n if copied else n + 500_000))
            last_path = write_page(last_page, last, root / sub / f"{agency.name}2023年报告", "txt")
            built.reports.append(
                Planned(
                    _rel(last_path, root, "txt"),
                    agency,
                    2023,
                    "txt",
                    role="copied-last" if copied else "pair-last",
                )
            )
    convert_pdfs(root)
    return built


def replicate(base: Path, target: Path, copies: int) -> int:
    """``copies`` copies of every report under ``base`` in ``target``, each copy's bytes made
    distinct without changing what a reader reads (text: trailing blank lines; Word: bytes after
    the zip's end record, which zip readers skip; PDF: a comment after ``%%EOF``), so that each
    is read and checked again as a new file. Returns how many files were written."""
    written = 0
    files = sorted(p for p in base.rglob("*") if p.is_file())
    for k in range(copies):
        for src in files:
            rel = src.relative_to(base)
            dst = target / f"副本{k:02d}" / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            raw = src.read_bytes()
            if src.suffix == ".pdf":
                raw += f"%copy {k}\n".encode()
            elif src.suffix == ".docx":
                raw += f"copy {k}".encode()
            else:
                raw += b"\n" * (k + 1)
            dst.write_bytes(raw)
            written += 1
    return written
