"""The library's public names resolve, and importing the package pulls in nothing heavy."""

from __future__ import annotations

import subprocess
import sys

import drafting

from .conftest import REFERENCE_EXAMPLE


def test_every_public_name_resolves() -> None:
    for name in drafting.__all__:
        assert getattr(drafting, name) is not None


def test_the_documented_use_works() -> None:
    draft = drafting.draft_report(drafting.load_data(REFERENCE_EXAMPLE))
    assert not [f for f in drafting.run_checks(draft) if f.is_error]


def test_importing_the_package_stays_light() -> None:
    code = (
        "import sys, drafting; print(sorted(m for m in ('pydantic', 'openai', 'docx') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
