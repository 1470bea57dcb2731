"""drafting check REPORT [--data DATA] [--previous LAST] [--json]"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._options import path_argument, path_option

if TYPE_CHECKING:
    from ..checks import Finding, NotAssessed

_SEVERITY = {"error": ("错误", "red"), "warning": ("提示", "yellow")}


@click.command("check")
@path_argument("report")
@path_option("--data", "data_path", help="数据文件：表格和正文数字须与之一致。")
@path_option(
    "--previous", help="上年数据文件或上年报告（.yaml/.json/.txt/.md/.html/.docx/.pdf），用于核对上年结转。"
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='以 JSON 输出：{"ok": …, "findings": […]}；有规则因未能确认所需内容而未作检查时，另附 "not_assessed": [{"rules", "check", "reason"}]。',
)
@click.option(
    "--final",
    is_flag=True,
    help="按发布前的标准检查：遗留的【待补充】等占位内容、没有写出的存在问题或改进措施都算错误（平时只是提示）。",
)
@click.pass_context
def command(
    ctx: click.Context,
    report: Path,
    data_path: Path | None,
    previous: Path | None,
    as_json: bool,
    final: bool,
) -> None:
    """检查一份年度报告（本工具的草稿 .draft.json，或任何人发布的 .md/.txt/.html/.docx/.pdf）：
    结构、表格勾稽关系、正文与表格的一致性、年份和文字规范。
    没有错误时退出码为 0，有错误时为 1，文件无法使用时为 2。"""
    from ..check import assess_file
    from ..checks import has_errors

    outcome = assess_file(report, data_path, previous, final=final)
    findings = outcome.findings
    if as_json:
        payload: dict[str, object] = {
            "ok": not has_errors(findings),
            "findings": [f.as_dict() for f in findings],
        }
        if outcome.not_assessed:  # ``ok`` and ``findings`` are the contract; this is beside them
            payload["not_assessed"] = [n.as_dict() for n in outcome.not_assessed]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print(str(report), findings, outcome.not_assessed)
    ctx.exit(1 if has_errors(findings) else 0)


def _print(source: str, findings: list[Finding], not_assessed: list[NotAssessed]) -> None:
    from ..checks import CATEGORIES, CATEGORY_LABELS

    errors = sum(1 for f in findings if f.is_error)
    warnings = len(findings) - errors
    if not_assessed:
        click.secho("\n【未作检查】", bold=True)
        for item in not_assessed:
            click.echo(f"  ［{'、'.join(item.rules)}］{item.reason}")
    if not findings:
        click.secho(f"{source}：未发现问题。", fg="green")
        return
    for category in CATEGORIES:
        group = [f for f in findings if f.category == category]
        if not group:
            continue
        click.secho(f"\n【{CATEGORY_LABELS[category]}】", bold=True)
        for f in group:
            label, colour = _SEVERITY[f.severity]
            click.secho(f"  {label}［{f.rule}］", fg=colour, bold=True, nl=False)
            click.echo(f" {f.location}：{f.message}")
    summary = f"\n{source}：{errors} 个错误，{warnings} 条提示。"
    click.secho(summary, fg="red" if errors else "yellow", bold=True)
    if errors:
        click.echo("请逐条改正错误后再发布；提示项请核对后自行决定是否修改。")
