"""One report read and checked — against last year's report when it has one — as the record the
review keeps: what was read (title, agency, year), every finding, and the drill-down's view.

This is the work a process of the pool does. It goes through the public calls every front end
uses (``reading.read_report`` and ``checks.run_checks``), so whatever the reader and the checks
learn reaches the reviewer as it reaches ``drafting check``. A file that cannot be read is a record
too, with the reason in Chinese (a scan without a text layer, an old .doc, a page that is not a
report): counted and shown, never given findings. A report read in part (a table the reader could
not read with confidence) is checked on what was read; the rules that needed the rest are recorded
as not assessed, with the reader's reason (``checks.assess``).

Records are plain JSON values: they cross from the worker to the main process and into the cache.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

from ..errors import DraftingError
from .cache import Packed, pack

FAILED = "failed"  # our own error while reading or checking: shown, not cached (retried next run)
UNREADABLE = "unreadable"
READ = "read"


def warm() -> None:
    """Start a worker: import the reader and the checks once, and leave Ctrl-C to the main
    process (which stops the pool itself and keeps what was done)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .. import checks, reading  # noqa: F401


def examine(path: str, previous: str | None = None) -> dict[str, Any]:
    """The record of the report at ``path`` (checked against the report at ``previous``)."""
    from ..checks import assess
    from ..reading import read_report
    from .view import report_view

    started = time.perf_counter()
    try:
        report = read_report(Path(path))
    except DraftingError as exc:
        return _record(UNREADABLE, started, reason=_reason(exc, path))
    except Exception as exc:  # a bug of ours on this file: the review goes on with the others
        return _record(FAILED, started, reason=f"内部错误（{type(exc).__name__}），请反馈此文件")
    last = None
    last_reason = ""
    if previous is not None:
        try:
            last = read_report(Path(previous))
        except DraftingError as exc:
            last_reason = _reason(exc, previous)
        except Exception as exc:
            last_reason = f"内部错误（{type(exc).__name__}）"
    try:
        # What the reader could not read with confidence is not judged: those rules are listed as
        # not assessed, with the reason, as ``drafting check`` lists them.
        outcome = assess(report, None, last)
        findings = outcome.findings
        view = report_view(report, findings)
    except Exception as exc:
        return _record(FAILED, started, reason=f"检查时出现内部错误（{type(exc).__name__}），请反馈此文件")
    return _record(
        READ,
        started,
        title=report.title,
        agency=report.agency,
        year=report.year,
        kind=report.kind,
        findings=[f.as_dict() for f in findings],
        not_assessed=[n.as_dict() for n in outcome.not_assessed],
        view=view,
        previous={"title": last.title, "year": last.year} if last is not None else None,
        previous_reason=last_reason,
    )


def examine_packed(path: str, previous: str | None = None) -> Packed:
    """``examine``, its record packed for the cache here in the worker (``cache.pack``)."""
    return pack(examine(path, previous))


def _record(status: str, started: float, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "status": status,
        "reason": "",
        "title": "",
        "agency": "",
        "year": None,
        "kind": "",
        "findings": [],
        "not_assessed": [],
        "view": None,
        "previous": None,
        "previous_reason": "",
    }
    base.update(fields)
    base["seconds"] = round(time.perf_counter() - started, 4)
    return base


def failure(reason: str) -> dict[str, Any]:
    """The record of a file our own code failed on."""
    return _record(FAILED, time.perf_counter(), reason=reason)


def _reason(exc: DraftingError, path: str) -> str:
    """The reader's message without the file's path (the record is kept by content, and the
    dashboard names the file itself), with its hint."""
    message = exc.message.replace(f"{path}：", "").replace(path, "该文件")
    return f"{message}{exc.hint}" if exc.hint else message
