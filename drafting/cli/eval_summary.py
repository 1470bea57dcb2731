"""The eval summary on the terminal: pass rates by prompt version × model, usage, rules and
expectations, flaky cases and the drafts that failed, as rich tables. The figures come from
``drafting.evaluation.report``, which the HTML page shares."""

from __future__ import annotations

from rich.console import Console

from ..evaluation.record import RunRecord
from ..evaluation.report import cells, check_stats, failures, flaky, overall, percent
from .eval_quality import print_quality


def print_summary(record: RunRecord, console: Console, *, details: int = 20) -> None:
    from rich.table import Table

    passed, total = overall(record)
    console.print(
        f"[bold]评测集：{record.suite.name}[/bold]　草稿 {total} 份，通过 {passed} 份（{percent(passed / total if total else 0)}），"
        f"用时 {record.wall_s:.1f} 秒"
    )
    stats = {(c.prompt, c.model): c for c in cells(record)}
    matrix = Table(title="通过率（提示词版本 × 模型）", title_justify="left")
    matrix.add_column("提示词版本")
    for model in record.models:
        matrix.add_column(model, justify="right")
    for p in record.prompts:
        row = [f"{p.label} ({p.version})"]
        for model in record.models:
            c = stats[(p.label, model)]
            colour = "green" if c.passed == c.drafts else "red" if c.passed == 0 else "yellow"
            row.append(f"[{colour}]{percent(c.rate)}[/{colour}] {c.passed}/{c.drafts}")
        matrix.add_row(*row)
    console.print(matrix)
    _print_labels(record, console)
    print_quality(record, console)  # rubrics, pairwise win rates, quality figures

    usage = Table(title="用量与耗时", title_justify="left")
    for name in (
        "提示词版本",
        "模型",
        "tokens（输入/输出）",
        "请求",
        "缓存命中",
        "回退",
        "重新提问",
        "平均耗时",
        "最长耗时",
    ):
        usage.add_column(name, justify="left" if name in ("提示词版本", "模型") else "right")
    for c in stats.values():
        mark = "≈" if c.estimated else ""
        usage.add_row(
            c.prompt,
            c.model,
            f"{mark}{c.prompt_tokens}/{c.completion_tokens}",
            str(c.requests),
            str(c.cached),
            str(c.fallbacks),
            str(c.reasked),
            f"{c.latency_mean:.2f}s",
            f"{c.latency_max:.2f}s",
        )
    console.print(usage)

    checks = [s for s in check_stats(record) if s.failed or s.name in _named_rules(record)]
    if checks:
        table = Table(title="按规则和期望", title_justify="left")
        for name in ("检查", "类别", "通过率", "失败草稿", "示例"):
            table.add_column(name, justify="right" if name in ("通过率", "失败草稿") else "left")
        for s in checks:
            table.add_row(s.name, s.label, percent(s.rate), f"{s.failed}/{s.drafts}", _short(s.example, 60))
        console.print(table)

    unstable = flaky(record)
    if unstable:
        table = Table(title="不稳定的案例（各次重复结果不一）", title_justify="left")
        for name in ("案例", "提示词版本", "模型", "通过"):
            table.add_column(name)
        for f in unstable:
            table.add_row(f.case, f.prompt, f.model, f"{f.passed}/{f.repeats}")
        console.print(table)

    failed = [r for r in record.runs if not r.passed]
    if failed:
        console.print("[bold]未通过的草稿[/bold]")
        for run in failed[:details]:
            head = f"  [red]✗[/red] {run.case}　{run.prompt} · {run.model} · 第{run.repeat}次"
            console.print(head, highlight=False)
            for reason in failures(run)[:5]:
                console.print(f"      {_short(reason, 110)}", highlight=False, markup=False)
        if len(failed) > details:
            console.print(f"  …… 另有 {len(failed) - details} 份，见 JSON 或 HTML 报告。")


def _print_labels(record: RunRecord, console: Console) -> None:
    """Labelled answers: the false-rejection rate and the recall of each class of fault."""
    from rich.table import Table

    from ..evaluation.labels import KEPT_OUT, label_cells

    cells = label_cells(record)
    if not cells:
        return
    table = Table(title="带 label 的回答：忠实回答采用率与各类错误发现率", title_justify="left")
    table.add_column("回答")
    for c in cells:
        table.add_column(f"{c.prompt} · {c.model}", justify="right")

    def shown(ok: int, total: int) -> str:
        colour = "green" if ok == total else "red" if ok == 0 else "yellow"
        return f"[{colour}]{percent(ok / total if total else 0)}[/{colour}] {ok}/{total}"

    table.add_row("忠实回答采用率", *[shown(c.faithful.ok, c.faithful.total) for c in cells])
    table.add_row("  （误拒率）", *[f"{c.false_rejection * 100:.1f}%" for c in cells])
    table.add_row("错误发现率（合计）", *[shown(c.faults.ok, c.faults.total) for c in cells])
    classes = list(dict.fromkeys(label for c in cells for label in c.classes))
    for label in classes:
        how = "（不进入草稿）" if label in KEPT_OUT else ""
        row = []
        for c in cells:
            t = c.classes.get(label)
            row.append(shown(t.ok, t.total) if t else "—")
        table.add_row(f"  {label}{how}", *row)
    console.print(table)
    for c in cells:
        for case, section, label in c.missed[:10]:
            what = "忠实回答被拒绝" if label == "faithful" else f"未发现的错误（{label}）"
            console.print(f"  [red]✗[/red] {case}　{section}：{what}", highlight=False)


def _named_rules(record: RunRecord) -> set[str]:
    return {r.rule for run in record.runs for r in run.results if r.rule}


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
