"""No core dump holds the passphrase or the register (reliability review D12).

With `ulimit -c unlimited`, a crash of the open app wrote a core file that held the passphrase
six times and decrypted records. riskreg turns core dumps off for itself at start (the CLI and
the app), and once it holds a passphrase it also marks itself non-dumpable on Linux, which keeps
a crash handler (systemd-coredump, apport) and the user's other processes (ptrace, /proc/PID/mem)
away from its memory. Both are no-ops where the platform has no such thing (Windows).
"""

import sys

PR_SET_DUMPABLE = 4
"""prctl(2) option numbers, from <linux/prctl.h>."""
PR_GET_DUMPABLE = 3


def disable() -> None:
    """No core file for this process: RLIMIT_CORE 0, soft and hard (it cannot be raised again)."""
    try:
        import resource
    except ImportError:  # not a Unix
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass  # a platform that refuses: nothing riskreg can do about it


def hold_passphrase() -> None:
    """Mark the process non-dumpable for the rest of its life: a passphrase, once typed, stays
    in memory until the process exits (SQLCipher's connections need it to reopen)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):  # a libc without prctl
        pass
