"""Prompt files: loading, linting (a bad variable is a named error at load time), versions, and
rendering every prompt against every example data file."""

from __future__ import annotations

import re
import shutil
import string
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting import official, offline
from drafting.cli import cli
from drafting.data import load_data
from drafting.figures import bindable_numbers, numbers_in
from drafting.narrative import model_check
from drafting.prompts import (
    AVAILABLE_VARIABLES,
    PromptError,
    default_dir,
    load_prompts,
    prompt_variables,
    render,
)
from drafting.statements import figure_statements

from .conftest import EXAMPLES, REFERENCE_EXAMPLE

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture
def prompt_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built-in prompts that a test may break, used through DRAFTING_PROMPTS."""
    copy = tmp_path / "prompts"
    shutil.copytree(default_dir(), copy)
    monkeypatch.setenv("DRAFTING_PROMPTS", str(copy))
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_section_has_a_prompt_with_parameters() -> None:
    prompts = load_prompts()
    assert set(prompts.sections) == set(official.SECTION_IDS)
    for prompt in prompts.sections.values():
        assert re.fullmatch(r"v\d+-[0-9a-f]{10}", prompt.version)
        assert prompt.meta.parameters is not None
        assert 0 <= prompt.parameters.temperature <= 1
    assert prompts.system.meta.parameters is None


def test_the_version_is_a_hash_of_the_file(prompt_dir: Path) -> None:
    before = load_prompts().versions()
    _edit(prompt_dir / "problems.md", "只写问题", "只写存在的问题")
    after = load_prompts().versions()
    assert after["problems"] != before["problems"]
    assert {k: v for k, v in after.items() if k != "problems"} == {
        k: v for k, v in before.items() if k != "problems"
    }
    assert after["problems"].startswith("v2-")  # the author's number, unchanged, beside the hash


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("{facts}", "{facts}{author_mood}", "未声明的变量：author_mood"),
        ("作者提供的素材：\n{facts}", "作者提供的素材：", "没有使用的变量：facts"),
        ("variables: [section_heading,", "variables: [weather, section_heading,", "没有使用的变量：weather"),
        ("{facts}", "{facts.active}", "花括号"),
        ("{facts}", "{facts", "花括号"),
        ("version: 2", "version: one", "version"),
        ("version: 2", "version: 2\ntemprature: 0.3", "temprature"),
        ("id: problems", "id: problem", "应与文件名一致"),
    ],
)
def test_a_broken_prompt_is_a_named_error_at_load_time(
    prompt_dir: Path, old: str, new: str, words: str
) -> None:
    _edit(prompt_dir / "problems.md", old, new)
    with pytest.raises(PromptError) as info:
        load_prompts()
    assert words in str(info.value)
    assert "problems.md" in info.value.message


def test_a_declared_variable_the_builder_cannot_supply_is_named(prompt_dir: Path) -> None:
    _edit(prompt_dir / "other.md", "variables: [section_heading,", "variables: [weather, section_heading,")
    _edit(prompt_dir / "other.md", "{facts}", "{facts}{weather}")
    with pytest.raises(PromptError, match="没有这些变量（渲染时会缺失）：weather"):
        load_prompts()


def test_front_matter_and_files_are_required(prompt_dir: Path) -> None:
    text = (prompt_dir / "other.md").read_text(encoding="utf-8")
    (prompt_dir / "other.md").write_text(text.split("---", 2)[2], encoding="utf-8")
    with pytest.raises(PromptError, match="设置块"):
        load_prompts()
    (prompt_dir / "other.md").unlink()
    with pytest.raises(PromptError, match=r"缺少文件：other\.md"):
        load_prompts()


def test_available_variables_are_what_the_builder_gives() -> None:
    data = load_data(REFERENCE_EXAMPLE).data
    for section in official.SECTION_IDS:
        assert set(prompt_variables(section, data)) == set(AVAILABLE_VARIABLES)


class _Strict(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"variable {key!r} is not supplied")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_prompt_renders_strictly_against_every_example(example: Path) -> None:
    """The f-string equivalent of rendering with jinja2 StrictUndefined: every field the template
    names is supplied (a missing one raises), and nothing of a template is left in the messages."""
    loaded = load_data(example)
    prompts = load_prompts()
    for section in official.SECTION_IDS:
        values: Mapping[str, str] = _Strict(prompt_variables(section, loaded.data))
        for prompt in (prompts.system, prompts.sections[section]):
            assert _fields(prompt.body) == set(prompt.meta.variables)
            text = prompt.body.format_map(values)  # raises on any missing variable
            assert "{" not in text and "}" not in text
        rendered = render(prompts, section, loaded.data)
        system, user = rendered.request.messages
        assert (system.role, user.role) == ("system", "user")
        assert loaded.data.agency.name in system.content
        assert str(loaded.data.year) in user.content
        assert "{" not in system.content + user.content
        assert rendered.version == prompts.sections[section].version


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_prompts_state_only_numbers_the_draft_may_contain(example: Path) -> None:
    """The model is never handed a number the number check would refuse: sums are done here."""
    data = load_data(example).data
    allowed = bindable_numbers(data)
    for section in official.SECTION_IDS:
        stated: list[Decimal] = numbers_in("\n".join(figure_statements(section, data)))
        assert set(stated) <= allowed, (section, set(stated) - allowed)


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_the_check_accepts_the_offline_text(example: Path) -> None:
    """The fallback text passes the same check the model's text must pass."""
    data = load_data(example).data
    for section in official.SECTION_IDS:
        assert model_check(section, offline.write_section(section, data), data) == []


def test_overview_prompt_lists_the_five_subsections_and_the_figures() -> None:
    data = load_data(REFERENCE_EXAMPLE).data
    user = render(load_prompts(), "overview", data).request.messages[1].content
    for n, (_, title) in enumerate(official.OVERVIEW_SUBSECTIONS, 1):
        assert f"{official.paren_ordinal(n)}{title}" in user
    assert official.TABLE3_ROW_BY_PATH["new"].label in user
    assert "以行署门户网站为主" in user  # the author's facts
    assert str(data.year + 1) in render(load_prompts(), "improvements", data).request.messages[1].content


def test_rendering_never_invokes_a_runnable() -> None:
    """``invoke()`` would report prompts to LangSmith when tracing is on (see test_llm_draft)."""
    source = (Path(__file__).parent.parent / "drafting" / "prompts.py").read_text(encoding="utf-8")
    assert "format_messages(" in source
    assert ".invoke(" not in source and ".stream(" not in source


def test_cli_lists_and_shows_prompts() -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["prompts", "list"])
    assert listed.exit_code == 0, listed.output
    for prompt_id, version in load_prompts().versions().items():
        assert re.search(rf"^{prompt_id}\s+{version}", listed.output, re.M)
    assert re.search(r"^revise\s+v\d+-[0-9a-f]+", listed.output, re.M)  # the task prompt too
    shown = runner.invoke(cli, ["prompts", "show", "overview", "--data", str(REFERENCE_EXAMPLE)])
    assert shown.exit_code == 0, shown.output
    assert "===== system =====" in shown.output and "===== user =====" in shown.output
    assert "大兴安岭地区行政公署绿色产品产业发展局" in shown.output
    assert "{" not in shown.output
    raw = runner.invoke(cli, ["prompts", "show", "problems"])
    assert "{facts}" in raw.output  # without data: the template itself


def test_cli_names_an_unknown_prompt() -> None:
    result = CliRunner().invoke(cli, ["prompts", "show", "summary", "--data", str(REFERENCE_EXAMPLE)])
    assert result.exit_code == 2
    assert "没有编号为“summary”的提示词" in result.output
    assert "Traceback" not in result.output
