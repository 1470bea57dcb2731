"""Hostile inputs, made on the spot: small files that grow huge when read, nesting deeper than a
parser's stack, spans larger than any table, text a writer cannot emit, encodings that decode to
nonsense, and plausible files on slow paths. Nothing here is committed as a big file; every case
is a few lines of code that write its file under a folder.

Each ``Hostile`` names the command a user would run on it, what it must end with (exit code and a
fragment of the Chinese message) and whether the command may write anything. The corpus test
(``test_hostile_inputs.py``) runs every case through the installed command in a subprocess under a
memory ceiling; ``bench/bench_hostile.py`` prints the time and memory of each.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_EXAMPLE = ROOT / "examples" / "daxinganling-2023.yaml"

Make = Callable[[Path], list[str]]  # writes the input under a folder; the command's arguments


@dataclass(frozen=True)
class Hostile:
    id: str
    make: Make
    exit_codes: tuple[int, ...]  # what the command may end with
    says: str = ""  # a fragment of the message that shows the right path was taken
    writes: bool = False  # whether the command may write its output (a draft from good data)
    slow: bool = False  # a plausible input on a slow path (a bench case), not an attack


def example_text() -> str:
    return REFERENCE_EXAMPLE.read_text(encoding="utf-8")


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def with_facts(text: str, topic: str, facts: list[str]) -> str:
    """The example with ``facts.<topic>`` given (the example has no facts section of its own
    beyond its topics; this appends or replaces one)."""
    head, sep, _ = text.partition("\nfacts:")
    items = "\n".join(f"    - {json.dumps(f, ensure_ascii=False)}" for f in facts)
    return f"{head}\nfacts:\n  {topic}:\n{items}\n" if sep else f"{text}\nfacts:\n  {topic}:\n{items}\n"


def with_agency_name(text: str, name: str) -> str:
    return re.sub(
        r'(?m)^(  name:\s+)"[^"]*"', lambda m: m.group(1) + json.dumps(name, ensure_ascii=False), text
    )


def validate(name: str, content: Callable[[], str | bytes]) -> Make:
    return lambda d: ["validate", str(_write(d / name, content()))]


def draft(name: str, content: Callable[[], str | bytes], formats: str = "md,docx,html") -> Make:
    return lambda d: ["draft", str(_write(d / name, content())), "-o", str(d / "out"), "--format", formats]


def check(name: str, content: Callable[[], str | bytes]) -> Make:
    return lambda d: ["check", str(_write(d / name, content()))]


def import_(name: str, content: Callable[[], str | bytes]) -> Make:
    def make(d: Path) -> list[str]:
        (d / "out").mkdir()
        return ["import", str(_write(d / name, content())), "-o", str(d / "out" / "imported.yaml")]

    return make


# --- YAML and JSON ------------------------------------------------------------------------------


def alias_bomb() -> str:
    """The "billion laughs" of YAML: nine levels of nine aliases each, about 1 KB of text that
    expands to 9^9 strings when every alias is copied out."""
    lines = [
        'a0: &a0 ["哈哈哈哈哈哈哈哈", "哈哈哈哈哈哈哈哈", "哈哈哈哈哈哈哈哈", "哈哈哈哈哈哈哈哈", "哈哈哈哈哈哈哈哈",'
        ' "哈哈哈哈哈哈哈哈", "哈哈哈哈哈哈哈哈", "哈哈哈哈哈哈哈哈", "哈哈哈哈哈哈哈哈"]'
    ]
    for n in range(1, 10):
        refs = ", ".join([f"*a{n - 1}"] * 9)
        lines.append(f"a{n}: &a{n} [{refs}]")
    return example_text() + "\nbomb:\n" + "\n".join("  " + line for line in lines) + "\n"


def deep_flow(depth: int) -> str:
    """``[[[…]]]`` nested ``depth`` deep: the same text is YAML and JSON."""
    return '{"agency": ' + "[" * depth + "]" * depth + "}"


def deep_block_yaml(depth: int) -> str:
    """Block mappings nested ``depth`` deep, as an editor's runaway indentation would make them."""
    return "".join(" " * n + "a:\n" for n in range(depth)) + " " * depth + "a: 1\n"


def huge_integer() -> str:
    return re.sub(r"(?m)^(  licensing:\s+)0", lambda m: m.group(1) + "9" * 5000, example_text(), count=1)


def python_tag() -> str:
    return example_text().replace('"我局"', '!!python/object/apply:os.system ["echo 你好"]', 1)


def control_in_fact() -> str:
    return with_facts(example_text(), "active", ["通过门户网站主动公开信息\x0b120条", "第二条\x07响铃"])


def long_agency_name() -> str:
    return with_agency_name(example_text(), "大兴安岭地区" * 60 + "绿色产品产业发展局")


def hundred_facts() -> str:
    return with_facts(
        example_text(), "active", [f"第{n}项工作已经完成并通过门户网站公开" for n in range(1, 121)]
    )


def script_in_fact() -> str:
    return with_facts(example_text(), "active", ["<script>alert('x')</script>网站更新", "A & B <b>粗</b>"])


def in_encoding(encoding: str, name: str, fact: str) -> Callable[[], bytes]:
    """The example's figures with a traditional-Chinese or Japanese agency name and fact, saved in
    Big5 or Shift-JIS: the example's own words (simplified Chinese) are left out."""

    def make() -> bytes:
        text = re.sub(r"(?m)\s*#.*$", "", with_agency_name(example_text(), name))
        text = re.sub(r"(?m)^  short_name:.*\n", "", text).replace('"我局"', '"本機關"')
        return with_facts(text.partition("\nfacts:")[0], "active", [fact]).encode(encoding)

    return make


def oversized_yaml() -> str:
    """A data file far larger than any report's (comments pad it): refused before parsing."""
    return example_text() + ("# " + "填充" * 500 + "\n") * 2_000  # 6 MB


# --- Excel ---------------------------------------------------------------------------------------


def _template_workbook() -> bytes:
    from drafting.data.excel import template_workbook

    return template_workbook("某市某局", 2025, None)


def _edit_workbook(edit: Callable[[object], None]) -> bytes:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(_template_workbook()))
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def formula_in(sheet: str, path: str, formula: str) -> Callable[[], bytes]:
    """The template with ``formula`` typed into the input cell of ``path`` on ``sheet``."""

    def make() -> bytes:
        def edit(wb: object) -> None:
            from drafting.data.excel import workbook_layout

            spec = next(s for s in workbook_layout() if s.name == sheet)
            cell = next(c for c in spec.cells if c.path == path)
            wb[sheet][cell.ref] = formula  # type: ignore[index]

        return _edit_workbook(edit)

    return make


def stray_cell() -> bytes:
    """One stray character at the sheet's last row: the sheet's size jumps to 1,048,576 rows."""

    def edit(wb: object) -> None:
        from drafting.data.excel import SHEET_FACTS

        wb[SHEET_FACTS]["C1048576"] = "x"  # type: ignore[index]

    return _edit_workbook(edit)


def _rezip(raw: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    out = io.BytesIO()
    # Level 1: a bomb's hundreds of megabytes of padding compress in a second, still ~200:1.
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))
    return out.getvalue()


def xlsx_with_dtd() -> bytes:
    """Entities declared in a DTD and expanded in a sheet's text (a small "billion laughs")."""
    dtd = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE sst ['
        b'<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
        + b"".join(
            b'<!ENTITY %s%d "%s">' % (b"e", n, (b"&e%d;" % (n - 1) if n else b"&a;") * 10) for n in range(9)
        )
        + b"]>"
    )

    def change(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
            return dtd + body.replace(b"<t>", b"<t>&e8;", 1)
        return data

    return _rezip(_template_workbook(), change)


def xlsx_bomb(megabytes: int = 300) -> bytes:
    """A sheet whose XML inflates from about a megabyte to ``megabytes``."""
    filler = b"<!--" + b" " * (1 << 20) + b"-->"

    def change(name: str, data: bytes) -> bytes:
        if name.endswith("sheet1.xml"):
            head, sep, tail = data.partition(b"<sheetData>")
            return head + sep + filler * megabytes + tail if sep else data
        return data

    return _rezip(_template_workbook(), change)


# --- Word ----------------------------------------------------------------------------------------


def _our_docx() -> bytes:
    from drafting.data import load_data
    from drafting.draft import draft_report
    from drafting.writers import render

    data = render(draft_report(load_data(REFERENCE_EXAMPLE)), "docx")
    assert isinstance(data, bytes)
    return data


def _edit_document_xml(raw: bytes, edit: Callable[[bytes], bytes]) -> bytes:
    return _rezip(raw, lambda name, data: edit(data) if name == "word/document.xml" else data)


def docx_grid_span() -> bytes:
    def edit(xml: bytes) -> bytes:
        return xml.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="100000000"/>', 3)

    return _edit_document_xml(_our_docx(), edit)


def docx_vmerge_first_row() -> bytes:
    def edit(xml: bytes) -> bytes:
        first = xml.index(b"<w:tr")
        cell = xml.index(b"<w:tcPr>", first) + len(b"<w:tcPr>")
        return xml[:cell] + b'<w:vMerge w:val="continue"/>' + xml[cell:]

    return _edit_document_xml(_our_docx(), edit)


def docx_bomb(megabytes: int = 300) -> bytes:
    """document.xml padded with a comment: about a megabyte on disk, ``megabytes`` inflated (the
    issue's file was 1.5 MB on disk and 1.5 GB inflated: ``bench_hostile.py --full``)."""
    filler = b"<!--" + b" " * (1 << 20) + b"-->"

    def edit(xml: bytes) -> bytes:
        body = xml.index(b"<w:body>") + len(b"<w:body>")
        return xml[:body] + filler * megabytes + xml[body:]

    return _edit_document_xml(_our_docx(), edit)


def docx_paragraphs(n: int) -> bytes:
    """A report followed by ``n`` short paragraphs: a long annex, as some offices publish."""
    paragraphs = "".join(
        f"<w:p><w:r><w:t>附件第{i}条：按规定公开。</w:t></w:r></w:p>" for i in range(n)
    ).encode()

    def edit(xml: bytes) -> bytes:
        end = xml.rindex(b"<w:sectPr")
        return xml[:end] + paragraphs + xml[end:]

    return _edit_document_xml(_our_docx(), edit)


def docx_with_dtd() -> bytes:
    def edit(xml: bytes) -> bytes:
        decl, _, rest = xml.partition(b"?>")
        return (
            decl
            + b'?><!DOCTYPE w:document [<!ENTITY x "xxxxxxxxxxxxxxxx">]>'
            + rest.replace(b"<w:t>", b"<w:t>&x;", 1)
        )

    return _edit_document_xml(_our_docx(), edit)


# --- HTML and text -------------------------------------------------------------------------------


def _our_html() -> str:
    from drafting.data import load_data
    from drafting.draft import draft_report
    from drafting.writers import render

    text = render(draft_report(load_data(REFERENCE_EXAMPLE)), "html")
    assert isinstance(text, str)
    return text


def html_spans(rows_of_cells: int = 100) -> str:
    """Rows of 100 cells each spanning 100 rows and 100 columns (the issue's page had 300 rows,
    30,000 cells: ``bench_hostile.py --full``)."""
    rows = "".join(
        "<tr>" + '<td rowspan="100" colspan="100">1</td>' * 100 + "</tr>" for _ in range(rows_of_cells)
    )
    return _our_html().replace("</article>", f"<table>{rows}</table></article>")


def html_deep(depth: int) -> str:
    return _our_html().replace("</article>", "<div>" * depth + "深" + "</div>" * depth + "</article>")


def html_with_dtd() -> str:
    """An XHTML page with its XML declaration and DTD, as some portals serve: bs4 warns in English."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n' + _our_html().split(">", 1)[1]
    )


def long_paragraph_report() -> str:
    """Our reference report as page text, one paragraph of 32,000 characters in it."""
    from drafting.data import load_data
    from drafting.draft import draft_report
    from drafting.writers import render

    text = render(draft_report(load_data(REFERENCE_EXAMPLE)), "txt")
    assert isinstance(text, str)
    # Text pasted without its punctuation (a PDF's copy, a table's cells run together): the runs of
    # word characters that patterns for mail addresses and Chinese numerals scanned from every place.
    sentence = "本机关认真落实政府信息公开条例要求加强组织领导完善工作机制二〇二三年共办理一百二十件"
    long = "　　" + sentence * (32_000 // len(sentence))
    return text.replace("\n\n二、", f"\n\n{long}\n\n二、", 1)


# --- PDF -----------------------------------------------------------------------------------------


def pdf_many_pages(n: int) -> bytes:
    """A valid PDF of ``n`` pages that share one content stream: a few KB per thousand pages."""
    content = b"BT /F1 12 Tf 72 720 Td (2023 Report page text here) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (5 + i) for i in range(n)) + b"] /Count %d >>" % n,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R"
        b" /Resources << /Font << /F1 4 0 R >> >> >>"
    ] * n
    return _pdf(objects)


def pdf_dense_pages(pages: int, chars_per_page: int) -> bytes:
    """Pages that share one content stream printing ``chars_per_page`` characters each."""
    line = b"(" + b"A" * 1000 + b") Tj 0 -1 Td "
    content = b"BT /F1 1 Tf 10 800 Td " + line * (chars_per_page // 1000) + b"ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
        + b"] /Count %d >>" % pages,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R"
        b" /Resources << /Font << /F1 4 0 R >> >> >>"
    ] * pages
    return _pdf(objects)


def pdf_many_rules(n: int) -> bytes:
    """One page drawing ``n`` short ruled lines: a grid far denser than any table."""
    step = 500 / max(1, int(n**0.5))
    parts = []
    for i in range(n):
        x = 50 + (i % int(n**0.5 or 1)) * step
        y = 50 + (i // int(n**0.5 or 1)) * step
        parts.append(b"%.2f %.2f m %.2f %.2f l S" % (x, y, x + step, y))
    text = b" ".join(
        b"BT /F1 10 Tf 40 %d Td (Annual report of open government information, line %d) Tj ET"
        % (820 - 12 * k, k)
        for k in range(60)
    )
    content = b"0 0 0 RG 0.5 w " + b" ".join(parts) + b" " + text
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R"
        b" /Resources << /Font << /F1 4 0 R >> >> >>",
    ]
    return _pdf(objects)


def _pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


# --- revise --------------------------------------------------------------------------------------


def revise_text_file(text: str) -> Make:
    """A draft drafted from the example, then ``revise --text-file`` with ``text``."""

    def make(d: Path) -> list[str]:
        from drafting.data import load_data
        from drafting.draft import draft_report, write_draft

        write_draft(draft_report(load_data(REFERENCE_EXAMPLE)), d / "out", "r", ("md", "docx"))
        mine = _write(d / "mine.txt", text)
        return ["revise", str(d / "out" / "r.draft.json"), "--section", "problems", "--text-file", str(mine)]

    return make


# --- the corpus ----------------------------------------------------------------------------------

CASES: list[Hostile] = [
    # data files: unusable (2) or breaking a rule (1); never a draft
    Hostile("yaml-alias-bomb", validate("d.yaml", alias_bomb), (2,), "别名"),
    Hostile("yaml-alias-bomb-draft", draft("d.yaml", alias_bomb), (2,), "别名"),
    Hostile("yaml-deep-1000", validate("d.yaml", lambda: deep_flow(1000)), (2,), "层"),
    Hostile("yaml-deep-block-1000", validate("d.yaml", lambda: deep_block_yaml(1000)), (2,), "层"),
    Hostile("yaml-deep-50000", validate("d.yaml", lambda: deep_flow(50_000)), (2,), "层"),
    Hostile("json-deep-1000", validate("d.json", lambda: deep_flow(1000)), (2,), "层"),
    Hostile("json-deep-50000", validate("d.json", lambda: deep_flow(50_000)), (2,), "层"),
    Hostile("yaml-python-tag", validate("d.yaml", python_tag), (2,), "标签"),
    Hostile("yaml-huge-integer", validate("d.yaml", huge_integer), (1, 2), "位数"),
    Hostile("yaml-oversized", validate("d.yaml", oversized_yaml), (2,), "上限"),
    Hostile("fact-control-char", validate("d.yaml", control_in_fact), (1,), "控制字符"),
    Hostile("fact-control-char-draft", draft("d.yaml", control_in_fact), (1,), "控制字符"),
    Hostile("agency-name-too-long", draft("d.yaml", long_agency_name), (1,), "太长"),
    Hostile(
        "big5-data",
        validate("d.yaml", in_encoding("big5", "臺灣省某縣政府", "以政府網站為主要平臺公開資訊")),
        (2,),
        "编码",
    ),
    Hostile(
        "shift-jis-data",
        validate("d.yaml", in_encoding("shift_jis", "東京都情報公開課", "ウェブサイトで情報を公開した")),
        (2,),
        "编码",
    ),
    Hostile(
        "xlsx-formula-title",
        validate("d.xlsx", formula_in("基本信息", "agency.name", "=cmd|' /C calc'!A0")),
        (1,),
        "公式",
    ),
    Hostile(
        "xlsx-formula-count", validate("d.xlsx", formula_in("表二", "table2.licensing", "=1+2")), (1,), "公式"
    ),
    Hostile("xlsx-dtd", validate("d.xlsx", xlsx_with_dtd), (2,), "DTD"),
    Hostile("xlsx-bomb", validate("d.xlsx", xlsx_bomb), (2,), "解压"),
    # drafts from data the writers must handle: written, correctly
    Hostile("hundred-facts-draft", draft("d.yaml", hundred_facts), (0,), writes=True),
    Hostile("script-in-fact-draft", draft("d.yaml", script_in_fact), (0,), writes=True),
    # reports given to check and import
    Hostile("docx-grid-span", check("r.docx", docx_grid_span), (0, 1, 2)),
    Hostile("docx-grid-span-import", import_("r.docx", docx_grid_span), (0, 1, 2), writes=True),
    Hostile("docx-vmerge-first-row", check("r.docx", docx_vmerge_first_row), (0, 1)),
    Hostile("docx-bomb", check("r.docx", docx_bomb), (2,), "解压"),
    Hostile("docx-dtd", check("r.docx", docx_with_dtd), (2,), "DTD"),
    Hostile("html-spans", check("r.html", html_spans), (2,), "表格"),
    Hostile("html-spans-import", import_("r.html", html_spans), (2,), "表格"),
    Hostile("html-deep-1000", check("r.html", lambda: html_deep(1000)), (0, 1)),
    Hostile("html-deep-50000", check("r.html", lambda: html_deep(50_000)), (0, 1, 2)),
    Hostile("html-dtd", check("r.html", html_with_dtd), (0, 1)),
    Hostile("pdf-many-pages", check("r.pdf", lambda: pdf_many_pages(20_000)), (2,), "页"),
    Hostile("pdf-dense-pages", check("r.pdf", lambda: pdf_dense_pages(5, 60_000)), (2,), "字符"),
    Hostile("pdf-many-rules", check("r.pdf", lambda: pdf_many_rules(45_000)), (0, 1, 2)),
    Hostile(
        "revise-control-chars",
        revise_text_file("新的写法\x0c第二段\x07。\x1b[K红字\x0b第三段。"),
        (0,),
        writes=True,
    ),
    # plausible files on slow paths
    Hostile("txt-long-paragraph", check("r.txt", long_paragraph_report), (0, 1), slow=True),
    Hostile("docx-20000-paragraphs", check("r.docx", lambda: docx_paragraphs(20_000)), (0, 1), slow=True),
    Hostile("xlsx-stray-cell", validate("d.xlsx", stray_cell), (0, 1), slow=True),
]


# --- running a case ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    exit_code: int  # negative: killed by that signal
    seconds: float  # wall time: depends on what else the machine runs
    cpu_seconds: float  # the child's own user + system time: what the input cost, whatever the load
    max_rss_mb: float
    stdout: str
    stderr: str
    timed_out: bool


def console_script() -> str:
    import sys

    script = Path(sys.executable).with_name("drafting")
    return str(script) if script.exists() else "drafting"


def run_command(
    args: list[str], *, env: dict[str, str], timeout: float, address_space_mb: int | None
) -> Outcome:
    """The installed command in a child process; its own peak memory (``wait4``'s rusage, so other
    children of the test process do not count) and wall time. ``address_space_mb`` caps the child's
    address space, so an explosion ends in a MemoryError in a second instead of swapping the
    machine."""
    import os
    import resource
    import signal
    import subprocess
    import tempfile
    import time

    def limit() -> None:
        if address_space_mb is not None:
            size = address_space_mb << 20
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        child = subprocess.Popen([console_script(), *args], stdout=out, stderr=err, env=env, preexec_fn=limit)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                timed_out = True
                child.send_signal(signal.SIGKILL)
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.monotonic() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
        out.seek(0)
        err.seek(0)
        return Outcome(
            child.returncode,
            seconds,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024,  # kilobytes on Linux
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            timed_out,
        )
