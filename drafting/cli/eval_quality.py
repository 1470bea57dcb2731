"""The eval's quality tables on the terminal, beside the pass-rate matrix: the rubrics' scores and
their spread, the pairwise win rates with their intervals, the deterministic quality figures, and
— with ``--labels`` — how each check and judge agrees with the reviewers. The figures come from
``drafting.evaluation.panels`` (and ``human_labels``), which the HTML page shares."""

from __future__ import annotations

from rich.console import Console

from ..evaluation.human_labels import AgreementReport
from ..evaluation.panels import (
    SHORT_SECTIONS,
    judge_usage,
    quality_cells,
    rate_text,
    rubric_cells,
    rubric_names,
    skipped_rubrics,
    win_rates,
)
from ..evaluation.record import RunRecord
from ..evaluation.verdicts import score_text

PARTS = "各部分字数（" + " ".join(SHORT_SECTIONS.values()) + "）"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def print_quality(record: RunRecord, console: Console) -> None:
    from rich.table import Table

    names = rubric_names(record)
    by_cell = {(c.prompt, c.model, c.name): c for c in rubric_cells(record)}
    if any(not c.skipped for c in by_cell.values()):
        table = Table(title="评分标准（各草稿中位数的平均 · 最大分差 · 未评分）", title_justify="left")
        table.add_column("提示词版本")
        table.add_column("模型")
        for _, title in names:
            table.add_column(title, justify="right")
        for p in record.prompts:
            for m in record.models:
                row = [p.label, m]
                for name, _ in names:
                    c = by_cell.get((p.label, m, name))
                    if c is None or c.skipped:
                        row.append("—")
                        continue
                    text = (
                        f"{score_text(c.median)} · 分差≤{c.spread_max if c.spread_max is not None else '—'}"
                    )
                    if c.unscored:
                        text += f" · [yellow]未评分 {c.unscored}/{c.grades}[/yellow]"
                    row.append(text)
                table.add_row(*row)
        console.print(table)
    for why, titles in skipped_rubrics(record).items():
        console.print(f"评分标准 {'、'.join(titles)} 未评分：{why}。", highlight=False)

    rates = win_rates(record)
    if rates:
        table = Table(
            title="提示词版本两两比较（两种顺序都选同一版本才算胜；相当计一半；Wilson 95% 区间）",
            title_justify="left",
        )
        for name in ("A", "B", "模型", "A 的胜率", "B 的胜率", "A胜/B胜/相当", "随顺序翻转", "未评出"):
            table.add_column(name, justify="left" if name in ("A", "B", "模型") else "right")
        for w in rates:
            flips = f"[yellow]{w.flips}[/yellow]" if w.flips else "0"
            table.add_row(
                w.a,
                w.b,
                w.model,
                rate_text(w.rate_a, w.interval_a),
                rate_text(w.rate_b, w.interval_b),
                f"{w.wins_a}/{w.wins_b}/{w.ties}",
                flips,
                str(w.unscored),
            )
        console.print(table)

    usage = judge_usage(record)
    if usage:
        table = Table(
            title="评分模型用量（缓存命中的回答按初次提问时的 tokens 计入合计）", title_justify="left"
        )
        for name in (
            "评分模型",
            "用途",
            "次数",
            "回答",
            "缓存命中",
            "tokens 合计",
            "每次 tokens",
            "本次花费 tokens",
        ):
            table.add_column(name, justify="left" if name in ("评分模型", "用途") else "right")
        for u in usage:
            table.add_row(
                u.judge,
                u.task,
                str(u.asked),
                str(u.answers),
                str(u.cached),
                str(u.tokens),
                f"{u.per_ask:.0f}",
                str(u.spent),
            )
        console.print(table)

    figures = quality_cells(record)
    if figures:
        table = Table(title="质量指标（按字计，各草稿的平均）", title_justify="left")
        for name in (
            "提示词版本",
            "模型",
            "字数",
            PARTS,
            "重复率",
            "素材覆盖",
            "与离线稿重合",
            "套话/千字",
        ):
            table.add_column(name, justify="left" if name in ("提示词版本", "模型", PARTS) else "right")
        for q in figures:
            parts = " ".join(f"{n:.0f}" for n in q.chars.values())
            density = "—" if q.slogan_density is None else f"{q.slogan_density:.2f}"
            table.add_row(
                q.prompt,
                q.model,
                f"{q.total:.0f}",
                parts,
                _pct(q.repeated_rate),
                _pct(q.facts_coverage),
                _pct(q.offline_overlap),
                density,
            )
        console.print(table)


def print_agreement(report: AgreementReport, console: Console) -> None:
    from rich.table import Table

    table = Table(
        title=f"与人工标注的一致程度（{report.matched} 份草稿：好 {report.good}，不好 {report.bad}）",
        title_justify="left",
    )
    for name in ("检查或评分", "类别", "一致率", "一致", "误放过", "误拦", "未定", "tokens/份"):
        table.add_column(name, justify="left" if name in ("检查或评分", "类别") else "right")
    for a in report.rows:
        table.add_row(
            a.name,
            a.kind,
            _pct(a.rate),
            f"{a.agree}/{a.labelled}",
            str(a.false_pass),
            str(a.false_fail),
            str(a.undecided),
            "—" if a.tokens_per_draft is None else f"{a.tokens_per_draft:.0f}",
        )
    console.print(table)
    console.print(
        "误放过：通过了但人工标为“不好”；误拦：未通过但人工标为“好”；未定：评分没有有效分数；"
        "tokens/份：评分每份草稿花的 tokens（检查不调用模型）。"
    )
    if report.stale:
        console.print(
            f"[yellow]{len(report.stale)} 条标注的草稿已改变，未计入[/yellow]：{'、'.join(report.stale[:5])}"
        )
    if report.unknown:
        console.print(
            f"[yellow]{len(report.unknown)} 条标注在记录中没有对应的草稿[/yellow]：{'、'.join(report.unknown[:5])}"
        )
