"""The endpoint and batch client of a job, rebuilt from the ledger (which keeps the key's variable,
never the key) with today's settings for timeouts and retries; and moving jobs to a new address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..backends.batch.dialects import Dialect, dialect_for
from ..backends.batch.ledger import Job, Ledger
from ..errors import InputError

if TYPE_CHECKING:
    from ..backends.batch.client import BatchClient
    from ..backends.endpoints import Endpoint


def job_endpoint(job: Job) -> Endpoint:
    from ..backends.endpoints import resolve_endpoint

    return resolve_endpoint(job.spec, base_url=job.base_url, api_key_env=job.api_key_env)


def move_endpoint(ledger: Ledger, base_url: str) -> list[Job]:
    """``--base-url``: the provider's address changed (a proxy moved, a new region's gateway). The
    jobs with work left go to ``base_url`` from now on — this command and every later one; the remote
    files and batches keep their ids. The jobs moved (none when no work is left)."""
    from ..backends.endpoints import resolve_endpoint

    waiting = {a.job_id for a in ledger.agencies(("waiting",))}
    waiting |= {s.job_id for s in ledger.shards() if s.state != "downloaded"}
    every = ledger.jobs()
    jobs = [j for j in every if j.id in waiting]
    providers = sorted({j.provider for j in jobs})
    if len(providers) > 1:
        raise InputError(
            f"未完成的批量任务属于不同的服务商（{'、'.join(providers)}），--base-url 只能指定一个地址。",
            hint="请先对其中一个服务商的任务完成 collect，或不用 --base-url。",
        )
    for job in (jobs or every)[:1]:  # a wrong address is named even when no work is left
        endpoint = resolve_endpoint(job.spec, base_url=base_url, api_key_env=job.api_key_env)
        ledger.move_jobs([j.id for j in jobs], endpoint.display_url)
    return [ledger.job(j.id) for j in jobs]


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
