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


def backup_file(source: Path, dest: Path) -> Path:
    """Copy the database at `source` to `dest` (atomically, 0600)."""
    dest = Path(dest)
    tmp = dest.with_name(f".{dest.name}.tmp")
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
            os.close(fd)
            out = sqlite3.connect(tmp)
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


def rolling_backup(db_path: Path, reason: str, now: datetime) -> Path:
    """Take a dated copy into the backups folder beside the database, keeping the last seven."""
    folder = backups_dir(db_path)
    ensure_private_dir(folder)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    dest = backup_file(db_path, folder / f"{Path(db_path).stem}-{stamp}-{reason}.db")
    existing = sorted(folder.glob(f"{Path(db_path).stem}-*.db"), key=lambda p: p.name)
    for old in existing[:-KEEP_ROLLING]:
        old.unlink(missing_ok=True)
    return dest
