"""Last year's problems answered (Y5): part 五 says what became of each problem last year's report
named (``previous.problems`` of the data, kept by ``init --from``).

Reviewers expect 五 to report on last year's problems (FORMAT.md §6 [K]: "recommended"; §8: the good
draft ties each measure to a named problem and reports last year's measures). A problem counts as
answered when some sentence of this year's 五 repeats most of its wording (character pairs of its
Chinese text, ``ANSWERED`` of them): the draft restates it with what was done, or the author wrote
about it in their own words while keeping its key terms. A warning only: the author may have dealt
with it under other words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..data.model import PreviousYear
from .finding import Finding
from .registry import Context, check
from .text import sentences

ANSWERED = 0.6  # share of a problem's character pairs one sentence of 五 must contain
_HAN = re.compile(r"[\u3400-\u9fff]+")


def _pairs(text: str) -> set[str]:
    return {run[i : i + 2] for run in _HAN.findall(text) for i in range(len(run) - 1)}


def best_answer(problem: str, text: str) -> tuple[float, str]:
    """The sentence of ``text`` sharing most of ``problem``'s character pairs, and that share."""
    wanted = _pairs(problem)
    if not wanted:
        return 1.0, ""
    best = (0.0, "")
    for _, sentence in sentences(text):
        share = len(wanted & _pairs(sentence)) / len(wanted)
        if share > best[0]:
            best = (share, sentence.strip())
    return best


def _previous(ctx: Context) -> PreviousYear | None:
    for doc in (ctx.data, ctx.doc):
        if doc is not None and doc.previous is not None and doc.previous.problems:
            return doc.previous
    return None


@check("last_year_problems", "year", {"Y5": "第五部分说明了上年报告所列问题的整改情况"}, scope="narrative")
def last_year_problems(ctx: Context) -> Iterator[Finding]:
    prev = _previous(ctx)
    if prev is None or not prev.problems:
        return
    paragraphs = ctx.paragraphs("problems_improvements")
    if not paragraphs:
        return  # no 五 to read (S1 reports the missing part)
    text = "\n".join(p.text for p in paragraphs)
    where = paragraphs[0].where()
    for n, problem in enumerate(prev.problems, 1):
        share, closest = best_answer(problem, text)
        if share >= ANSWERED:
            continue
        near = f"；最接近的一句（{share:.0%}）：“{closest[:60]}”" if closest else ""
        yield ctx.found(
            "Y5",
            "warning",
            f"上年（{prev.year}年）报告指出的问题“{problem[:40]}”，本年第五部分没有说明整改情况："
            "请写明这一问题本年是否已解决、采取了哪些措施，或说明仍然存在的原因",
            where,
            evidence=f"上年问题：“{problem}”{near}",
            place=f"problems_improvements/last-year-problem#{n}",
        )
