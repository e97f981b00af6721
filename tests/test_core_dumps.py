"""No core dump holds the passphrase or the register (reliability review D12): core dumps are
off from the start (the CLI and the app), and a process that holds a passphrase is marked
non-dumpable (Linux)."""

import os
import resource
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="RLIMIT_CORE and prctl(PR_GET_DUMPABLE) are Linux's")

# Runs riskreg's entry point in a fresh process, then reports what the kernel would do with a
# crash of it: the core size limit and whether it may be dumped. The app is replaced by one that
# reports the same while it "runs", so the app's start-up is covered without a terminal.
PROBE = """
import ctypes, resource, sys

def state():
    dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)  # PR_GET_DUMPABLE
    return f"core={resource.getrlimit(resource.RLIMIT_CORE)} dumpable={dumpable}"

class App:
    problem, return_code = None, 0
    def run(self):
        print("while the app runs:", state())

import riskreg.ui.app
riskreg.ui.app.make_app = lambda *args, **kwargs: App()
from riskreg.cli import main
code = main(sys.argv[1:])
print(f"exit={code}", state())
"""


def _allow_core_dumps() -> None:
    """As a user's `ulimit -c unlimited` would: the child may dump as much as the system lets."""
    _, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


def _probe(*args: str, passphrase: str | None = None) -> str:
    env = {**os.environ, "RISKREG_TODAY": "2026-11-26"}
    if passphrase:
        env["RISKREG_PASSPHRASE"] = passphrase
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                         env=env, timeout=60, preexec_fn=_allow_core_dumps)
    assert "Traceback" not in out.stderr, out.stderr
    return out.stdout


def test_a_command_runs_with_core_dumps_off(tmp_path):
    out = _probe("init", "--db", str(tmp_path / "r.db"))
    assert "exit=0 core=(0, 0) dumpable=1" in out, out  # no passphrase: dumpable as usual


def test_a_command_that_holds_a_passphrase_cannot_be_dumped(tmp_path):
    pytest.importorskip("sqlcipher3", reason="sqlcipher3 has no wheel for this platform")
    out = _probe("init", "--encrypted", "--db", str(tmp_path / "r.db"), passphrase="long enough")
    assert "exit=0 core=(0, 0) dumpable=0" in out, out


def test_the_app_runs_with_core_dumps_off_and_undumpable_once_encrypted(tmp_path):
    plain = _probe("--db", str(tmp_path / "r.db"))
    assert "while the app runs: core=(0, 0) dumpable=1" in plain, plain
    encrypted = _probe("--encrypted", "--db", str(tmp_path / "r.db"))  # the dialog will ask
    assert "while the app runs: core=(0, 0) dumpable=0" in encrypted, encrypted
