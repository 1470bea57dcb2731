"""The eval as one library call: options in; the run record, its regressions against a baseline
and the cells below a pass-rate threshold out, with the record and the report written. ``drafting
eval`` parses its options into ``EvalOptions``, calls ``run_eval`` and prints what comes back; the
web workspace makes the same call.

Everything that can be refused is refused before the first draft: option values, the baseline, the
suite and its data files, the prompt folders, every model (a missing key, an unknown preset, a
broken replay). The report is rendered before any file is written, so a failure leaves no half set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .compare import Regression
from .record import DraftRun, RunRecord
from .report import CellStats


@dataclass(frozen=True)
class EvalOptions:
    suite: Path | None = None  # default: evals/suite.yaml (or, with rescore, the suite the record names)
    prompt_dirs: Sequence[Path] = ()  # each folder a prompt version; default: the suite's, else prompts/
    models: Sequence[str] = ()  # model specs; default: the suite's, else offline
    repeat: int | None = None  # default: the suite's, else 1
    case_ids: Sequence[str] = ()  # only these cases
    concurrency: int = 4  # drafts at once
    cache: bool = True
    base_url: str | None = None
    api_key_env: str | None = None
    rescore: Path | None = None  # score a saved record again with today's checks, no model
    baseline: Path | None = None  # a record to compare with: regressions fail the run
    min_pass_rate: float | None = None  # 0–1: a prompt × model cell below it fails the run
    min_faithful: float | None = None  # 0–1: labelled faithful answers accepted, at least
    min_recall: float | None = None  # 0–1: labelled faults caught, at least (and every class once)
    json_out: Path | None = None  # where to write the run record
    html_out: Path | None = None  # where to write the HTML report


@dataclass
class EvalResult:
    record: RunRecord
    regressions: list[Regression] | None = None  # None when there was no baseline
    below: list[CellStats] = field(default_factory=list)  # cells under min_pass_rate
    written: list[Path] = field(default_factory=list)
    label_gates: list[str] = field(default_factory=list)  # labelled figures under their thresholds

    @property
    def failed(self) -> bool:
        return bool(self.regressions) or bool(self.below) or bool(self.label_gates)


def check_options(options: EvalOptions) -> None:
    """Option values a run cannot start with, and options that do not go together."""
    for name, rate in (
        ("--min-pass-rate", options.min_pass_rate),
        ("--min-faithful", options.min_faithful),
        ("--min-recall", options.min_recall),
    ):
        if rate is not None and not 0 <= rate <= 1:
            raise InputError(f"{name} 的值 {rate:g} 无效。", hint="请写 0 到 1 之间的小数，如 0.9 表示 90%。")
    if options.repeat is not None and options.repeat < 1:
        raise InputError(f"--repeat 的值 {options.repeat} 无效。", hint="请写不小于 1 的整数。")
    if options.concurrency < 1:
        raise InputError(f"--concurrency 的值 {options.concurrency} 无效。", hint="请写不小于 1 的整数。")
    if options.rescore is not None:
        given = [
            name
            for name, value in (
                ("--prompts", options.prompt_dirs),
                ("--model", options.models),
                ("--repeat", options.repeat),
            )
            if value
        ]
        if given or options.case_ids:
            raise InputError(
                f"--rescore 只用已保存的草稿重新评分，不能同时使用 {'、'.join(given or ['--case'])}。",
                hint="要重新起草，请去掉 --rescore。",
            )


def run_eval(
    options: EvalOptions,
    *,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[DraftRun], None] | None = None,
) -> EvalResult:
    """Run (or rescore) a suite, compare, gate and write. ``on_start`` hears how many drafts the run
    will write, ``on_done`` each draft as it is scored (a progress bar, a web page)."""
    from . import compare
    from .record import load_record, rescore, write_record
    from .report import render_html
    from .suite import load_suite

    check_options(options)
    base = load_record(options.baseline) if options.baseline is not None else None  # before the run
    if options.rescore is not None:
        suite = load_suite(options.suite).suite if options.suite else None
        record = rescore(load_record(options.rescore), suite)
    else:
        record = _run(options, on_start, on_done)

    html = render_html(record) if options.html_out is not None else None  # all rendered before any write
    written = []
    if options.json_out is not None:
        write_record(record, options.json_out)
        written.append(options.json_out)
    if options.html_out is not None and html is not None:
        from ..files import write_text

        write_text(options.html_out, html)
        written.append(options.html_out)
    from .labels import gate, label_cells

    return EvalResult(
        record=record,
        regressions=compare.regressions(base, record) if base is not None else None,
        below=compare.below(record, options.min_pass_rate) if options.min_pass_rate is not None else [],
        written=written,
        label_gates=gate(label_cells(record), options.min_faithful, options.min_recall),
    )


def _run(
    options: EvalOptions,
    on_start: Callable[[int], None] | None,
    on_done: Callable[[DraftRun], None] | None,
) -> RunRecord:
    from ..config import load_settings
    from .runner import Runner, load_prompt_versions, resolve_models
    from .suite import DEFAULT_SUITE, load_suite

    loaded = load_suite(options.suite or DEFAULT_SUITE)
    if options.case_ids:
        loaded = loaded.select(list(options.case_ids))
    spec = loaded.suite
    settings = load_settings(
        base_url=options.base_url, api_key_env=options.api_key_env, cache=None if options.cache else False
    )
    # Options are relative to where the command runs; the suite's own defaults to the suite file.
    dirs = list(options.prompt_dirs) or [loaded.root / p for p in spec.prompts]
    if options.models:
        chosen = resolve_models(options.models, settings)
    else:
        chosen = resolve_models(spec.models or ["offline"], settings, base=loaded.root)
    runner = Runner(
        loaded,
        load_prompt_versions(dirs),
        chosen,
        repeat=options.repeat or spec.repeat,
        concurrency=options.concurrency,
        cache=settings.cache,
    )
    if on_start is not None:
        on_start(len(runner.jobs()))
    return runner.run(on_done=on_done)
