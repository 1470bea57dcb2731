"""Sending requests as provider batches: ``submit``, the resumable steps of a shard, and ``cancel``.

A shard goes planned → written (its JSONL) → uploading → uploaded (file id) → creating → created
(batch id). Each state is recorded before the remote call it announces, so a run killed anywhere
resumes from the ledger: a shard left ``uploading`` or ``creating`` asks the provider for the file or
batch the lost call may have made before making one.

Several commands may run at once (a ``collect`` from a scheduled task while someone runs another by
hand, a ``submit`` beside them). A shard is taken forward by one process at a time (its lock,
``Ledger.lock``): the other leaves it, since the one holding it is doing that very step. Planning new
requests holds the ``submit`` lock, so two submits of the same files record them once.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import official
from ..backends.base import BackendError
from ..backends.batch.dialects import Dialect, dialect_for
from ..backends.batch.ledger import Job, Ledger, NewAgency, NewRequest, Shard, ShardState, batch_dir
from ..backends.batch.lines import custom_id, encode_line, line_body, plan_shards, prompt_digest
from ..errors import DraftingError, OutputError
from ..locks import FileBusy
from .clients import Clients, move_endpoint

if TYPE_CHECKING:
    from ..backends.batch.client import BatchClient
    from ..backends.endpoints import Endpoint

Say = Callable[[str], None]

UNFINISHED: tuple[ShardState, ...] = ("planned", "written", "uploading", "uploaded", "creating")


def _quiet(text: str) -> None:
    """No one is told."""


def files_dir() -> Path:
    """Where the JSONL files we upload are kept (for the user to inspect; the ledger can rebuild them)."""
    return batch_dir() / "files"


@dataclass(frozen=True)
class Submitted:
    job_id: int | None  # None when nothing was new
    agencies: int  # data files with new requests
    requests: int  # new requests recorded
    already: int  # data files whose requests had all been submitted before
    shards: list[Shard] = field(default_factory=list)  # shards taken forward in this run
    problems: list[tuple[Path, DraftingError]] = field(default_factory=list)  # files not read


def _shard_bytes(ledger: Ledger, shard: Shard, dialect: Dialect) -> bytes:
    """The shard's JSONL, rebuilt from the ledger byte for byte."""
    return b"".join(encode_line(dialect, r.custom_id, r.body) for r in ledger.shard_requests(shard.id))


def _advance_one(ledger: Ledger, client: BatchClient, shard: Shard, say: Say) -> Shard:
    from ..files import atomic_write_all

    shard = ledger.shard(shard.id)  # under its lock now: another process may have moved it on
    if shard.state not in UNFINISHED:
        return shard
    content = _shard_bytes(ledger, shard, client.dialect)
    path = files_dir() / shard.name
    if shard.state == "planned":
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_all({path: content})
        digest = hashlib.sha256(content).hexdigest()
        ledger.update_shard(shard.id, state="written", bytes=len(content), sha256=digest)
        say(f"已写入批量请求文件 {path}（{shard.requests} 个请求）")
        shard = ledger.shard(shard.id)
    file_id = shard.file_id
    if shard.state in ("written", "uploading"):
        if shard.state == "uploading":  # a run stopped during the upload: did it arrive?
            file_id = client.find_file(shard.name, len(content))
        else:
            ledger.update_shard(shard.id, state="uploading")
        if file_id is None:
            file_id = client.upload(shard.name, content)
        ledger.update_shard(shard.id, state="uploaded", file_id=file_id)
        say(f"已上传 {shard.name}（文件 {file_id}）")
        shard = ledger.shard(shard.id)
    if shard.state in ("uploaded", "creating"):
        assert file_id is not None
        batch = None
        if shard.state == "creating":  # a run stopped during the create: was it made?
            batch = client.find_batch(file_id)
        else:
            ledger.update_shard(shard.id, state="creating")
        if batch is None:
            batch = client.create(file_id, metadata={"drafting_shard": shard.name})
        ledger.update_shard(
            shard.id,
            state="created",
            batch_id=batch.id,
            remote_status=batch.status,
            total=batch.total or shard.requests,
            completed=batch.completed,
            failed=batch.failed,
        )
        say(f"已创建批量任务 {batch.id}（{shard.requests} 个请求）")
    return ledger.shard(shard.id)


def advance(ledger: Ledger, clients: Clients, say: Say = _quiet, *, keep_going: bool = False) -> list[Shard]:
    """Take every unfinished shard of the ledger as far as it goes; the shards taken forward. With
    ``keep_going`` (``collect``), a shard the provider refuses is reported and left for later or for
    ``cancel``, so that it does not hold up the batches that are done."""
    jobs: dict[int, Job] = {}
    out = []
    for shard in ledger.shards(UNFINISHED):
        job = jobs.setdefault(shard.job_id, ledger.job(shard.job_id))
        try:
            with ledger.lock(f"shard-{shard.id}"):
                out.append(_advance_one(ledger, clients.for_job(job), shard, say))
        except FileBusy:
            say(f"{shard.name} 正由另一个命令提交，本次跳过。")
        except BackendError as exc:
            if not keep_going or exc.kind in ("auth", "cancelled"):
                raise
            say(f"{shard.name} 未能提交：{exc.message}（可稍后重试 batch submit，或用 batch cancel 放弃）")
    return out


def shard_plan(job_id: int, dialect: Dialect, lines: Sequence[tuple[str, bytes]]) -> list[tuple[str, range]]:
    """Lines (custom id, JSONL line) in groups within the provider's limits per file, each named."""
    groups = plan_shards([len(line) for _, line in lines], dialect, [cid for cid, _ in lines])
    stamp = time.strftime("%Y%m%d%H%M%S")
    shards = []
    for n, members in enumerate(groups, 1):
        digest = hashlib.sha256(b"".join(lines[i][1] for i in members)).hexdigest()[:8]
        shards.append((f"drafting-j{job_id}-{stamp}-{n:03d}-{digest}.jsonl", members))
    return shards


def plan(
    ledger: Ledger,
    job_id: int,
    dialect: Dialect,
    agencies: Sequence[NewAgency],
    requests: Sequence[NewRequest],
) -> list[int]:
    """Record requests and the shards they go in (the provider's limits per file), before any file."""
    lines = [(r.custom_id, encode_line(dialect, r.custom_id, r.body)) for r in requests]
    return ledger.plan(job_id, agencies, requests, shard_plan(job_id, dialect, lines))


def plan_queued(ledger: Ledger, job_id: int, dialect: Dialect) -> list[int]:
    """Put the job's queued follow-up requests (re-asks, resends) into shards."""
    return ledger.shard_queued(
        job_id,
        lambda rows: shard_plan(
            job_id, dialect, [(r.custom_id, encode_line(dialect, r.custom_id, r.body)) for r in rows]
        ),
    )


def _file_digest(path: Path, previous: Path | None) -> str:
    """The bytes of a data file and of last year's; "" when either cannot be read (``load_data``
    then says why)."""
    h = hashlib.sha256()
    try:
        h.update(path.read_bytes())
        if previous is not None:
            h.update(b"\0" + previous.read_bytes())
    except OSError:
        return ""
    return h.hexdigest()


# How long a submit waits for another one that is recording its requests (rendering thousands of
# files' prompts takes a while); then it says so and records nothing.
SUBMIT_WAIT = 300.0


@dataclass
class _New:
    """What a submit found new: agencies, their requests, and the files it could not read."""

    agencies: list[NewAgency] = field(default_factory=list)
    requests: list[NewRequest] = field(default_factory=list)
    problems: list[tuple[Path, DraftingError]] = field(default_factory=list)
    already: int = 0


def submit(
    paths: Sequence[Path],
    endpoint: Endpoint,
    out_dir: Path,
    formats: Sequence[str],
    *,
    previous: Path | None = None,
    ledger: Ledger | None = None,
    say: Say = _quiet,
) -> Submitted:
    """Render every section of every data file as ``draft`` would, record what is new, and send it
    as batches. Requests already in the ledger (same agency, section, data and prompt) are not sent
    again; unfinished shards of earlier runs are taken forward too."""
    dialect = dialect_for(endpoint)  # a provider without a batch API is refused before anything
    endpoint.read_key()  # so is a missing key
    own = ledger or Ledger()
    try:
        try:
            # Finding what is new and recording it is one step: two submits of the same files
            # at once must not both find them new.
            with own.lock("submit", timeout=SUBMIT_WAIT):
                new = _find_new(own, paths, endpoint, dialect, previous)
                job_id = None
                if new.requests:
                    job_id = own.add_job(
                        provider=endpoint.provider,
                        model=endpoint.model,
                        base_url=endpoint.display_url,
                        api_key_env=endpoint.api_key_env,
                        out_dir=str(out_dir.resolve()),
                        formats=formats,
                        previous=str(previous.resolve()) if previous else None,
                    )
                    plan(own, job_id, dialect, new.agencies, new.requests)
        except FileBusy:
            raise OutputError(
                f"另一个 batch submit 正在登记请求，等待 {SUBMIT_WAIT:.0f} 秒后仍未完成，这次没有提交。",
                hint="请等另一个 submit 结束后重新运行；已登记的请求不会重复提交。",
            ) from None
        with Clients() as clients:
            shards = advance(own, clients, say)
    finally:
        if ledger is None:
            own.close()
    return Submitted(job_id, len(new.agencies), len(new.requests), new.already, shards, new.problems)


def _find_new(
    own: Ledger, paths: Sequence[Path], endpoint: Endpoint, dialect: Dialect, previous: Path | None
) -> _New:
    """The data files among ``paths`` whose requests the ledger does not hold, rendered."""
    from ..data import load_data
    from ..draft import data_hash
    from ..prompts import SYSTEM_ID, load_prompts, render

    prompts = load_prompts()
    versions = prompts.versions()
    new = _New()
    seen: set[str] = set()
    for path in paths:
        where = str(path.resolve())
        fingerprint = _file_digest(path, previous)
        if fingerprint and own.submitted(where, fingerprint, versions, endpoint.provider, endpoint.model):
            new.already += 1  # the same bytes, prompts and model: known without parsing the file
            continue
        try:
            loaded = load_data(path, previous=previous)
        except DraftingError as exc:
            new.problems.append((path, exc))
            continue
        data = loaded.data
        digest = data_hash(data)
        mine = []
        for section in official.SECTION_IDS:
            rendered = render(prompts, section, data)
            pv = prompt_digest([versions[SYSTEM_ID], rendered.version], endpoint.model, rendered.request)
            cid = custom_id(data.agency.name, section, digest, pv, 1)
            body = line_body(dialect, endpoint.model, rendered.request)
            mine.append(NewRequest(cid, len(new.agencies), section, 1, 1, body))
        ids = {r.custom_id for r in mine}
        if ids & seen or own.known(ids):
            new.already += 1
            continue
        seen |= ids
        new.agencies.append(NewAgency(where, path.stem, data.agency.name, digest, versions, fingerprint))
        new.requests.extend(mine)
    return new


# How long cancel waits for a shard that another command is taking forward (an upload, a create).
CANCEL_WAIT = 60.0


def cancel(
    ledger: Ledger | None = None,
    batch_ids: Sequence[str] = (),
    say: Say = _quiet,
    *,
    base_url: str | None = None,
) -> list[Shard]:
    """Cancel the batches still running (all, or those named). A shard not yet created is dropped:
    its requests count as unanswered, for ``collect`` to ask again or give up on. ``base_url``: the
    provider's address changed (``clients.move_endpoint``)."""
    own = ledger or Ledger()
    out = []
    try:
        if base_url:
            move_endpoint(own, base_url)
        with Clients() as clients:
            for shard in own.shards(("created", *UNFINISHED)):
                if batch_ids and shard.batch_id not in batch_ids:
                    continue
                try:
                    with own.lock(f"shard-{shard.id}", timeout=CANCEL_WAIT):
                        done = _cancel_one(own, clients, own.shard(shard.id), say)
                except FileBusy:
                    say(f"{shard.name} 正由另一个命令处理，未能取消；请稍后重试。")
                    continue
                if done is not None:
                    out.append(done)
    finally:
        if ledger is None:
            own.close()
    return out


def _cancel_one(own: Ledger, clients: Clients, shard: Shard, say: Say) -> Shard | None:
    if shard.remote_status in ("completed", "expired", "cancelled", "failed") or shard.state == "downloaded":
        return None
    client = clients.for_job(own.job(shard.job_id))
    batch_id = shard.batch_id
    if shard.state == "creating" and shard.file_id:
        found = client.find_batch(shard.file_id)
        batch_id = found.id if found else None
    if batch_id is None:
        own.update_shard(shard.id, state="created", remote_status="cancelled")
        own.record_results(shard.id, [], {"status": "cancelled", "total": shard.requests})
        say(f"已放弃尚未提交的 {shard.name}")
    else:
        remote = client.cancel(batch_id)
        own.update_shard(shard.id, state="created", batch_id=batch_id, remote_status=remote.status)
        say(f"已请求取消批量任务 {batch_id}（{remote.status}）")
    return own.shard(shard.id)
