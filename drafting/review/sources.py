"""The report files under a folder, and what names their content.

Every ``.html``/``.htm``/``.pdf``/``.docx``/``.txt``/``.md`` under the folder, recursively, in a
stable order. Left out: hidden files and folders (``.git``, ``.cache``), Word's lock files
(``~$报告.docx``), and the review's own output folder when it sits inside the reviewed one — its
整改清单 are .docx files too.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import InputError, os_reason

SUFFIXES = (".html", ".htm", ".pdf", ".docx", ".txt", ".md")


def find_reports(folder: Path, exclude: tuple[Path, ...] = ()) -> list[Path]:
    """The report files under ``folder`` (sorted by their path under it)."""
    if not folder.exists():
        raise InputError(f"找不到文件夹 {folder}。", hint="请检查路径是否正确。")
    if not folder.is_dir():
        raise InputError(
            f"{folder} 不是文件夹。",
            hint="drafting review 检查一个文件夹中的全部报告；单份报告请用 drafting check。",
        )
    skip = {p.resolve() for p in exclude}
    found: list[Path] = []
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() not in skip)
        for name in sorted(files):
            if name.startswith((".", "~$")):
                continue
            if Path(name).suffix.lower() in SUFFIXES:
                found.append(here / name)
    if errors and not found:
        raise InputError(f"无法读取文件夹 {folder}：{os_reason(errors[0])}。")
    return sorted(found, key=lambda p: relative(p, folder))


def relative(path: Path, folder: Path) -> str:
    """``path`` under ``folder``, with forward slashes (as the manifest names files)."""
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.as_posix()


def content_hash(path: Path) -> str:
    """The SHA-256 of the file's bytes: a file is re-checked when, and only when, this changes."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
