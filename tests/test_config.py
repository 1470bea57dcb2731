"""Settings precedence (flag > DRAFTING_* > config file > default) and paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting import config
from drafting.config import Settings, load_settings
from drafting.errors import InputError

from .conftest import write_config


@pytest.mark.parametrize(
    ("file", "env", "flag", "expected"),
    [
        (None, None, None, "offline"),
        ("deepseek", None, None, "deepseek"),
        ("deepseek", "qwen", None, "qwen"),
        ("deepseek", "qwen", "kimi", "kimi"),
        (None, None, "glm", "glm"),
        (None, "qwen", None, "qwen"),
        ("deepseek", None, "kimi", "kimi"),
    ],
)
def test_model_precedence(
    monkeypatch: pytest.MonkeyPatch, file: str | None, env: str | None, flag: str | None, expected: str
) -> None:
    if file:
        write_config(f'model = "{file}"\n')
    if env:
        monkeypatch.setenv("DRAFTING_MODEL", env)
    assert load_settings(model=flag).model == expected


def test_each_setting_layers_independently(monkeypatch: pytest.MonkeyPatch) -> None:
    write_config('concurrency = 2\njobs = 3\ncache = false\nbase_url = "http://file/v1"\n')
    monkeypatch.setenv("DRAFTING_JOBS", "5")
    monkeypatch.setenv("DRAFTING_CACHE", "true")
    s = load_settings(base_url="http://flag/v1", concurrency=None)
    assert (s.concurrency, s.jobs, s.cache, s.base_url) == (2, 5, True, "http://flag/v1")
    assert s.max_attempts == Settings().max_attempts  # untouched: the default


def test_drafting_home_holds_config_and_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTING_HOME", str(tmp_path / "home"))
    assert config.config_path() == tmp_path / "home" / "config.toml"
    assert config.cache_dir() == tmp_path / "home" / "cache"
    monkeypatch.delenv("DRAFTING_HOME")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    assert config.config_path() == tmp_path / "xdg-config" / "drafting" / "config.toml"
    assert config.cache_dir() == tmp_path / "xdg-cache" / "drafting"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('model = "deepseek"\ncolour = "red"\n', "不认识的设置项：colour"),
        ("model = deepseek\n", "格式错误"),
        ("concurrency = 0\n", "concurrency"),
    ],
)
def test_a_bad_config_file_is_named(text: str, words: str) -> None:
    path = write_config(text)
    with pytest.raises(InputError) as info:
        load_settings()
    assert words in str(info.value)
    assert str(path) in str(info.value)


def test_a_bad_environment_value_names_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTING_JOBS", "many")
    with pytest.raises(InputError) as info:
        load_settings()
    assert "jobs" in info.value.message and "DRAFTING_" in info.value.hint
