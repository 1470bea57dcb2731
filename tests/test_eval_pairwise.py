"""Pairwise comparison of two prompt versions (``--pairwise``) against the loopback judge: each case's
two drafts shown in both orders; a consistent preference wins, a judge that follows the position
flips (counted apart, never a win), unreadable answers are unscored; win rates with their Wilson
intervals in the terminal and the report; identical drafts are a tie without asking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drafting.evaluation.panels import wilson
from drafting.evaluation.verdicts import PairOrder, combine

from . import llm_support
from .conftest import EXAMPLES
from .eval_support import DISTRICT, copy_prompts, district_case, record_of, run_eval, suite_text, write
from .judge_support import SLOGANS, VERSION_B, Drafter, pair_texts, prefer, routed
from .openai_stub import stub_server

_keyed = llm_support.keyed_fixture  # the key and fast retries for every test


def _order(first: str, second: str, choice: str | None) -> PairOrder:
    return PairOrder(first=first, second=second, choice=choice)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("first", "second", "outcome"),
    [
        ("A", "B", "a"),  # a shown first and chosen, then b shown first and a (now B) chosen again
        ("B", "A", "b"),
        ("A", "A", "flip"),  # whatever stood first won: the judge followed the position
        ("B", "B", "flip"),  # whatever stood second won
        ("tie", "tie", "tie"),
        ("A", "tie", "tie"),  # a preference that did not survive the swap
        ("tie", "B", "tie"),
        (None, "A", "unscored"),
        ("A", None, "unscored"),
    ],
)
def test_two_orders_combine_into_one_outcome(first: str | None, second: str | None, outcome: str) -> None:
    orders = [_order("a", "b", first), _order("b", "a", second)]
    assert combine("a", "b", orders) == outcome


def test_the_wilson_interval() -> None:
    assert [round(x, 4) for x in wilson(11, 11)] == [0.7412, 1.0]
    assert [round(x, 4) for x in wilson(5, 10)] == [0.2366, 0.7634]
    assert [round(x, 4) for x in wilson(2, 2)] == [0.3424, 1.0]
    assert wilson(0, 0) == (0.0, 1.0)


def _setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    a = copy_prompts(tmp_path / "prompts-a")
    b = copy_prompts(tmp_path / "prompts-b", system_extra=f"{VERSION_B}请在总体情况第一段末尾写明工作态度。")
    # Two cases with their own data: their requests are their own (no race on a shared cache entry).
    cases = district_case("one") + district_case("two", data=EXAMPLES / "township-2024.yaml")
    suite = write(tmp_path / "s.yaml", suite_text(cases))
    return suite, a, b


def _fair(body: dict[str, Any]) -> str:
    """Prefers the draft without the slogans, wherever it stands."""
    draft_a, draft_b = pair_texts(body)
    if SLOGANS in draft_a and SLOGANS not in draft_b:
        return prefer("B", "草稿B用事实说话，草稿A多了空话")
    if SLOGANS in draft_b and SLOGANS not in draft_a:
        return prefer("A", "草稿A用事实说话，草稿B多了空话")
    return prefer("相当", "差不多")


def _by_judge(body: dict[str, Any]) -> str:
    if body["model"] == "fair":
        return _fair(body)
    if body["model"] == "biased":
        return prefer("A", "第一份更好")  # always the draft shown first
    return "这两份草稿各有千秋。"  # "chatty": never a JSON answer


def test_a_consistent_preference_wins_and_a_judge_that_follows_the_position_flips(tmp_path: Path) -> None:
    suite, a, b = _setup(tmp_path)
    drafter = Drafter(suite)
    base = [suite, "--prompts", a, "--prompts", b, "--model", "openai:writer", "--pairwise"]
    with stub_server(reply=routed(draft=drafter, pairwise=_by_judge)) as server:
        args = [*base, "--base-url", server.base_url]
        fair = run_eval(
            *args,
            "--judge-model",
            "openai:fair",
            "--json",
            tmp_path / "fair.json",
            "--html",
            tmp_path / "fair.html",
        )
        asked = [r for r in server.requests if r.body["model"] == "fair"]
        biased = run_eval(*args, "--judge-model", "openai:biased", "--json", tmp_path / "biased.json")
        chatty = run_eval(*args, "--judge-model", "openai:chatty", "--json", tmp_path / "chatty.json")
        drafted = [r for r in server.requests if r.body["model"] == "writer"]
    assert fair.exit_code == biased.exit_code == chatty.exit_code == 0, fair.output
    assert len(drafted) == 16  # two versions × two cases × four sections, once: then from the cache
    # Each case's pair was shown in both orders: the first version as A, then as B.
    assert len(asked) == 4
    shown_first = [SLOGANS in pair_texts(r.body)[0] for r in asked]
    assert sorted(shown_first) == [False, False, True, True]

    record = record_of(tmp_path / "fair.json")
    assert [c.outcome for c in record.pairwise] == ["a", "a"]
    for c in record.pairwise:
        assert [(o.first, o.second, o.choice, o.preferred) for o in c.orders] == [
            ("prompts-a", "prompts-b", "A", "prompts-a"),
            ("prompts-b", "prompts-a", "B", "prompts-a"),
        ]
    assert record.judge_prompts["pairwise"].startswith("v1-")
    assert "100.0%（95% 区间 34.2%–100.0%）" in fair.output and "0.0%（95% 区间 0.0%–65.8%）" in fair.output
    assert "2/0/0" in fair.output

    # A judge that always picks the draft shown first contradicts itself when the order changes:
    # every comparison is a flip, counted apart, and neither version wins anything.
    flipped = record_of(tmp_path / "biased.json")
    assert [c.outcome for c in flipped.pairwise] == ["flip", "flip"]
    assert all([o.preferred for o in c.orders] == ["prompts-a", "prompts-b"] for c in flipped.pairwise)
    line = next(line for line in biased.output.splitlines() if "prompts-a" in line and "0/0/0" in line)
    assert "│ 2 " in line or "2 │" in line  # the flips column
    assert "—" in line  # no win rate from flips alone

    # A judge that never answers in JSON: re-asked once per order, then unscored with the reason.
    unscored = record_of(tmp_path / "chatty.json")
    assert [c.outcome for c in unscored.pairwise] == ["unscored", "unscored"]
    order = unscored.pairwise[0].orders[0]
    assert order.choice is None and len(order.answers) == 2
    assert order.unscored == "重新提问后仍无法使用：回答不是 JSON 对象，没有给出分数"

    page = (tmp_path / "fair.html").read_text(encoding="utf-8")
    assert "提示词版本两两比较" in page and "Wilson 95% 区间" in page
    assert "prompts-a 为草稿A、prompts-b 为草稿B：选 A（prompts-a）" in page
    assert "prompts-b 为草稿A、prompts-a 为草稿B：选 B（prompts-a）" in page
    assert "草稿A用事实说话" in page and "prompts-a 胜" in page


def test_repeats_that_wrote_the_same_text_are_compared_by_one_request(tmp_path: Path) -> None:
    a = copy_prompts(tmp_path / "prompts-a")
    b = copy_prompts(tmp_path / "prompts-b", system_extra=f"{VERSION_B}请在总体情况第一段末尾写明工作态度。")
    suite = write(tmp_path / "s.yaml", suite_text(district_case("d")))
    out = tmp_path / "run.json"
    with stub_server(reply=routed(draft=Drafter(suite), pairwise=_fair)) as server:
        res = run_eval(
            suite, "--prompts", a, "--prompts", b, "--model", "openai:writer", "--repeat", "2", "--pairwise",
            "--judge-model", "openai:fair", "--base-url", server.base_url, "--json", out,
        )  # fmt: skip
        asked = [r for r in server.requests if r.body["model"] == "fair"]
    assert res.exit_code == 0, res.output
    # The scripted writer answers each repeat alike: the second repeat's pair is the first's two
    # requests, asked once and answered to both (as from the cache, so its cost is counted once).
    assert len(asked) == 2
    record = record_of(out)
    assert [(c.repeat, c.outcome) for c in record.pairwise] == [(1, "a"), (2, "a")]
    assert [[o.cached for o in c.orders] for c in record.pairwise] == [[False, False], [True, True]]
    assert "2/0/0" in res.output


def test_identical_drafts_are_a_tie_without_asking(tmp_path: Path) -> None:
    suite, a, b = _setup(tmp_path)
    out = tmp_path / "run.json"
    with stub_server(reply=lambda body: prefer("A")) as server:
        res = run_eval(
            suite, "--prompts", a, "--prompts", b, "--model", "offline", "--pairwise",
            "--judge-model", "openai:judge", "--base-url", server.base_url, "--json", out,
        )  # fmt: skip
        sent = len(server.requests)
    assert res.exit_code == 0, res.output
    assert sent == 0  # the offline rules ignore prompts: the two versions wrote the same text
    record = record_of(out)
    assert [(c.outcome, c.identical, c.orders) for c in record.pairwise] == [("tie", True, [])] * 2
    assert "50.0%（95% 区间 9.5%–90.5%）" in res.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--pairwise"], "--pairwise 需要评分模型"),
        (["--pairwise", "--judge-model", "openai:judge"], "至少需要两个提示词版本"),
    ],
)
def test_pairwise_needs_a_judge_and_two_prompt_versions(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    suite = write(tmp_path / "s.yaml", suite_text(district_case("d")))
    with stub_server() as server:
        res = run_eval(suite, *args, "--base-url", server.base_url, "--json", tmp_path / "r.json")
        sent = len(server.requests)
    assert res.exit_code == 2 and expected in res.output, res.output
    assert sent == 0 and not (tmp_path / "r.json").exists()
    assert DISTRICT.is_file()
