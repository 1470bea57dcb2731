"""The package's layers (README, Layout): a module imports only from its own layer or a lower one.
Every import is read from the source, the ones inside functions (made lazily for start-up) too."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "drafting"

# Bottom to top, as the README lists them: a top-level module or package → its layer.
LAYERS = {
    "errors": 1,
    "chars": 1,
    "numbers": 1,  # number mentions of a text: imports nothing of ours
    "textdiff": 1,
    "overlap": 1,
    "pins": 1,
    "official": 1,
    "threads": 1,
    "locks": 1,
    "keys": 1,
    "deadlines": 1,
    "__init__": 1,  # the package's face: names imported on first use only
    "files": 2,
    "limits": 2,
    "layout": 2,
    "cleaning": 2,  # a model's answer made into paragraphs: chatter, notes, headings, URLs
    "config": 2,
    "yamlfile": 3,
    "backends": 3,
    "data": 4,
    "tables": 5,
    "figures": 6,
    "catalogue": 6,  # the data's figures with their names: tables by concept, facts with their words
    "binding": 6,  # a number bound to the figure its words name (tables and facts)
    "facts": 6,  # the author's facts screened: instructions and contradicting figures left out
    "document": 6,
    "statements": 7,
    "offline": 7,
    "history": 7,
    "reading": 7,
    "checks": 8,
    "writers": 8,
    "prompts": 9,
    "carry": 9,
    "check": 9,
    "narrative": 10,
    "draft": 11,
    "batchdrafts": 11,
    "revise": 11,
    "evaluation": 12,
    "review": 12,
    "cli": 13,
    "server": 13,  # drafting serve: a front end beside cli (cli/serve.py starts it)
}
# Modules allowed to import upward for now, each with its reason (none today).
NOT_YET: set[str] = set()


def _unit(module: str) -> str:
    """``drafting.data.load`` → ``data``; ``drafting`` → ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> set[str]:
    """The modules of ours that ``path`` imports, as dotted names."""
    here = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    package = package.removesuffix(".__init__")
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("drafting")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if not target.startswith("drafting"):
                continue
            if node.module is None or target.count(".") == 0:  # from . import x: x is a module
                out |= {f"{target}.{a.name}" for a in node.names}
            else:
                out.add(target)
    return out


def test_every_module_has_a_layer() -> None:
    units = {_unit(".".join(p.relative_to(ROOT).with_suffix("").parts)) for p in PACKAGE.rglob("*.py")}
    assert units <= set(LAYERS), sorted(units - set(LAYERS))


def test_no_module_imports_from_a_higher_layer() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if str(path.relative_to(PACKAGE)) in NOT_YET:
            continue
        mine = _unit(".".join(path.relative_to(ROOT).with_suffix("").parts))
        if mine == "__init__":
            continue
        for target in _imports(path):
            theirs = _unit(target)
            if LAYERS.get(theirs, 0) > LAYERS[mine]:
                upward.append(f"{path.relative_to(ROOT)} → {target}")
    assert not upward, "\n".join(upward)


def test_the_pipeline_does_not_import_the_revision_package() -> None:
    for name in ("draft.py", "carry.py", "narrative.py"):
        assert not [t for t in _imports(PACKAGE / name) if _unit(t) == "revise"], name


def test_the_excel_template_does_not_import_the_tables() -> None:
    assert not [t for t in _imports(PACKAGE / "data" / "excel.py") if _unit(t) == "tables"]
