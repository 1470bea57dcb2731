"""The version of what produced a cached result: when it changes, every file is checked again.

A hash of the source of every module that reads a report, checks it or shapes its review record —
the whole package but its front ends and tools (``cli``, ``server``, ``evaluation``, ``revise``) —
with the package's version and the versions of the libraries that read files (PDFium, python-docx,
Beautiful Soup, lxml). Why sources and not the rule catalogue: a fix to the reader or to a check's
wording changes findings without adding a rule, and the catalogue would not see it; a new module is
covered without anyone remembering to list it. A released package gets a new version whenever its
sources change, so for users this is "the package version", and for us it never serves a result of
code that has since changed.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
FRONT_ENDS = ("cli", "server", "evaluation", "revise")
READING_LIBRARIES = ("drafting", "pypdfium2", "python-docx", "beautifulsoup4", "lxml")


@cache
def check_version() -> str:
    """16 hex digits naming the reader, the checks and the review record as installed."""
    digest = hashlib.sha256()
    for name in READING_LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\n".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] in FRONT_ENDS or "__pycache__" in parts:
            continue
        digest.update("/".join(parts).encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
