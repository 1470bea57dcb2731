"""The JSON calls the page's script makes: saving data, creating reports, drafting, revising."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ..errors import InputError
from . import reports
from .reports import issue_json
from .state import state

MAX_JSON = 1024 * 1024
UPLOAD_SUFFIXES = {
    "excel": (".xlsx",),
    "report": (".docx", ".pdf", ".html", ".htm", ".txt", ".md"),
}


async def _json(request: Request) -> dict[str, Any]:
    body = await request.body()
    if len(body) > MAX_JSON:
        raise InputError("请求内容过大。")
    import json

    try:
        value = json.loads(body or b"{}")
    except ValueError:
        raise InputError("请求内容无法识别。") from None
    if not isinstance(value, dict):
        raise InputError("请求内容无法识别。")
    return value


def _text(payload: dict[str, Any], key: str, limit: int = 20000) -> str:
    value = payload.get(key, "")
    if not isinstance(value, str) or len(value) > limit:
        raise InputError(f"“{key}”应为不超过 {limit} 字的文字。")
    return value


# --- data ------------------------------------------------------------------------------------


def _data_json(data: reports.DataState) -> dict[str, Any]:
    return {
        "etag": data.etag,
        "issues": [issue_json(i) for i in data.issues],
        "problem": data.problem,
        "title": data.title,
    }


async def get_data(request: Request) -> Response:
    from .grids import layout, shown, value_at

    st = state(request)
    data = await run_in_threadpool(reports.read_state, st.ws, request.path_params["name"])
    lay = layout()
    body = _data_json(data)
    body["values"] = {p: shown(value_at(data.raw, p)) for p in lay.kinds}
    body["facts"] = {
        key: v if isinstance(v := value_at(data.raw, f"facts.{key}"), list) else None for key, _ in lay.topics
    }
    return JSONResponse(body, headers={"etag": data.etag})


async def patch_data(request: Request) -> Response:
    st = state(request)
    payload = await _json(request)
    changes = payload.get("changes")
    if not isinstance(changes, dict) or not changes:
        raise InputError("没有要保存的修改。")
    name = request.path_params["name"]
    data = await run_in_threadpool(
        reports.save_changes, st.ws, name, request.headers.get("if-match"), changes
    )
    return JSONResponse(_data_json(data), headers={"etag": data.etag})


async def create_report(request: Request) -> Response:
    st = state(request)
    async with request.form(max_files=1, max_fields=20) as form:
        kind = str(form.get("kind", ""))
        file_name = str(form.get("file_name", "")).strip()
        if kind == "blank":
            year = str(form.get("year", "")).strip()
            if not year.isdigit():
                raise InputError("请填写四位报告年度，如 2025。")
            path = await run_in_threadpool(
                reports.create_blank, st.ws, file_name, str(form.get("agency", "")), int(year)
            )
            return JSONResponse({"name": path.name, "url": f"/r/{_quote(path.name)}"})
        if kind == "last":
            path = await run_in_threadpool(
                reports.create_from_last, st.ws, file_name, str(form.get("last", ""))
            )
            return JSONResponse({"name": path.name, "url": f"/r/{_quote(path.name)}"})
        if kind == "workbook":  # an Excel data sheet already in the folder
            workbook = st.ws.workbook_path(str(form.get("workbook", "")))
            created = await run_in_threadpool(
                reports.create_from_workbook, st.ws, file_name or f"{workbook.stem}.yaml", workbook
            )
            return _created(created, workbook.name)
        if kind not in UPLOAD_SUFFIXES:
            raise InputError("请选择新建报告的方式。")
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("请选择要上传的文件。")
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES[kind]:
            raise InputError(
                f"不支持的文件类型“{suffix or '无扩展名'}”。",
                hint="可上传：" + "、".join(UPLOAD_SUFFIXES[kind]),
            )
        handler = reports.create_from_workbook if kind == "excel" else reports.create_from_report

        def create() -> reports.Created:
            with reports.spooled(upload.file, suffix) as tmp:
                return handler(st.ws, file_name, Path(tmp.name))

        created = await run_in_threadpool(create)
    return _created(created, upload.filename, again="重新上传")


def _created(created: reports.Created, source: str, again: str = "再转换") -> Response:
    body: dict[str, Any] = {
        "notes": created.notes,
        "issues": [issue_json(i) for i in created.issues],
    }
    if created.path is None:
        body["message"] = (
            f"{source} 有 {sum(1 for i in created.issues if i.is_error)} 处无法读取的单元格，未生成数据文件。"
        )
        body["hint"] = f"请在 Excel 中改正下列单元格，保存后{again}。"
        return JSONResponse(body, status_code=422)
    body.update(name=created.path.name, url=f"/r/{_quote(created.path.name)}")
    return JSONResponse(body)


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


async def change_settings(request: Request) -> Response:
    st = state(request)
    payload = await _json(request)
    await run_in_threadpool(
        st.models.change,
        _text(payload, "model", 200),
        _text(payload, "base_url", 500),
        _text(payload, "api_key_env", 100),
    )
    return JSONResponse(st.models.describe())


# --- drafting and revising -------------------------------------------------------------------------


async def start_draft(request: Request) -> Response:
    st = state(request)
    desk = st.desk(request.path_params["name"])
    settings = st.models.settings()
    channel = await run_in_threadpool(desk.start_draft, settings)
    return JSONResponse({"job": channel.id}, status_code=202)


async def events(request: Request) -> Response:
    """The current (or last) job's events, as Server-Sent Events."""
    st = state(request)
    desk = st.desk(request.path_params["name"])
    channel = desk.job or desk.last_job
    wanted = request.query_params.get("job", "")
    if channel is None or (wanted and wanted != str(channel.id)):
        return Response(status_code=204)  # nothing to listen to: EventSource stops reconnecting
    last = request.headers.get("last-event-id", "")
    start = int(last) if last.isdigit() else 0
    return StreamingResponse(
        channel.stream(start),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )


async def revision_action(request: Request) -> Response:
    """revise / retry / edit / regenerate / restore / accept / reject / undo / redo / pin / unpin."""
    st = state(request)
    desk = st.desk(request.path_params["name"])
    action = request.path_params["action"]
    payload = await _json(request)
    settings = st.models.settings()
    if_match = request.headers.get("if-match")
    section = _text(payload, "section", 40)
    if action == "revise":
        instruction = _text(payload, "instruction", 4000)
        channel = await run_in_threadpool(
            desk.start_revision, settings, if_match, lambda s, on: s.revise(section, instruction, on)
        )
        return JSONResponse({"job": channel.id}, status_code=202)
    if action == "retry":
        channel = await run_in_threadpool(desk.start_revision, settings, if_match, lambda s, on: s.retry(on))
        return JSONResponse({"job": channel.id}, status_code=202)
    if action == "edit":
        text = _text(payload, "text", 50000)
        proposal = await run_in_threadpool(desk.propose, settings, if_match, lambda s: s.edit(section, text))
        return JSONResponse({"proposal": proposal})
    if action in ("regenerate", "restore"):
        proposal = await run_in_threadpool(
            desk.propose, settings, if_match, lambda s: getattr(s, action)(section)
        )
        return JSONResponse({"proposal": proposal})
    if action == "accept":
        result = await run_in_threadpool(desk.accept, settings, if_match, bool(payload.get("confirm")))
    elif action == "reject":
        await run_in_threadpool(desk.reject, settings)
        result = {}
    elif action in ("undo", "redo"):
        await run_in_threadpool(desk.step, settings, if_match, lambda s: getattr(s, action)())
        result = {}
    elif action in ("pin", "unpin"):
        sentence = _text(payload, "sentence", 5000)
        await run_in_threadpool(
            desk.step, settings, if_match, lambda s: getattr(s, action)(section, sentence)
        )
        result = {}
    else:
        raise InputError(f"不认识的操作“{action}”。")
    return JSONResponse({**result, "etag": desk.etag()})


async def csrf_token(request: Request) -> Response:
    """The CSRF token, for our page when the server was restarted under it (the token is new each
    run). Only a page of this origin can read the answer; the Host check keeps other names out."""
    return JSONResponse({"csrf": state(request).csrf}, headers={"cache-control": "no-store"})


routes = [
    Route("/api/csrf", csrf_token, methods=["GET"]),
    Route("/api/reports", create_report, methods=["POST"]),
    Route("/api/settings", change_settings, methods=["POST"]),
    Route("/api/r/{name}/data", get_data, methods=["GET"]),
    Route("/api/r/{name}/data", patch_data, methods=["PATCH"]),
    Route("/api/r/{name}/draft", start_draft, methods=["POST"]),
    Route("/api/r/{name}/events", events, methods=["GET"]),
    Route("/api/r/{name}/{action}", revision_action, methods=["POST"]),
]
