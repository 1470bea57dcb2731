"""drafting serve [FOLDER] [--port N] [--open] [--host H --token T] [--model SPEC]"""

from __future__ import annotations

import socket
from pathlib import Path

import click

from ._options import ModelFlags, model_options, path_argument


@click.command("serve")
@path_argument("folder", required=False, default=Path("."))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="端口；0 表示任选一个空闲端口。",
)
@click.option("--open", "open_browser", is_flag=True, help="启动后在浏览器中打开。")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="监听地址。默认只有本机可以访问；改为其他地址（如 0.0.0.0）时必须同时给出 --token。",
)
@click.option(
    "--token", default=None, help="访问令牌：打开页面时须在地址后加 ?token=令牌（在 --host 不是本机时必需）。"
)
@model_options
def command(
    folder: Path,
    port: int,
    open_browser: bool,
    host: str,
    token: str | None,
    model_flags: ModelFlags,
) -> None:
    """在浏览器中完成全部工作：填写数据、起草、逐节修订、检查、下载。

    FOLDER 是工作区文件夹（默认当前文件夹；不存在时新建）：其中每个数据文件（.yaml/.yml/.json）是一份报告，
    草稿写在 FOLDER/drafts/，与命令行的 drafting draft 相同。页面只在本机可用；
    模型设置同 drafting draft（--model 等，或在页面的“模型设置”中选择），密钥只从环境变量读取。
    """
    from ..config import load_settings
    from ..errors import InputError, os_reason
    from ..server.security import is_loopback

    if folder.exists() and not folder.is_dir():
        raise InputError(
            f"{folder} 不是一个文件夹。", hint="请给出报告数据文件所在的文件夹，如 drafting serve 报告/"
        )
    if not folder.exists():  # a new user's first run: the workspace starts empty
        if not folder.parent.is_dir():
            raise InputError(
                f"无法新建工作区文件夹 {folder}：上一级文件夹 {folder.parent} 不存在。",
                hint="请检查路径，或先新建上一级文件夹。",
            )
        try:
            folder.mkdir()
        except OSError as exc:
            raise InputError(f"无法新建工作区文件夹 {folder}：{os_reason(exc)}。") from None
        click.echo(f"已新建工作区文件夹：{folder}")
    if not is_loopback(host) and not token:
        raise InputError(
            f"监听地址 {host} 不是本机：其他电脑也能访问，必须同时用 --token 设置访问令牌。",
            hint="例如：drafting serve --host 0.0.0.0 --token 一串不易猜到的字符。只在本机使用时请去掉 --host。",
        )
    if token is not None and len(token) < 12:
        raise InputError("访问令牌太短：请用至少 12 个字符。")
    load_settings(**model_flags)  # a bad setting stops here
    port = _free_port(host) if port == 0 else _check_port(host, port)
    import uvicorn

    from ..server import ServerOptions, create_app

    options = ServerOptions(host=host, port=port, token=token, **model_flags)
    app = create_app(folder, options)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
    if token:
        url += f"?token={token}"
    click.secho(f"工作区：{folder.resolve()}", fg="green")
    click.echo(f"请在浏览器中打开：{url}")
    click.echo("按 Ctrl+C 停止。已保存的内容都在文件中，不会丢失。")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(0.8, webbrowser.open, args=(url,)).start()
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run()


def _check_port(host: str, port: int) -> int:
    """Refused in Chinese before uvicorn would log an English error and exit."""
    from ..errors import InputError

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        # As uvicorn binds: a port left in TIME_WAIT by a server just stopped is free to reuse.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            raise InputError(
                f"无法在 {host}:{port} 上启动：该端口已被占用，或没有权限使用。",
                hint=f"请换一个端口，如 --port {port + 1}；或用 --port 0 任选一个空闲端口。",
            ) from None
    return port


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])
