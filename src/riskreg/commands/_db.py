"""Shared by the subcommands that open the database."""

import os
import sys
from argparse import Namespace

from riskreg.errors import UserError, one_line


def ask_passphrase(prompt: str = "Passphrase: ", confirm: bool = False) -> str:
    """The passphrase from $RISKREG_PASSPHRASE (scripts) or typed at the terminal, never echoed."""
    from_env = os.environ.get("RISKREG_PASSPHRASE")
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise UserError("the database is encrypted: set RISKREG_PASSPHRASE or run in a terminal")
    import getpass

    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat the passphrase: ") != first:
        raise UserError("the two passphrases differ; nothing was changed")
    if not first:
        raise UserError("the passphrase is empty; nothing was changed")
    return first


def open_db(args: Namespace):
    """Open the database named by --db / $RISKREG_DB / the default, printing its notices."""
    from riskreg.cli import passphrase_wanted, resolve_db
    from riskreg.storage.database import open_database

    passphrase = ask_passphrase() if passphrase_wanted(args) else None
    # daily_backup: the first command of the day also takes the day's rolling copy (backups/).
    db = open_database(resolve_db(args), passphrase=passphrase, daily_backup=True)
    for notice in db.notices:
        print(f"riskreg: {one_line(notice)}", file=sys.stderr)  # notices may name a path
    from riskreg import collector

    collector.resume()  # the imports are done; the command's own work begins
    return db
