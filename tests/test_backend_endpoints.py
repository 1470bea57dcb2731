"""Model specs, presets and endpoints: a spec and the settings → where the model lives and which
variable holds its key; a bad spec is named with the way to write it."""

from __future__ import annotations

import pytest

from drafting.backends.endpoints import resolve_endpoint
from drafting.errors import InputError

from .conftest import write_config


@pytest.mark.parametrize(
    ("spec", "provider", "model", "base_url", "key_env"),
    [
        ("openai:gpt-4o-mini", "openai", "gpt-4o-mini", "https://api.openai.com/v1", "OPENAI_API_KEY"),
        ("deepseek", "deepseek", "deepseek-chat", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY"),
        (
            "deepseek:deepseek-reasoner",
            "deepseek",
            "deepseek-reasoner",
            "https://api.deepseek.com/v1",
            "DEEPSEEK_API_KEY",
        ),
        (
            "qwen",
            "qwen",
            "qwen-plus",
            "https://dashscope.aliyuncs.com/compatible-mode/v1",
            "DASHSCOPE_API_KEY",
        ),
        ("glm", "glm", "glm-4-plus", "https://open.bigmodel.cn/api/paas/v4", "ZHIPUAI_API_KEY"),
        ("kimi", "kimi", "moonshot-v1-32k", "https://api.moonshot.cn/v1", "MOONSHOT_API_KEY"),
        ("ollama:qwen2.5:7b", "ollama", "qwen2.5:7b", "http://127.0.0.1:11434/v1", "OLLAMA_API_KEY"),
        (
            "vllm:Qwen/Qwen2.5-7B-Instruct",
            "vllm",
            "Qwen/Qwen2.5-7B-Instruct",
            "http://127.0.0.1:8000/v1",
            "VLLM_API_KEY",
        ),
    ],
)
def test_presets(spec: str, provider: str, model: str, base_url: str, key_env: str) -> None:
    e = resolve_endpoint(spec)
    assert (e.provider, e.model, e.base_url, e.api_key_env) == (provider, model, base_url, key_env)
    assert e.name == f"{provider}:{model}"


def test_base_url_and_key_variable_follow_the_same_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://sdk-env:1/v1")
    assert resolve_endpoint("openai:m").base_url == "http://sdk-env:1/v1"  # the SDK's variable, honoured
    write_config('base_url = "http://file:2/v1/"\napi_key_env = "OFFICE_KEY"\n')
    e = resolve_endpoint("openai:m")
    assert (e.base_url, e.api_key_env) == ("http://file:2/v1", "OFFICE_KEY")
    monkeypatch.setenv("DRAFTING_BASE_URL", "http://env:3/v1")
    assert resolve_endpoint("openai:m").base_url == "http://env:3/v1"
    e = resolve_endpoint("deepseek", base_url="http://flag:4/v1", api_key_env="MY_KEY")
    assert (e.base_url, e.api_key_env) == ("http://flag:4/v1", "MY_KEY")


def test_retry_and_timeout_settings_reach_the_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTING_MAX_ATTEMPTS", "7")
    monkeypatch.setenv("DRAFTING_TIMEOUT", "9.5")
    monkeypatch.setenv("DRAFTING_STREAM", "false")
    e = resolve_endpoint("deepseek")
    assert (e.retry.max_attempts, e.timeout, e.stream) == (7, 9.5, False)


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("gpt4", "不认识的起草方式“gpt4”"),
        ("openai", "需要写明模型名"),
        ("openai:", "缺少模型名"),
        ("vllm", "需要写明模型名"),
        ("offline", "不使用模型接口"),
    ],
)
def test_bad_specs_are_named(spec: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        resolve_endpoint(spec)
    assert words in info.value.message
    assert "--model" in info.value.hint


def test_a_pasted_key_is_refused_without_being_repeated() -> None:
    key = "sk-abcdef0123456789abcdef0123456789"
    with pytest.raises(InputError) as info:
        resolve_endpoint("deepseek", api_key_env=key)
    assert "环境变量的名字" in info.value.message
    assert key not in str(info.value)


def test_base_url_must_be_http() -> None:
    with pytest.raises(InputError, match="http://"):
        resolve_endpoint("openai:m", base_url="api.deepseek.com/v1")


def test_credentials_in_a_base_url_are_not_shown() -> None:
    e = resolve_endpoint("openai:m", base_url="https://user:secretpw@proxy.example/v1?token=abc")
    assert e.display_url == "https://proxy.example/v1"
