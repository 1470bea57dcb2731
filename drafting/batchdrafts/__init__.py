"""Drafting many agencies through a provider's batch API, resumable at every step.

``submit`` renders every section's request exactly as ``draft`` does, records it in the ledger,
writes the JSONL within the provider's limits, uploads it and creates the batch. ``status`` reports
progress per batch and per agency. ``collect`` reads the results and feeds each answer through the
same path as ``draft`` (clean → check → re-ask → fallback), re-asking in real time or in a follow-up
batch, and writes the drafts. ``cancel`` cancels. The provider work is in ``backends.batch``; this
package is the drafting around it (it renders prompts and writes drafts, so it sits beside
``draft.py``, above the backends).
"""

from .collect import AgencyOutcome, Collected, collect
from .send import Submitted, cancel, submit
from .status import AgencyStatus, Status, status

__all__ = [
    "AgencyOutcome",
    "AgencyStatus",
    "Collected",
    "Status",
    "Submitted",
    "cancel",
    "collect",
    "status",
    "submit",
]
