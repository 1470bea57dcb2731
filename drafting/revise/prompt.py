"""The revision request: ``prompt_files/revise.md`` filled with the section's text, the instruction, the
locked figures (as ``drafting.statements`` states them), the author's facts and the pinned
sentences, under the shared system prompt that carries the register rules.

Rendering goes through ``drafting.prompts`` (``format_messages()`` only, never ``invoke()``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..backends.base import ChatRequest, Message
from ..data.model import ReportData
from ..figures import compute
from ..statements import fee_statements, hints, table2_statements, table3_statements, table4_statements

TASK_ID = "revise"
NO_PINS = "（没有固定的句子）"
RETRY = "作者没有采用这一稿。请仍按上面的修改要求和规则，重新修改原来的正文，换一种写法（只输出正文）。"


def locked_figures(data: ReportData) -> list[str]:
    """Every figure of the report, labelled, sums done: what a revision may quote and never change."""
    f = compute(data)
    return [
        f"报告年度：{data.year}年；下一年度：{data.year + 1}年",
        *table2_statements(data),
        *table3_statements(data, f),
        *table4_statements(f),
        *fee_statements(data),
        *hints(data, f),
    ]


@dataclass(frozen=True)
class RevisionPrompt:
    request: ChatRequest
    version: str  # revise.md's version (its number and file hash)


class RevisionPrompts:
    """The prompt files, loaded (and linted) once per session; only the model path needs them."""

    def __init__(self, directory: Path | None = None) -> None:
        from ..prompts import load_prompts, load_task_prompt

        self.prompts = load_prompts(directory)
        self.task = load_task_prompt(TASK_ID, directory)

    def render(
        self,
        section: str,
        data: ReportData,
        paragraphs: Sequence[str],
        instruction: str,
        pinned: Sequence[str],
    ) -> RevisionPrompt:
        from ..prompts import render_task
        from ..statements import fact_lines

        values = {
            "locked_figures": "\n".join(locked_figures(data)),
            "facts": "\n".join(fact_lines(section, data)),
            "section_text": "\n".join(paragraphs),
            "instruction": instruction.strip(),
            "pinned": "\n".join(f"- {p}" for p in pinned) or NO_PINS,
        }
        rendered = render_task(self.prompts, self.task, section, data, values)
        return RevisionPrompt(rendered.request, rendered.version)


def retry_request(request: ChatRequest, rejected: str) -> ChatRequest:
    """Ask again after the author turned an answer down, showing the model what it was."""
    messages = (*request.messages, Message("assistant", rejected), Message("user", RETRY))
    return ChatRequest(messages, request.temperature, request.max_tokens)
