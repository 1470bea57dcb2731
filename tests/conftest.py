"""Shared fixtures. Every test runs with its own DRAFTING_HOME and no model keys in the environment,
so nothing a test does can reach a real endpoint or a user's files."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
REFERENCE_EXAMPLE = EXAMPLES / "daxinganling-2023.yaml"


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
