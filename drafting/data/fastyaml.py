"""A fast path for reading data files: ruamel's C parser, with the same values and positions.

The round-trip loader (pure Python, gathering every comment) takes ~26 ms for a filled-in data file,
over 90 % of the time to draft one report. When ``ruamel.yaml.clib`` is installed, its C parser
composes the same document in ~3 ms and its nodes carry the same line and column marks, so the values
and key positions come out identical.

Anything beyond plain maps, lists and standard scalars (anchors, merge keys, custom tags, duplicate
keys, a ``%YAML`` directive, a syntax error, a value the safe constructor refuses) returns ``None``:
the round-trip loader then reads the file and owns every message. Without the C extension this
module always returns ``None`` and nothing changes.
"""

from __future__ import annotations

from typing import Any

Position = tuple[int, int]  # 1-based line and column, as in load.py

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp"))


class _Unusual(Exception):
    """A document the fast path leaves to the round-trip loader."""


def parse_fast(text: str) -> tuple[Any, dict[tuple[str, ...], Position]] | None:
    """Plain values and key positions, or ``None`` when the round-trip loader must decide."""
    from ruamel.yaml import YAML, main

    # No C extension; or a version directive, which only the round-trip loader honours.
    if getattr(main, "CParser", None) is None or "%YAML" in text:
        return None
    yaml = YAML(typ="safe")
    positions: dict[tuple[str, ...], Position] = {}
    try:
        node = yaml.compose(text)
        if node is None:
            return None
        value = _plain(node, (), positions, yaml.constructor, set())
    except Exception:  # whatever went wrong, the round-trip loader reads the file and reports it
        return None
    return value, positions


def _plain(
    node: Any,
    path: tuple[str, ...],
    positions: dict[tuple[str, ...], Position],
    constructor: Any,
    seen: set[int],
) -> Any:
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from .load import _plain as plain_scalar

    if id(node) in seen:  # an alias: anchors are left to the round-trip loader
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
            out[key] = _plain(value_node, key_path, positions, constructor, seen)
        return out
    if isinstance(node, SequenceNode) and node.tag == _YAML + "seq":
        items = []
        for i, item in enumerate(node.value):
            item_path = (*path, str(i))
            positions[item_path] = (item.start_mark.line + 1, item.start_mark.column + 1)
            items.append(_plain(item, item_path, positions, constructor, seen))
        return items
    if isinstance(node, ScalarNode) and node.tag in _SCALAR_TAGS:
        # The same normalisation as the round-trip path: floats → Decimal, dates → date, …
        return plain_scalar(constructor.construct_object(node, deep=True), path, positions)
    raise _Unusual
