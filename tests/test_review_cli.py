"""``drafting review`` as a reviewer runs it, on a folder of our renderings (every layout, agencies of
every level, seeded errors, a year-over-year pair with a broken carry-over and a copied narrative,
an honest pair, a scan without text): what it finds, the outputs read back, the cache, decisions,
the manifest, Ctrl-C."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafting.evaluation.folders import AGENCIES, BuiltFolder, page, report_data, write_page

from . import review_support
from .conftest import DRAFTING
from .review_support import Run, built_copy, csv_rows, report_of, review

COPIED = "江州市/江州市交通运输局2024年报告.txt"
COPIED_LAST = "江州市/江州市交通运输局2023年报告.txt"
HONEST = "临川县/临川县人民政府2024年报告.txt"
HONEST_LAST = "临川县/临川县人民政府2023年报告.html"
SCAN = "扫描件/无文字.pdf"
MOST_ERRORS = "临川县/临川县卫生健康局2024年报告.html"


folder = review_support.folder_fixture  # the sample folder of reports, built once here


@pytest.fixture(scope="module")
def first(folder: BuiltFolder, tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Path]:
    out = tmp_path_factory.mktemp("out") / "审核结果"
    return review(folder.root, out, "--json", "--office", "江州市政务公开办公室"), out


def test_every_report_is_found_read_checked_and_paired(folder: BuiltFolder, first: tuple[Run, Path]) -> None:
    run, _ = first
    assert run.code == 1, run.err
    payload = run.json()
    assert payload["ok"] is False
    totals = payload["totals"]
    assert totals["found"] == len(folder.reports) == 11
    assert (totals["read"], totals["unreadable"], totals["failed"], totals["pending"]) == (10, 1, 0, 0)
    assert totals["paired"] == 2 and totals["similar"] == 1
    for planned in folder.reports:
        report = report_of(payload, planned.file)
        errors = {f["rule"] for f in report["findings"] if f["severity"] == "error"}
        assert errors == set(planned.errors), (planned.file, report["findings"])
        if planned.agency.name:
            assert (report["agency"], report["year"]) == (planned.agency.name, planned.year)
            assert (report["level"], report["region"]) == (planned.agency.level, planned.agency.region)
    scan = report_of(payload, SCAN)
    assert scan["status"] == "unreadable" and "文字层" in scan["reason"] and not scan["findings"]
    # the copy: C1 against last year's 结转, and 内容雷同 with last year's narrative quoted
    copied = report_of(payload, COPIED)
    assert copied["previous_file"] == COPIED_LAST and copied["similar"] is True
    y4 = [f for f in copied["findings"] if f["rule"] == "Y4"]
    assert {f["location"] for f in y4} == {"一、总体情况", "五、存在的主要问题及改进情况"}
    assert all(f["severity"] == "warning" and "重复的段落：“" in f["evidence"] for f in y4)
    # the honest pair: checked against last year, sharing only the template's and official phrases
    honest = report_of(payload, HONEST)
    assert honest["previous_file"] == HONEST_LAST
    assert honest["similar"] is False and not honest["findings"]
    # last year's reports are reviewed too, on their own
    assert report_of(payload, HONEST_LAST)["previous_file"] is None


def test_the_finding_lists_open_in_excel_and_read_back(first: tuple[Run, Path]) -> None:
    run, out = first
    payload = run.json()
    findings = [(r, f) for r in payload["reports"] for f in r["findings"]]
    rows = csv_rows(out / "问题清单.csv")
    header = [
        "机关",
        "地区",
        "层级",
        "年度",
        "文件",
        "规则",
        "严重程度",
        "位置",
        "问题",
        "依据",
        "审核决定",
        "审核意见",
        "指纹",
    ]
    assert list(rows[0]) == header
    assert len(rows) == len(findings) > 0
    by_print = {row["指纹"]: row for row in rows}
    for r, f in findings:
        row = by_print[f["fingerprint"]]
        assert (row["机关"], row["文件"], row["规则"], row["问题"]) == (
            r["agency"],
            r["file"],
            f["rule"],
            f["message"],
        )
        assert row["严重程度"] == {"error": "错误", "warning": "提示"}[f["severity"]]
        assert row["年度"] == str(r["year"]) and row["层级"] == r["level"]
    from openpyxl import load_workbook

    book = load_workbook(out / "问题清单.xlsx", read_only=True)
    sheet = book["问题清单"]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0] == header
    assert len(table) == len(rows) + 1
    assert {row[12] for row in table[1:]} == set(by_print)
    book.close()


def test_one_rectification_list_per_agency_in_official_style(first: tuple[Run, Path]) -> None:
    run, out = first
    payload = run.json()
    # the agencies with something to send: a finding other than the reader's notice of its own reading
    with_problems = {
        r["agency"] for r in payload["reports"] if any(f["rule"] != "READ" for f in r["findings"])
    }
    read_notice_only = {
        r["agency"]
        for r in payload["reports"]
        if r["findings"] and all(f["rule"] == "READ" for f in r["findings"])
    }
    folder = out / "整改清单"
    assert {p.stem for p in folder.glob("*.docx")} == with_problems
    assert read_notice_only and not read_notice_only & with_problems  # the apart layout's rows tied back
    import docx

    document = docx.Document(str(folder / "江州市交通运输局.docx"))
    texts = [p.text for p in document.paragraphs]
    assert (
        texts[0] == "江州市交通运输局\n政府信息公开工作年度报告整改清单"
    )  # two lines, broken after the name
    assert document.paragraphs[0].style.name == "Title"
    assert texts[1] == "江州市交通运输局："
    body = "\n".join(texts)
    assert "需要整改的问题（1处）" in body and "请核实的事项（2处）" in body
    assert "上年结转应等于上年报告" in body and "内容雷同" in body
    assert texts[-2:] == [
        "江州市政务公开办公室",
        f"{dt.date.today():%Y}年{dt.date.today().month}月{dt.date.today().day}日",
    ]
    # the Word writer's official page: A4, 37 mm top margin, 仿宋_GB2312 body
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37
    assert (
        document.styles["Normal"].element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        == "仿宋_GB2312"
    )
    # an agency whose only report is clean gets no list
    assert not (folder / "江州市人民政府.docx").exists()


def test_a_rerun_reads_from_the_cache_and_rechecks_only_a_changed_file(
    folder: BuiltFolder, tmp_path: Path
) -> None:
    mine = built_copy(folder, tmp_path / "报告")
    out = tmp_path / "out"
    assert review(mine.root, out).code == 1
    again = review(mine.root, out)
    assert "本次检查 0 份，取自缓存 11 份" in again.out, again.out
    # a changed file is checked again, and only it
    changed = mine.root / "江州市" / "江州市人民政府2024年报告.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("（一）主动公开。", "(1)主动公开。"), encoding="utf-8"
    )
    third = review(mine.root, out, "--json")
    assert "本次检查" not in third.out
    payload = third.json()
    assert {f["rule"] for f in report_of(payload, "江州市/江州市人民政府2024年报告.txt")["findings"]} >= {
        "R5"
    }
    text = review(mine.root, out)
    assert "本次检查 0 份，取自缓存 11 份" in text.out


def test_a_changed_file_in_a_pair_checks_the_pair_again(folder: BuiltFolder, tmp_path: Path) -> None:
    from drafting.review import ReviewOptions, review_folder

    mine = built_copy(folder, tmp_path / "报告")
    options = ReviewOptions(mine.root, tmp_path / "out", jobs=1)
    review_folder(options).cache.close()
    last = mine.root / HONEST_LAST
    last.write_text(last.read_text(encoding="utf-8") + "\n<!-- 修改 -->", encoding="utf-8")
    again = review_folder(options)
    # last year's file on its own, and this year's against it
    assert again.checked == 2
    assert next(i for i in again.items if i.source.relative == HONEST).last is not None


def test_a_new_check_library_version_checks_every_file_again(
    folder: BuiltFolder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drafting.review import ReviewOptions, review_folder, run

    options = ReviewOptions(folder.root, tmp_path / "out", jobs=1)
    first = review_folder(options)
    assert first.checked == 13 and first.cached == 0  # 11 files and 2 pairs
    first.cache.close()
    second = review_folder(options)
    assert second.checked == 0 and second.cached == 11
    second.cache.close()
    monkeypatch.setattr(run, "check_version", lambda: "another-version")
    third = review_folder(options)
    assert third.checked == 13 and third.cached == 0


def _decide(path: Path, entries: list[tuple[str, str, str]]) -> None:
    from drafting.review.decisions import snippet

    text = "".join(snippet(fp, "测试", decision, comment) for fp, decision, comment in entries)
    path.write_text("# 审核决定\n" + text, encoding="utf-8")


def test_decisions_dismiss_and_confirm_on_every_later_run(folder: BuiltFolder, tmp_path: Path) -> None:
    out = tmp_path / "out"
    payload = review(folder.root, out, "--json").json()
    errors = [(r, f) for r in payload["reports"] for f in r["findings"] if f["severity"] == "error"]
    dismissed = [f for r, f in errors if r["file"] != MOST_ERRORS]
    confirmed = [f for r, f in errors if r["file"] == MOST_ERRORS]
    _decide(
        out / "review-decisions.yaml",
        [(f["fingerprint"], "dismiss", "误报：已核实") for f in dismissed]
        + [(f["fingerprint"], "confirm", "") for f in confirmed],
    )
    again = review(folder.root, out, "--json")
    assert again.code == 1  # the confirmed errors still count
    after = again.json()
    assert after["totals"]["dismissed"] == len(dismissed) and after["totals"]["confirmed"] == len(confirmed)
    assert after["totals"]["errors"] == len(confirmed)
    worst = report_of(after, MOST_ERRORS)
    assert all(f["decision"] == "confirm" for f in worst["findings"] if f["severity"] == "error")
    copied = report_of(after, COPIED)
    assert copied["errors"] == 0 and copied["dismissed"] == 1
    c1 = next(f for f in copied["findings"] if f["rule"] == "C1")
    assert (c1["decision"], c1["comment"]) == ("dismiss", "误报：已核实")
    # dismissed findings stay in the lists with their decision, and leave the 整改清单
    rows = {row["指纹"]: row for row in csv_rows(out / "问题清单.csv")}
    assert (
        rows[c1["fingerprint"]]["审核决定"] == "排除"
        and rows[c1["fingerprint"]]["审核意见"] == "误报：已核实"
    )
    import docx

    notice = "\n".join(
        p.text for p in docx.Document(str(out / "整改清单" / "江州市交通运输局.docx")).paragraphs
    )
    assert "上年结转应等于上年报告" not in notice and "内容雷同" in notice
    assert not (out / "整改清单" / "江州市青山区教育局.docx").exists()  # nothing left to correct
    # every error dismissed: the review passes
    _decide(out / "review-decisions.yaml", [(f["fingerprint"], "dismiss", "") for _, f in errors])
    assert review(folder.root, out).code == 0


def test_the_manifest_names_agency_region_level_and_year(folder: BuiltFolder, tmp_path: Path) -> None:
    manifest = tmp_path / "清单.csv"
    rows = [
        "文件,机关,地区,层级,年度,网址",
        f"{COPIED},江州市交通运输局（本级）,江州市本级,部门,2024,https://example.gov.cn/a.html",
        "无文字.pdf,江州市财政局,江州市,部门,2024,",
        ",临川县卫生健康局,临川县城区,,,",
        "不存在/缺少的报告.pdf,某某局,,,2024,",
    ]
    manifest.write_bytes(("\n".join(rows) + "\n").encode("gbk"))  # Excel's plain "CSV" on a Chinese Windows
    run = review(folder.root, tmp_path / "out", "--manifest", str(manifest), "--json")
    payload = run.json()
    copied = report_of(payload, COPIED)
    assert (copied["agency"], copied["region"], copied["level"]) == (
        "江州市交通运输局（本级）",
        "江州市本级",
        "部门",
    )
    assert copied["previous_file"] == COPIED_LAST  # the bracketed note does not part it from last year
    assert copied["url"] == "https://example.gov.cn/a.html"
    scan = report_of(payload, SCAN)  # named by its file name alone
    assert (scan["agency"], scan["year"], scan["status"]) == ("江州市财政局", 2024, "unreadable")
    assert report_of(payload, MOST_ERRORS)["region"] == "临川县城区"  # a row naming the agency only
    html = (tmp_path / "out" / "审核总览.html").read_text(encoding="utf-8")
    assert "缺少的报告.pdf" in html  # listed but not found: shown on the overview
    # the unreadable report of a known agency is on its 整改清单
    import docx

    notice = "\n".join(
        p.text for p in docx.Document(str(tmp_path / "out" / "整改清单" / "江州市财政局.docx")).paragraphs
    )
    assert "无法读取" in notice and "文字层" in notice


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("file,agency,year\na.txt,某局,2024,多余\n", "第2行"),
        ("file,level\na.txt,省级\n", "层级“省级”"),
        ("file,year\na.txt,2024\na.txt,2024\n", "已经列过"),
        ("file,单位名称\n", "不认识列名“单位名称”"),
    ],
)
def test_a_manifest_that_cannot_be_used_stops_with_its_line(
    folder: BuiltFolder, tmp_path: Path, content: str, says: str
) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text(content, encoding="utf-8")
    run = review(folder.root, tmp_path / "out", "--manifest", str(manifest))
    assert run.code == 2 and says in run.err, run.err
    assert not (tmp_path / "out" / "审核总览.html").exists()


def test_last_year_in_another_folder(folder: BuiltFolder, tmp_path: Path) -> None:
    this, last = tmp_path / "2024", tmp_path / "2023"
    shutil.copytree(folder.root, this)
    (last / "江州市").mkdir(parents=True)
    shutil.move(this / COPIED_LAST, last / COPIED_LAST)
    payload = review(this, tmp_path / "out", "--previous", str(last), "--json").json()
    assert payload["totals"]["found"] == 10  # last year's reports are compared with, not reviewed
    copied = report_of(payload, COPIED)
    assert copied["previous_file"] == COPIED_LAST
    assert {"C1", "Y4"} <= {f["rule"] for f in copied["findings"]}


@pytest.fixture
def many(tmp_path: Path) -> Iterator[Path]:
    """A folder of 60 small reports (one text each), slow enough to be interrupted."""
    root = tmp_path / "报告"
    agency = AGENCIES[2]
    base = report_data(agency, 2024, 7)
    for n in range(60):
        data = base.model_copy(update={"agency": base.agency.model_copy(update={"name": f"江州市第{n}中学"})})
        write_page(page(data, random.Random(n)), data, root / f"r{n:02d}", "txt")
    yield root


def test_ctrl_c_stops_cleanly_and_the_next_run_goes_on(many: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(
        [*DRAFTING, "review", str(many), "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stderr is not None
    line = process.stderr.readline()  # 读取并检查：1/60 — the first report is done
    assert "读取并检查：1/60" in line, line
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stdout + stderr
    assert "已中断" in stdout and "Traceback" not in stderr, stdout + stderr
    html = (out / "审核总览.html").read_text(encoding="utf-8")
    assert '"interrupted":true' in html
    from drafting.review.cache import ResultCache
    from drafting.review.version import check_version

    cache = ResultCache(out / ".cache" / "review.sqlite", check_version())
    kept = cache.count()
    cache.close()
    assert 1 <= kept < 60
    again = review(many, out)
    assert again.code == 0, again.out + again.err
    assert f"本次检查 {60 - kept} 份，取自缓存 {kept} 份" in again.out, again.out


def test_outputs_are_replaced_whole(folder: BuiltFolder, tmp_path: Path) -> None:
    """A 整改清单 of an agency with nothing left to correct disappears on the next run; no temporary
    file is left behind."""
    mine = built_copy(folder, tmp_path / "报告")
    out = tmp_path / "out"
    review(mine.root, out)
    assert (out / "整改清单" / "江州市青山区教育局.docx").exists()
    (mine.root / "江州市青山区" / "江州市青山区教育局2024年报告.txt").unlink()
    review(mine.root, out)
    assert not (out / "整改清单" / "江州市青山区教育局.docx").exists()
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".cache"]
    assert not leftovers, leftovers


def test_worker_processes_are_replaced_after_their_share_of_files(
    folder: BuiltFolder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drafting.review import ReviewOptions, review_folder, run

    monkeypatch.setattr(run, "TASKS_PER_WORKER", 2)  # a fresh pool every four files on two processes
    done = review_folder(ReviewOptions(folder.root, tmp_path / "out", jobs=2))
    assert done.checked == 13 and not done.failures and not done.interrupted
    assert sum(1 for item in done.items if item.status == "read") == 10


def test_a_report_read_in_part_is_judged_only_on_what_was_read(folder: BuiltFolder, tmp_path: Path) -> None:
    """Read first, judge second: 表三 not read with confidence gives no finding built on it; the
    rules that needed it are listed as not assessed, with the reader's reason, and counted."""
    from .review_support import add_partial

    mine = built_copy(folder, tmp_path / "报告")
    partial = add_partial(mine.root)
    run = review(mine.root, tmp_path / "out", "--json")
    payload = run.json()
    report = report_of(payload, partial)
    assert report["status"] == "read" and report["agency"] == "宁波市自然资源和规划局"
    assert not [f for f in report["findings"] if f["severity"] == "error"], report["findings"]
    not_assessed = {rule for entry in report["not_assessed"] for rule in entry["rules"]}
    assert {"H2", "H3", "N1"} <= not_assessed
    assert any("表三" in entry["reason"] for entry in report["not_assessed"])
    assert payload["totals"]["partial"] == 1
    # the reports read whole have nothing left unassessed
    assert all(not r["not_assessed"] for r in payload["reports"] if r["file"] != partial)
    text = review(mine.root, tmp_path / "out")
    assert "其中 1 份有内容未能确认，相关规则未作检查" in text.out, text.out


def _on_a_terminal(args: list[str]) -> tuple[int, str]:
    """The command with its progress output (stderr) on a pseudo-terminal, as a reviewer sees it in a
    terminal window: its exit code and what the terminal received, colour codes removed."""
    import os
    import pty
    import re
    import select

    main, child = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"}
    process = subprocess.Popen(
        [*DRAFTING, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=child,
        env=env,
    )
    os.close(child)
    received = b""
    try:
        while True:
            ready, _, _ = select.select([main], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(main, 65536)
                except OSError:  # the terminal's other end is closed: the command has ended
                    break
                if not chunk:
                    break
                received += chunk
            elif process.poll() is not None:
                break
    finally:
        os.close(main)
    code = process.wait(timeout=120)
    return code, re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", received.decode("utf-8", "replace"))


@pytest.mark.skipif(sys.platform == "win32", reason="伪终端只在 Linux/macOS 上可用")
def test_on_a_terminal_a_progress_bar_shows_counts_and_the_time_left(many: Path, tmp_path: Path) -> None:
    import re

    code, screen = _on_a_terminal(["review", str(many), "-o", str(tmp_path / "out"), "-j", "2"])
    assert code == 0, screen
    frames = re.findall(
        r"读取并检查\s*[━╸╺]+\s*(\d+)/60\s+已用 (\d+:\d\d:\d\d) 剩余 (\d+:\d\d:\d\d|-:--:--)", screen
    )
    assert frames, screen
    done = [int(n) for n, _, _ in frames]
    assert done == sorted(done) and done[-1] == 60
    # part way through, the bar says how long is left (an estimate from the reports already done)
    assert any(0 < int(n) < 60 and left != "-:--:--" for n, _, left in frames), frames
    assert "Traceback" not in screen


def test_in_force_documents_follow_on_from_last_years_report(folder: BuiltFolder, tmp_path: Path) -> None:
    """C2 across two reports: last year's 现行有效 + this year's 制发 − 废止 should be this year's."""
    from drafting.evaluation.folders import last_year

    mine = built_copy(folder, tmp_path / "报告")
    agency = AGENCIES[7]  # 临川县白沙乡人民政府, its 2024 report built from seed 107
    this = report_data(agency, 2024, 107)
    last = last_year(this)
    normative = last.table2.normative.model_copy(update={"in_force": 60})
    last = last.model_copy(update={"table2": last.table2.model_copy(update={"normative": normative})})
    write_page(
        page(last, random.Random(7)), last, mine.root / agency.region / f"{agency.name}2023年报告", "txt"
    )
    payload = review(mine.root, tmp_path / "out", "--json").json()
    report = next(r for r in payload["reports"] if r["agency"] == agency.name and r["year"] == 2024)
    assert report["previous_file"] == f"{agency.region}/{agency.name}2023年报告.txt"
    c2 = [f for f in report["findings"] if f["rule"] == "C2"]
    assert len(c2) == 1 and c2[0]["severity"] == "warning"
    assert f"上年现行有效 60 + 本年制发 {this.table2.normative.issued}" in c2[0]["message"]
