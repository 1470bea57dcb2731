"""The workspace's pages (server-rendered, autoescaped) and its downloads."""

from __future__ import annotations

import json
from functools import cache
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from .. import official
from ..data.model import AGENCY_KINDS
from ..errors import InputError
from .grids import layout, shown, value_at
from .reports import issue_json, read_state
from .state import state

DOWNLOADS = (
    ("docx", "Word 文档（.docx）", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("pdf", "PDF", "application/pdf"),
    ("html", "网页（.html）", "text/html; charset=utf-8"),
    ("md", "Markdown（.md）", "text/markdown; charset=utf-8"),
    ("txt", "纯文本（.txt）", "text/plain; charset=utf-8"),
)
_TYPES = {fmt: mime for fmt, _, mime in DOWNLOADS}


@cache
def _env() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("drafting.server", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["cell_label"] = official.cell_label
    from .views import marked

    env.filters["marked"] = marked
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    st = state(request)
    html = _env().get_template(template).render(csrf=st.csrf, model=st.models.describe(), **context)
    return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})


def error_page(request: Request, status: int, message: str, hint: str = "") -> HTMLResponse:
    return render(request, "error.html.j2", status, message=message, hint=hint, title="出错了")


async def home(request: Request) -> Response:
    st = state(request)
    summaries = await run_in_threadpool(st.ws.summaries)
    return render(
        request,
        "home.html.j2",
        title="年度报告工作区",
        reports=summaries,
        workbooks=st.ws.workbooks(),
        folder=str(st.ws.root),
    )


async def data_page(request: Request) -> Response:
    st = state(request)
    name = request.path_params["name"]
    data = await run_in_threadpool(read_state, st.ws, name)
    lay = layout()
    values = {p: shown(value_at(data.raw, p)) for p in lay.kinds}
    facts = {key: value_at(data.raw, f"facts.{key}") for key, _ in lay.topics}
    facts = {k: (v if isinstance(v, list) else None) for k, v in facts.items()}
    boot = {"etag": data.etag, "issues": [issue_json(i) for i in data.issues], "name": name}
    return render(
        request,
        "data.html.j2",
        title=f"{data.title} · 填写数据",
        name=name,
        data=data,
        layout=lay,
        values=values,
        facts=facts,
        agency_kinds=AGENCY_KINDS,
        boot=json.dumps(boot, ensure_ascii=False),
        has_draft=st.ws.draft_path(st.ws.data_path(name)).is_file(),
    )


async def draft_page(request: Request) -> Response:
    from .. import official as off
    from .. import pins
    from ..draft import never_reached
    from ..revise.session import describe
    from . import views

    st = state(request)
    name = request.path_params["name"]
    desk = st.desk(name)
    if not desk.draft.is_file():
        summary = await run_in_threadpool(st.ws.summary, desk.data)
        return render(request, "nodraft.html.j2", title="尚未起草", name=name, summary=summary)
    settings = st.models.settings()

    def build() -> dict[str, Any]:
        session = desk.session(settings)
        draft = session.draft
        labels = [(s.id, s.short) for s in session.status()]
        sections = []
        for section, status in zip(draft.sections, session.status(), strict=True):
            sections.append(
                {
                    "id": section.id,
                    "heading": section.heading,
                    "title": section.title,
                    "label": status.label,
                    "short": status.short,
                    "paragraphs": section.paragraphs,
                    "pinned": section.pinned,
                    "sentences": [s for _, s in pins.numbered_sentences(section.paragraphs)],
                    "edited": section.edited,
                    "backend": section.backend,
                    "notes": section.notes,
                    "text": "\n".join(section.paragraphs),
                    # An accepted edit the last redraft could not keep: 恢复另存的修改 brings it back.
                    "set_aside": bool(session.set_aside(section.id)),
                }
            )
        undo, redo = session.next_undo(), session.next_redo()
        return {
            "draft": draft,
            "sections": sections,
            "parts": [(p.id, p.heading) for p in off.PARTS],
            "tables": views.tables(draft),
            "findings": (found := desk.findings(draft)),
            "flagged": views.flagged_cells(found),
            "history": [describe(e, labels) for e in reversed(session.history)],
            "undo": describe(undo, labels) if undo else "",
            "redo": describe(redo, labels) if redo else "",
            "etag": desk.etag(),
            "pending": desk.pending(settings),
            "stale": draft.provenance.data_hash != desk.data_hash(),
            "unreached": never_reached(draft),
        }

    context = await run_in_threadpool(build)
    from ..writers.pdf import find_soffice

    has_pdf = find_soffice() is not None
    font_note = await run_in_threadpool(_font_note) if has_pdf else None
    boot = {"etag": context["etag"], "name": name, "pending": context["pending"]}
    return render(
        request,
        "draft.html.j2",
        title=f"{context['draft'].title} · 草稿",
        name=name,
        downloads=DOWNLOADS,
        has_pdf=has_pdf,
        font_note=font_note,
        boot=json.dumps(boot, ensure_ascii=False),
        **context,
    )


async def settings_page(request: Request) -> Response:
    from ..backends.endpoints import PRESETS

    presets = [(name, preset.default_model or "", preset.key_env) for name, preset in PRESETS.items()]
    return render(request, "settings.html.j2", title="模型设置", presets=presets)


async def download(request: Request) -> Response:
    """A document rendered from the draft as it stands (accepted revisions included)."""
    from ..document import load_draft
    from ..writers import render as render_doc

    st = state(request)
    name, fmt = request.path_params["name"], request.path_params["fmt"]
    if fmt not in _TYPES:
        raise InputError(f"不支持的格式“{fmt}”。")
    desk = st.desk(name)
    if not desk.draft.is_file():
        raise InputError("这份报告还没有草稿。", hint="请先点击“起草”。")
    draft = await run_in_threadpool(load_draft, desk.draft)
    content = await run_in_threadpool(render_doc, draft, fmt)
    body = content.encode("utf-8") if isinstance(content, str) else content
    return Response(body, media_type=_TYPES[fmt], headers=_attachment(f"{desk.data.stem}.{fmt}"))


async def check_json(request: Request) -> Response:
    """The check report as ``drafting check … --final --json`` prints it (``_check``)."""
    payload = await run_in_threadpool(_check, request)
    body = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
    st = state(request)
    stem = st.ws.data_path(request.path_params["name"]).stem
    return Response(body, media_type="application/json", headers=_attachment(f"{stem}.check.json"))


async def check_page(request: Request) -> Response:
    from ..checks import CATEGORIES, CATEGORY_LABELS

    payload = await run_in_threadpool(_check, request)
    ws = state(request).ws
    for f in payload["findings"]:  # the page names the workspace's files by name
        f["location"], f["message"] = ws.plain(f["location"]), ws.plain(f["message"])
    groups = [
        (CATEGORY_LABELS[c], [f for f in payload["findings"] if f["category"] == c])
        for c in CATEGORIES
        if any(f["category"] == c for f in payload["findings"])
    ]
    name = request.path_params["name"]
    stem = state(request).ws.data_path(name).stem
    return render(
        request, "check.html.j2", title="检查报告", name=name, stem=stem, payload=payload, groups=groups
    )


def _check(request: Request) -> dict[str, Any]:
    """Exactly ``drafting check drafts/<stem>.draft.json --data <data file> --final --json``."""
    from ..check import check_file
    from ..checks import has_errors

    st = state(request)
    desk = st.desk(request.path_params["name"])
    if not desk.draft.is_file():
        raise InputError("这份报告还没有草稿。", hint="请先点击“起草”。")
    findings = check_file(desk.draft, desk.data, final=True)
    return {"ok": not has_errors(findings), "findings": [f.as_dict() for f in findings]}


async def template_xlsx(request: Request) -> Response:
    """The Excel template ``drafting init --xlsx`` writes."""
    from ..data.excel import template_workbook

    agency = request.query_params.get("agency", "").strip() or "XX市XX局"
    year_text = request.query_params.get("year", "").strip()
    if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
        raise InputError("请填写四位报告年度，如 2025。")
    year = int(year_text)
    body = await run_in_threadpool(template_workbook, agency[:100], year)
    return Response(
        body,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=_attachment(f"report-{year}.xlsx"),
    )


def _attachment(filename: str) -> dict[str, str]:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return {
        "content-disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}",
        "cache-control": "no-store",
    }


async def favicon(request: Request) -> Response:
    return Response(status_code=204)


routes = [
    Route("/", home),
    Route("/favicon.ico", favicon),
    Route("/settings", settings_page),
    Route("/template.xlsx", template_xlsx),
    Route("/r/{name}", data_page),
    Route("/r/{name}/draft", draft_page),
    Route("/r/{name}/check", check_page),
    Route("/r/{name}/check.json", check_json),
    Route("/r/{name}/download/{fmt}", download),
]


@cache
def _font_note() -> str | None:
    """The PDF's substitute fonts, asked of fontconfig once a server run (fonts installed while it
    runs are seen after a restart): the draft page is loaded after every change."""
    from ..writers.pdf import pdf_font_note

    return pdf_font_note()
