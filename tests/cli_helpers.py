"""The CLI run in-process, for tests that run many commands (a subprocess each would take a
second): `riskreg.cli.main` with its output captured."""

import contextlib
import io

from riskreg.cli import main


def run_main(argv):
    """(exit status, stdout, stderr) of `riskreg ARGV`; a crash raises, with its traceback."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code
    return code, out.getvalue(), err.getvalue()
