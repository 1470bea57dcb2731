"""The web workspace over plain HTTP: Host, Origin and CSRF checks, the access token, path
traversal, the upload cap, escaping, saves guarded by ETag, and the same results as the CLI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from drafting.cli import cli
from drafting.server import ServerOptions, create_app

from .serve_support import excel_sheet, running, serve_command, workspace

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
TOWNSHIP = "township-2024.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return workspace(tmp_path, TOWNSHIP, "daxinganling-2023.yaml")


@pytest.fixture
def client(root: Path) -> TestClient:
    return TestClient(create_app(root, ServerOptions(port=PORT)), base_url=BASE)


def _csrf(client: TestClient) -> dict[str, str]:
    return {"x-csrf-token": client.app.state.drafting.csrf}  # type: ignore[attr-defined]


def _etag(client: TestClient, name: str = TOWNSHIP) -> str:
    response = client.get(f"/api/r/{name}/data")
    assert response.status_code == 200
    return response.headers["etag"]


# --- Host, Origin, CSRF, token ---------------------------------------------------------------


def test_a_foreign_host_header_is_refused(client: TestClient) -> None:
    """DNS rebinding: a page on evil.example whose name resolves to 127.0.0.1 sends its own Host."""
    assert client.get("/", headers={"host": "evil.example:8765"}).status_code == 421
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"host": f"localhost:{PORT}"}).status_code == 200


def test_changing_requests_need_our_csrf_token_and_origin(client: TestClient) -> None:
    etag = _etag(client)
    body = {"changes": {"table2.licensing": 5}}
    no_token = client.patch(f"/api/r/{TOWNSHIP}/data", json=body, headers={"if-match": etag})
    assert no_token.status_code == 403
    assert "校验码" in no_token.text
    foreign = client.patch(
        f"/api/r/{TOWNSHIP}/data",
        json=body,
        headers={"if-match": etag, "origin": "http://evil.example", **_csrf(client)},
    )
    assert foreign.status_code == 403
    ours = client.patch(
        f"/api/r/{TOWNSHIP}/data", json=body, headers={"if-match": etag, "origin": BASE, **_csrf(client)}
    )
    assert ours.status_code == 200, ours.text


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", f"/r/{TOWNSHIP}", "/static/app.js", "/api/r/nothing.yaml/data"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_the_page_carries_no_inline_script(client: TestClient) -> None:
    html = client.get(f"/r/{TOWNSHIP}").text
    assert "<script>" not in html and "onclick" not in html and 'style="' not in html


def test_with_a_token_every_request_needs_it(root: Path) -> None:
    token = "a-long-enough-token-123"
    client = TestClient(create_app(root, ServerOptions(port=PORT, token=token)), base_url=BASE)
    assert client.get("/").status_code == 403
    entry = client.get(f"/?token={token}", follow_redirects=False)
    assert entry.status_code == 303
    assert "HttpOnly" in entry.headers["set-cookie"] and "SameSite=Strict" in entry.headers["set-cookie"]
    assert client.get("/").status_code == 200  # the cookie now goes with every request
    stranger = TestClient(client.app, base_url=BASE)
    assert stranger.get("/?token=wrong-token-0000000", follow_redirects=False).status_code == 403


def test_serve_refuses_another_host_without_a_token(root: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", str(root), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--token" in result.output


def test_serve_says_so_when_the_port_is_taken(root: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(root), "--port", str(port)])
    assert result.exit_code == 2
    assert "已被占用" in result.output


# --- paths -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "..%2F..%2Fetc%2Fpasswd",
        "%2Fetc%2Fpasswd",
        "..%2Fsecret.yaml",
        "drafts%2Fx.draft.json",
        ".hidden.yaml",
    ],
)
def test_nothing_outside_the_workspace_is_reachable(client: TestClient, root: Path, name: str) -> None:
    (root.parent / "secret.yaml").write_text("agency: {name: 秘密}\n", encoding="utf-8")
    for path in (f"/r/{name}", f"/api/r/{name}/data", f"/r/{name}/download/md"):
        response = client.get(path)
        assert response.status_code in (404, 400), path
        assert "秘密" not in response.text


def test_a_link_leading_out_of_the_workspace_is_not_followed(client: TestClient, root: Path) -> None:
    outside = root.parent / "outside.yaml"
    outside.write_text("agency: {name: 外部}\n", encoding="utf-8")
    (root / "link.yaml").symlink_to(outside)
    assert client.get("/api/r/link.yaml/data").status_code == 404


# --- uploads ---------------------------------------------------------------------------------


def test_uploads_are_capped(root: Path) -> None:
    client = TestClient(create_app(root, ServerOptions(port=PORT, max_upload=100_000)), base_url=BASE)
    big = b"x" * 200_000
    declared = client.post(
        "/api/reports", files={"file": ("a.xlsx", big)}, data={"kind": "excel"}, headers=_csrf(client)
    )
    assert declared.status_code == 413
    assert "上限" in declared.text

    def chunks() -> object:
        for _ in range(20):
            yield b"y" * 10_000

    streamed = client.post(
        "/api/reports",
        content=chunks(),  # type: ignore[arg-type]
        headers={"content-type": "multipart/form-data; boundary=zz", **_csrf(client)},
    )
    assert streamed.status_code == 413
    assert not [
        p
        for p in root.iterdir()
        if p.suffix == ".yaml" and p.name not in (TOWNSHIP, "daxinganling-2023.yaml")
    ]


def test_a_bad_excel_file_names_its_cells_and_writes_nothing(
    client: TestClient, root: Path, tmp_path: Path
) -> None:
    path = excel_sheet(tmp_path / "bad.xlsx", {"表三": {"D7": "十二", "E7": -3}})
    before = sorted(p.name for p in root.iterdir())
    response = client.post(
        "/api/reports",
        files={"file": ("bad.xlsx", path.read_bytes())},
        data={"kind": "excel"},
        headers=_csrf(client),
    )
    assert response.status_code == 422
    texts = " ".join(i["text"] for i in response.json()["issues"])
    assert "表三!D7" in texts and "表三!E7" in texts
    assert sorted(p.name for p in root.iterdir()) == before


# --- escaping ----------------------------------------------------------------------------------


def test_user_text_is_escaped_on_every_page(client: TestClient, root: Path) -> None:
    path = root / TOWNSHIP
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    text = path.read_text(encoding="utf-8")
    text = text.replace('"青山镇"', json.dumps(hostile), 1).replace(
        '"示例县青山镇人民政府"', '"示例县<b>青山镇</b>人民政府"'
    )
    text = text.replace("主动公开政府信息58条", "主动公开政府信息58条<script>alert(2)</script>")
    path.write_text(text, encoding="utf-8")
    csrf = _csrf(client)
    assert client.post(f"/api/r/{TOWNSHIP}/draft", headers=csrf).status_code == 202
    _wait_for_draft(client, TOWNSHIP)
    for page in ("/", f"/r/{TOWNSHIP}", f"/r/{TOWNSHIP}/draft", f"/r/{TOWNSHIP}/check"):
        html = client.get(page).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>青山镇</b>" not in html, page
        if not page.endswith("/check"):  # the check report quotes no agency name
            assert "&lt;b&gt;青山镇&lt;/b&gt;" in html, page


def _wait_for_draft(client: TestClient, name: str) -> None:
    for _ in range(200):
        desk = client.app.state.drafting.desks[name]  # type: ignore[attr-defined]
        if desk.job is None:
            return
        time.sleep(0.05)
    raise AssertionError("the draft did not finish")


# --- saving --------------------------------------------------------------------------------


def test_a_save_needs_the_current_etag_and_a_stale_one_is_refused(client: TestClient, root: Path) -> None:
    path = root / TOWNSHIP
    etag = _etag(client)
    csrf = _csrf(client)
    first = client.patch(
        f"/api/r/{TOWNSHIP}/data", json={"changes": {"table2.penalty": 7}}, headers={"if-match": etag, **csrf}
    )
    assert first.status_code == 200
    assert "penalty:              7" in path.read_text(encoding="utf-8")
    stale = client.patch(
        f"/api/r/{TOWNSHIP}/data", json={"changes": {"table2.penalty": 8}}, headers={"if-match": etag, **csrf}
    )
    assert stale.status_code == 412
    assert "别处改动" in stale.json()["message"]
    assert "penalty:              7" in path.read_text(encoding="utf-8")
    missing = client.patch(f"/api/r/{TOWNSHIP}/data", json={"changes": {"table2.penalty": 8}}, headers=csrf)
    assert missing.status_code == 412


def test_only_the_fields_of_the_page_can_be_changed(client: TestClient) -> None:
    response = client.patch(
        f"/api/r/{TOWNSHIP}/data",
        json={"changes": {"previous.table3.new.natural": 1}},
        headers={"if-match": _etag(client), **_csrf(client)},
    )
    assert response.status_code == 400


def test_the_page_reports_what_validate_reports(client: TestClient, root: Path) -> None:
    """The same Chinese messages, for the same cells, as ``drafting validate``."""
    for changes, expected in (
        ({"table3.new.natural": 30}, "H2"),  # a cross-sum
        ({"table3.disclosed.legal": "三", "fees.notices": None}, "“三”"),  # cells that are not numbers
    ):
        response = client.patch(
            f"/api/r/{TOWNSHIP}/data",
            json={"changes": changes},
            headers={"if-match": _etag(client), **_csrf(client)},
        )
        assert response.status_code == 200
        shown = [i["text"] for i in response.json()["issues"]]
        assert any(expected in s for s in shown), shown
        validate = subprocess.run(
            [sys.executable, "-c", "from drafting.cli import main; main()", "validate", str(root / TOWNSHIP)],
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "1000"},
        )
        assert validate.returncode == 1
        printed = [line.strip() for line in validate.stderr.splitlines() if "［" in line]
        assert sorted(printed) == sorted(shown)


# --- the same results as the CLI ------------------------------------------------------------


def test_a_draft_made_in_the_page_is_the_draft_the_cli_makes(
    client: TestClient, root: Path, tmp_path: Path
) -> None:
    csrf = _csrf(client)
    assert client.post(f"/api/r/{TOWNSHIP}/draft", headers=csrf).status_code == 202
    _wait_for_draft(client, TOWNSHIP)
    web = root / "drafts" / "township-2024.md"
    assert web.is_file() and (root / "drafts" / "township-2024.docx").is_file()
    out = tmp_path / "cli"
    result = CliRunner().invoke(cli, ["draft", str(root / TOWNSHIP), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert web.read_text(encoding="utf-8") == (out / "township-2024.md").read_text(encoding="utf-8")
    md = client.get(f"/r/{TOWNSHIP}/download/md")
    assert md.status_code == 200 and md.text == web.read_text(encoding="utf-8")
    assert "attachment" in md.headers["content-disposition"]
    check = client.get(f"/r/{TOWNSHIP}/check.json").json()
    draft = str(root / "drafts" / "township-2024.draft.json")
    cli_check = CliRunner().invoke(cli, ["check", draft, "--data", str(root / TOWNSHIP), "--final", "--json"])
    assert check == json.loads(cli_check.output)
    assert check["ok"] is False and any(
        f["rule"] == "R1" and f["severity"] == "error" for f in check["findings"]
    )


def test_the_draft_streams_its_progress_per_section(root: Path) -> None:
    with running(root) as server, httpx.Client(base_url=server.url) as http:
        started = http.post(f"/api/r/{TOWNSHIP}/draft", headers={"x-csrf-token": server.csrf})
        assert started.status_code == 202
        job = started.json()["job"]
        events = []
        with http.stream("GET", f"/api/r/{TOWNSHIP}/events?job={job}") as stream:
            for line in stream.iter_lines():
                if line.startswith("event: "):
                    events.append(line[7:])
        assert events.count("section") == 8  # four sections, each started and finished
        assert events[-1] == "done"


def test_new_reports_from_a_template_and_from_last_year(client: TestClient, root: Path) -> None:
    csrf = _csrf(client)
    blank = client.post(
        "/api/reports", data={"kind": "blank", "agency": "某市某局", "year": "2025"}, headers=csrf
    )
    assert blank.status_code == 200, blank.text
    assert (root / "report-2025.yaml").is_file()
    again = client.post(
        "/api/reports", data={"kind": "blank", "agency": "某市某局", "year": "2025"}, headers=csrf
    )
    assert again.status_code == 400 and "已有" in again.json()["message"]
    following = client.post(
        "/api/reports", data={"kind": "last", "last": TOWNSHIP, "file_name": "2025年"}, headers=csrf
    )
    assert following.status_code == 200, following.text
    cli_result = CliRunner().invoke(
        cli, ["init", "--from", str(root / TOWNSHIP), "-o", str(root / "cli.yaml")]
    )
    assert cli_result.exit_code == 0
    assert (root / "2025年.yaml").read_text(encoding="utf-8") == (root / "cli.yaml").read_text(
        encoding="utf-8"
    )
    template = client.get("/template.xlsx?year=2025&agency=某市某局")
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_a_report_from_last_years_published_report(client: TestClient, root: Path, tmp_path: Path) -> None:
    from drafting.data import load_data

    published = tmp_path / "published-2024.html"
    result = CliRunner().invoke(cli, ["draft", str(root / TOWNSHIP), "-o", str(tmp_path), "--format", "html"])
    assert result.exit_code == 0
    published.write_bytes((tmp_path / "township-2024.html").read_bytes())
    response = client.post(
        "/api/reports",
        files={"file": ("published-2024.html", published.read_bytes())},
        data={"kind": "report"},
        headers=_csrf(client),
    )
    assert response.status_code == 200, response.text
    new = load_data(root / response.json()["name"]).data
    last = load_data(root / TOWNSHIP).data
    assert new.year == 2025 and new.previous is not None and new.previous.year == 2024
    assert new.table3.carried_over == last.table3.carry_forward.model_copy(update={"total": None})


# --- revising through the page's calls -------------------------------------------------------


def _drafted(client: TestClient) -> dict[str, str]:
    csrf = _csrf(client)
    assert client.post(f"/api/r/{TOWNSHIP}/draft", headers=csrf).status_code == 202
    _wait_for_draft(client, TOWNSHIP)
    return csrf


def _draft_etag(client: TestClient) -> str:
    etag: str = client.app.state.drafting.desk(TOWNSHIP).etag()  # type: ignore[attr-defined]
    return etag


def test_pins_regeneration_edits_undo_and_redo_use_the_revision_session(
    client: TestClient, root: Path
) -> None:
    from drafting import pins
    from drafting.document import load_draft

    csrf = _drafted(client)
    path = root / "drafts" / "township-2024.draft.json"
    call = lambda action, body: client.post(  # noqa: E731
        f"/api/r/{TOWNSHIP}/{action}", json=body, headers={"if-match": _draft_etag(client), **csrf}
    )
    sentence = pins.sentences(load_draft(path).section("other").paragraphs[0])[0]
    assert call("pin", {"section": "other", "sentence": sentence}).status_code == 200
    assert load_draft(path).section("other").pinned == [sentence]
    edited = call("edit", {"section": "other", "text": "本年度没有其他需要报告的事项。"})
    assert edited.status_code == 200
    proposal = edited.json()["proposal"]
    assert any(p["op"] == "insert" for p in proposal["diff"])
    assert any(f["rule"] == "PIN" and f["new"] for f in proposal["findings"])  # the pin went missing
    refused = call("accept", {"confirm": False})
    assert refused.status_code == 409 and refused.json()["confirm"]  # asks before adding an error
    assert call("reject", {}).status_code == 200
    regenerated = call("regenerate", {"section": "overview"})
    assert regenerated.status_code == 200
    assert call("accept", {"confirm": False}).status_code == 200
    text = "一、总体情况的新写法。"
    assert call("edit", {"section": "overview", "text": text}).status_code == 200
    assert call("accept", {"confirm": True}).status_code == 200
    assert load_draft(path).section("overview").paragraphs == [text]
    assert call("undo", {}).status_code == 200
    assert load_draft(path).section("overview").paragraphs != [text]
    assert call("redo", {}).status_code == 200
    assert load_draft(path).section("overview").paragraphs == [text]
    kinds = [entry["kind"] for entry in load_draft(path).history]
    assert kinds[-5:] == ["pin", "regenerate", "manual", "undo", "redo"]
    # The CLI reads the same history.
    log = CliRunner().invoke(cli, ["revise", str(path), "--log"])
    assert log.exit_code == 0 and "固定句子" in log.output and "重做" in log.output
    # An instruction needs a model; offline, the page is told so.
    offline = call("revise", {"section": "problems", "instruction": "压缩到200字以内"})
    assert offline.status_code == 400 and "模型" in offline.json()["message"]


def test_one_revision_in_flight_per_draft(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from .llm_support import FAST, KEY
    from .openai_stub import stub_server
    from .revise_support import append_reply

    for name, value in FAST.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with stub_server(reply=append_reply(), latency=1.0) as stub:
        client = TestClient(
            create_app(root, ServerOptions(port=PORT, model="openai:m", base_url=stub.base_url)),
            base_url=BASE,
        )
        csrf = _csrf(client)
        CliRunner().invoke(cli, ["draft", str(root / TOWNSHIP), "-o", str(root / "drafts")])
        body = {"section": "problems", "instruction": "补充一句"}
        first = client.post(
            f"/api/r/{TOWNSHIP}/revise", json=body, headers={"if-match": _draft_etag(client), **csrf}
        )
        assert first.status_code == 202
        second = client.post(
            f"/api/r/{TOWNSHIP}/revise", json=body, headers={"if-match": _draft_etag(client), **csrf}
        )
        assert second.status_code == 409 and "正在修订" in second.json()["message"]
        assert client.post(f"/api/r/{TOWNSHIP}/draft", headers=csrf).status_code == 409
        page = client.get(f"/r/{TOWNSHIP}/draft").text
        assert KEY not in page and "OPENAI_API_KEY" in client.get("/settings").text
        _wait_for_draft(client, TOWNSHIP)


def test_each_finding_links_to_its_paragraph(client: TestClient) -> None:
    import re

    _drafted(client)
    html = client.get(f"/r/{TOWNSHIP}/draft").text
    links = re.findall(r'<a href="#(p-[a-z_]+-\d+)" class="js-goto"', html)
    assert links, "no finding was linked"
    for anchor in links:
        paragraph = re.search(rf'<p class="para" id="{anchor}">(.*?)</p>', html)
        assert paragraph is not None, anchor
        assert "<mark>【待补充" in paragraph.group(1)  # township-2024's findings are its R1 markers


def test_the_serve_command_starts_a_server_and_stops_on_ctrl_c(root: Path) -> None:
    """``drafting serve FOLDER --port 0`` as a user runs it: the address printed answers."""
    with serve_command(str(root)) as (url, _):
        response = httpx.get(url, timeout=5)
        assert response.status_code == 200 and "年度报告工作区" in response.text


def test_the_cli_does_not_load_the_web_stack_until_serve_runs() -> None:
    code = (
        "import sys\n"
        "from drafting.cli import cli\n"
        "try:\n"
        "    cli.main(['serve', '--help'], standalone_mode=False)\n"
        "finally:\n"
        "    print('LOADED', [m for m in ('starlette', 'uvicorn', 'multipart', 'jinja2') if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "LOADED []" in done.stdout, done.stdout + done.stderr


def test_refusals_are_in_chinese(client: TestClient) -> None:
    assert "找不到" in client.get("/no/such/page").text
    assert "没有数据文件" in client.get("/api/r/nothing.yaml/data").json()["message"]
    assert "找不到" in client.get("/api/nothing").json()["message"]
    malformed = client.post(
        "/api/reports",
        content=b"--zz\r\nbroken",
        headers={"content-type": "multipart/form-data; boundary=zz", **_csrf(client)},
    )
    assert malformed.status_code == 400
    assert re.search(r"[A-Za-z]{6,}", malformed.json()["message"]) is None


def test_a_filled_excel_file_becomes_a_yaml_data_file_with_its_facts(
    client: TestClient, root: Path, tmp_path: Path
) -> None:
    from drafting.data import load_data

    # 新收 自然人 4, with nothing concluded: H2 holds only when 结转 is 4 too.
    path = excel_sheet(
        tmp_path / "filled.xlsx", {"表三": {"D7": 4}, "正文素材": {"B5": "通过门户网站主动公开政府信息120条"}}
    )
    response = client.post(
        "/api/reports",
        files={"file": ("filled.xlsx", path.read_bytes())},
        data={"kind": "excel"},
        headers=_csrf(client),
    )
    assert response.status_code == 200, response.text
    assert any("H2" in i["text"] for i in response.json()["issues"])  # written anyway, shown at its cell
    created = root / response.json()["name"]
    from drafting.yamlfile import parse_document

    raw, _ = parse_document(created.read_text(encoding="utf-8"), "x", ".yaml")
    assert raw["facts"]["active"] == ["通过门户网站主动公开政府信息120条"]
    assert raw["table3"]["new"]["natural"] == 4
    from drafting.errors import DataError

    with pytest.raises(DataError) as caught:
        load_data(created)  # validate says what the page says
    assert [i.rule for i in caught.value.issues if i.is_error] == ["H2"]
