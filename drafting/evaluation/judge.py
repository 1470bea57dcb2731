"""Graded rubrics: each draft scored 1–5 on each ``judge:`` expectation by every grader.

A grader is a judge model and a sample of it: ``graders: 3`` with one model asks it three times,
each sample with its own cache key, and ``model: [a, b]`` (or ``--judge-model`` given twice) asks
each model that many times. The judge prompt is a prompt file (``prompt_files/judge.md``) with its
own version. Every answer is kept in the record beside the draft; the judgement reports the median,
the majority and the spread over the scores given, and an answer that could not be read is kept as
unscored with its reason. With ``min_score`` the rubric is an expectation the draft must meet
(result ``judge:<name>``: the median reaches it); without, it is reported only.

A judge with no model (neither ``model:`` nor ``--judge-model``) is not asked: its judgement says
so, and the run is what it was without judges. ``--rescore`` asks nobody: ``reapply`` reads the
stored grades again against the expectations, and sets aside grades of a rubric since edited.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..backends.base import ChatRequest
from ..backends.resolve import ModelChoice
from ..data.model import ReportData
from ..prompts import render_alone
from .asking import Clients, ask, ask_each_once, base_values, draft_text, facts_text, task_prompt
from .record import DraftRun, RunRecord
from .rubrics import Rubric
from .scoring import Result
from .suite import Judge, JudgeSpec
from .verdicts import Grade, Judgement, read_score, score_text

KIND = "judge"
NO_MODEL = "没有指定评分模型（在 judge 中写 model，或用 --judge-model 指定）"
NOT_STORED = "记录中没有这一评分标准的评分（--rescore 不调用模型；要评分请重新运行评测）"
EDITED = "评分标准在记录之后改动过，记录中的评分不再适用（--rescore 不调用模型；要评分请重新运行评测）"


def judge_specs(record: RunRecord, case: str) -> list[JudgeSpec]:
    """The case's judges, one per name (a case's own replaced the default's when merged)."""
    specs = [e.spec() for e in record.case(case).expectations() if isinstance(e, Judge)]
    return list({s.label: s for s in specs}.values())


def specs_in(record: RunRecord) -> list[JudgeSpec]:
    return [s for c in record.cases for s in judge_specs(record, c.id)]


@dataclass(frozen=True)
class _Task:
    run: int  # index in record.runs
    name: str
    model: ModelChoice
    sample: int


def _judgement(spec: JudgeSpec, rubric: Rubric, prompt: str, skipped: str = "") -> Judgement:
    return Judgement(
        name=spec.label,
        rubric=rubric.id,
        title=rubric.title,
        version=rubric.version,
        prompt=prompt,
        sections=list(rubric.sections),
        min_score=spec.min_score,
        skipped=skipped,
    )


def judge_record(
    record: RunRecord,
    models: dict[str, ModelChoice],
    clients: Clients,
    *,
    override: Sequence[str] = (),
    workers: int = 4,
    on_done: Callable[[], None] | None = None,
) -> RunRecord:
    """Every draft graded on its case's rubrics by every grader (``models`` resolved beforehand;
    ``override`` the ``--judge-model`` specs that replace each judge's own)."""
    prompt = task_prompt("judge")
    data = {c.id: ReportData.model_validate(c.data) for c in record.cases}
    planned: list[list[Judgement]] = []
    requests: dict[tuple[int, str], ChatRequest] = {}
    tasks: list[_Task] = []
    for index, run in enumerate(record.runs):
        mine = []
        for spec in judge_specs(record, run.case):
            rubric = spec.resolved()
            specs = list(override) or spec.models()
            if not specs:
                mine.append(_judgement(spec, rubric, prompt.version, NO_MODEL))
                continue
            mine.append(_judgement(spec, rubric, prompt.version))
            values = {
                **base_values(data[run.case]),
                "rubric_title": rubric.title,
                "rubric": rubric.text,
                "author_facts": facts_text(data[run.case], rubric.sections),
                "draft": draft_text(run.text, rubric.sections),
            }
            requests[(index, spec.label)] = render_alone(prompt, values)
            tasks += [
                _Task(index, spec.label, models[m.strip()], n)
                for m in specs
                for n in range(1, spec.graders + 1)
            ]
        planned.append(mine)

    def grade(task: _Task) -> Grade:
        asked = ask(clients.backend(task.model, task.sample), requests[(task.run, task.name)], read_score)
        score = asked.read.value if asked.read else None
        return Grade(model=task.model.spec, sample=task.sample, score=score, **asked.kept())

    def key(task: _Task) -> tuple[object, ...]:
        return (requests[(task.run, task.name)], task.model.spec, task.sample)

    grades = ask_each_once(tasks, key, grade, workers, on_done)
    for task, got in zip(tasks, grades, strict=True):  # tasks are in grader order: the grades land in it
        judgement = next(j for j in planned[task.run] if j.name == task.name)
        judgement.grades.append(got)
    runs = [with_judgements(run, planned[i]) for i, run in enumerate(record.runs)]
    return record.model_copy(
        update={"runs": runs, "judge_prompts": {**record.judge_prompts, "judge": prompt.version}}
    )


def judge_result(j: Judgement) -> Result | None:
    """The expectation a judge with ``min_score`` sets: the median reaches it. Without a score
    it is not met (never assumed); a judge not asked sets none."""
    if j.min_score is None or j.skipped:
        return None
    bound = score_text(j.min_score)
    median = j.median
    if median is None:
        why = j.grades[0].unscored if j.grades else "没有评分者"
        reason = f"{j.title}：没有有效评分，无法判断是否达到 {bound} 分（{why}）"
        return Result(name=f"{KIND}:{j.name}", kind=KIND, ok=False, reason=reason)
    ok = median >= j.min_score
    reason = f"{j.title}：{j.summary()}，{'达到' if ok else '低于'} {bound} 分"
    return Result(name=f"{KIND}:{j.name}", kind=KIND, ok=ok, reason=reason)


def with_judgements(run: DraftRun, judgements: list[Judgement]) -> DraftRun:
    results = [r for r in run.results if r.kind != KIND]
    results += [r for j in judgements if (r := judge_result(j)) is not None]
    return run.model_copy(
        update={"judgements": judgements, "results": results, "passed": all(r.ok for r in results)}
    )


def reapply(record: RunRecord) -> RunRecord:
    """The stored grades read again against the (perhaps edited) expectations, without a model:
    a grade of a rubric whose text changed since is set aside, a judge never asked says so."""
    runs = []
    for run in record.runs:
        stored = {j.name: j for j in run.judgements}
        now = []
        for spec in judge_specs(record, run.case):
            rubric = spec.resolved()
            old = stored.get(spec.label)
            if old is None:
                now.append(_judgement(spec, rubric, "", NOT_STORED))
            elif old.version != rubric.version:
                now.append(_judgement(spec, rubric, old.prompt, EDITED))
            else:
                now.append(old.model_copy(update={"min_score": spec.min_score}))
        runs.append(with_judgements(run, now))
    return record.model_copy(update={"runs": runs})
