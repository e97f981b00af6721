"""Consistent copies of the database, taken with SQLite's online backup API.

The backup API copies a consistent snapshot even while another window is writing. Copies are
written beside the target under a temporary name and renamed into place, mode 0600.
"""

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from riskreg.errors import UserError
from riskreg.storage.files import FILE_MODE, ensure_private_dir

KEEP_ROLLING = 7


def _connect(path: Path, passphrase: str | None, read_only: bool = False):
    if passphrase is None:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True) if read_only else sqlite3.connect(path)
    from riskreg.storage import cipher

    return cipher.connect(path, passphrase)


def backup_file(source: Path, dest: Path, passphrase: str | None = None) -> Path:
    """Copy the database at `source` to `dest` (atomically, 0600); an encrypted database's copy
    is encrypted with the same passphrase."""
    dest = Path(dest)
    tmp = dest.with_name(f".{dest.name}.tmp")
    try:
        src = _connect(source, passphrase, read_only=True)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
            os.close(fd)
            out = _connect(tmp, passphrase)
            try:
                src.backup(out)
            finally:
                out.close()
        finally:
            src.close()
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, dest)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot back up to {dest}: {exc}") from None
    return dest


def backups_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def rolling_backup(
    db_path: Path, reason: str, now: datetime, passphrase: str | None = None
) -> Path:
    """Take a dated copy into the backups folder beside the database, keeping the last seven."""
    folder = backups_dir(db_path)
    ensure_private_dir(folder)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    dest = backup_file(db_path, folder / f"{Path(db_path).stem}-{stamp}-{reason}.db", passphrase)
    existing = sorted(folder.glob(f"{Path(db_path).stem}-*.db"), key=lambda p: p.name)
    for old in existing[:-KEEP_ROLLING]:
        old.unlink(missing_ok=True)
    return dest
