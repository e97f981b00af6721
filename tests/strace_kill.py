"""Killing riskreg at an exact system call, for the crash tests (reliability review D4, D20-D22).

`strace -f -e inject=CALL:signal=KILL:when=K` delivers SIGKILL when the process enters its K-th
call of CALL: moments a timer almost never hits, such as the WAL commit, the checkpoint at close
and the moment just before a rename. The kill points are spread over every call a clean run
makes. strace is Debian's, which CI installs (.ci/run); without it the tests skip, outside CI.
"""

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

STRACE = shutil.which("strace")
ENV = {**os.environ, "RISKREG_TODAY": "2026-11-26"}
POINTS = {"pwrite64": 9}
"""Kill points spread over the calls of one kind a clean run makes (every one when fewer); the
first and the last are always among them. 4 for the others (fsync, rename, ...). 1: the last
only (the moment just before a file is complete)."""


def riskreg(*args: str, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "riskreg", *args], capture_output=True,
                          text=True, env={**ENV, **(env or {})}, timeout=timeout)


def under_strace(strace_args: list[str], *args: str,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([STRACE, "-f", "-qq", *strace_args, sys.executable, "-m", "riskreg",
                           *args], capture_output=True, text=True, env={**ENV, **(env or {})},
                          timeout=120)


@pytest.fixture(scope="module")
def strace() -> str:
    """strace, which CI installs (.ci/run); a developer's machine without it (or where ptrace is
    not allowed) skips these tests, CI never does."""
    works = STRACE is not None and subprocess.run(
        [STRACE, "-f", "-qq", "-o", os.devnull, "true"], capture_output=True).returncode == 0
    if not works:
        if os.environ.get("CI"):
            pytest.fail("the crash tests need strace (and ptrace): install it in CI")
        pytest.skip("strace is not installed, or ptrace is not allowed here")
    return STRACE


def count_calls(calls: str, log: Path, *args: str,
                env: dict[str, str] | None = None) -> dict[str, int]:
    out = under_strace(["-o", str(log), "-e", f"trace={calls}"], *args, env=env)
    assert out.returncode == 0, out.stderr
    lines = log.read_text().splitlines()
    return {call: sum(f" {call}(" in line or line.startswith(f"{call}(") for line in lines)
            for call in calls.split(",")}


def kill_points(call: str, total: int, points: dict[str, int] | None = None) -> list[int]:
    wanted = (points or POINTS).get(call, 4)
    if wanted == 1:
        return [total] if total else []
    if total <= wanted:
        return list(range(1, total + 1))
    return sorted({1 + round(i * (total - 1) / (wanted - 1)) for i in range(wanted)})


def trials(calls: str, log: Path, *args: str, env: dict[str, str] | None = None,
           points: dict[str, int] | None = None) -> list[tuple[str, int]]:
    """(call, K) for each kill of one run of `args`: `points` spread over the calls it makes."""
    counts = count_calls(calls, log, *args, env=env)
    found = [(call, when) for call, total in counts.items()
             for when in kill_points(call, total, points)]
    assert found, counts
    return found


def killed_at(call: str, when: int, *args: str,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return under_strace(["-o", os.devnull, "-e", f"trace={call}",
                         "-e", f"inject={call}:signal=KILL:when={when}"], *args, env=env)


def assert_opens_or_says_what_to_do(db: Path, where: str, *options: str,
                                    env: dict[str, str] | None = None
                                    ) -> subprocess.CompletedProcess:
    out = riskreg("list", "tools", "--db", str(db), *options, env=env)
    assert "already exists" not in out.stderr, f"{where}: {out.stderr}"
    assert "Traceback" not in out.stderr, f"{where}: {out.stderr}"
    if out.returncode != 0:
        lines = out.stderr.strip().splitlines()
        assert out.returncode == 1 and len(lines) == 1, f"{where}: {out.stderr}"
    return out


def temp_files(folder: Path) -> list[str]:
    names = [p.name for p in folder.iterdir()]
    if (folder / "backups").is_dir():
        names += [f"backups/{p.name}" for p in (folder / "backups").iterdir()]
    return sorted(name for name in names if ".tmp" in name)


def assert_temp_files_go_once_stale(db: Path, where: str, *options: str,
                                    env: dict[str, str] | None = None,
                                    run: Callable[..., subprocess.CompletedProcess] | None = None
                                    ) -> None:
    """A killed copy's temporary file (a random name, no process id) may belong to another
    window for all the next start knows; once a minute old it is removed, and said. `run`
    runs riskreg (default: in a subprocess)."""
    left = temp_files(db.parent)
    if not left:
        return
    then = time.time() - 120
    for name in left:
        os.utime(db.parent / name, (then, then))
    out = (run or riskreg)("list", "tools", "--db", str(db), *options, env=env)
    assert out.returncode == 0, f"{where}: {out.stderr}"
    assert f"Removed {len(left)} temporary file" in out.stderr, f"{where}: {out.stderr}"
    assert temp_files(db.parent) == [], f"{where}: {temp_files(db.parent)}"
