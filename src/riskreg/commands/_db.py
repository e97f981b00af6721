"""Shared by the subcommands that open the database."""

import sys
from argparse import Namespace


def open_db(args: Namespace):
    """Open the database named by --db / $RISKREG_DB / the default, printing its notices."""
    from riskreg.cli import resolve_db
    from riskreg.storage.database import open_database

    db = open_database(resolve_db(args))
    for notice in db.notices:
        print(f"riskreg: {notice}", file=sys.stderr)
    return db
