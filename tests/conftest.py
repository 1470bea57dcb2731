"""Shared fixtures. Every test runs with its own DRAFTING_HOME and no model keys in the environment,
so nothing a test does can reach a real endpoint or a user's files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
REFERENCE_EXAMPLE = EXAMPLES / "daxinganling-2023.yaml"
# ``drafting`` as a user runs it, in a child process of its own: ``[*DRAFTING, "review", ...]``.
DRAFTING = (sys.executable, "-c", "from drafting.cli import main; main()")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTING_HOME", str(tmp_path / "drafting-home"))
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "DEEPSEEK_API_KEY",
        "DASHSCOPE_API_KEY",
        "LANGSMITH_TRACING",
    ):
        monkeypatch.delenv(name, raising=False)


def write_config(text: str) -> Path:
    """``config.toml`` in the test's ``DRAFTING_HOME``, holding ``text``."""
    from drafting import config

    path = config.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests run last. Playwright's sync API keeps its event loop marked as running in
    the main thread until the session ends (pytest-playwright's ``playwright`` fixture is
    session-scoped, and pytest moves tests with session-scoped parameters forward); any later test
    that calls ``asyncio.run`` there (prompt_toolkit's terminal loop) would then fail."""
    browser = [item for item in items if "browser_name" in getattr(item, "fixturenames", ())]
    if browser:
        others = [item for item in items if "browser_name" not in getattr(item, "fixturenames", ())]
        items[:] = others + browser
