"""Consistent copies of the database, taken with SQLite's online backup API.

The backup API copies a consistent snapshot even while another window is writing. Copies are
written beside the target under a temporary name and renamed into place, mode 0600, and switched
out of WAL mode so that each copy is one self-contained file.

Rolling copies live in `backups/` beside the database, named `<db>-<UTC stamp>-<reason>.db`;
each reason (daily, pre-migration, pre-restore) keeps its own last seven, so a week of daily
copies never pushes out the copy taken before a migration or a restore.
"""

import glob
import os
import sqlite3
import tempfile
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from riskreg.errors import UserError
from riskreg.storage.files import BACKUPS_FOLDER, FILE_MODE, ROLLING_NAME, ensure_private_dir

KEEP_ROLLING = 7


def _connect(path: Path, passphrase: str | None, read_only: bool = False):
    if passphrase is None:
        if read_only:
            return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
        return sqlite3.connect(path)
    from riskreg.storage import cipher

    return cipher.connect(path, passphrase)


def _driver_errors(passphrase: str | None) -> tuple[type[Exception], ...]:
    if passphrase is None:
        return (sqlite3.Error,)
    from riskreg.storage import cipher

    return (sqlite3.Error, cipher.driver().Error)


def backup_file(source: Path, dest: Path, passphrase: str | None = None) -> Path:
    """Copy the database at `source` to `dest` (atomically, 0600); an encrypted database's copy
    is encrypted with the same passphrase. The caller has checked `dest` (files.check_output_path
    for a path the user gave); the temporary copy is a new file of its own in dest's folder."""
    dest = Path(dest)
    tmp = None
    try:
        src = _connect(source, passphrase, read_only=True)
        try:
            # A fresh name (O_EXCL, 0600), never a left-over or planted `.name.tmp` followed.
            fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
            os.close(fd)
            tmp = Path(name)
            out = _connect(tmp, passphrase)
            try:
                src.backup(out)
                out.execute("PRAGMA journal_mode=DELETE")
            finally:
                out.close()
        finally:
            src.close()
        os.chmod(tmp, FILE_MODE)
        # A stale -wal beside an older copy at `dest` must never be applied to the new one (but
        # a database that happens to be named like one, `<dest>-wal`, is no stale -wal).
        for suffix in ("-wal", "-shm"):
            stale = Path(f"{dest}{suffix}")
            if not (stale.exists() and os.path.samefile(stale, source)):
                stale.unlink(missing_ok=True)
        os.replace(tmp, dest)
    except (OSError, *_driver_errors(passphrase)) as exc:
        if tmp is not None:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)
        raise UserError(f"cannot back up to {dest}: {exc}") from None
    return dest


def backups_dir(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUPS_FOLDER


def plaintext_copies(db_path: Path) -> list[Path]:
    """The rolling copies of the database at `db_path` in its backups folder that are plain
    SQLite files, readable without a passphrase (reliability review D11: after `encrypt` they
    were left in place without a word). Copies of other databases in the folder are not its."""
    from riskreg.storage.database import SQLITE_HEADER

    stem = Path(db_path).stem
    found = []
    for path in sorted(backups_dir(db_path).glob(f"{glob.escape(stem)}-*.db")):
        if not ROLLING_NAME.fullmatch(path.name[len(stem):]) or path.is_symlink():
            continue
        try:
            with path.open("rb") as fh:
                plain = fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
        except OSError:
            continue
        if plain:
            found.append(path)
    return found


def rolling_backup(
    db_path: Path, reason: str, now: datetime, passphrase: str | None = None
) -> Path:
    """Take a dated copy into the backups folder beside the database, keeping the last seven."""
    folder = backups_dir(db_path)
    ensure_private_dir(folder)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    dest = backup_file(db_path, folder / f"{Path(db_path).stem}-{stamp}-{reason}.db", passphrase)
    existing = sorted(folder.glob(f"{Path(db_path).stem}-*-{reason}.db"), key=lambda p: p.name)
    for old in existing[:-KEEP_ROLLING]:
        old.unlink(missing_ok=True)
    return dest


def daily_backup(db_path: Path, now: datetime, passphrase: str | None = None) -> Path | None:
    """The day's rolling copy, taken at the first start-up of the (UTC) day; None when today's
    copy exists already. Keeps the last seven daily copies."""
    folder = backups_dir(db_path)
    if any(folder.glob(f"{Path(db_path).stem}-{now:%Y%m%d}T*-daily.db")):
        return None
    return rolling_backup(db_path, "daily", now, passphrase)
