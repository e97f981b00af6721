"""`riskreg backup --out FILE`: a consistent copy of the database, safe while the app is open."""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path

from riskreg.errors import BadInput, DatabaseError, UserError, one_line


def add_command(sub, common) -> None:
    p = sub.add_parser(
        "backup", parents=[common], help="copy the database to a file (safe while the app is open)",
        description="Copy the database to FILE with SQLite's online backup API: a consistent "
        "snapshot even while the app is open and writing. The copy is checked after it is "
        "written (integrity, schema, audit chain), written atomically, readable by you only "
        "(mode 600). An encrypted database (--encrypted) gives an encrypted copy with the same "
        "passphrase. riskreg also keeps rolling copies by itself in backups/ beside the "
        "database: once a day at start-up and before every migration or restore, the last "
        "seven of each.",
    )
    p.add_argument("--out", metavar="FILE", help="where to write the copy (required)")
    p.set_defaults(run=run)


def run(args: Namespace) -> int:
    from riskreg.commands._db import (
        ask_passphrase,
        passphrase_wanted,
        refuse_plain,
        resolve_db,
        server_backend,
    )
    from riskreg.storage.files import check_output_path

    if not args.out or not args.out.strip():
        raise BadInput("backup: --out FILE is required (where to write the copy)")
    if server_backend(args) is not None:
        return _server_backup(args)
    source = Path(resolve_db(args)).expanduser().absolute()
    if not source.is_file():
        raise UserError(f"no database at {source}; nothing to back up")
    # By real path and inode, before anything is opened: `sub/../d.db` once replaced the live
    # database and a FIFO hung the command (reliability review D2, D6).
    out = check_output_path(args.out, database=source)
    if not out.parent.is_dir():
        raise BadInput(f"--out: folder {out.parent} does not exist")
    if passphrase_wanted(args):
        refuse_plain(source)
    passphrase = ask_passphrase() if passphrase_wanted(args) else None
    _check_target(out, passphrase)
    _check_source(source, passphrase)

    from riskreg.storage.backup import backup_file
    from riskreg.storage.restore import check_backup

    replacing = out.exists()  # _check_target made sure it is an earlier backup
    backup_file(source, out, passphrase)
    info = check_backup(out, passphrase)
    # Replacing an earlier copy is said, not done "without a word" (new-user run, finding 30).
    replaced = ", replacing the earlier backup there" if replacing else ""
    print(f"Backup written to {one_line(str(out))}{replaced} (mode 600): {info.summary()}.")
    return 0


def _server_backup(args: Namespace) -> int:
    """On PostgreSQL the backup is the lossless JSON export (audit chain included): `riskreg
    import json` into an empty database gives the same register back."""
    from riskreg.commands._db import open_db
    from riskreg.services.transfer import export_json

    db = open_db(args)
    try:
        summary = export_json(db, args.out)
    finally:
        db.close()
    print(f"Backup of {one_line(db.where)} written to {one_line(str(summary.path))} (mode 600) "
          f"as a JSON export: {summary.records} records, {summary.events} audit events; "
          "`riskreg import json` into an empty database restores it.")
    return 0


def _check_source(source: Path, passphrase: str | None) -> None:
    from riskreg.storage.files import SQLITE_HEADER

    with source.open("rb") as fh:
        plain = fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    if passphrase is None and not plain:
        raise DatabaseError(f"{source} is not a riskreg database (not an SQLite file; if it is "
                            "encrypted, use --encrypted); nothing was written")
    if passphrase is not None and plain:
        raise DatabaseError(f"{source} is not encrypted: back it up without --encrypted")


def _check_target(out: Path, passphrase: str | None) -> None:
    """Replace an earlier backup, never some other file that happens to have that name."""
    from riskreg.storage.files import SQLITE_HEADER

    if not out.exists():
        return
    with out.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if passphrase is None and header != SQLITE_HEADER:
        raise BadInput(f"--out {out} exists and is not a database backup; choose a new name "
                       "(nothing was written)")
    if passphrase is not None:
        from riskreg.storage import cipher

        try:
            cipher.connect(out, passphrase).close()
        except Exception:  # noqa: BLE001 (any failure means: not our encrypted backup)
            raise BadInput(f"--out {out} exists and is not an encrypted riskreg backup; choose a "
                           "new name (nothing was written)") from None
