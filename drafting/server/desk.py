"""One report's draft on the server: drafting it, and revising it with the same ``RevisionSession``
as ``drafting revise``.

A desk runs one job at a time (a draft, or a model's revision): one revision in flight per draft.
Every change the session saves is guarded twice: by the draft file's ETag the page sends (a draft
changed by the CLI or another tab is refused with 412, never overwritten), and by the session's own
digest check when it saves; both inside the draft's save lock (``Workspace.save_lock``). When the file changed and nothing is pending, the session is opened
again from the file, as reopening ``drafting revise`` would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..errors import DraftingError, InputError
from .events import Channel, TextDeltas, run_in_thread
from .workspace import Workspace, etag_of, stamp

if TYPE_CHECKING:
    from ..config import Settings
    from ..data.model import ReportData
    from ..document import Draft
    from ..narrative import SectionOutcome, SectionWriter
    from ..revise.checking import RevisionFinding
    from ..revise.session import Proposal, RevisionSession


class Busy(DraftingError):
    def __init__(self, what: str) -> None:
        super().__init__(f"本报告正在{what}，请等它完成后再操作。")


class DraftStale(DraftingError):
    def __init__(self) -> None:
        super().__init__(
            "草稿文件已在别处改动（可能是命令行的 drafting revise 或 drafting draft，或另一个浏览器标签页），"
            "本次操作没有保存。",
            hint="请重新载入页面，看到最新的草稿后再修改。",
        )


class NeedsConfirm(DraftingError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"这次修改会带来 {len(errors)} 处新的错误，确定要接受吗？")
        self.errors = errors


class Desk:
    def __init__(self, ws: Workspace, data: Path) -> None:
        self.ws = ws
        self.data = data
        self.draft = ws.draft_path(data)
        self.lock = threading.RLock()
        self.job: Channel | None = None
        self.last_job: Channel | None = None
        self._session: RevisionSession | None = None
        self._session_key: tuple[Any, ...] = ()
        self._cached: dict[str, tuple[Any, Any]] = {}

    # --- the draft file -----------------------------------------------------------------------

    def etag(self) -> str:
        try:
            return etag_of(self.draft.read_bytes())
        except OSError:
            return '"none"'

    def _check(self, if_match: str | None) -> None:
        if if_match is None or if_match != self.etag():
            raise DraftStale()

    def _free(self) -> None:
        if self.job is not None:
            raise Busy("起草" if self.job.kind == "draft" else "修订")

    def cached(self, name: str, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()``, kept while ``key`` (a file's stamp) is unchanged: the draft page's checks
        and the data's hash are worked out once per change, not once per view."""
        held = self._cached.get(name)
        if held is not None and held[0] == key:
            return held[1]
        value = compute()
        self._cached[name] = (key, value)
        return value

    def findings(self, draft: Draft) -> list[dict[str, Any]]:
        """``drafting check DRAFT --data DATA --final``, once per change of either file."""
        from . import views

        key = (stamp(self.draft), stamp(self.data), len(draft.history))
        return list(self.cached("findings", key, lambda: views.findings(self.draft, self.data, draft)))

    def data_hash(self) -> str:
        def compute() -> str:
            from ..data import load_data
            from ..draft import data_hash

            try:
                return data_hash(load_data(self.data).data)
            except DraftingError:
                return ""

        return str(self.cached("data_hash", stamp(self.data), compute))

    # --- drafting -----------------------------------------------------------------------------

    def start_draft(self, settings: Settings) -> Channel:
        """Draft the data file into ``drafts/`` as ``drafting draft`` does (accepted edits kept
        where their data did not change), telling the page as each section is written."""
        from ..draft import draft_file
        from ..narrative import writer_for
        from ..writers import DEFAULT_FORMATS

        with self.lock:
            self._free()
            writer = writer_for(settings)  # a missing key stops here, before any request
            channel = Channel("draft")
            self.job = self.last_job = channel

        def work() -> None:
            try:
                outcome = draft_file(
                    self.data,
                    self.ws.drafts,
                    DEFAULT_FORMATS,
                    writer=Progress(writer, channel),
                    concurrency=settings.concurrency,
                )
            except Exception as exc:  # a bug of ours: the page says so, the server goes on
                self._end(channel, "failed", internal(exc))
                return
            finally:
                writer.close()
            if outcome.error is not None:
                failed = error_json(outcome.error, self.ws)
                if failed.get("issues"):
                    failed["data_url"] = f"/r/{quote(self.data.name)}"
                self._end(channel, "failed", failed)
                return
            assert outcome.written is not None
            written = outcome.written.draft
            notes = [f"{s.heading}{s.title}：{n}" for s in written.sections for n in s.notes]
            kept = [s.heading + s.title for s in written.sections if s.edited]
            self._end(
                channel,
                "done",
                {"notes": notes, "kept": kept, "files": [p.name for p in outcome.written.files]},
            )

        run_in_thread(work, f"draft {self.data.name}")
        return channel

    def _end(self, channel: Channel, event: str, data: dict[str, Any]) -> None:
        with self.lock:
            self.job = None
            if channel.kind == "draft":
                self._drop_session()
        channel.close(event, data)

    # --- the revision session -----------------------------------------------------------------

    def session(self, settings: Settings) -> RevisionSession:
        """The session on the draft file, opened again when the file changed under it (and no
        proposal waits) or when the model setting changed."""
        from ..revise.session import RevisionSession, backend_for

        with self.lock:
            now = stamp(self.draft)
            key = (now, settings.model, settings.base_url, settings.api_key_env)
            current = self._session
            if current is not None and current.pending is None and key != self._session_key:
                self._drop_session()
                current = None
            if current is None:
                if not self.draft.is_file():
                    raise InputError("这份报告还没有草稿。", hint="请先点击“起草”。")
                backend = backend_for(settings) if settings.model.strip().lower() != "offline" else None
                current = RevisionSession(self.draft, backend)
                self._session = current
                self._session_key = key
            return current

    def _drop_session(self) -> None:
        if self._session is not None:
            self._session.close()
        self._session = None
        self._session_key = ()

    def _saved(self, session: RevisionSession) -> None:
        """After a change is saved: the documents beside the draft follow (``revise`` does this on
        quitting; here there is no quitting), and the session key follows the file."""
        session.finish()
        self._session_key = (stamp(self.draft), *self._session_key[1:])

    def start_revision(
        self,
        settings: Settings,
        if_match: str | None,
        action: Callable[[RevisionSession, TextDeltas], Proposal],
    ) -> Channel:
        with self.lock:
            self._free()
            self._check(if_match)
            session = self.session(settings)
            if session.backend is None:
                from ..revise.locked import needs_model

                raise needs_model()
            channel = Channel("revise")
            self.job = self.last_job = channel

        def work() -> None:
            try:
                proposal = action(session, TextDeltas(channel))
            except DraftingError as exc:
                self._end(channel, "failed", error_json(exc, self.ws))
                return
            except Exception as exc:
                self._end(channel, "failed", internal(exc))
                return
            self._end(channel, "proposal", proposal_json(proposal))

        run_in_thread(work, f"revise {self.data.name}")
        return channel

    def propose(
        self, settings: Settings, if_match: str | None, action: Callable[[RevisionSession], Proposal]
    ) -> dict[str, Any]:
        """A proposal that needs no model (a manual edit, the section regenerated)."""
        with self.lock:
            self._free()
            self._check(if_match)
            return proposal_json(action(self.session(settings)))

    def accept(self, settings: Settings, if_match: str | None, confirm: bool) -> dict[str, Any]:
        with self.lock, self.ws.save_lock(self.draft):
            self._free()
            self._check(if_match)
            session = self.session(settings)
            pending = session.pending
            if pending is None:
                raise InputError("没有待接受的修改。")
            errors = [f.render() for f in pending.new_errors]
            if errors and not confirm:
                raise NeedsConfirm(errors)
            entry = session.accept()
            self._saved(session)
            return {"entry": entry.n}

    def reject(self, settings: Settings) -> None:
        with self.lock:
            self._free()
            self.session(settings).reject()

    def step(
        self, settings: Settings, if_match: str | None, action: Callable[[RevisionSession], Any]
    ) -> None:
        """Undo, redo, pin, unpin: a change saved at once."""
        with self.lock, self.ws.save_lock(self.draft):
            self._free()
            self._check(if_match)
            session = self.session(settings)
            action(session)
            self._saved(session)

    def pending(self, settings: Settings) -> dict[str, Any] | None:
        with self.lock:
            if self._session is None or self._session.pending is None:
                return None
            return proposal_json(self._session.pending)


class Progress:
    """A section writer that tells the page as each section starts and ends."""

    def __init__(self, inner: SectionWriter, channel: Channel) -> None:
        self.inner = inner
        self.channel = channel

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def prompt_versions(self) -> dict[str, str]:
        return self.inner.prompt_versions

    def write(self, section: str, data: ReportData) -> SectionOutcome:
        from .. import official

        label = official.section_label(section)
        self.channel.publish("section", {"id": section, "label": label, "state": "writing"})
        outcome = self.inner.write(section, data)
        self.channel.publish(
            "section",
            {
                "id": section,
                "label": label,
                "state": "fallback" if outcome.fell_back else "done",
                "backend": outcome.backend,
                "notes": outcome.notes,
            },
        )
        return outcome

    def close(self) -> None:
        self.inner.close()


# --- JSON for the page ---------------------------------------------------------------------------


def error_json(exc: DraftingError, ws: Workspace | None = None) -> dict[str, Any]:
    """Our error as the page shows it: the message and what to do, the workspace's folder left out
    of paths; a data file's issues, each at its cell (for the page to list and link)."""
    from ..errors import DataError
    from .reports import issue_json

    def plain(text: str) -> str:
        return ws.plain(text) if ws is not None else text

    out: dict[str, Any] = {"message": plain(exc.message), "hint": plain(exc.hint)}
    if isinstance(exc, NeedsConfirm):
        out["confirm"] = exc.errors
    if isinstance(exc, DataError):
        out["issues"] = [issue_json(i) for i in exc.issues]
    return out


def internal(exc: Exception) -> dict[str, Any]:
    """A bug of ours, as the page says it (no detail that could carry a secret); the terminal that
    runs ``drafting serve`` gets the traceback when ``DRAFTING_DEBUG`` is set, as the CLI does."""
    import os
    import sys
    import traceback

    if os.environ.get("DRAFTING_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    return {
        "message": f"内部错误：{type(exc).__name__}。这是本工具的问题，不是您的数据的问题。",
        "hint": "请重试；如仍出错，请在启动 drafting serve 前设置环境变量 DRAFTING_DEBUG=1，重试后把终端中显示的内容和操作步骤反馈给维护者。",
    }


def finding_json(f: RevisionFinding) -> dict[str, Any]:
    """A finding on a proposed revision: the library's finding, whether the change brought it, and
    the line the terminal loop prints for it."""
    return {**f.finding.as_dict(), "new": f.new, "text": f.render()}


def proposal_json(p: Proposal) -> dict[str, Any]:
    from ..textdiff import pieces, summary

    before, after = "\n".join(p.before.paragraphs), "\n".join(p.after.paragraphs)
    return {
        "section": p.section,
        "kind": p.kind,
        "instruction": p.instruction,
        "changed": p.changed,
        "diff": [{"op": piece.op, "text": piece.text} for piece in pieces(before, after)],
        "summary": summary(before, after),
        "after": p.after.paragraphs,
        "findings": [finding_json(f) for f in p.findings],
        "new_errors": len(p.new_errors),
        "restored": p.restored,
        "model": p.model,
    }
