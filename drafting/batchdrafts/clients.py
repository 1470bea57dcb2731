"""The endpoint and batch client of a job, rebuilt from the ledger (which keeps the key's variable,
never the key) with today's settings for timeouts and retries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..backends.batch.dialects import Dialect, dialect_for
from ..backends.batch.ledger import Job

if TYPE_CHECKING:
    from ..backends.batch.client import BatchClient
    from ..config import Endpoint


def job_endpoint(job: Job) -> Endpoint:
    from ..config import resolve_endpoint

    return resolve_endpoint(job.spec, base_url=job.base_url, api_key_env=job.api_key_env)


class Clients:
    """One ``BatchClient`` per endpoint, made on first use (the SDK is imported then)."""

    def __init__(self) -> None:
        self._clients: dict[tuple[str, str, str], BatchClient] = {}

    def dialect(self, job: Job) -> Dialect:
        return dialect_for(job_endpoint(job))

    def for_job(self, job: Job) -> BatchClient:
        key = (job.provider + ":" + job.model, job.base_url, job.api_key_env)
        if key not in self._clients:
            from ..backends.batch.client import BatchClient

            endpoint = job_endpoint(job)
            self._clients[key] = BatchClient(endpoint, dialect_for(endpoint))
        return self._clients[key]

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    def __enter__(self) -> Clients:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
