"""A normal install (a wheel, not an editable checkout) carries everything the package reads at run
time: the prompts and every template. The wheel is built from a copy of the sources and installed
into a fresh venv that sees this environment's dependencies but not the checkout; then the model
path drafts against the loopback server and ``drafting prompts list`` finds the prompts.

No network: the build uses this environment's setuptools (``--no-build-isolation``) and the install
reads only the wheel (``--no-index --no-deps``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from drafting import official

from .conftest import REFERENCE_EXAMPLE, ROOT
from .llm_support import FAST, KEY, SERVER_SENTENCE, good_reply
from .openai_stub import stub_server


def _run(
    args: list[str | Path], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh venv with the package installed from a wheel."""
    tmp = tmp_path_factory.mktemp("install")
    source = tmp / "source"  # a copy: an in-tree build would leave build/ and *.egg-info behind
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "drafting", source / "drafting", ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp / "dist"
    _run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", dist, source]
    )
    wheel = next(dist.glob("drafting-*.whl"))

    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(
        _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    )
    # This environment's dependencies, as a plain path: its .pth files (the editable checkout's
    # import hook among them) are not run from a path added this way, so the checkout stays unseen.
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (site / "dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel])
    return env_dir / "bin"


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DRAFTING_", "PYTHON"))}
    return {**env, **FAST, "DRAFTING_HOME": str(home), **extra}


def test_the_package_runs_from_the_install_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = _run([installed / "python", "-c", "import drafting; print(drafting.__file__)"], cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(installed.parent)


def test_prompts_list_finds_the_shipped_prompts(installed: Path, tmp_path: Path) -> None:
    listed = _run([installed / "drafting", "prompts", "list"], cwd=tmp_path, env=_env(tmp_path / "home"))
    assert str(installed.parent) in listed.stdout  # the folder inside the install
    for name in ("system", *official.SECTION_IDS, "revise"):
        assert f"{name}.md" in listed.stdout, listed.stdout


def test_the_installed_command_drafts_with_a_model(installed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = _env(tmp_path / "home", OPENAI_API_KEY=KEY)
    with stub_server(reply=good_reply()) as server:
        model = ["--model", "openai:test", "--base-url", server.base_url]
        _run(
            [
                installed / "drafting",
                "draft",
                REFERENCE_EXAMPLE,
                "-o",
                out,
                "--format",
                "md,docx,html",
                *model,
            ],
            tmp_path,
            env,
        )
        sent = len(server.requests)
    draft = json.loads((out / f"{REFERENCE_EXAMPLE.stem}.draft.json").read_text(encoding="utf-8"))
    assert sent == len(official.SECTION_IDS)
    for section in draft["sections"]:
        assert section["backend"] == "openai:test" and not section["notes"]
        assert SERVER_SENTENCE in section["paragraphs"][0] and section["prompt_version"]
    assert (out / f"{REFERENCE_EXAMPLE.stem}.docx").stat().st_size > 0
    assert "<table" in (out / f"{REFERENCE_EXAMPLE.stem}.html").read_text(encoding="utf-8")  # its template
