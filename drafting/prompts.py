"""Prompts as files: ``prompt_files/system.md`` (the register) and one file per narrative section.

Each file starts with front matter (id, section, version, parameters, the variables it uses) and
its body is a langchain-core f-string template. Loading lints it: a variable the body uses but does
not declare, one it declares but does not use, or one our builder cannot supply is a named
``PromptError`` at load time, not a surprise at render time. A prompt's version is its front-matter
number plus a hash of the file, so any edit shows in the draft's provenance.

Rendering goes through ``format_messages()`` only, never ``invoke()``: invoking a runnable reports
the prompt (government data) to LangSmith when the user's environment enables tracing.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import official, offline, statements
from .backends.base import ChatRequest, Message
from .data.model import ReportData
from .document import part_heading
from .errors import DraftingError, os_reason, validation_problem

SYSTEM_ID = "system"
SUFFIX = ".md"

# Every variable a prompt may use, and what it holds (``drafting prompts list`` shows these).
AVAILABLE_VARIABLES: dict[str, str] = {
    "agency": "机关全称",
    "self_reference": "正文自称（如 我局、本机关）",
    "short_name": "机关简称（没有时为全称）",
    "year": "报告年度",
    "next_year": "下一年度（改进措施用）",
    "marker": "缺少素材时的标记写法【待补充：……】",
    "section_heading": "本部分的正式标题（如 一、总体情况）",
    "section_title": "本节在该部分中的小标题（如 （一）存在的主要问题），没有时为空",
    "subsections": "一、总体情况 的五个小节，每行一个",
    "figures": "本节用到的数字，每行一条，带正式标签，合计已算好",
    "facts": "作者提供的本节素材，按主题列出",
}

# Prompts for a task other than first drafting, each with the variables its own module supplies
# beside the ones above. They share the directory but are loaded on their own (``load_task_prompt``),
# so a draft never needs them and ``load_prompts`` does not count them as strangers.
TASK_VARIABLES: dict[str, dict[str, str]] = {
    "revise": {
        "locked_figures": "已锁定的数据（表格数字、合计和收费），每行一条",
        "section_text": "本节现在的正文",
        "instruction": "作者的修改要求",
        "pinned": "作者固定的句子，每行一句（没有时写明没有）",
    },
    # The eval's judges (``evaluation/judge.py``, ``evaluation/pairwise.py``): no system prompt.
    "judge": {
        "rubric_title": "评分标准的名称",
        "rubric": "评分标准的内容（1 到 5 分各是什么样）",
        "author_facts": "作者提供的素材，按主题列出",
        "draft": "要评分的正文，各部分带标题",
    },
    "pairwise": {
        "author_facts": "作者提供的素材，按主题列出",
        "draft_a": "草稿A的正文",
        "draft_b": "草稿B的正文",
    },
}


class PromptError(DraftingError):
    """A prompt file that cannot be used; names the file, the variable or field, and the fix."""

    exit_code = 2


class Parameters(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    temperature: float = Field(0.3, ge=0, le=2)
    max_tokens: int = Field(1500, ge=16, le=32000)


class FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    section: str
    version: int = Field(ge=1)
    description: str = ""
    parameters: Parameters | None = None
    variables: list[str]


@dataclass(frozen=True)
class PromptFile:
    meta: FrontMatter
    body: str
    path: Path
    digest: str  # sha256 of the file's bytes

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def version(self) -> str:
        """``v1-3f2a9c0d1e``: the author's number and the file's hash, so no edit goes unnoticed."""
        return f"v{self.meta.version}-{self.digest[:10]}"

    @property
    def parameters(self) -> Parameters:
        return self.meta.parameters or Parameters()


@dataclass(frozen=True)
class PromptSet:
    system: PromptFile
    sections: dict[str, PromptFile]

    def get(self, prompt_id: str) -> PromptFile:
        if prompt_id == SYSTEM_ID:
            return self.system
        if prompt_id not in self.sections:
            known = "、".join([SYSTEM_ID, *self.sections])
            raise PromptError(f"没有编号为“{prompt_id}”的提示词。", hint=f"可用的编号：{known}。")
        return self.sections[prompt_id]

    def versions(self) -> dict[str, str]:
        return {SYSTEM_ID: self.system.version} | {k: p.version for k, p in self.sections.items()}


@dataclass(frozen=True)
class RenderedPrompt:
    section: str
    request: ChatRequest
    version: str  # the section file's version; the system prompt's is recorded beside it


# The prompts that ship with the package (package data, so a normal install has them too).
BUILT_IN = Path(__file__).resolve().parent / "prompt_files"


def default_dir() -> Path:
    """``$DRAFTING_PROMPTS`` (an office's own edited copies), or the prompts the package ships."""
    override = os.environ.get("DRAFTING_PROMPTS")
    return Path(override) if override else BUILT_IN


# --- loading and linting -----------------------------------------------------------------------


def _split_front_matter(text: str, path: Path) -> tuple[str, str]:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise PromptError(
            f"提示词文件 {path} 缺少开头的设置块（front matter）。",
            hint="文件第一行应为 ---，随后是 id、section、version、variables 等设置，再以 --- 结束。",
        )
    for n, line in enumerate(lines[1:], 1):
        if line.strip() == "---":
            return "".join(lines[1:n]), "".join(lines[n + 1 :]).strip("\n")
    raise PromptError(f"提示词文件 {path} 的设置块没有以 --- 结束。")


def _parse_front_matter(text: str, path: Path) -> FrontMatter:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from .yamlfile import YAML_HINT, screen, yaml_problem

    screen(text, f"提示词文件 {path} 的设置块")  # nesting, aliases and tags, as in a data file
    try:
        raw = YAML(typ="safe").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"第{mark.line + 2}行" if mark else ""  # +1 for 1-based, +1 for the opening ---
        problem, hint = yaml_problem(str(exc.problem or exc.context or ""))
        raise PromptError(f"提示词文件 {path} 的设置块{where}格式错误（{problem}）。", hint=hint) from None
    except YAMLError:
        raise PromptError(f"提示词文件 {path} 的设置块格式错误。", hint=YAML_HINT) from None
    try:
        return FrontMatter.model_validate(raw or {})
    except ValidationError as exc:
        where, what = validation_problem(exc, "（整体）")
        raise PromptError(
            f"提示词文件 {path} 的设置项 {where} 有误：{what}。",
            hint="设置块需要 id、section、version（正整数）、variables（变量名列表），各节还可有 parameters。",
        ) from None


def template_variables(body: str, path: Path) -> set[str]:
    from langchain_core.prompts.string import get_template_variables

    try:
        return set(get_template_variables(body, "f-string"))
    except ValueError:
        raise PromptError(
            f"提示词文件 {path} 的正文中花括号用法有误。",
            hint="变量写作 {变量名}（只能是简单的名字）；正文中要出现花括号本身时写作 {{ 和 }}。",
        ) from None


def load_prompt(path: Path) -> PromptFile:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PromptError(f"无法读取提示词文件 {path}：{os_reason(exc)}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PromptError(f"提示词文件 {path} 不是 UTF-8 编码。", hint="请用 UTF-8 编码保存。") from None
    head, body = _split_front_matter(text, path)
    meta = _parse_front_matter(head, path)
    if meta.id != path.stem:
        raise PromptError(f"提示词文件 {path} 的 id 为“{meta.id}”，应与文件名一致（{path.stem}）。")
    available = AVAILABLE_VARIABLES | TASK_VARIABLES.get(meta.id, {})
    if meta.id == SYSTEM_ID:
        if meta.section != SYSTEM_ID or meta.parameters is not None:
            raise PromptError(f"{path}：系统提示词的 section 应为 system，且不设 parameters。")
    elif meta.id in TASK_VARIABLES:
        if meta.section != meta.id:
            raise PromptError(f"{path}：提示词 {meta.id} 的 section 应为“{meta.id}”。")
    elif meta.section not in official.SECTION_IDS:
        raise PromptError(
            f"提示词文件 {path} 的 section“{meta.section}”不是正文的节。",
            hint=f"可用的节：{'、'.join(official.SECTION_IDS)}。",
        )
    used = template_variables(body, path)
    declared = set(meta.variables)
    problems = []
    if undeclared := sorted(used - declared):
        problems.append(f"正文使用了未声明的变量：{'、'.join(undeclared)}")
    if unused := sorted(declared - used):
        problems.append(f"声明了但正文没有使用的变量：{'、'.join(unused)}")
    if unknown := sorted(declared - set(available)):
        problems.append(f"没有这些变量（渲染时会缺失）：{'、'.join(unknown)}")
    if problems:
        raise PromptError(
            f"提示词文件 {path} 的变量有误：" + "；".join(problems) + "。",
            hint=f"在设置块的 variables 中列出正文用到的每个变量；可用的变量：{'、'.join(available)}。",
        )
    return PromptFile(meta, body, path, hashlib.sha256(raw).hexdigest())


def load_prompts(directory: Path | None = None) -> PromptSet:
    """The system prompt and one prompt per narrative section, every one linted."""
    directory = directory or default_dir()
    if not directory.is_dir():
        raise PromptError(
            f"找不到提示词目录 {directory}。", hint="可用环境变量 DRAFTING_PROMPTS 指定提示词目录。"
        )
    files = {p.stem: p for p in sorted(directory.glob(f"*{SUFFIX}"))}
    missing = [i for i in (SYSTEM_ID, *official.SECTION_IDS) if i not in files]
    if missing:
        raise PromptError(
            f"提示词目录 {directory} 缺少文件：{'、'.join(i + SUFFIX for i in missing)}。",
            hint="每个正文节需要一个提示词文件，另加共用的 system.md。",
        )
    extra = sorted(set(files) - {SYSTEM_ID, *official.SECTION_IDS, *TASK_VARIABLES})
    if extra:
        raise PromptError(
            f"提示词目录 {directory} 中有不认识的文件：{'、'.join(e + SUFFIX for e in extra)}。",
            hint=f"文件名应为 system 或正文节的编号：{'、'.join(official.SECTION_IDS)}。",
        )
    system = load_prompt(files[SYSTEM_ID])
    sections = {s: load_prompt(files[s]) for s in official.SECTION_IDS}
    for s, prompt in sections.items():
        if prompt.meta.section != s:
            raise PromptError(f"提示词文件 {prompt.path} 的 section 应为“{s}”。")
    return PromptSet(system, sections)


# --- rendering ---------------------------------------------------------------------------------


def prompt_variables(section: str, data: ReportData) -> dict[str, str]:
    """Every available variable for one section of one report, as text."""
    spec = official.SECTION_BY_ID[section]
    subsections = "\n".join(
        f"{official.paren_ordinal(n)}{title}" for n, (_, title) in enumerate(official.OVERVIEW_SUBSECTIONS, 1)
    )
    return {
        "agency": data.agency.name,
        "self_reference": data.self_reference,
        "short_name": data.agency.short_name or data.agency.name,
        "year": str(data.year),
        "next_year": str(data.year + 1),
        "marker": offline.marker("……"),
        "section_heading": part_heading(spec.part),
        "section_title": spec.title,
        "subsections": subsections,
        "figures": "\n".join(statements.figure_statements(section, data)),
        "facts": "\n".join(statements.fact_lines(section, data)),
    }


_ROLES: dict[str, Any] = {"system": "system", "human": "user", "ai": "assistant"}


def render(prompts: PromptSet, section: str, data: ReportData) -> RenderedPrompt:
    """The chat request for one section: system + section templates filled from the data."""
    spec = prompts.get(section)
    return _render(prompts.system, spec, section, prompt_variables(section, data))


def _render(system: PromptFile, prompt: PromptFile, section: str, values: dict[str, str]) -> RenderedPrompt:
    from langchain_core.prompts import ChatPromptTemplate

    template = ChatPromptTemplate.from_messages(
        [("system", system.body), ("human", prompt.body)], template_format="f-string"
    )
    # format_messages, never invoke(): see the module docstring.
    chat = template.format_messages(**{k: values[k] for k in template.input_variables})
    messages = tuple(Message(_ROLES[m.type], str(m.content)) for m in chat)
    params = prompt.parameters
    request = ChatRequest(messages, temperature=params.temperature, max_tokens=params.max_tokens)
    return RenderedPrompt(section, request, prompt.version)


def load_task_prompt(task_id: str, directory: Path | None = None) -> PromptFile:
    """A task's prompt (``revise.md``), linted against the task's own variables."""
    path = (directory or default_dir()) / f"{task_id}{SUFFIX}"
    if task_id not in TASK_VARIABLES or not path.is_file():
        raise PromptError(f"找不到提示词文件 {path}。", hint="可用环境变量 DRAFTING_PROMPTS 指定提示词目录。")
    return load_prompt(path)


def render_task(
    prompts: PromptSet, task: PromptFile, section: str, data: ReportData, values: dict[str, str]
) -> RenderedPrompt:
    """The chat request for a task on one section: the shared system prompt (the register rules)
    and the task's template, filled from the data and the task's own ``values``."""
    return _render(prompts.system, task, section, prompt_variables(section, data) | values)


def render_alone(prompt: PromptFile, values: dict[str, str]) -> ChatRequest:
    """One prompt file as the only message, without the drafting system prompt (a judge is not
    the drafter): its body filled from ``values``, its own parameters."""
    from langchain_core.prompts import ChatPromptTemplate

    template = ChatPromptTemplate.from_messages([("human", prompt.body)], template_format="f-string")
    chat = template.format_messages(**{k: values[k] for k in template.input_variables})
    params = prompt.parameters
    messages = tuple(Message(_ROLES[m.type], str(m.content)) for m in chat)
    return ChatRequest(messages, temperature=params.temperature, max_tokens=params.max_tokens)


def render_system(prompts: PromptSet, data: ReportData) -> str:
    from langchain_core.prompts import PromptTemplate

    values = prompt_variables(official.SECTION_IDS[0], data)
    template = PromptTemplate.from_template(prompts.system.body, template_format="f-string")
    return template.format(**{k: values[k] for k in template.input_variables})
