"""`riskreg restore FILE [--yes]`: replace the database with a backup, after checking it."""

from __future__ import annotations

import sys
from argparse import Namespace
from pathlib import Path

from riskreg.errors import UserError, one_line


def add_command(sub, common) -> None:
    p = sub.add_parser(
        "restore", parents=[common], help="replace the database with a backup (asks first)",
        description="Check FILE (an SQLite database that passes its integrity check, with a "
        "riskreg schema no newer than this riskreg, and an audit log that verifies), keep a copy "
        "of the current database in backups/ beside it, ask, then replace the database with "
        "the backup. An older backup is brought up to date by the usual migration. Asks on a "
        "terminal; scripts pass --yes. Without a terminal and without --yes, nothing is done.",
    )
    p.add_argument("file", metavar="FILE", help="the backup to restore")
    p.add_argument("--yes", action="store_true", help="do not ask (for scripts)")
    p.set_defaults(run=run)


def confirm(question: str) -> bool:
    """Ask on the terminal; a refusal (exit 2) when there is none to ask on."""

    if not sys.stdin.isatty():
        raise UserError("restore replaces the whole database: run it in a terminal to confirm, "
                        "or add --yes. Nothing was changed.", 2)
    from riskreg.commands._db import ask_yes_no

    return ask_yes_no(question)


def run(args: Namespace) -> int:
    from datetime import UTC, datetime

    from riskreg.commands._db import (
        ask_passphrase,
        passphrase_wanted,
        refuse_plain,
        resolve_db,
        server_backend,
    )

    server = server_backend(args)
    if server is not None:
        raise UserError(server.restore_words())
    from riskreg.storage.backup import backups_dir
    from riskreg.storage.files import check_database_path, check_source_path
    from riskreg.storage.restore import check_backup, restore_backup

    db_path = Path(resolve_db(args)).expanduser().absolute()
    # Before the file is read: a FIFO would wait forever, the database is no backup of itself.
    check_source_path(args.file, database=db_path)
    check_database_path(resolve_db(args))
    source = Path(args.file).expanduser().absolute()
    if passphrase_wanted(args):
        refuse_plain(source, what="backup")
    passphrase = ask_passphrase() if passphrase_wanted(args) else None
    info = check_backup(source, passphrase)
    print(f"{one_line(str(source))}: {info.summary()}.")
    if not args.yes:
        question = f"Replace {one_line(str(db_path))} with this backup?"
        if db_path.exists():
            question += (f" (A copy of the current database is kept in "
                         f"{one_line(str(backups_dir(db_path)))}.)")
        if not confirm(question):
            print("Nothing was changed.")
            return 1
    kept = restore_backup(db_path, source, datetime.now(UTC), passphrase)

    from riskreg.storage.database import open_database

    # Brings an older backup's schema up to date (after its own pre-migration copy).
    db = open_database(db_path, passphrase=passphrase)
    for notice in db.notices:
        print(f"riskreg: {one_line(notice)}", file=sys.stderr)
    db.close()
    print(f"Restored {one_line(str(db_path))} from {one_line(str(source))}.")
    if kept:
        print(f"The database as it was before is kept as {one_line(str(kept))}.")
    return 0
