"""`riskreg` with no subcommand: the full-screen app."""

from __future__ import annotations

import os
import sys
from argparse import Namespace
from datetime import date
from pathlib import Path

from riskreg.errors import BadInput, UserError, one_line


def _today() -> date | None:
    """$RISKREG_TODAY (YYYY-MM-DD) fixes the app's clock, for screenshots and demos."""
    text = os.environ.get("RISKREG_TODAY")
    if not text:
        return None
    from riskreg.domain.dates import parse_date

    try:
        return parse_date(text, "RISKREG_TODAY")
    except ValueError as exc:
        raise BadInput(str(exc)) from None


def run_tui(args: Namespace) -> int:
    """Run the app on the database named by --db / $RISKREG_DB / the default, on the --area
    given (default: the dashboard); a database that cannot be opened is shown in the app and
    printed here on exit (status 1).

    An encrypted database (--encrypted, $RISKREG_ENCRYPTED=1) is opened with
    $RISKREG_PASSPHRASE when set (scripts), else with the passphrase the app asks for."""
    from riskreg.commands._db import passphrase_wanted, resolve_db
    from riskreg.ui.app import make_app

    encrypted = passphrase_wanted(args)
    if encrypted:
        from riskreg import core_dumps
        from riskreg.commands._db import refuse_plain

        refuse_plain(resolve_db(args))  # before a passphrase dialog that could never succeed

        core_dumps.hold_passphrase()  # from $RISKREG_PASSPHRASE or the app's dialog
    passphrase = (os.environ.get("RISKREG_PASSPHRASE") or None) if encrypted else None
    from riskreg.commands._db import server_backend
    from riskreg.paths import default_db_path

    server = server_backend(args)
    if server is not None:
        if encrypted:
            raise UserError(server.encryption_words())
        where, ask = resolve_db(args), False
    else:
        path = Path(resolve_db(args)).expanduser().absolute()
        # Anywhere but the default location, a missing file is more likely a mistyped path
        # than a wish for a new register: the app asks first.
        ask = not os.path.lexists(path) and path != default_db_path().expanduser().absolute()
        where = str(path)
    app = make_app(where, today=_today(), area=getattr(args, "area", None),
                   encrypted=encrypted, passphrase=passphrase, ask_before_creating=ask)
    del passphrase
    app.run()
    if app.problem:
        print(f"riskreg: {one_line(app.problem)}", file=sys.stderr)
        return app.return_code or 1
    return app.return_code or 0
