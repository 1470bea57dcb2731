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
    """显示缓存位置、条数、大小和上限（设置项 cache_max_mb）。"""
    from ..backends.cached import ResponseCache, max_bytes_of
    from ..config import load_settings

    s = ResponseCache(max_bytes=max_bytes_of(load_settings())).stats()
    click.echo(f"缓存文件：{s.path}")
    click.echo(f"条数：{s.entries}　大小：{s.size_bytes / 1024:.1f} KB")
    click.echo(
        f"回答共 {s.stored_bytes / 1e6:.1f} MB，上限 {s.max_bytes / 1e6:.0f} MB"
        "（超出时先删去最久未用的回答；可用 DRAFTING_CACHE_MAX_MB 或 config.toml 的 cache_max_mb 调整）"
    )
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
