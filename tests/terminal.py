"""riskreg on a real pseudo-terminal (its controlling terminal, as in a shell), for the tests of
what it asks there: the passphrase, a yes or no."""

import os
import pty
import select
import sys
import time

CTRL_D, CTRL_C = b"\x04", b"\x03"
PROMPT_ENDS = (b": ", b"] ")
"""How riskreg's prompts end: "Passphrase: ", "... [y/N] "."""


def _read_until(fd: int, prompt: tuple[bytes, ...] | None, deadline: float) -> bytes:
    """What the terminal shows until it ends with a prompt, or (None) until riskreg exits."""
    seen = b""
    while not (prompt and seen.endswith(prompt)) and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], deadline - time.monotonic())
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child has exited and closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


def in_terminal(args: list[str], keys: list[bytes]) -> tuple[int, str]:
    """Run riskreg with a terminal, typing each of `keys` at the next prompt; its exit status
    and everything the terminal showed."""
    env = {k: v for k, v in os.environ.items() if k != "RISKREG_PASSPHRASE"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: riskreg, on the terminal
        os.execve(sys.executable, [sys.executable, "-m", "riskreg", *args], env)
    deadline = time.monotonic() + 60
    shown = b""
    try:
        for key in keys:
            shown += _read_until(fd, PROMPT_ENDS, deadline)
            os.write(fd, key)
        shown += _read_until(fd, None, deadline)
    finally:
        os.close(fd)
        _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace").replace("\r", "")
