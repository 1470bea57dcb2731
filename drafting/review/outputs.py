"""Everything a review hands the reviewer, written in one pass over the records: the dashboard, the
finding lists (CSV, .xlsx) and one 整改清单 per agency — with the reviewer's decisions applied.

Reports are taken one at a time from the cache in agency order, so each agency's 整改清单 is written
as soon as its last report has passed and memory holds one agency's findings at most. Every file
appears only when complete; the 整改清单 folder is replaced as a whole, so an agency that has fixed
everything since the last run no longer has a list in it.
"""

from __future__ import annotations

import datetime as dt
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
from .decisions import read_decisions
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
    notices: list[Path] = []
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
                    notices += _notice(group, staging, office, today)
                    group = []
                group.append(r)
            notices += _notice(group, staging, office, today)
        unmatched = len(set(decisions) - totals.decided)
        dashboard.finish(totals, unmatched)
    except BaseException as exc:
        dashboard.abort(type(exc), exc, exc.__traceback__)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    folder = out_dir / notice.FOLDER
    _replace_folder(staging, folder)
    return Outputs(
        totals,
        out_dir / DASHBOARD_NAME,
        out_dir / CSV_NAME,
        out_dir / XLSX_NAME,
        [folder / p.name for p in notices],
        decisions_path if decisions_path.exists() else None,
        unmatched,
    )


def _order(item: Item) -> tuple[str, int, str]:
    return (agency_key(item.agency), item.year or 0, item.source.relative)


def _notice(group: list[Reviewed], folder: Path, office: str, today: dt.date) -> list[Path]:
    """The agency's 整改清单, when it has something to correct or verify."""
    if not group or not group[0].item.agency:
        return []
    reports = [r for r in group if r.live or r.item.status == UNREADABLE]
    if not reports:
        return []
    agency = group[0].item.agency
    name = notice.file_name(agency, Path(group[0].item.source.relative).stem)
    path = folder / name
    n = 2
    while path.exists():  # two agencies whose names differ only in characters a file name drops
        path = folder / f"{Path(name).stem}（{n}）.docx"
        n += 1
    atomic_write(path, notice.render(agency, reports, office, today))
    return [path]


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
