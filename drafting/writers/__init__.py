"""Rendering a draft into the documents an office publishes (writing them is ``drafting.files``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    from ..document import Draft

FORMATS = ("md", "txt", "docx", "html", "pdf")
DEFAULT_FORMATS = ("md", "docx")


def _renderers() -> dict[str, Callable[[Draft], str | bytes]]:
    # Each writer imports its library (python-docx, jinja2, LibreOffice) only when it runs.
    from . import docx, html, markdown, pdf, text

    return {
        "md": markdown.render,
        "txt": text.render,
        "docx": docx.render,
        "html": html.render,
        "pdf": pdf.render,
    }


def render(draft: Draft, fmt: str) -> str | bytes:
    """The draft as one document: ``str`` for text formats, ``bytes`` for docx and pdf. Either goes
    straight to ``files.atomic_write``."""
    renderers = _renderers()
    if fmt not in renderers:
        raise InputError(
            f"不支持的输出格式“{fmt}”。",
            hint=f"可用的格式：{'、'.join(FORMATS)}（用逗号分隔，如 --format md,docx）。",
        )
    return renderers[fmt](draft)
