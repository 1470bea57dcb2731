"""The browser the browser tests drive: Debian's chromium through pytest-playwright
(``playwright install`` cannot download browsers here; ``.ci/run`` installs ``chromium`` and
``fonts-noto-cjk`` with apt-get when they are missing)."""

from __future__ import annotations

import os
from pathlib import Path

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
