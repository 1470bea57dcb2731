"""The batch ledger: its place, its migrations (applied once each, recorded), and what it never holds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from drafting.backends.batch import ledger as ledger_module
from drafting.backends.batch.ledger import MIGRATIONS, Ledger, NewAgency, NewRequest, default_path, migrate
from drafting.errors import OutputError


def test_the_ledger_lives_under_drafting_home(tmp_path: Path) -> None:
    assert default_path() == tmp_path / "drafting-home" / "batch" / "ledger.sqlite3"


def _applied(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [r[0] for r in db.execute("SELECT name FROM _drafting_migrations ORDER BY name")]


def _add_job(ledger: Ledger) -> int:
    """A job (OpenAI, Markdown drafts): the tests below need its row, not its values."""
    return ledger.add_job(
        provider="openai",
        model="m",
        base_url="http://x/v1",
        api_key_env="OPENAI_API_KEY",
        out_dir="/o",
        formats=["md"],
        previous=None,
    )


def test_migrations_are_applied_once_each_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite3"
    with Ledger(path) as ledger:
        job = _add_job(ledger)
    assert _applied(path) == [m.__name__ for m in MIGRATIONS] == ["m001_initial", "m002_file_digest"]
    with Ledger(path) as ledger:  # reopening applies nothing again and keeps the rows
        assert [j.id for j in ledger.jobs()] == [job]
    assert _applied(path) == ["m001_initial", "m002_file_digest"]


def test_a_ledger_from_an_older_version_gets_only_the_new_migrations(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("CREATE TABLE _drafting_migrations (name TEXT PRIMARY KEY, applied REAL)")
    ledger_module.m001_initial(db)
    db.execute("INSERT INTO _drafting_migrations VALUES ('m001_initial', 0)")
    db.execute(
        "INSERT INTO jobs (created, provider, model, base_url, api_key_env, out_dir, formats) "
        "VALUES (0, 'qwen', 'qwen-plus', 'u', 'DASHSCOPE_API_KEY', '/o', '[\"md\"]')"
    )
    db.close()
    with Ledger(path) as ledger:
        assert [j.spec for j in ledger.jobs()] == ["qwen:qwen-plus"]
        ledger.plan(1, [NewAgency("/d.yaml", "d", "某局", "sha256:0", {"system": "v1"}, "f0")], [], [])
        assert ledger.submitted("/d.yaml", "f0", {"system": "v1"}, "qwen", "qwen-plus")
    assert _applied(path) == ["m001_initial", "m002_file_digest"]


def test_a_failed_migration_leaves_no_half_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(ledger_module, "MIGRATIONS", [*MIGRATIONS, broken])
    db = sqlite3.connect(tmp_path / "l.sqlite3", isolation_level=None)
    with pytest.raises(RuntimeError):
        migrate(db)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "half" not in tables and "requests" in tables


def test_requests_record_agency_section_attempt_and_tokens(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        job = _add_job(ledger)
        agencies = [NewAgency("/a.yaml", "a", "某局", "sha256:1", {"system": "v"})]
        requests = [
            NewRequest(f"id-{s}-1", 0, s, 1, 1, {"model": "m", "messages": []}) for s in ("overview", "other")
        ]
        (shard_id,) = ledger.plan(job, agencies, requests, [("f.jsonl", range(0, 2))])
        rows = ledger.shard_requests(shard_id)
        assert [(r.section, r.stage, r.attempt, r.state) for r in rows] == [
            ("overview", 1, 1, "queued"),
            ("other", 1, 1, "queued"),
        ]
        ledger.update_shard(shard_id, state="created", batch_id="batch_1")
        assert {r.state for r in ledger.shard_requests(shard_id)} == {"sent"}
        assert ledger.known(["id-overview-1", "nope"]) == {"id-overview-1"}
        with pytest.raises(OutputError):  # the same request twice is refused, not duplicated
            ledger.plan(
                job,
                [],
                [NewRequest("id-overview-1", 1, "overview", 1, 1, {}, existing=True)],
                [("g.jsonl", range(0, 1))],
            )
        assert [s.name for s in ledger.shards()] == ["f.jsonl"]  # and the refused plan left nothing
