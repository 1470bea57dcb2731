"""Changing values in a data file's text, keeping everything else as the author left it.

The web workspace saves each cell as it is typed into the YAML file the CLI reads. Dumping the whole
document again would lose the layout ``drafting init`` writes (aligned values, the official label in
a comment on every line) and any comment of the author's own. Instead each change is spliced into the
text at the value's position, as the YAML parser marks it (start and end offsets of every node), so
every other byte stays where it was; a comment after the value keeps its column when the spaces
before it allow.

Every splice is verified by reading the new text back: the values must be the old ones with exactly
this change. Anything the splice does not handle (anchors, a block mapping replaced by a scalar, a
broken neighbour) or that fails the verification is done by ruamel's round-trip dump instead, which
keeps comments but not the alignment. A value is written as given, valid or not: the file holds what
the author typed, and ``load_data`` reports what is wrong with it, at its line, as ``validate`` does.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from ..errors import InputError

__all__ = ["set_values"]


class _Unusual(Exception):
    """A change the splice leaves to the round-trip dump."""


def set_values(text: str, changes: Mapping[str, Any], suffix: str = ".yaml") -> str:
    """``text`` with the value at each dotted path (``table3.new.natural``, ``facts.active``)
    replaced, or added when the file lacks it. Values are plain: None, int, Decimal, float, str,
    a date, or a list of str (a topic's facts)."""
    return apply_changes(text, changes, suffix).text


class Applied(NamedTuple):
    """A change made: the new text, and the new text as the loader reads it (values and key
    positions), which the verification had to read anyway — the caller validates it without
    reading it again. ``tree`` is the new text's node tree (None when the fast parser did not
    read it): given back with the next change of this text, that change finds its values without
    parsing the text again, so a save reads the YAML once."""

    text: str
    values: Any
    positions: dict[tuple[str, ...], tuple[int, int]]
    tree: Any = None


def apply_changes(
    text: str, changes: Mapping[str, Any], suffix: str = ".yaml", *, values: Any = None, tree: Any = None
) -> Applied:
    """``set_values``, read back. ``values`` and ``tree`` are ``text`` as the loader read it and
    its node tree (``Applied.values`` / ``.tree`` of the change that wrote it), when the caller
    still has them; neither is changed."""
    if suffix.lower() == ".json":
        new = _set_json(text, changes)
        written = _parsed(new, ".json")
        assert written is not None  # json.dumps wrote it
        return Applied(new, *written)
    changes = {path: _plain(value) for path, value in changes.items()}
    expected = _values(text) if values is None else values
    if not isinstance(expected, dict):
        raise InputError("数据文件的内容不是数据表，无法修改。", hint="可用 drafting init 生成一份完整模板。")
    new = text
    try:
        for path, value in changes.items():
            expected = _with(expected, path.split("."), value)
            new = _splice(new, path.split("."), value, tree if new is text else None)
    except _Unusual:
        new = ""
    read = _read_back(new) if new else None
    if read is None or read.values != expected:
        # One change at a time through the round-trip dump, each verified as it is made.
        new = text
        for path, value in changes.items():
            keys = path.split(".")
            want = _expected(new, keys, value)
            new = _round_trip(new, keys, value)
            if _values(new) != want:
                raise InputError(f"无法把“{path}”的新值写入数据文件。", hint="请检查数据文件的格式。")
        read = _read_back(new)
    assert read is not None
    return read


def _read_back(text: str) -> Applied | None:
    """``text`` read as the loader reads it, with its node tree when the fast parser read it."""
    from ..yamlfile import compose_fast, plain_fast

    tree = compose_fast(text)
    fast = plain_fast(tree) if tree is not None else None
    if fast is not None:
        return Applied(text, fast[0], fast[1], tree)
    parsed = _parsed(text, ".yaml")
    return None if parsed is None else Applied(text, *parsed)


def _parsed(text: str, suffix: str) -> tuple[Any, dict[tuple[str, ...], tuple[int, int]]] | None:
    from ..yamlfile import parse_document

    try:
        values, positions = parse_document(text, "", suffix)
    except InputError:
        return None
    return values, dict(positions)


# --- values --------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """The value as the loader reads it back: floats as Decimal (load.py reads every float so)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _values(text: str) -> Any:
    from ..yamlfile import parse_document

    return parse_document(text, "", ".yaml")[0]


def _expected(text: str, keys: Sequence[str], value: Any) -> Any:
    data = copy.deepcopy(_values(text))
    if not isinstance(data, dict):
        raise InputError("数据文件的内容不是数据表，无法修改。", hint="可用 drafting init 生成一份完整模板。")
    _put(data, keys, value)
    return data


def _with(data: dict[str, Any], keys: Sequence[str], value: Any) -> dict[str, Any]:
    """``data`` with ``value`` at ``keys``: the mappings along the path copied, the rest shared
    (never changed), so a save does not copy the whole document to know what to expect."""
    out = dict(data)
    node = out
    for key in keys[:-1]:
        child = node.get(key)
        child = dict(child) if isinstance(child, dict) else {}
        node[key] = child
        node = child
    node[keys[-1]] = value
    return out


def _put(data: dict[str, Any], keys: Sequence[str], value: Any) -> None:
    node = data
    for key in keys[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node[keys[-1]] = value


def scalar_text(value: Any) -> str:
    """A value as a YAML 1.2 scalar: numbers bare, text double-quoted (JSON's escapes are YAML's),
    nothing for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise _Unusual


# --- the splice ----------------------------------------------------------------------------


def _compose(text: str) -> Any:
    from ruamel.yaml import YAML

    try:
        return YAML(typ="safe").compose(text)
    except Exception:  # a file the parser refuses: the round-trip path owns the message
        raise _Unusual from None


def _splice(text: str, keys: Sequence[str], value: Any, tree: Any = None) -> str:
    """``text`` with one value replaced at its place in the node tree (``tree``, when it is
    ``text``'s; else the text is composed here)."""
    from ruamel.yaml.nodes import MappingNode

    node = tree if tree is not None else _compose(text)
    if not isinstance(node, MappingNode):
        raise _Unusual
    for depth, key in enumerate(keys):
        pair = _find(node, key)
        if pair is None:
            return _insert(text, node, keys[depth:], value)
        key_node, value_node = pair
        if depth == len(keys) - 1:
            return _replace(text, key_node, value_node, value)
        if isinstance(value_node, MappingNode):
            node = value_node
            continue
        if _is_null(value_node):  # `contact:` with nothing under it
            nested: Any = value
            for k in reversed(keys[depth + 1 :]):
                nested = {k: nested}
            return _replace(text, key_node, value_node, nested)
        raise _Unusual
    raise _Unusual  # pragma: no cover - the loop returns


def _find(mapping: Any, key: str) -> tuple[Any, Any] | None:
    from ruamel.yaml.nodes import ScalarNode

    found = None
    for key_node, value_node in mapping.value:
        if not isinstance(key_node, ScalarNode):
            raise _Unusual  # merge keys, complex keys
        if key_node.value == key:
            if found is not None:
                raise _Unusual  # a duplicate key: the loader names it
            found = (key_node, value_node)
    return found


def _is_null(node: Any) -> bool:
    from ruamel.yaml.nodes import ScalarNode

    return (
        isinstance(node, ScalarNode)
        and str(node.tag).endswith(":null")
        and node.start_mark.index == node.end_mark.index
    )


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _replace(text: str, key_node: Any, node: Any, value: Any) -> str:
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    block = not getattr(node, "flow_style", False) and isinstance(node, MappingNode | SequenceNode)
    if isinstance(value, list | dict) and value:
        indent = key_node.start_mark.column + 2
        if isinstance(node, SequenceNode) and block:
            # Replace the item lines: from the first item's line to the end of the last item's line
            # (its comment goes with it); comments and blank lines after it stay.
            start = _line_start(text, node.start_mark.index)
            end = _line_end(text, _last_end(node))
            indent = node.start_mark.column
            return text[:start] + "\n".join(_block_lines(value, indent)) + text[end:]
        if block:
            raise _Unusual  # a block mapping replaced by a list
        # A scalar or a flow collection (`[]`, null) after the key: the items go on lines below it.
        text = _set_inline(text, node.start_mark.index, node.end_mark.index, "")
        line_end = _line_end(text, key_node.start_mark.index)
        return text[:line_end] + "\n" + "\n".join(_block_lines(value, indent)) + text[line_end:]
    rendered = "[]" if value == [] else "{}" if value == {} else scalar_text(value)
    if block:
        # A block list emptied or cleared: its item lines go, and the value goes after the key.
        start = _line_start(text, node.start_mark.index)
        end = _line_end(text, _last_end(node))
        text = text[:start] + text[end + 1 :]
        colon = key_node.end_mark.index
        return _set_inline(text, colon + 1, colon + 1, rendered)
    if not isinstance(node, ScalarNode | SequenceNode | MappingNode):
        raise _Unusual
    return _set_inline(text, node.start_mark.index, node.end_mark.index, rendered)


def _last_end(node: Any) -> int:
    """Where the last value under a block collection ends (before any comment or blank line)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    while isinstance(node, MappingNode | SequenceNode) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return int(node.end_mark.index)


def _set_inline(text: str, start: int, end: int, rendered: str) -> str:
    """``text[start:end]`` replaced by ``rendered`` on one line; a comment later on that line keeps
    its column when the spaces before it allow (at least two stay)."""
    if start == end and rendered and start > 0 and text[start - 1] not in " [{,":
        rendered = " " + rendered  # `key:` with nothing after it
    if not rendered and start > 0 and text[start - 1] == " " and text[end : end + 1] in ("", "\n", " "):
        start -= 1  # `key: []` → `key:`, not `key: `
    line_end = _line_end(text, end)
    rest = text[end:line_end]
    delta = _width(rendered) - _width(text[start:end])
    comment = re.match(r"(.*?)( +)(#.*)$", rest) if delta else None
    if comment and "'" not in comment.group(1) and '"' not in comment.group(1):
        spaces = max(2, len(comment.group(2)) - delta)
        rest = comment.group(1) + " " * spaces + comment.group(3)
    return text[:start] + rendered + rest + text[line_end:]


def _width(text: str) -> int:
    """Columns in an editor: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _block_lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, list):
        return [f"{pad}- {scalar_text(item)}" for item in value]
    lines = []
    for key, item in value.items():
        if isinstance(item, dict | list) and item:
            lines.append(f"{pad}{key}:")
            lines += _block_lines(item, indent + 2)
        else:
            text = "[]" if item == [] else "{}" if item == {} else scalar_text(item)
            lines.append(f"{pad}{key}: {text}".rstrip())
    return lines


def _insert(text: str, mapping: Any, keys: Sequence[str], value: Any) -> str:
    """A key the file lacks, added at the end of ``mapping``."""
    nested: Any = value
    for key in reversed(keys[1:]):
        nested = {key: nested}
    if mapping.flow_style:
        if isinstance(nested, dict | list) and nested:
            raise _Unusual
        close = mapping.end_mark.index - 1
        if text[close] != "}":
            raise _Unusual
        sep = ", " if mapping.value else ""
        item = "[]" if nested == [] else scalar_text(nested)
        return text[:close] + f"{sep}{keys[0]}: {item}" + text[close:]
    if not mapping.value:
        raise _Unusual
    indent = mapping.value[0][0].start_mark.column
    at = _line_end(text, _last_end(mapping))
    lines = _block_lines({keys[0]: nested}, indent)
    if at == len(text):
        return text + "\n" + "\n".join(lines) + "\n"
    return text[:at] + "\n" + "\n".join(lines) + text[at:]


# --- the fallback and JSON -----------------------------------------------------------------


def _round_trip(text: str, keys: Sequence[str], value: Any) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML(typ="rt")
    yaml.width = 4096  # never fold a long fact onto two lines
    try:
        doc = yaml.load(text)
    except Exception:
        raise InputError(
            "数据文件有格式错误，无法写入修改。", hint="请先用 drafting validate 查看并改正格式错误。"
        ) from None
    if not isinstance(doc, dict):
        raise InputError("数据文件的内容不是数据表，无法修改。", hint="可用 drafting init 生成一份完整模板。")
    node = doc
    for key in keys[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = CommentedMap()
        node = child
    node[keys[-1]] = value
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _set_json(text: str, changes: Mapping[str, Any]) -> str:
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError:
        raise InputError(
            "数据文件有 JSON 格式错误，无法写入修改。", hint="请先用 drafting validate 查看并改正格式错误。"
        ) from None
    if not isinstance(data, dict):
        raise InputError("数据文件的内容不是数据表，无法修改。")
    for path, value in changes.items():
        _put(data, path.split("."), _plain(value))
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
