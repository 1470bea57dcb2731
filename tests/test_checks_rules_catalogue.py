"""The catalogue of rule ids stays in step with what the checks emit and what the corpus seeds."""

from __future__ import annotations

import json
import re

from drafting.checks.registry import RULES

from .conftest import ROOT

# A rule id as checks write it: a capital letter and one or two digits, quoted.
_LITERAL = re.compile(r'"([A-Z][0-9]{1,2})"')


def test_every_rule_id_in_the_check_library_is_catalogued() -> None:
    emitted: set[str] = set()
    for path in (ROOT / "drafting" / "checks").glob("*.py"):
        if path.name == "registry.py":
            continue
        emitted |= set(_LITERAL.findall(path.read_text(encoding="utf-8")))
    assert emitted, "no rule ids found: the pattern no longer matches how checks name rules"
    assert emitted <= set(RULES), sorted(emitted - set(RULES))


def test_every_catalogued_rule_is_seeded_in_the_defect_corpus_or_emitted() -> None:
    manifest = json.loads((ROOT / "evals" / "defects" / "manifest.json").read_text(encoding="utf-8"))
    seeded = {case["rule"] for case in manifest if case["rule"]}
    assert seeded <= set(RULES), sorted(seeded - set(RULES))
    # S7 (an empty section) only arises from a single section's text, not from a whole document.
    assert set(RULES) - seeded <= {"S7"}, sorted(set(RULES) - seeded)
