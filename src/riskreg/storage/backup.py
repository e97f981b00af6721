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
import re
import shlex
import sqlite3
import tempfile
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from riskreg.errors import DatabaseDamaged, UserError, one_line
from riskreg.storage.files import (
    BACKUPS_FOLDER,
    FILE_MODE,
    FREE_SOME_SPACE,
    ROLLING_NAME,
    SQLITE_HEADER,
    disk_full_problem,
    disk_is_full,
    ensure_private_dir,
)

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
        if disk_is_full(exc, dest.parent):
            raise UserError(f"cannot back up to {dest}: {disk_full_problem(dest.parent)}; "
                            f"nothing was written. {FREE_SOME_SPACE}") from None
        raise UserError(f"cannot back up to {dest}: {exc}") from None
    return dest


def backups_dir(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUPS_FOLDER


def plaintext_copies(db_path: Path) -> list[Path]:
    """The rolling copies of the database at `db_path` in its backups folder that are plain
    SQLite files, readable without a passphrase (reliability review D11: after `encrypt` they
    were left in place without a word). Copies of other databases in the folder are not its."""

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
    copy exists already. Keeps the last seven daily copies. A damaged database is not copied
    (DatabaseDamaged): a week of copies of the damage would push out every good one. Until a
    copy is made the check runs at every start-up."""
    folder = backups_dir(db_path)
    if any(folder.glob(f"{Path(db_path).stem}-{now:%Y%m%d}T*-daily.db")):
        return None
    problem = damage_in(db_path, passphrase)
    if problem:
        raise damaged(db_path, problem, encrypted=passphrase is not None, copies_kept=True)
    return rolling_backup(db_path, "daily", now, passphrase)


# -- a damaged database and its newest good copy (reliability review D5) ---------------------------
# SQLite's quick_check reads every page and checks each b-tree (not the indexes against their
# tables, as integrity_check does): 0.12 s on a 10,000-hazard (100 MB) register once its pages
# are cached, about 1 s from a cold disk; integrity_check takes 0.45 s cached.

def damage_in(path: Path, passphrase: str | None = None) -> str | None:
    """SQLite's first complaint about the file at `path` (PRAGMA quick_check), None when it
    passes. A file that cannot be read at all is a complaint too."""
    try:
        conn = _connect(Path(path), passphrase, read_only=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except (*_driver_errors(passphrase), OSError) as error:
        return str(error)
    return first_problem(rows)


def first_problem(rows: list) -> str | None:
    """The first problem a quick_check or integrity_check reports (its rows), None for "ok";
    without the "*** in database main ***" line SQLite puts before it."""
    if [row[0] for row in rows] == ["ok"]:
        return None
    lines = [line for row in rows for line in str(row[0]).splitlines() if "***" not in line]
    return lines[0] if lines else "the check found problems"


def _copies_newest_first(db_path: Path) -> list[Path]:
    """The rolling copies of every kind (daily, pre-migration, pre-restore) in backups/."""
    stem = re.escape(Path(db_path).stem)
    named = re.compile(rf"{stem}-(\d{{8}}T\d{{6}})-[a-z-]+\.db")
    try:
        names = os.listdir(backups_dir(db_path))
    except OSError:
        return []
    stamped = sorted(((m[1], name) for name in names if (m := named.fullmatch(name))),
                     reverse=True)
    return [backups_dir(db_path) / name for _stamp, name in stamped]


def _taken(copy: Path) -> datetime:
    stamp = re.search(r"-(\d{8}T\d{6})-[a-z-]+\.db$", copy.name)[1]  # as _copies_newest_first
    return datetime.strptime(stamp, "%Y%m%dT%H%M%S").replace(tzinfo=UTC)


def newest_good_copy(db_path: Path) -> Path | None:
    """The newest rolling copy that passes quick_check. (An encrypted register's copies cannot
    be checked without the passphrase: see `damaged`.)"""
    return next((copy for copy in _copies_newest_first(db_path) if damage_in(copy) is None), None)


def damaged(db_path: Path, problem: str, encrypted: bool = False,
            copies_kept: bool = False) -> DatabaseDamaged:
    """The one line for a damaged database: what SQLite says, and the newest good copy in
    backups/ with the command that puts it back (`riskreg restore` checks it again and keeps a
    copy of the damaged file). `copies_kept`: the day's copy was refused (`daily_backup`)."""
    db_path = Path(db_path)
    said = f"{one_line(str(db_path))} is damaged (SQLite: {problem}); nothing was changed."
    if copies_kept:
        said += " Today's backup copy was not made, so every copy in backups/ is kept."
    if encrypted:
        copies = _copies_newest_first(db_path)
        copy = copies[0] if copies else None
        which = "The newest backup copy (encrypted: restore checks it first) is"
    else:
        copy = newest_good_copy(db_path)
        which = "The newest good backup copy is"
    if copy is None:
        return DatabaseDamaged(f"{said} There is no good backup copy in "
                               f"{one_line(str(backups_dir(db_path)))}: copy the file somewhere "
                               "safe as it is, and get help before changing it.")
    taken = _taken(copy)
    command = ["riskreg", "restore", str(copy), "--db", str(db_path)]
    if encrypted:
        command.append("--encrypted")
    return DatabaseDamaged(f"{said} {which} {one_line(str(copy))} (taken {taken:%Y-%m-%d %H:%M} "
                           f"UTC); put it back with: {one_line(shlex.join(command))}")
