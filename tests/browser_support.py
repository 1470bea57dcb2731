"""The browser the browser tests drive: Debian's chromium through pytest-playwright
(``playwright install`` cannot download browsers here; ``.ci/run`` installs ``chromium`` and
``fonts-noto-cjk`` with apt-get when they are missing)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_CHROMIUM = "没有找到 chromium：浏览器测试使用 Debian 的 chromium（.ci/run 会用 apt-get 安装 chromium 和 fonts-noto-cjk）"


def chromium() -> str | None:
    return next((p for p in CHROMIUM_CANDIDATES if Path(p).is_file()), None)


# CI (.ci/run) installs chromium and sets this: there a missing browser fails the run instead of
# skipping the tests, so CI never passes without having driven the pages.
REQUIRED = os.environ.get("DRAFTING_REQUIRE_BROWSER") == "1"

# Every browser test module: ``pytestmark = BROWSER_TESTS``.
BROWSER_TESTS = [
    pytest.mark.skipif(chromium() is None and not REQUIRED, reason=NO_CHROMIUM),
    pytest.mark.skipif(sys.platform != "linux", reason="浏览器测试只在 Linux 上运行"),
]


# pytest-playwright's own fixtures, overridden for Debian's chromium. pytest finds a fixture by the
# name it has in the test module, so each browser test module imports these two under these names.


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if chromium() is None:  # CI asked for the browser tests (DRAFTING_REQUIRE_BROWSER=1): never skip
        pytest.fail(
            "DRAFTING_REQUIRE_BROWSER=1 但没有找到 chromium：请先 apt-get install chromium fonts-noto-cjk。"
        )
    return {
        **browser_type_launch_args,
        "executable_path": chromium(),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A desktop window in Chinese that keeps what it downloads (the workspace's and the eval
    report's download buttons are tested)."""
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 800},
        "locale": "zh-CN",
        "accept_downloads": True,
    }
