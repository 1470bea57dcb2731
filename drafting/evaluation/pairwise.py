"""Pairwise comparison of prompt versions (``drafting eval --pairwise``).

For every pair of prompt versions, every model, case and repeat, each judge model reads the two
drafts twice: once with the first version's draft as 草稿A, once with it as 草稿B, so a judge that
favours a position cannot make a version win. What the two orders say together is
``verdicts.combine``: a win only when both orders agree, a flip (the judge disagreeing with itself
when the order changes) counted apart. Two drafts with the same text are a tie without asking.
Answers go through the response cache like every other request; the prompt is
``prompt_files/pairwise.md`` with its own version. Win rates and their intervals are ``panels.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

from ..backends.base import ChatRequest
from ..backends.resolve import ModelChoice
from ..data.model import ReportData
from ..errors import InputError
from ..prompts import render_alone
from .asking import Clients, ask, ask_each_once, base_values, draft_text, facts_text, task_prompt
from .record import RunRecord
from .verdicts import PairComparison, PairOrder, read_preference


def check_pairwise(prompt_versions: int, judges: Sequence[str]) -> None:
    if prompt_versions < 2:
        raise InputError(
            "--pairwise 比较提示词版本，至少需要两个提示词版本。",
            hint="用两个 --prompts 目录，如 --prompts drafting/prompt_files --prompts 我的提示词。",
        )
    if not judges:
        raise InputError(
            "--pairwise 需要评分模型。", hint="用 --judge-model 指定，如 --judge-model deepseek。"
        )


@dataclass(frozen=True)
class _Order:
    comparison: int
    first: str
    second: str
    judge: ModelChoice
    request: ChatRequest


def compare_record(
    record: RunRecord,
    judges: Sequence[ModelChoice],
    clients: Clients,
    *,
    workers: int = 4,
    on_done: Callable[[], None] | None = None,
) -> RunRecord:
    """Every pair of prompt versions compared by every judge, in both orders."""
    prompt = task_prompt("pairwise")
    data = {c.id: ReportData.model_validate(c.data) for c in record.cases}
    runs = {r.key: r for r in record.runs}
    labels = [p.label for p in record.prompts]
    comparisons: list[PairComparison] = []
    orders: list[_Order] = []
    for a, b in combinations(labels, 2):
        for model in record.models:
            for case in record.cases:
                for repeat in range(1, record.repeat + 1):
                    one, two = runs.get((a, model, case.id, repeat)), runs.get((b, model, case.id, repeat))
                    if one is None or two is None:
                        continue
                    texts = {a: draft_text(one.text), b: draft_text(two.text)}
                    for judge in judges:
                        same = texts[a] == texts[b]
                        comparisons.append(
                            PairComparison(
                                model=model,
                                case=case.id,
                                repeat=repeat,
                                a=a,
                                b=b,
                                judge=judge.spec,
                                identical=same,
                            )
                        )
                        if same:
                            continue
                        for first, second in ((a, b), (b, a)):
                            values = {
                                **base_values(data[case.id]),
                                "author_facts": facts_text(data[case.id]),
                                "draft_a": texts[first],
                                "draft_b": texts[second],
                            }
                            request = render_alone(prompt, values)
                            orders.append(_Order(len(comparisons) - 1, first, second, judge, request))

    def judge_order(order: _Order) -> PairOrder:
        asked = ask(clients.backend(order.judge), order.request, read_preference)
        choice = asked.read.value if asked.read else None
        return PairOrder(first=order.first, second=order.second, choice=choice, **asked.kept())

    def key(order: _Order) -> tuple[object, ...]:
        return (order.request, order.judge.spec)

    said = ask_each_once(orders, key, judge_order, workers, on_done)
    for order, got in zip(orders, said, strict=True):
        comparisons[order.comparison].orders.append(got)
    return record.model_copy(
        update={
            "pairwise": comparisons,
            "judge_prompts": {**record.judge_prompts, "pairwise": prompt.version},
        }
    )
