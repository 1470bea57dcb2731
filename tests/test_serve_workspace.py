"""The web workspace's home page and draft page as an author meets them over HTTP: each report's
status from the library's publishability rule (``check_file(final=True)``), findings linked to the
exact table cells they are about, Excel data sheets already in the folder offered for conversion,
and a model choice kept in the workspace for the next run (never a key)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from drafting.data import load_data
from drafting.server import ServerOptions, create_app

from .serve_support import excel_sheet, workspace

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
TOWNSHIP = "township-2024.yaml"  # three topics without facts: 【待补充】 in its draft
COMPLETE = "daxinganling-2023.yaml"  # every topic given: publishable once drafted


def _client(root: Path, **options: object) -> TestClient:
    return TestClient(create_app(root, ServerOptions(port=PORT, **options)), base_url=BASE)  # type: ignore[arg-type]


def _csrf(client: TestClient) -> dict[str, str]:
    return {"x-csrf-token": client.app.state.drafting.csrf}  # type: ignore[attr-defined]


def _statuses(client: TestClient) -> dict[str, tuple[str, str]]:
    """Each report's file name → (status label, detail), as the home page shows them."""
    html = client.get("/").text
    rows = re.findall(
        r"<code>([^<]+)</code></td>\s*<td><span class=\"status status-\w+\">([^<]*)</span>"
        r"(?: <span class=\"muted\">([^<]*)</span>)?",
        html,
    )
    return {name: (label, detail) for name, label, detail in rows}


def _draft(client: TestClient, name: str) -> None:
    assert client.post(f"/api/r/{name}/draft", headers=_csrf(client)).status_code == 202
    for _ in range(400):
        if client.app.state.drafting.desks[name].job is None:  # type: ignore[attr-defined]
            return
        time.sleep(0.05)
    raise AssertionError("the draft did not finish")


def _save(client: TestClient, name: str, changes: dict[str, object]) -> dict[str, object]:
    etag = client.get(f"/api/r/{name}/data").headers["etag"]
    response = client.patch(
        f"/api/r/{name}/data", json={"changes": changes}, headers={"if-match": etag, **_csrf(client)}
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return workspace(tmp_path, TOWNSHIP, COMPLETE)


def test_each_report_is_publishable_only_as_check_final_says(root: Path) -> None:
    client = _client(root)
    statuses = _statuses(client)
    assert statuses[COMPLETE] == ("未起草", "数据已齐，可以起草")
    assert statuses[TOWNSHIP] == ("待补充 3 处", "尚未起草")  # counted on the draft the data would give

    _draft(client, COMPLETE)
    _draft(client, TOWNSHIP)
    statuses = _statuses(client)
    assert statuses[COMPLETE][0] == "可发布"
    assert statuses[TOWNSHIP] == ("待补充 3 处", "")

    # 存在问题 declared empty: the draft says 未发现需要专门报告的问题 — not publishable.
    _save(client, COMPLETE, {"facts.problems": []})
    assert _statuses(client)[COMPLETE] == ("待补充 1 处", "数据已改动，尚未重新起草")
    _draft(client, COMPLETE)
    assert _statuses(client)[COMPLETE] == ("待补充 1 处", "")
    page = client.get(f"/r/{COMPLETE}/draft").text
    assert "错误［S7］" in page and 'href="#sec-problems"' in page

    # A figure changed after drafting: the draft must follow the data first.
    _save(client, COMPLETE, {"facts.problems": ["政策解读形式单一"]})
    _draft(client, COMPLETE)
    assert _statuses(client)[COMPLETE][0] == "可发布"
    _save(client, COMPLETE, {"fees.notices": 1, "fees.billed": 0, "fees.collected": 0})
    assert _statuses(client)[COMPLETE] == ("草稿待更新", "数据已改动，请重新起草")


def test_a_data_file_that_breaks_a_rule_is_said_so_and_its_cell_linked_from_the_draft(root: Path) -> None:
    client = _client(root)
    _draft(client, COMPLETE)
    natural = client.get(f"/api/r/{COMPLETE}/data").json()["values"]["table3.new.natural"]
    saved = _save(client, COMPLETE, {"table3.new.natural": int(natural) + 5})
    assert [i["rule"] for i in saved["issues"]] == ["H2"]  # type: ignore[index, union-attr]
    assert _statuses(client)[COMPLETE] == ("数据有误", "1 处错误")

    page = client.get(f"/r/{COMPLETE}/draft").text
    # The finding names its cell by the official ids; the draft's table marks that very cell …
    cell = re.search(r'<td class="num flag-error"[^>]*? id="cell-([^"]+)" data-path="\1"', page)
    assert cell is not None and cell.group(1) == "table3.carry_forward.natural"
    # … the finding links to it, and to the same cell on the data page.
    link = re.search(r'<a href="#cell-([^"]+)" class="js-goto" data-paths="([^"]*)">([^<]*)</a>', page)
    assert link is not None and link.group(1) == "table3.carry_forward.natural"
    assert link.group(2) == "table3.carry_forward.natural"
    assert link.group(3).startswith(f"数据文件 {COMPLETE} 第")  # the workspace's own file, by name
    assert f'href="/r/{COMPLETE}?cells=table3.carry_forward.natural"' in page
    data_page = client.get(f"/r/{COMPLETE}?cells=table3.carry_forward.natural").text
    assert 'data-path="table3.carry_forward.natural"' in data_page
    # The check report is the CLI's, with the same cells.
    report = client.get(f"/r/{COMPLETE}/check.json").json()
    h2 = [f for f in report["findings"] if f["rule"] == "D3-H2"]
    assert h2 and h2[0]["cells"] == [{"table": "table3", "row": "carry_forward", "column": "natural"}]


def test_every_number_cell_of_a_drafted_table_carries_its_data_key(root: Path) -> None:
    from drafting import official
    from drafting.layout import LAYOUTS

    client = _client(root)
    _draft(client, COMPLETE)
    page = client.get(f"/r/{COMPLETE}/draft").text
    shown = set(re.findall(r'<td class="num[^"]*"[^>]*? id="cell-([^"]+)"', page))
    expected = {c.path for make in LAYOUTS.values() for row in make().body for c in row if c.kind == "number"}
    assert shown == expected
    # Each is exactly one official cell, and back: Cell.path is cells_of_path's inverse.
    for path in expected:
        (cell,) = official.cells_of_path(path)
        assert cell.path == path


def test_an_excel_sheet_in_the_folder_is_offered_for_conversion(root: Path) -> None:

    sheet = excel_sheet(root / "数据表.xlsx", {}, agency="某县某局").read_bytes()
    excel_sheet(root / "有错.xlsx", {"表三": {"D7": "十二件"}}, agency="某县某局")
    (root / "~$数据表.xlsx").write_bytes(b"")  # Excel's lock file while the sheet is open: not a sheet

    client = _client(root)
    home = client.get("/").text
    assert "数据表.xlsx" in home and "尚未转换" in home and "~$" not in home
    converted = client.post(
        "/api/reports", data={"kind": "workbook", "workbook": "数据表.xlsx"}, headers=_csrf(client)
    )
    assert converted.status_code == 200, converted.text
    assert converted.json()["name"] == "数据表.yaml"
    assert load_data(root / "数据表.yaml").data.agency.name == "某县某局"
    assert (root / "数据表.xlsx").read_bytes() == sheet  # left as it was
    assert "已转换为 <code>数据表.yaml</code>" in client.get("/").text

    refused = client.post(
        "/api/reports", data={"kind": "workbook", "workbook": "有错.xlsx"}, headers=_csrf(client)
    )
    assert refused.status_code == 422
    assert any("表三!D7" in i["text"] for i in refused.json()["issues"])
    assert not (root / "有错.yaml").exists()
    for name in ("../数据表.xlsx", "数据表.yaml", "~$数据表.xlsx", "none.xlsx"):
        outside = client.post(
            "/api/reports", data={"kind": "workbook", "workbook": name}, headers=_csrf(client)
        )
        assert outside.status_code == 404, name


def test_the_model_choice_is_kept_in_the_workspace_and_never_a_key(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drafting.server.settings import SETTINGS_FILE

    client = _client(root)
    assert "离线起草" in client.get("/settings").text
    chosen = client.post(
        "/api/settings",
        json={"model": "deepseek", "base_url": "", "api_key_env": "MY_DEEPSEEK_KEY"},
        headers=_csrf(client),
    )
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["key_env"] == "MY_DEEPSEEK_KEY" and chosen.json()["key_set"] is False
    stored = json.loads((root / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert stored == {"model": "deepseek", "api_key_env": "MY_DEEPSEEK_KEY"}

    # The next run in this folder starts from it; the key's variable is read, never stored.
    monkeypatch.setenv("MY_DEEPSEEK_KEY", "sk-secret-value-1234567890")
    again = _client(root)
    page = again.get("/settings").text
    assert "openai:deepseek-chat" in page or "deepseek" in page
    assert "已设置" in page and "sk-secret-value" not in page
    assert "sk-secret" not in (root / SETTINGS_FILE).read_text(encoding="utf-8")
    assert SETTINGS_FILE not in again.get("/").text  # not a report
    # A flag given to serve wins for that run.
    flagged = _client(root, model="offline")
    assert flagged.app.state.drafting.models.settings().model == "offline"  # type: ignore[attr-defined]

    # A key pasted into the wrong box, or an address carrying one, is refused and not echoed.
    for body in (
        {"model": "deepseek", "base_url": "", "api_key_env": "sk-abcdefghijklmnopqrstuvwxyz012345"},
        {"model": "openai:m", "base_url": "http://user:sk-abc123@127.0.0.1:8000/v1", "api_key_env": ""},
        {"model": "openai:m", "base_url": "http://127.0.0.1:8000/v1?key=sk-abc123", "api_key_env": ""},
    ):
        refused = again.post("/api/settings", json=body, headers=_csrf(again))
        assert refused.status_code == 400, body
        assert "sk-abc" not in refused.text
    assert json.loads((root / SETTINGS_FILE).read_text(encoding="utf-8"))["model"] == "deepseek"

    # A saved file that cannot be used is ignored: the page shows the CLI's settings.
    (root / SETTINGS_FILE).write_text("{not json", encoding="utf-8")
    assert "离线起草" in _client(root).get("/settings").text


def test_a_data_edit_reads_the_yaml_once(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The read-back of what a save wrote (kept by ETag) is where the next save starts: one parse
    of the file per edit (a cell typed into), and the verification still reads every byte written."""
    from ruamel.yaml.main import YAML

    from drafting.server import reports
    from drafting.server.workspace import Workspace

    parses: list[str] = []
    compose, load = YAML.compose, YAML.load
    monkeypatch.setattr(YAML, "compose", lambda self, text: parses.append("compose") or compose(self, text))
    monkeypatch.setattr(YAML, "load", lambda self, text: parses.append("load") or load(self, text))
    ws = Workspace(root)
    state = reports.read_state(ws, TOWNSHIP)
    assert len(parses) == 1
    for n in range(3):
        parses.clear()
        state = reports.save_changes(ws, TOWNSHIP, state.etag, {"table2.licensing": n})
        assert parses == ["compose"], n
        assert state.raw["table2"]["licensing"] == n and not state.problem
    # A change made outside (another ETag): the save reads the file afresh, and refuses a stale page.
    text = (root / TOWNSHIP).read_text(encoding="utf-8") + "# 另一个窗口加的一行注释\n"
    (root / TOWNSHIP).write_text(text, encoding="utf-8")
    with pytest.raises(reports.Stale):
        reports.save_changes(ws, TOWNSHIP, state.etag, {"table2.licensing": 1})
    parses.clear()
    fresh = reports.read_state(ws, TOWNSHIP)
    reports.save_changes(ws, TOWNSHIP, fresh.etag, {"table2.licensing": 1})
    assert parses == ["compose", "compose"]  # the page's read, then the save's read-back
    assert (root / TOWNSHIP).read_text(encoding="utf-8").endswith("# 另一个窗口加的一行注释\n")


def test_last_years_published_pdf_starts_this_years_report(root: Path) -> None:
    """The reader reads PDFs now: a PDF of last year's report is accepted like a .docx."""

    from .conftest import ROOT

    pdf = ROOT / "tests" / "fixtures" / "pdf" / "district-dept-2024.pdf"
    client = _client(root)
    response = client.post(
        "/api/reports",
        files={"file": ("上年报告.pdf", pdf.read_bytes())},
        data={"kind": "report"},
        headers=_csrf(client),
    )
    assert response.status_code == 200, response.text
    from drafting.yamlfile import parse_document

    path = root / response.json()["name"]
    raw, _ = parse_document(path.read_text(encoding="utf-8"), str(path), ".yaml")
    last = load_data(ROOT / "examples" / "district-dept-2024.yaml").data
    assert raw["year"] == 2025 and raw["previous"]["year"] == 2024
    carried = last.table3.carry_forward
    assert raw["table3"]["carried_over"] == {k: getattr(carried, k) for k in raw["table3"]["carried_over"]}
    # Until this year's figures are typed, the cases carried over do not balance: said at its cells.
    assert _statuses(client)[path.name][0] == "数据有误"


def test_a_page_open_across_a_restart_fetches_the_new_csrf_token(root: Path) -> None:
    """A page's changing request with another run's token is refused, marked so that our script
    fetches the current one (readable only by this origin) and sends the request again."""
    client = _client(root)
    etag = client.get(f"/api/r/{TOWNSHIP}/data").headers["etag"]
    old = {"x-csrf-token": "token-of-the-run-before"}
    refused = client.patch(
        f"/api/r/{TOWNSHIP}/data", json={"changes": {"fees.notices": 1}}, headers={"if-match": etag, **old}
    )
    assert refused.status_code == 403 and refused.headers.get("x-csrf-failed") == "1"
    fresh = client.get("/api/csrf")
    assert fresh.status_code == 200 and fresh.headers["cache-control"] == "no-store"
    saved = client.patch(
        f"/api/r/{TOWNSHIP}/data",
        json={"changes": {"fees.notices": 1}},
        headers={"if-match": etag, "x-csrf-token": fresh.json()["csrf"]},
    )
    assert saved.status_code == 200
    assert client.get("/api/csrf", headers={"host": "evil.example:8765"}).status_code == 421


def test_a_draft_refused_for_bad_data_says_what_and_where_without_the_folder(root: Path) -> None:
    client = _client(root)
    natural = client.get(f"/api/r/{COMPLETE}/data").json()["values"]["table3.new.natural"]
    _save(client, COMPLETE, {"table3.new.natural": int(natural) + 2})
    assert "有误" in client.get(f"/r/{COMPLETE}/draft").text  # said before the button is pressed
    _draft(client, COMPLETE)
    event, data = client.app.state.drafting.desks[COMPLETE].last_job.events[-1]  # type: ignore[attr-defined]
    failed = json.loads(data)
    assert event == "failed"
    assert failed["message"].startswith(f"{COMPLETE}：") and str(root) not in data
    assert [i["rule"] for i in failed["issues"]] == ["H2"]
    assert failed["data_url"] == f"/r/{COMPLETE}"
    missing = client.get("/r/none.yaml")
    assert missing.status_code == 404 and str(root) not in missing.text


def test_a_bug_of_ours_is_said_in_chinese_without_its_detail(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from drafting.server import pages, reports

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("detail that could hold sk-secret-0123456789")

    monkeypatch.setattr(reports, "read_state", broken)
    monkeypatch.setattr(pages, "read_state", broken)
    client = TestClient(
        create_app(root, ServerOptions(port=PORT)), base_url=BASE, raise_server_exceptions=False
    )
    page = client.get(f"/r/{TOWNSHIP}")
    api = client.get(f"/api/r/{TOWNSHIP}/data")
    for response in (page, api):
        assert response.status_code == 500
        assert "内部错误" in response.text and "sk-secret" not in response.text
    assert api.json()["hint"].startswith("请重试")
    assert "Traceback" not in capsys.readouterr().err
    monkeypatch.setenv("DRAFTING_DEBUG", "1")
    client.get(f"/api/r/{TOWNSHIP}/data")
    assert "RuntimeError: detail that could hold" in capsys.readouterr().err  # the maintainer's view


def test_serve_makes_a_new_users_folder_and_refuses_a_file(tmp_path: Path) -> None:
    """``drafting serve 报告/`` as the README says it, before there is any such folder."""
    import httpx

    from .serve_support import serve_command

    folder = tmp_path / "报告"
    with serve_command(str(folder)) as (url, printed):
        assert folder.is_dir() and any("已新建工作区文件夹" in line for line in printed)
        home = httpx.get(url, timeout=5).text
        assert "这个文件夹里还没有报告" in home
    (tmp_path / "a-file.yaml").write_text("year: 2025\n", encoding="utf-8")
    from click.testing import CliRunner

    from drafting.cli import cli

    for target, said in (
        (tmp_path / "a-file.yaml", "不是一个文件夹"),
        (tmp_path / "没有" / "报告", "不存在"),
    ):
        result = CliRunner().invoke(cli, ["serve", str(target), "--port", "0"])
        assert result.exit_code == 2 and said in result.output, result.output
    assert not (tmp_path / "没有").exists()


def test_saves_take_the_same_lock_as_the_command_line(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save from the page waits while another process (``drafting revise``, ``drafting draft``)
    holds the file's lock, and when the wait runs out says so (409) and writes nothing."""
    import subprocess
    import sys

    from drafting.server import workspace as ws_module

    client = _client(root)
    data = root / TOWNSHIP
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from drafting.locks import file_lock\n"
            f"with file_lock({str(data)!r}):\n"
            "    print('held', flush=True)\n"
            "    time.sleep(float(sys.argv[1]))\n",
            "1.0",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    _save(client, TOWNSHIP, {"fees.notices": 3})  # waits for the other process, then saves
    assert time.monotonic() - started > 0.3
    holder.wait(timeout=10)
    assert client.get(f"/api/r/{TOWNSHIP}/data").json()["values"]["fees.notices"] == "3"

    monkeypatch.setattr(ws_module, "SAVE_WAIT", 0.3)
    holder = subprocess.Popen(holder.args, stdout=subprocess.PIPE, text=True)  # type: ignore[arg-type]
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    before = data.read_bytes()
    etag = client.get(f"/api/r/{TOWNSHIP}/data").headers["etag"]
    busy = client.patch(
        f"/api/r/{TOWNSHIP}/data",
        json={"changes": {"fees.notices": 4}},
        headers={"if-match": etag, **_csrf(client)},
    )
    holder.wait(timeout=10)
    assert busy.status_code == 409 and "正在被另一个窗口修改" in busy.json()["message"]
    assert str(root) not in busy.text and data.read_bytes() == before


def test_a_draft_that_never_reached_its_model_says_so(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As ``drafting draft`` exits 4: every section fell back because the endpoint never answered."""
    from .llm_support import FAST, KEY
    from .serve_support import free_port

    for name, value in FAST.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DRAFTING_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    closed = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    client = _client(root, model="openai:m", base_url=closed)
    _draft(client, COMPLETE)
    page = client.get(f"/r/{COMPLETE}/draft").text
    assert "这份草稿没有用上模型 openai:m" in page and KEY not in page
    offline = _client(root)
    _draft(offline, COMPLETE)
    assert "没有用上模型" not in offline.get(f"/r/{COMPLETE}/draft").text


def test_the_agency_kind_and_leadership_are_typed_on_the_data_page(root: Path) -> None:
    """Issue 14: 机关类型 (for the deadline warning) and the leadership phrase have their fields."""
    client = _client(root)
    page = client.get(f"/r/{COMPLETE}").text
    assert 'data-path="agency.kind"' in page and 'data-path="agency.leadership"' in page
    assert 'list="agency-kinds"' in page and '<option value="本级政府">' in page  # offered, not guessed
    saved = _save(
        client, COMPLETE, {"agency.kind": "部门", "agency.leadership": "在县委、县政府的正确领导下"}
    )
    assert saved["issues"] == []
    data = load_data(root / COMPLETE).data
    assert data.agency.kind == "部门" and data.agency.leadership == "在县委、县政府的正确领导下"


def test_the_draft_page_names_the_fonts_a_pdf_lacks(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drafting.server import pages
    from drafting.writers.pdf import find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: the page offers no PDF and names no font")
    empty = tmp_path / "fonts.conf"  # a fontconfig that knows no font: every official font missing
    empty.write_text('<?xml version="1.0"?><fontconfig><dir>' + str(tmp_path) + "</dir></fontconfig>")
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    pages._font_note.cache_clear()  # asked once a server run: this run starts here
    client = _client(root)
    _draft(client, COMPLETE)
    page = client.get(f"/r/{COMPLETE}/draft").text
    pages._font_note.cache_clear()
    assert "PDF 使用了替代字体" in page and "仿宋_GB2312" in page
