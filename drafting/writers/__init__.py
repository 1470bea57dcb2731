"""Rendering a draft into the documents an office publishes (writing them is ``drafting.files``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    from ..document import Draft


# The module of each format's writer. Only the one a format needs is imported: each pulls in its
# own library (python-docx, jinja2, LibreOffice's helpers), and the offline md draft needs none.
_MODULES = {"md": "markdown", "txt": "text", "docx": "docx", "html": "html", "pdf": "pdf"}
FORMATS = tuple(_MODULES)
DEFAULT_FORMATS = ("md", "docx")


def render(draft: Draft, fmt: str) -> str | bytes:
    """The draft as one document: ``str`` for text formats, ``bytes`` for docx and pdf. Either goes
    straight to ``files.atomic_write``."""
    if fmt not in _MODULES:
        raise InputError(
            f"不支持的输出格式“{fmt}”。",
            hint=f"可用的格式：{'、'.join(FORMATS)}（用逗号分隔，如 --format md,docx）。",
        )
    module = importlib.import_module(f"{__name__}.{_MODULES[fmt]}")
    writer: Callable[[Draft], str | bytes] = module.render
    return writer(draft)
