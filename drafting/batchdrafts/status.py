"""How batch drafting stands: per batch (the provider's status and counts) and per agency."""

from __future__ import annotations

from dataclasses import dataclass

from ..backends.batch.ledger import Agency, Ledger, Shard
from .clients import Clients, move_endpoint


@dataclass(frozen=True)
class AgencyStatus:
    agency: Agency
    counts: dict[
        str, int
    ]  # its requests by state: queued, sent, ready (sent, batch ended), answered, failed, used

    @property
    def pending(self) -> int:
        return self.counts.get("queued", 0) + self.counts.get("sent", 0)


@dataclass(frozen=True)
class Status:
    shards: list[Shard]
    agencies: list[AgencyStatus]


def status(ledger: Ledger | None = None, *, refresh: bool = True, base_url: str | None = None) -> Status:
    """Every batch and every agency of the ledger; with ``refresh``, the running batches' progress is
    asked of the provider first (nothing is downloaded: that is ``collect``'s). ``base_url``: the
    provider's address changed (``clients.move_endpoint``)."""
    from .collect import refresh as refresh_remote

    own = ledger or Ledger()
    try:
        if base_url:
            move_endpoint(own, base_url)
        if refresh and own.shards(("created",)):
            with Clients() as clients:
                refresh_remote(own, clients, download=False)
        counts = own.counts()
        agencies = [
            AgencyStatus(a, {state: n for (agency_id, state), n in counts.items() if agency_id == a.id})
            for a in own.agencies(("waiting", "written"))
        ]
        return Status(own.shards(), agencies)
    finally:
        if ledger is None:
            own.close()
