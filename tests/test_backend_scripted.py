"""ScriptedBackend: the deterministic backend the eval harness and the docs use."""

from __future__ import annotations

import threading

import pytest

from drafting.backends.base import BackendError, ChatRequest, Completion, Message, Usage
from drafting.backends.scripted import ScriptedBackend

REQUEST = ChatRequest((Message("user", "写一段话"),))


def test_answers_from_a_list_in_order_then_runs_out() -> None:
    backend = ScriptedBackend(["一", "二"])
    assert [backend.complete(REQUEST).text for _ in range(2)] == ["一", "二"]
    with pytest.raises(BackendError) as info:
        backend.complete(REQUEST)
    assert info.value.kind == "exhausted" and info.value.fatal
    assert "第 3 个请求" in info.value.message
    assert len(backend.requests) == 3


def test_answers_by_a_callable_that_sees_the_request() -> None:
    backend = ScriptedBackend(lambda req: req.messages[-1].content + "。", name="scripted:echo")
    completion = backend.complete(REQUEST)
    assert completion.text == "写一段话。"
    assert completion.finish_reason == "stop" and completion.usage.completion_tokens == 5
    assert backend.name == "scripted:echo"


def test_errors_and_completions_in_the_script_are_raised_and_returned() -> None:
    given = Completion("现成的回答", "stop", Usage(10, 5))
    backend = ScriptedBackend([BackendError("服务器出错", kind="server"), given])
    with pytest.raises(BackendError, match="服务器出错"):
        backend.complete(REQUEST)
    assert backend.complete(REQUEST) is given


def test_each_reply_is_used_once_under_concurrency() -> None:
    backend = ScriptedBackend([str(n) for n in range(200)])
    got: list[str] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(25):
            text = backend.complete(REQUEST).text
            with lock:
                got.append(text)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got, key=int) == [str(n) for n in range(200)]
