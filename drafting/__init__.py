"""drafting: first drafts and checks of 政府信息公开工作年度报告.

The library behind the ``drafting`` command, for scripts and the coming web workspace::

    from drafting import load_data, draft_report, write_draft, run_checks
    draft = draft_report(load_data("2025.yaml"))
    findings = run_checks(draft)

Names are imported on first use, so ``import drafting`` (and the CLI's start-up) stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_data": "drafting.data.load",
    "draft_report": "drafting.draft",
    "write_draft": "drafting.draft",
    "load_draft": "drafting.document",
    "render": "drafting.writers",
    "run_checks": "drafting.checks",
    "check_file": "drafting.check",
    "check_section": "drafting.checks",
    "Finding": "drafting.checks",
    "get_backend": "drafting.backends.resolve",
    "RevisionSession": "drafting.revise.session",
    "run_eval": "drafting.evaluation.harness",
    "DraftingError": "drafting.errors",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'drafting' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
