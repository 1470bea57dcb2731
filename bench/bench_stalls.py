"""How long ``drafting draft`` takes against a model server that stalls (issue 17, item 3).

Starts the test suite's loopback server (``tests/openai_stub.py``) with a fault on every request —
``hang`` (accepts, never answers), ``trickle`` (SSE keep-alive comments, never a token) — and runs
``drafting draft --model openai:m --base-url …`` as a user does, in its own process, with the
default deadlines unless told otherwise. Prints the wall time and the exit code of each; a run that
passes ``--cap`` seconds is killed and reported as such. Asserts nothing.

    python bench/bench_stalls.py [--faults hang,trickle] [--cap 420] [--stall-timeout S]
    PYTHONPATH=<a checkout of main> python bench/bench_stalls.py    # the same on other code
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # for tests.openai_stub; drafting itself as installed or on PYTHONPATH

from tests.openai_stub import stub_server  # noqa: E402  (the stub lives with the tests)

EXAMPLE = ROOT / "examples" / "daxinganling-2023.yaml"


def run(fault: str, cap: float, extra_env: dict[str, str]) -> str:
    with stub_server() as server, tempfile.TemporaryDirectory() as tmp:
        server.state.always = fault
        env = {**os.environ, **extra_env, "OPENAI_API_KEY": "sk-bench-0123456789abcdef", "DRAFTING_HOME": tmp}
        args = [sys.executable, "-c", "from drafting.cli import main; main()", "draft", str(EXAMPLE)]
        args += ["-o", f"{tmp}/out", "--format", "md", "--model", "openai:m", "--base-url", server.base_url]
        started = time.monotonic()
        proc = subprocess.Popen(
            args, env=env, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            proc.communicate(timeout=cap)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return f"{fault:8} still running after {cap:.0f} s (killed); {len(server.requests)} requests"
        took = time.monotonic() - started
        return f"{fault:8} exit {proc.returncode} after {took:.1f} s; {len(server.requests)} requests"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--faults", default="hang,trickle")
    parser.add_argument("--cap", type=float, default=420.0)
    parser.add_argument("--stall-timeout", help="DRAFTING_STALL_TIMEOUT for the runs (default: the default)")
    args = parser.parse_args()
    extra = {"DRAFTING_STALL_TIMEOUT": args.stall_timeout} if args.stall_timeout else {}
    import drafting

    print(f"package: {Path(drafting.__file__).parent}")
    for fault in args.faults.split(","):
        print(run(fault.strip(), args.cap, extra), flush=True)


if __name__ == "__main__":
    main()
