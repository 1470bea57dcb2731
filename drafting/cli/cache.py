"""drafting cache stats | clear"""

from __future__ import annotations

import datetime as dt

import click


@click.group("cache")
def command() -> None:
    """模型回答的本地缓存（相同的数据和提示词不再重复请求，也不再消耗 tokens）。"""


def _when(ts: float | None) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else "—"


@command.command("stats")
def stats() -> None:
    """显示缓存位置、条数和大小。"""
    from ..backends.cached import ResponseCache

    s = ResponseCache().stats()
    click.echo(f"缓存文件：{s.path}")
    click.echo(f"条数：{s.entries}　大小：{s.size_bytes / 1024:.1f} KB")
    if s.entries:
        click.echo(f"最早：{_when(s.oldest)}　最新：{_when(s.newest)}")
        for model, n in s.by_model.items():
            click.echo(f"  {model or '（未知模型）'}：{n} 条")


@command.command("clear")
def clear() -> None:
    """清空缓存。"""
    from ..backends.cached import ResponseCache

    removed = ResponseCache().clear()
    click.echo(f"已清除 {removed} 条缓存。")
