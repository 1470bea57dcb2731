"""The eval harness: suites of cases, run over prompt versions × models × repeats, scored by the
check library and each case's expectations, recorded, reported and compared.

``run_eval(EvalOptions(...))`` is the whole eval as one call (``harness.py``). Named ``evaluation``
so it does not clash with the top-level ``evals/`` folder of suites. Names are imported on first
use, so importing one submodule stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "EvalOptions": "drafting.evaluation.harness",
    "EvalResult": "drafting.evaluation.harness",
    "run_eval": "drafting.evaluation.harness",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'drafting.evaluation' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
