"""``drafting draft --model openai:<name>`` end to end, against a real HTTP server on 127.0.0.1.

The issue's "done when": the narrative comes from the server; 429 then 500 still gives a draft;
the sections' requests overlap; the key is in no file, output, cache or exception. Then the
section pipeline (strip, check, re-ask, fallback), accounting, the cache, batches and Ctrl-C.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from drafting import config, offline
from drafting.cli import cli
from drafting.data import load_data
from drafting.document import Draft, load_draft

from . import llm_support
from .conftest import REFERENCE_EXAMPLE, ROOT
from .llm_support import (
    KEY,
    MODEL,
    SERVER_SENTENCE,
    all_written_text,
    good_reply,
    good_text,
    run_draft,
    run_traced_cli,
    section_of,
    section_of_record,
    tracing_env,
)
from .openai_stub import Recorded, Sink, StubServer, stub_server

DATA = load_data(REFERENCE_EXAMPLE).data


_keyed = llm_support.keyed_fixture  # the key and fast retries for every test


@pytest.fixture
def server() -> Iterator[StubServer]:
    with stub_server(reply=good_reply(), latency=0.2) as s:
        yield s


def by_section(requests: list[Recorded]) -> dict[str, list[Recorded]]:
    out: dict[str, list[Recorded]] = {}
    for r in requests:
        out.setdefault(section_of_record(r), []).append(r)
    return out


def read_draft(out: Path, stem: str = "daxinganling-2023") -> Draft:
    return load_draft(out / f"{stem}.draft.json")


# --- done when ---------------------------------------------------------------------------------


def test_the_narrative_comes_from_the_server_despite_429_and_500(server: StubServer, tmp_path: Path) -> None:
    server.fail("rate_limit", "server_error")
    out = tmp_path / "drafts"
    result = run_draft(server, out)  # default formats
    assert result.exit_code == 0, result.output
    draft = read_draft(out)
    for section in draft.sections:
        assert section.backend == MODEL, section.notes
        assert SERVER_SENTENCE in section.paragraphs[0]
        assert section.notes == []
    md = (out / "daxinganling-2023.md").read_text(encoding="utf-8")
    assert md.count(SERVER_SENTENCE) == 4
    assert [r.fault for r in server.requests[:2]] == ["rate_limit", "server_error"]
    assert len(server.requests) == 6  # four sections, two of them retried once
    assert draft.provenance.backend == MODEL
    assert set(draft.provenance.prompt_versions) == {
        "system",
        "overview",
        "problems",
        "improvements",
        "other",
    }
    assert "模型用量：请求 6 次" in result.output


def test_the_sections_are_requested_at_the_same_time(server: StubServer, tmp_path: Path) -> None:
    result = run_draft(server, tmp_path / "drafts", "--format", "md")
    assert result.exit_code == 0, result.output
    firsts = [reqs[0] for reqs in by_section(server.requests).values()]
    assert len(firsts) == 4
    # All four were in flight together: the last to start began before the first to finish ended.
    assert max(r.start for r in firsts) < min(r.end for r in firsts)


def test_concurrency_one_sends_them_one_after_another(server: StubServer, tmp_path: Path) -> None:
    result = run_draft(server, tmp_path / "drafts", "--format", "md", "--concurrency", "1")
    assert result.exit_code == 0, result.output
    reqs = server.requests
    assert all(b.start >= a.end for a, b in itertools.pairwise(reqs))


def test_the_key_is_in_no_file_output_or_cache(server: StubServer, tmp_path: Path) -> None:
    server.fail("rate_limit", "server_error")
    out = tmp_path / "drafts"
    result = run_draft(server, out, "--format", "md,txt,docx")
    assert result.exit_code == 0, result.output
    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"  # it was sent, to the server only
    home = config.home()
    assert home is not None and (home / "cache" / "responses.sqlite3").is_file()
    written = all_written_text(out, home)
    assert KEY.encode() not in written
    assert KEY not in result.output


def test_a_401_that_echoes_the_key_stops_the_run_without_showing_it(
    server: StubServer, tmp_path: Path
) -> None:
    server.state.always = "unauthorized_echo"
    out = tmp_path / "drafts"
    result = run_draft(server, out, "--format", "md")
    assert result.exit_code == 1
    assert "401" in result.output and "OPENAI_API_KEY" in result.output
    assert KEY not in result.output and "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())  # no draft, not even an offline one
    assert len(server.requests) <= 4  # one per section at most: never retried
    home = config.home()
    assert home is not None
    assert KEY.encode() not in all_written_text(home)


def test_langsmith_tracing_in_the_environment_sends_nothing(server: StubServer, tmp_path: Path) -> None:
    """Run in a child process so LangSmith reads the tracing variables fresh. A control call of
    ``invoke()`` in a second child proves the stand-in endpoint would have seen a leak."""
    with Sink() as sink:
        env = tracing_env(sink.url)
        args = ["draft", str(REFERENCE_EXAMPLE), "-o", str(tmp_path / "d"), "--format", "md"]
        args += ["--model", MODEL, "--base-url", server.base_url]
        done = run_traced_cli(args, env)
        assert done.returncode == 0, done.stderr
        assert len(server.requests) == 4
        time.sleep(0.3)
        assert sink.hits == []
        control = (
            "from langchain_core.prompts import ChatPromptTemplate\n"
            "from langchain_core.tracers.langchain import wait_for_all_tracers\n"
            "ChatPromptTemplate.from_messages([('human', '{x}')]).invoke({'x': '政府信息'})\n"
            "wait_for_all_tracers()\n"
        )
        subprocess.run([sys.executable, "-c", control], env=env, capture_output=True, timeout=120, check=True)
        time.sleep(0.3)
        assert sink.hits, "the stand-in tracing endpoint saw nothing even from invoke(): the test is blind"


# --- the section pipeline ----------------------------------------------------------------------


def replying(bad: dict[str, list[str]]) -> Any:
    """Good answers, except the queued bad ones per section (used first, in order)."""
    good = good_reply()

    def reply(body: dict[str, Any]) -> str:
        queue = bad.get(section_of(body))
        return queue.pop(0) if queue else good(body)

    return reply


def test_an_invented_number_is_reasked_then_falls_back(tmp_path: Path) -> None:
    invented = "2023年，我局政府信息公开工作还存在一些不足：一是共有99项工作未完成；二是队伍不稳定。"
    with stub_server(reply=replying({"problems": [invented, invented]})) as server:
        out = tmp_path / "drafts"
        result = run_draft(server, out, "--format", "md")
        problems_requests = by_section(server.requests)["problems"]
    assert result.exit_code == 0, result.output
    section = read_draft(out).section("problems")
    assert section.backend == "offline"
    assert section.paragraphs == offline.write_section("problems", DATA)
    assert "99" in section.notes[0] and "已改用离线文本" in section.notes[0]
    assert "已改用离线文本" in result.output and "99" in result.output
    assert section.usage is not None and section.usage.asks == 2
    first, second = problems_requests
    messages = second.body["messages"]
    assert messages[:2] == first.body["messages"]
    assert messages[2] == {"role": "assistant", "content": invented}
    assert messages[3]["role"] == "user" and "99" in messages[3]["content"]
    assert read_draft(out).section("overview").backend == MODEL  # the others are the server's


def test_a_reask_that_fixes_the_shape_keeps_the_model_text(tmp_path: Path) -> None:
    good = good_text("overview", DATA)
    missing_third = "\n\n".join(p for p in good.split("\n\n") if not p.startswith("（三）"))
    with stub_server(reply=replying({"overview": [missing_third]})) as server:
        out = tmp_path / "drafts"
        result = run_draft(server, out, "--format", "md")
        reask = by_section(server.requests)["overview"][1]
    assert result.exit_code == 0, result.output
    section = read_draft(out).section("overview")
    assert section.backend == MODEL and SERVER_SENTENCE in section.paragraphs[0]
    assert "重新提问后通过" in section.notes[0]
    assert "（三）政府信息管理" in reask.body["messages"][-1]["content"]


def test_thinking_markdown_and_fences_are_stripped(tmp_path: Path) -> None:
    good = good_text("problems", DATA)
    thinking = "<think>\n用户要求写存在的问题，共3条……\n</think>\n"
    decorated = f"{thinking}```\n## （一）存在的主要问题\n\n**{good}**\n```"
    with stub_server(reply=replying({"problems": [decorated]})) as server:
        result = run_draft(server, tmp_path / "drafts", "--format", "md")
    assert result.exit_code == 0, result.output
    section = read_draft(tmp_path / "drafts").section("problems")
    assert section.backend == MODEL
    assert section.paragraphs == good.split("\n\n")


def test_a_truncated_answer_is_reasked(tmp_path: Path) -> None:
    with stub_server(reply=good_reply()) as server:
        server.fail("length")  # with --concurrency 1 the first request is the overview's
        result = run_draft(server, tmp_path / "drafts", "--format", "md", "--concurrency", "1")
        overview = by_section(server.requests)["overview"]
    assert result.exit_code == 0, result.output
    assert read_draft(tmp_path / "drafts").section("overview").backend == MODEL
    assert len(overview) == 2 and "截断" in overview[1].body["messages"][-1]["content"]


def test_an_endpoint_that_keeps_failing_costs_the_prose_not_the_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRAFTING_MAX_ATTEMPTS", "2")
    with stub_server() as server:
        server.state.always = "server_error"
        out = tmp_path / "drafts"
        result = run_draft(server, out, "--format", "md")
        assert len(server.requests) == 8  # 4 sections × 2 attempts, no re-ask on a dead endpoint
    # The draft is written, and the exit code says the model was not usable (issue 17: 4, was 0).
    assert result.exit_code == 4, result.output
    assert "未能使用" in result.output and "退出码 4" in result.output
    draft = read_draft(out)
    for section in draft.sections:
        assert section.backend == "offline" and section.fallback == "server"
        assert "HTTP 500" in section.notes[0] and "已尝试 2 次" in section.notes[0]
        assert section.paragraphs == offline.write_section(section.id, DATA)
    assert result.output.count("已改用离线文本") == 4


# --- accounting and the cache ------------------------------------------------------------------


def test_tokens_and_latency_per_section_and_in_total(server: StubServer, tmp_path: Path) -> None:
    result = run_draft(server, tmp_path / "drafts", "--format", "md", "--no-cache")
    assert result.exit_code == 0, result.output
    draft = read_draft(tmp_path / "drafts")
    sent = {section_of_record(r): r for r in server.requests}
    prompt_total = completion_total = 0
    for section in draft.sections:
        usage = section.usage
        assert usage is not None and section.prompt_version == draft.provenance.prompt_versions[section.id]
        request = sent[section.id].body
        # The stub counts one token per character: these are the server's figures, carried over.
        assert usage.prompt_tokens == sum(len(m["content"]) for m in request["messages"])
        assert usage.completion_tokens == len(good_text(section.id, DATA))
        assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
        assert (usage.requests, usage.asks, usage.cached) == (1, 1, 0)
        assert 0.2 <= usage.latency_s < 5
        prompt_total += usage.prompt_tokens
        completion_total += usage.completion_tokens
    assert f"输入 {prompt_total} tokens，输出 {completion_total} tokens" in result.output


def test_a_second_run_is_answered_from_the_cache(server: StubServer, tmp_path: Path) -> None:
    first = run_draft(server, tmp_path / "one", "--format", "md")
    assert first.exit_code == 0 and len(server.requests) == 4
    second = run_draft(server, tmp_path / "two", "--format", "md")
    assert second.exit_code == 0 and len(server.requests) == 4
    assert "缓存命中 4 次" in second.output
    assert all(s.usage is not None and s.usage.cached == 1 for s in read_draft(tmp_path / "two").sections)
    third = run_draft(server, tmp_path / "three", "--format", "md", "--no-cache")
    assert third.exit_code == 0 and len(server.requests) == 8


# --- batches, start-up, Ctrl-C -----------------------------------------------------------------


def _copies(tmp_path: Path, n: int) -> list[Path]:
    text = REFERENCE_EXAMPLE.read_text(encoding="utf-8")
    name = DATA.agency.name
    files = []
    for i in range(n):
        path = tmp_path / f"unit-{i}.yaml"
        path.write_text(text.replace(name, f"{name}第{i}分局"), encoding="utf-8")
        files.append(path)
    return files


def test_many_files_are_drafted_at_once_with_jobs(server: StubServer, tmp_path: Path) -> None:
    files = _copies(tmp_path, 4)
    out = tmp_path / "drafts"
    result = run_draft(server, out, "--format", "md", "--jobs", "4", files=files)
    assert result.exit_code == 0, result.output
    for path in files:
        assert f"{path} → " in result.output
        assert SERVER_SENTENCE in (out / f"{path.stem}.md").read_text(encoding="utf-8")
    assert len(server.requests) == 16
    # Drafts overlapped: 16 requests of 0.2 s took far less than 16 × 0.2 s.
    reqs = server.requests
    assert max(r.end for r in reqs) - min(r.start for r in reqs) < 1.6


def test_a_terminal_gets_a_progress_bar_for_many_files(
    server: StubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich treats the captured stream as a terminal
    files = _copies(tmp_path, 3)
    result = run_draft(server, tmp_path / "drafts", "--format", "md", "--jobs", "2", files=files)
    assert result.exit_code == 0, result.output
    assert "起草中" in result.output and "3/3" in result.output
    for path in files:
        assert f"{path} → " in result.output


def test_a_missing_key_stops_before_any_request(server: StubServer, tmp_path: Path) -> None:
    out = tmp_path / "drafts"
    result = CliRunner().invoke(
        cli,
        [
            "draft",
            str(REFERENCE_EXAMPLE),
            "-o",
            str(out),
            "--model",
            "deepseek",
            "--base-url",
            server.base_url,
        ],
    )
    assert result.exit_code == 2
    assert "DEEPSEEK_API_KEY" in result.output and "--api-key-env" in result.output
    assert server.requests == [] and not out.exists()
    named = CliRunner().invoke(
        cli,
        [
            *["draft", str(REFERENCE_EXAMPLE), "-o", str(out), "--format", "md", "--model", "deepseek"],
            *["--base-url", server.base_url, "--api-key-env", "OPENAI_API_KEY"],
        ],
    )
    assert named.exit_code == 0, named.output  # the key found under the name given
    assert server.requests[0].body["model"] == "deepseek-chat"


def test_the_offline_default_loads_no_model_library(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from drafting.cli import cli\n"
        "cli.main(sys.argv[1:], standalone_mode=False)\n"
        "heavy = [m for m in ('openai', 'httpx2', 'langchain_core', 'tenacity') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    args = [str(REFERENCE_EXAMPLE), "-o", str(tmp_path / "d"), "--format", "md"]
    done = subprocess.run(
        [sys.executable, "-c", probe, "draft", *args], capture_output=True, text=True, timeout=60, check=True
    )
    assert "HEAVY []" in done.stdout, done.stdout + done.stderr
    written = json.loads((tmp_path / "d" / "daxinganling-2023.draft.json").read_text(encoding="utf-8"))
    assert written["provenance"]["backend"] == "offline"


def test_ctrl_c_leaves_finished_drafts_intact(tmp_path: Path) -> None:
    files = _copies(tmp_path, 3)
    good = good_reply()

    def reply(body: dict[str, Any]) -> str:
        if "第0分局" not in body["messages"][0]["content"]:
            time.sleep(30)  # every draft after the first hangs until the user gives up
        return good(body)

    out = tmp_path / "drafts"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with stub_server(reply=reply) as server:
        args = [
            *map(str, files),
            "-o",
            str(out),
            "--format",
            "md",
            "--model",
            MODEL,
            "--base-url",
            server.base_url,
        ]
        proc = subprocess.Popen(
            [sys.executable, "-c", "from drafting.cli import main; main()", "draft", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(server.requests) < 5:
            time.sleep(0.05)  # the first draft's 4 requests, then the second draft's first
        assert len(server.requests) >= 5, proc.communicate(timeout=5)
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        _, stderr = proc.communicate(timeout=15)
        assert time.monotonic() - started < 5  # no waiting for the hanging requests
    assert proc.returncode == 130, stderr
    assert "已中断" in stderr and "已完成 1 个草稿" in stderr
    first = load_draft(out / "unit-0.draft.json")  # complete and valid
    assert all(s.backend == MODEL for s in first.sections)
    assert (out / "unit-0.md").is_file()
    # Nothing else: no half file of the interrupted drafts, no temporary file.
    assert sorted(p.name for p in out.iterdir()) == ["unit-0.draft.json", "unit-0.md"]
