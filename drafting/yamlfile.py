"""YAML and JSON files a person edits → plain values with the line and column of every key →
strict pydantic models, every problem said in Chinese at its line. Data files, eval suites and
replays are read here.

JSON is YAML 1.2, so one loader serves both and gives positions for both. ruamel.yaml's round-trip
loader gives a line and column for every key; it is pure Python and gathers every comment, so when
``ruamel.yaml.clib`` is installed its C parser composes plain documents first (``parse_fast``), with
the same values and positions, and everything unusual (anchors, merge keys, custom tags, duplicate
keys, a ``%YAML`` directive, a syntax error) is left to the round-trip loader, which owns every
message.

A pydantic error's location also names the union member it tried (``str``, ``TextSpec``); walking
the raw document along the location keeps only the keys and indexes the file really has, so the
message points at the right line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from .errors import InputError, explain
from .files import read_text
from .limits import MAX_DEPTH, MAX_DIGITS, MAX_VALUES, too_deep

Position = tuple[int, int]  # 1-based line and column
Positions = Mapping[tuple[str, ...], Position]
M = TypeVar("M", bound=BaseModel)

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp"))


def parse_document(text: str, source: str, suffix: str) -> tuple[Any, dict[tuple[str, ...], Position]]:
    """Parse YAML or JSON text into plain Python values and a map of key paths to positions."""
    if suffix == ".json":
        parse_json(text, source)  # JSON's own messages are clearer for JSON than YAML's
    fast = parse_fast(text)  # the same result from the C parser, when installed (below)
    if fast is not None:
        return fast
    # What the fast path left (aliases, tags, deep nesting, long numbers, syntax errors) is
    # screened before the round-trip loader composes it.
    screen(text, source)
    # JSON is YAML 1.2, so one loader serves both and gives positions for both.
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    yaml.Constructor = _constructor()
    try:
        node = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" 第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        problem, hint = yaml_problem(str(exc.problem or exc.context or ""))
        raise InputError(f"{source}{where}：YAML 格式错误（{problem}）。", hint=hint) from None
    except YAMLError:
        raise InputError(f"{source}：YAML 格式错误。", hint=YAML_HINT) from None
    except RecursionError:  # screened out above; kept so no input can end in a traceback
        raise too_deep(source) from None
    positions: dict[tuple[str, ...], Position] = {}
    return _plain(node, (), positions), positions


def _may_nest_deep(text: str) -> bool:
    """Whether ``text`` could nest deeper than 1,000 levels: each level takes a line or a bracket.
    (The C composer, on a thread's smaller stack, holds a few thousand.)"""
    return text.count("\n") + text.count("[") + text.count("{") > 1000


def _constructor() -> type:
    """ruamel's round-trip constructor, except that an impossible date (2024-13-40) stays text:
    ruamel fails on it with a bare ValueError and no line to report. As text it reaches pydantic,
    which names the field and its line like any other bad value."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class Constructor(RoundTripConstructor):
        def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
            try:
                return super().construct_yaml_timestamp(node, values)
            except ValueError:
                return str(node.value)

    Constructor.add_constructor("tag:yaml.org,2002:timestamp", Constructor.construct_yaml_timestamp)
    return Constructor


# --- screening: what no data file needs, refused before it can hurt --------------------------------

# The tags a data file may carry: plain YAML values. Any other (``!!python/object``, ``!custom``)
# asks a loader to build something that is not data.
_PLAIN_TAGS = frozenset({"!", *_SCALAR_TAGS, _YAML + "map", _YAML + "seq"})
_NUMBER_LIKE = re.compile(r"[-+]?[\d_,.]+(?:[eE][-+]?\d+)?")


def screen(text: str, source: str) -> None:
    """Refuse, at its line, what would make a loader run away or build something that is not
    data: nesting deeper than ``MAX_DEPTH`` (the C composer recurses and crashes the process at
    ~50,000 levels; Python's at 1,000), aliases that copy out to more than ``MAX_VALUES`` values
    (the "billion laughs": an 11 KB file that grows to gigabytes), tags other than plain YAML
    values, and numbers longer than any count (``int()`` refuses past 4,300 digits).

    It reads the parser's events only — the parser is a loop with its own stack, not a recursion —
    counting what each anchor expands to. A syntax error is left to the loader, which reports it
    at its line; up to that line this screen has already seen everything."""
    from ruamel.yaml import YAML
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        NodeEvent,
        ScalarEvent,
    )

    sizes: dict[str, int] = {}  # anchor → how many values it stands for
    stack: list[list[Any]] = []  # per open collection: [anchor, values so far]
    total = 0
    try:
        for event in YAML(typ="safe", pure=False).parse(text):
            line = f" 第{event.start_mark.line + 1}行" if event.start_mark is not None else ""
            if isinstance(event, NodeEvent) and not isinstance(event, AliasEvent):
                tag = getattr(event, "tag", None)  # scalars and collections carry one
                if tag is not None and str(tag) not in _PLAIN_TAGS:
                    raise InputError(
                        f"{source}{line}：不支持 YAML 标签“{_short_tag(str(tag))}”。",
                        hint="数据文件只写文字、数字、日期和列表：请删去以 ! 开头的标签。",
                    )
            if isinstance(event, AliasEvent):
                size = sizes.get(str(event.anchor), 1)
            elif isinstance(event, ScalarEvent):
                size = 1
                if not event.style and _NUMBER_LIKE.fullmatch(event.value or ""):
                    digits = sum(c.isdigit() for c in event.value)
                    if digits > MAX_DIGITS:
                        raise InputError(
                            f"{source}{line}：数字有 {digits} 位，位数太多，不可能是报告中的数字。",
                            hint="请核对该行的数字（件数、金额不会超过十几位）。",
                        )
                if event.anchor is not None:
                    sizes[str(event.anchor)] = 1
            elif isinstance(event, CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise too_deep(source, line)
                stack.append([event.anchor, 1])
                total += 1
                continue
            elif isinstance(event, CollectionEndEvent) and stack:
                anchor, size = stack.pop()
                if anchor is not None:
                    sizes[str(anchor)] = size
                if stack:
                    stack[-1][1] += size
                continue
            else:
                continue
            total += size
            if stack:
                stack[-1][1] += size
            if total > MAX_VALUES:
                raise InputError(
                    f"{source}{line}：别名（& 和 *）展开后超过 {MAX_VALUES} 个值，远超任何数据文件。",
                    hint="文件可能经过恶意构造；数据文件不需要别名：请用 drafting init 重新生成模板后填写。",
                )
    except InputError:
        raise
    except Exception:  # a syntax error: the loader reports it at its line
        return


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag


YAML_HINT = "请检查该行的缩进（只能用空格，不能用 Tab）、冒号后是否有空格、引号是否成对。"

# ruamel's problem texts → what they mean for someone editing the file, and what to do.
_YAML_PROBLEMS = (
    ("'\\t'", "该处有 Tab 字符", "YAML 文件只能用空格缩进：请把该处的 Tab 换成空格。"),
    ("expected <block end>", "缩进与上下文不一致", "同一层的项目要左对齐，下一层比上一层多缩进两个空格。"),
    (
        "mapping values are not allowed",
        "此处不能出现冒号",
        "请检查该行的缩进；文字中含有冒号时，请给整段文字加上引号。",
    ),
    ("could not find expected ':'", "缺少冒号", "每一项都写成“项目名: 值”，冒号后留一个空格。"),
    ("expected ',' or '}'", "花括号内缺少逗号或右花括号", "一行内的各项用逗号分隔，并以 } 结尾。"),
    ("expected ',' or ']'", "方括号内缺少逗号或右方括号", "列表各项用逗号分隔，并以 ] 结尾。"),
    ("end of stream", "文件在引号或括号闭合之前结束", "请检查引号、括号是否成对。"),
    ("found unknown escape character", "双引号内有无法识别的反斜杠", "请去掉反斜杠，或改用单引号。"),
)


def yaml_problem(problem: str) -> tuple[str, str]:
    duplicate = re.search(r'duplicate key "([^"]*)"', problem)
    if duplicate:
        return f"项目“{duplicate.group(1)}”写了两次", "每个项目只能出现一次：请删除或合并重复的那一行。"
    for needle, meaning, hint in _YAML_PROBLEMS:
        if needle in problem:
            return meaning, hint
    return "无法解析", YAML_HINT


_JSON_PROBLEMS = (
    ("Expecting ',' delimiter", "缺少逗号"),
    ("Expecting ':' delimiter", "缺少冒号"),
    ("Expecting property name", "项目名须用双引号括起，或最后一项后多了逗号"),
    ("Expecting value", "缺少数值，或多了逗号"),
    ("Unterminated string", "引号没有成对"),
    ("Invalid control character", "引号内有换行或 Tab"),
    ("Extra data", "数据结束后还有多余内容"),
)


def json_problem(msg: str) -> str:
    return next((meaning for needle, meaning in _JSON_PROBLEMS if msg.startswith(needle)), "无法解析")


def parse_json(text: str, source: str, *, hint: str = "") -> Any:
    """``json.loads``, with a syntax error said in Chinese at its line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source} 第{exc.lineno}行第{exc.colno}列：JSON 格式错误（{json_problem(exc.msg)}）。",
            hint=hint or "请检查该处附近的引号、逗号和括号是否成对。",
        ) from None
    except RecursionError:
        raise too_deep(source) from None
    except ValueError:  # an integer beyond int()'s 4,300 digits
        raise InputError(
            f"{source}：JSON 中有一个位数太多的数字，不可能是报告中的数字。", hint="请核对文件中的数字。"
        ) from None


def _plain(node: Any, path: tuple[str, ...], positions: dict[tuple[str, ...], Position]) -> Any:
    """ruamel's round-trip types → plain Python, recording where each key stands."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        out = {}
        for key in node:
            key_path = (*path, str(key))
            # Keys brought in by a merge (<<: *anchor) have no position of their own.
            mark = node.lc.data.get(key)
            if mark is not None:
                positions[key_path] = (mark[0] + 1, mark[1] + 1)
            out[str(key)] = _plain(node[key], key_path, positions)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, item in enumerate(node):
            line, col = node.lc.item(i)
            positions[(*path, str(i))] = (line + 1, col + 1)
            items.append(_plain(item, (*path, str(i)), positions))
        return items
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        # repr gives the shortest text that round-trips: what the author typed, as a Decimal.
        return Decimal(repr(float(node)))
    if isinstance(node, dt.datetime):
        return dt.datetime.fromisoformat(node.isoformat())
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    if isinstance(node, str):
        return str(node)
    return node


# --- the fast path: ruamel's C parser, the same values and positions ---------------------------


class _Unusual(Exception):
    """A document the fast path leaves to the round-trip loader."""


def parse_fast(text: str) -> tuple[Any, dict[tuple[str, ...], Position]] | None:
    """Plain values and key positions, or ``None`` when the round-trip loader must decide."""
    node = compose_fast(text)
    return None if node is None else plain_fast(node)


def compose_fast(text: str) -> Any | None:
    """The C parser's node tree of ``text`` (each node with its start and end in the text), or
    ``None`` when the round-trip loader must decide. ``plain_fast`` turns it into values; a caller
    that splices new values into the text (``data.edit``) keeps it to find them."""
    from ruamel.yaml import YAML, main

    # No C extension; or a version directive, which only the round-trip loader honours.
    if getattr(main, "CParser", None) is None or "%YAML" in text:
        return None
    # The C composer recurses, and crashes the process on nesting ~20,000 deep (less on a thread's
    # smaller stack). A text of few lines and brackets cannot nest deep; a longer one is screened
    # first (and one the screen refuses is left to the round-trip path, which says why).
    if _may_nest_deep(text):
        try:
            screen(text, "")
        except InputError:
            return None
    try:
        node = YAML(typ="safe").compose(text)
    except Exception:  # whatever went wrong, the round-trip loader reads the file and reports it
        return None
    return node


def plain_fast(node: Any) -> tuple[Any, dict[tuple[str, ...], Position]] | None:
    """The plain values and key positions of a tree from ``compose_fast``, or ``None`` when the
    round-trip loader must decide."""
    from ruamel.yaml import YAML

    positions: dict[tuple[str, ...], Position] = {}
    try:
        value = _plain_fast(node, (), positions, YAML(typ="safe").constructor, set())
    except Exception:
        return None
    return value, positions


def _plain_fast(
    node: Any,
    path: tuple[str, ...],
    positions: dict[tuple[str, ...], Position],
    constructor: Any,
    seen: set[int],
) -> Any:
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if id(node) in seen or len(path) >= MAX_DEPTH:  # an alias, or deep: the round-trip loader's (screened)
        raise _Unusual
    seen.add(id(node))
    if isinstance(node, MappingNode) and node.tag == _YAML + "map":
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                raise _Unusual  # merge keys (<<), complex keys
            key = str(constructor.construct_object(key_node, deep=True))
            if key in out:
                raise _Unusual  # a duplicate key: the round-trip loader names it
            key_path = (*path, key)
            positions[key_path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _plain_fast(value_node, key_path, positions, constructor, seen)
        return out
    if isinstance(node, SequenceNode) and node.tag == _YAML + "seq":
        items = []
        for i, item in enumerate(node.value):
            item_path = (*path, str(i))
            positions[item_path] = (item.start_mark.line + 1, item.start_mark.column + 1)
            items.append(_plain_fast(item, item_path, positions, constructor, seen))
        return items
    if isinstance(node, ScalarNode) and node.tag in _SCALAR_TAGS:
        if node.tag == _YAML + "int" and sum(c.isdigit() for c in node.value) > MAX_DIGITS:
            raise _Unusual  # refused at its line by the screen, before the round-trip loader
        # The same normalisation as the round-trip path: floats → Decimal, dates → date, …
        return _plain(constructor.construct_object(node, deep=True), path, positions)
    raise _Unusual


# --- reading a file into a strict model ----------------------------------------------------------


def read_yaml(path: Path, what: str) -> tuple[Any, Positions, str]:
    """The plain values of a YAML/JSON file, where each key stands, and its text."""
    text = read_text(path, what)
    suffix = ".json" if path.suffix.lower() == ".json" else ".yaml"
    raw, positions = parse_document(text, str(path), suffix)
    return raw, positions, text


def where(path: tuple[str, ...], positions: Positions) -> str:
    """``第12行第5列`` for a key path, or for its nearest parent that has a position."""
    parts = path
    while parts and parts not in positions:
        parts = parts[:-1]
    if not parts:
        return ""
    line, column = positions[parts]
    return f"第{line}行第{column}列"


def line_of(path: tuple[str, ...], positions: Positions) -> int | None:
    parts = path
    while parts and parts not in positions:
        parts = parts[:-1]
    return positions[parts][0] if parts else None


def _clean_path(raw: Any, loc: Sequence[int | str], kind: str) -> tuple[str, ...]:
    """The key path a pydantic location really names in the document, union members skipped."""
    out: list[str] = []
    node = raw
    for n, part in enumerate(loc):
        if isinstance(node, dict) and str(part) in node:
            node = node[str(part)]
            out.append(str(part))
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            out.append(str(part))
        elif n == len(loc) - 1 and kind == "missing" and isinstance(node, dict):
            out.append(str(part))  # a key the file lacks
    return tuple(out)


def _rank(err: Any) -> int:
    """Errors that name the problem first; "this is not a list/bool/text" last."""
    kind = str(err["type"])
    if kind in ("value_error", "extra_forbidden", "missing", "union_tag_invalid", "union_tag_not_found"):
        return 0
    if kind.endswith(("_type", "_parsing")) or kind == "literal_error":
        return 2
    return 1


def _best(errors: list[tuple[tuple[str, ...], Any]]) -> list[tuple[tuple[str, ...], Any]]:
    """One error per place, the most telling one: when a value could take several forms (text, a
    list, a mapping), the errors of the forms it plainly is not say nothing useful."""
    by_path: dict[tuple[str, ...], list[Any]] = {}
    for path, err in errors:
        by_path.setdefault(path, []).append(err)
    # A deeper error (an unknown key inside a mapping) explains its parent's type mismatches.
    paths = [p for p in by_path if not any(q != p and q[: len(p)] == p for q in by_path)]
    out = []
    for p in paths:
        errs = sorted(by_path[p], key=_rank)
        out.append((p, errs[0]))
    return out


def validate(
    adapter: type[M],
    raw: Any,
    source: str,
    positions: Positions,
    *,
    what: str,
    hint: str,
    known: Sequence[str] = (),
) -> M:
    """``raw`` as the model, or an ``InputError`` listing every problem at its line. ``known`` is
    every key the file may use, for "did you mean"."""
    try:
        return TypeAdapter(adapter).validate_python(raw)
    except ValidationError as exc:
        errors = [(_clean_path(raw, e["loc"], e["type"]), e) for e in exc.errors()]
        raise _error(source, what, hint, _best(errors), positions, known) from None


def _error(
    source: str,
    what: str,
    hint: str,
    errors: list[tuple[tuple[str, ...], Any]],
    positions: Positions,
    known: Sequence[str],
) -> InputError:
    lines = []
    errors.sort(key=lambda pe: (line_of(pe[0], positions) or 0, pe[0]))
    for path, err in errors:
        message, fix = explain(err, known)
        place = where(path, positions)
        field = ".".join(path) or "（整体）"
        lines.append(f"{place + '，' if place else ''}{field}：{message}。{fix}".rstrip("。") + "。")
    if len(lines) == 1:
        return InputError(f"{what} {source} {lines[0]}", hint=hint)
    body = "\n".join(f"  {line}" for line in lines)
    return InputError(f"{what} {source} 有 {len(lines)} 处错误：\n{body}", hint=hint)


def problem(source: str, what: str, path: tuple[str, ...], positions: Positions, message: str) -> str:
    """One problem found after validation (a missing file, a duplicate id), at its line."""
    place = where(path, positions)
    return f"{what} {source} {place + '，' if place else ''}{'.'.join(path)}：{message}"
