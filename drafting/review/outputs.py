"""Everything a review hands the reviewer, written in one pass over the records: the dashboard, the
finding lists (CSV, .xlsx) and one 整改清单 per agency — with the reviewer's decisions applied.

Reports are taken one at a time from the cache in agency order, so each agency's 整改清单 is written
as soon as its last report has passed and memory holds one agency's findings at most. Every file
appears only when complete; the 整改清单 folder is replaced as a whole, so an agency that has fixed
everything since the last run no longer has a list in it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import OutputError, os_reason
from ..files import atomic_write
from . import notice
from .agencies import agency_key
from .dashboard import NAME as DASHBOARD_NAME
from .dashboard import Dashboard
from .decisions import Decision, read_decisions
from .examine import UNREADABLE
from .exports import CSV_NAME, XLSX_NAME, FindingLists
from .judged import Reviewed, Totals, judge
from .run import Item, Review


@dataclass
class Outputs:
    totals: Totals
    dashboard: Path
    csv: Path
    xlsx: Path
    notices: list[Path] = field(default_factory=list)
    decisions: Path | None = None  # the decisions file read, when it exists
    unmatched_decisions: int = 0


def write_outputs(
    review: Review,
    *,
    office: str = "",
    today: dt.date | None = None,
    sink: Callable[[Reviewed], None] | None = None,
) -> Outputs:
    """Write the review's outputs into its ``out_dir``; ``sink`` sees each reviewed report too (the
    command's ``--json``)."""
    out_dir = review.options.out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建输出文件夹 {out_dir}：{os_reason(exc)}。") from None
    decisions_path = review.options.decisions_path
    decisions = read_decisions(decisions_path)
    today = today or dt.date.today()
    totals = Totals()
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=".整改清单."))
    staging.chmod(out_dir.stat().st_mode & 0o777)  # mkdtemp's folder is private; the lists are not
    folder = out_dir / notice.FOLDER
    lists_made = _Notices(folder, staging, office, today, review.cache.version, decisions)
    dashboard = Dashboard(review, decisions_path.exists())
    try:
        with FindingLists(out_dir) as lists:
            group: list[Reviewed] = []
            for item in sorted(review.items, key=_order):
                r = judge(item, review.record(item), decisions)
                totals.add(r)
                dashboard.add(r)
                lists.add(r)
                if sink is not None:
                    sink(r)
                if group and agency_key(group[0].item.agency) != agency_key(item.agency):
                    lists_made.add(group)
                    group = []
                group.append(r)
            lists_made.add(group)
            lists_made.finish()
        unmatched = len(set(decisions) - totals.decided)
        dashboard.finish(totals, unmatched)
    except BaseException as exc:
        dashboard.abort(type(exc), exc, exc.__traceback__)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _replace_folder(staging, folder)
    return Outputs(
        totals,
        out_dir / DASHBOARD_NAME,
        out_dir / CSV_NAME,
        out_dir / XLSX_NAME,
        [folder / p.name for p in lists_made.written],
        decisions_path if decisions_path.exists() else None,
        unmatched,
    )


def _order(item: Item) -> tuple[str, int, str]:
    return (agency_key(item.agency), item.year or 0, item.source.relative)


class _Notices:
    """The 整改清单 of each agency that has something to correct or verify, written into ``staging``.
    A list whose inputs are unchanged since the last run — the same records, decisions, sender and
    date — is taken from the last run's folder instead of being set again (python-docx takes tens
    of milliseconds a document: most of a re-run, were it not for this)."""

    INDEX = ".index.json"

    def __init__(
        self,
        folder: Path,
        staging: Path,
        office: str,
        today: dt.date,
        version: str,
        decisions: dict[str, Decision],
    ) -> None:
        self.folder = folder
        self.staging = staging
        self.office = office
        self.today = today
        self.version = version
        self.decisions = decisions
        self.written: list[Path] = []
        self.index: dict[str, str] = {}
        try:
            old = json.loads((folder / self.INDEX).read_text(encoding="utf-8"))
            self.old: dict[str, str] = old if isinstance(old, dict) else {}
        except (OSError, ValueError):
            self.old = {}

    def add(self, group: list[Reviewed]) -> None:
        if not group or not group[0].item.agency:
            return
        reports = [r for r in group if r.to_send or r.item.status == UNREADABLE]
        if not reports:
            return
        agency = group[0].item.agency
        name = notice.file_name(agency, Path(group[0].item.source.relative).stem)
        path = self.staging / name
        n = 2
        while path.exists():  # two agencies whose names differ only in characters a file name drops
            path = self.staging / f"{Path(name).stem}（{n}）.docx"
            n += 1
        digest = self._digest(agency, reports)
        old = self.folder / path.name
        if self.old.get(path.name) == digest and old.is_file():
            shutil.copy2(old, path)
        else:
            atomic_write(path, notice.render(agency, reports, self.office, self.today))
        self.index[path.name] = digest
        self.written.append(path)

    def _digest(self, agency: str, reports: list[Reviewed]) -> str:
        parts: list[object] = [self.version, agency, self.office, self.today.isoformat()]
        for r in reports:
            decided = [
                (j.finding.get("fingerprint"), j.decision, j.comment) for j in r.findings if j.decision
            ]
            parts.append(
                [r.item.key, r.item.status, r.item.source.relative, r.item.title, r.item.year, decided]
            )
        text = json.dumps(parts, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def finish(self) -> None:
        atomic_write(self.staging / self.INDEX, json.dumps(self.index, ensure_ascii=False, indent=0))


def _replace_folder(new: Path, target: Path) -> None:
    """Put the folder ``new`` in the place of ``target`` (the old one removed once it is out of the
    way): a reader sees the old lists or the new ones."""
    old = target.with_name(f".{target.name}.old")
    try:
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        new.rename(target)
    except OSError as exc:
        if old.exists() and not target.exists():
            old.rename(target)
        raise OutputError(f"无法写入整改清单文件夹 {target}：{os_reason(exc)}。") from None
    shutil.rmtree(old, ignore_errors=True)
