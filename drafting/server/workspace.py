"""A workspace: one folder whose data files are the reports, with their drafts in ``drafts/``, the
same place ``drafting draft FILE`` (run in the folder) writes them.

Every path a request names is a report's file name, resolved and checked to be a file directly in
the folder: nothing outside it (``..``, absolute paths, links leading out) can be reached.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError, DraftingError, InputError

if TYPE_CHECKING:
    from ..data.load import Loaded
    from ..document import Draft

DATA_SUFFIXES = (".yaml", ".yml", ".json")
WORKBOOK_SUFFIX = ".xlsx"
DRAFTS = "drafts"
DRAFT_SUFFIX = ".draft.json"
SAVE_WAIT = 10.0  # seconds a save from the page waits for another window's save of the same file
_BAD_NAME = re.compile(r"[\x00-\x1f/\\:*?\"<>|]")


class NotInWorkspace(InputError):
    """A name that is not a report of this workspace."""


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


@dataclass(frozen=True)
class Status:
    """What the home page says about a report."""

    key: str  # error | todo | ready | nodraft | stale | unreadable
    label: str  # 数据有误 / 待补充 N 处 / 可发布 / …
    detail: str = ""


@dataclass(frozen=True)
class Workbook:
    """An Excel data sheet in the folder, and the data file made from it (None while there is none)."""

    name: str
    converted: str | None = None


@dataclass(frozen=True)
class Summary:
    name: str
    title: str
    status: Status
    has_draft: bool
    revisions: int


class Workspace:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.drafts = self.root / DRAFTS
        self._summaries: dict[str, tuple[tuple[Any, ...], Summary]] = {}

    # --- names and paths ----------------------------------------------------------------------

    def data_files(self) -> list[Path]:
        found = [
            p
            for p in self.root.iterdir()
            if p.suffix.lower() in DATA_SUFFIXES
            and not p.name.startswith(".")
            and not p.name.endswith(DRAFT_SUFFIX)
            and p.is_file()
        ]
        return sorted(found, key=lambda p: p.name)

    def workbooks(self) -> list[Workbook]:
        """Excel data sheets (``drafting init --xlsx``) lying in the folder, each with the data file
        it was converted to, if there is one: the page edits data files, so a workbook is offered
        for conversion (the workbook itself is never changed)."""
        found = [
            p
            for p in self.root.iterdir()
            if p.suffix.lower() == WORKBOOK_SUFFIX and not p.name.startswith((".", "~$")) and p.is_file()
        ]
        out = []
        for path in sorted(found, key=lambda p: p.name):
            converted = next(
                (c.name for c in (path.with_suffix(s) for s in DATA_SUFFIXES) if c.is_file()), None
            )
            out.append(Workbook(path.name, converted))
        return out

    def workbook_path(self, name: str) -> Path:
        """The Excel workbook a name stands for; ``NotInWorkspace`` for anything else."""
        path = (self.root / name).resolve() if name and not _BAD_NAME.search(name) else None
        if (
            path is None
            or name.startswith((".", "~$"))
            or path.suffix.lower() != WORKBOOK_SUFFIX
            or path.parent != self.root
            or not path.is_file()
        ):
            raise NotInWorkspace(f"本工作区中没有 Excel 数据表“{name}”。", hint="请回到首页选择。")
        return path

    def data_path(self, name: str) -> Path:
        """The data file a name stands for; ``NotInWorkspace`` for anything else."""
        if (
            not name
            or _BAD_NAME.search(name)
            or name.startswith(".")
            or Path(name).suffix.lower() not in DATA_SUFFIXES
            or name.endswith(DRAFT_SUFFIX)
        ):
            raise NotInWorkspace(f"“{name}”不是本工作区中的数据文件。")
        path = (self.root / name).resolve()
        if path.parent != self.root or not path.is_file():
            raise NotInWorkspace(f"本工作区中没有数据文件“{name}”。", hint="请回到首页选择报告。")
        return path

    def new_data_path(self, name: str) -> Path:
        """Where a new report named ``name`` goes; refused if it exists or leaves the folder."""
        name = name.strip()
        if not name:
            raise InputError("请填写文件名。")
        if Path(name).suffix.lower() not in DATA_SUFFIXES:
            name += ".yaml"
        if _BAD_NAME.search(name) or name.startswith(".") or name.endswith(DRAFT_SUFFIX):
            raise InputError(f"文件名“{name}”不可用。", hint='文件名不能含有 / \\ : * ? " < > | 等字符。')
        path = (self.root / name).resolve()
        if path.parent != self.root:
            raise InputError(f"文件名“{name}”不可用。")
        if path.exists():
            raise InputError(f"工作区中已有“{name}”，未做改动。", hint="请换一个文件名。")
        return path

    def plain(self, text: str) -> str:
        """A message of the library with the workspace's folder left out of its paths: the page
        names the files of its folder by name (``drafts/…`` for the drafts)."""
        return text.replace(f"{self.root}{os.sep}", "")

    def draft_path(self, data: Path) -> Path:
        return self.drafts / f"{data.stem}{DRAFT_SUFFIX}"

    @contextmanager
    def save_lock(self, path: Path) -> Iterator[None]:
        """Hold the save lock of ``path`` (a data file or a draft) from the moment a save checks
        what is on disk (its ETag, the session's digest) until its rename is done.

        The one place the server takes a lock: ``drafting.locks.file_lock``, the per-file lock
        across processes and threads that ``drafting revise`` and ``drafting draft`` take too, so
        a save from the page and one from the command line never interleave. A page waits at most
        ``SAVE_WAIT`` seconds and is then told the file is being changed elsewhere (409)."""
        from ..locks import file_lock

        with file_lock(path, timeout=SAVE_WAIT):
            yield

    # --- reading --------------------------------------------------------------------------------

    @staticmethod
    def etag(path: Path) -> str:
        try:
            return etag_of(path.read_bytes())
        except OSError:
            return '"none"'

    def summaries(self) -> list[Summary]:
        return [self.summary(p) for p in self.data_files()]

    def summary(self, path: Path) -> Summary:
        """A report's status, kept until its data file or draft changes."""
        draft = self.draft_path(path)
        key = (stamp(path), stamp(draft))
        cached = self._summaries.get(path.name)
        if cached is not None and cached[0] == key:
            return cached[1]
        summary = _summarise(path, draft)
        self._summaries[path.name] = (key, summary)
        return summary


def stamp(path: Path) -> tuple[int, int] | None:
    """When a file last changed, and its size: enough to tell that someone wrote it."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _summarise(path: Path, draft_path: Path) -> Summary:
    from ..data import load_data

    try:
        loaded = load_data(path)
    except DataError as exc:
        errors = sum(1 for i in exc.issues if i.is_error)
        return Summary(
            path.name, path.stem, Status("error", "数据有误", f"{errors} 处错误"), draft_path.exists(), 0
        )
    except DraftingError as exc:
        shown = exc.message.replace(f"{path.parent}{os.sep}", "")
        return Summary(path.name, path.stem, Status("unreadable", "无法读取", shown), draft_path.exists(), 0)
    draft = _draft(draft_path)
    status = report_status(loaded, draft, path, draft_path)
    revisions = len(draft.history) if draft is not None else 0
    return Summary(path.name, loaded.data.title, status, draft is not None, revisions)


def _draft(path: Path) -> Draft | None:
    from ..document import load_draft

    if not path.is_file():
        return None
    try:
        return load_draft(path)
    except DraftingError:
        return None


def report_status(loaded: Loaded, draft: Draft | None, data_path: Path, draft_path: Path) -> Status:
    """数据有误 / 待补充 N 处 / 草稿有误 / 可发布, as ``drafting check DRAFT --data DATA --final``
    judges the draft (``check.final_findings``: 【待补充】 and empty 问题/改进 are not publishable).
    Before there is a current draft, the offline draft the data would give is judged instead, so
    the places still to fill are counted from the start."""
    from ..check import TO_FILL, check_file, final_findings
    from ..checks import run_checks
    from ..draft import data_hash, draft_report

    current = draft is not None and draft.provenance.data_hash == data_hash(loaded.data)
    if current:
        findings = check_file(draft_path, data_path, final=True)
    else:
        would_be = draft_report(loaded)
        findings = final_findings(run_checks(would_be, loaded.data), would_be, loaded.data)
    to_fill = sum(1 for f in findings if f.rule in TO_FILL and f.is_error)
    if to_fill:
        detail = "尚未起草" if draft is None else "" if current else "数据已改动，尚未重新起草"
        return Status("todo", f"待补充 {to_fill} 处", detail)
    if draft is None:
        return Status("nodraft", "未起草", "数据已齐，可以起草")
    if not current:
        return Status("stale", "草稿待更新", "数据已改动，请重新起草")
    errors = sum(1 for f in findings if f.is_error)
    if errors:
        return Status("error", "草稿有误", f"检查发现 {errors} 处错误")
    warnings = len(findings)
    return Status("ready", "可发布", f"另有 {warnings} 条提示，请核对" if warnings else "")
