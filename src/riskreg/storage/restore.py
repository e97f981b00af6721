"""Restoring a backup: check the file first, keep a copy of the current database, then copy.

The file must be an SQLite database that passes `PRAGMA integrity_check`, carry a riskreg schema
this version knows (an older one is migrated on the next start; a newer one is refused), and its
audit log must verify. Nothing is written to the backup file itself: it is opened read-only.

The copy goes through SQLite's backup API into the live database, under SQLite's own locks, so a
window that has the register open never sees a half-restored file.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from riskreg.domain.text import plural
from riskreg.errors import DatabaseError
from riskreg.storage.backup import _driver_errors, backup_file, rolling_backup
from riskreg.storage.files import SQLITE_HEADER, check_source_path

REQUIRED_TABLES = ("owner", "tool", "hazard", "safeguard", "audit_event")
COUNTED = ("hazard", "tool", "safeguard", "incident")


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds, for the user to confirm before it replaces the database."""

    path: Path
    schema: str
    counts: dict[str, int]
    events: int
    last_change: datetime | None

    def summary(self) -> str:
        parts = [f"{n} {name}{'s' if n != 1 else ''}" for name, n in self.counts.items()]
        when = f"; last change {self.last_change:%Y-%m-%d %H:%M} UTC" if self.last_change else ""
        return (f"schema {self.schema}, {', '.join(parts)}; audit log intact "
                f"({plural(self.events, 'event')}){when}")


def _open_read_only(path: Path, passphrase: str | None) -> Any:
    if passphrase is None:
        return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    from riskreg.storage import cipher

    return cipher.connect(path, passphrase)


def check_backup(path: Path, passphrase: str | None = None) -> BackupInfo:
    """Check a backup file without changing it; DatabaseError saying what is wrong."""
    path = Path(path).expanduser().absolute()
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a backup file")
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise DatabaseError(f"no file at {path}") from None
    except OSError as error:
        raise DatabaseError(f"cannot read {path}: {error.strerror}") from None
    if passphrase is None and header != SQLITE_HEADER:
        raise DatabaseError(f"{path} is not a riskreg backup (not an SQLite file; if it is "
                            "encrypted, add --encrypted); nothing was changed")
    if passphrase is not None and header == SQLITE_HEADER:
        raise DatabaseError(f"{path} is not encrypted: restore it without --encrypted")
    try:
        conn = _open_read_only(path, passphrase)
    except (sqlite3.Error, *_driver_errors(passphrase)) as error:
        raise DatabaseError(f"cannot open {path}: {error}") from None
    try:
        return _inspect(path, conn, passphrase)
    except UnicodeDecodeError:
        # A damaged page can make SQLite's own report (integrity_check) undecodable text.
        raise DatabaseError(f"{path} is damaged (its integrity check reports unreadable "
                            "pages); nothing was changed") from None
    except (sqlite3.Error, *_driver_errors(passphrase)) as error:
        raise DatabaseError(f"{path} is damaged or not a riskreg backup ({error}); "
                            "nothing was changed") from None
    finally:
        conn.close()


def _inspect(path: Path, conn: Any, passphrase: str | None) -> BackupInfo:
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    if problems != ["ok"]:
        raise DatabaseError(f"{path} is damaged (integrity check: {problems[0]}); "
                            "nothing was changed")
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables or not set(REQUIRED_TABLES) <= tables:
        raise DatabaseError(f"{path} is an SQLite database but not a riskreg one; "
                            "nothing was changed")
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    schema = row[0] if row else None
    from alembic.script import ScriptDirectory

    from riskreg.storage.migrate import alembic_config

    known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if schema not in known:
        raise DatabaseError(f"{path} was written by a newer version of riskreg (schema {schema}); "
                            "upgrade riskreg to restore it. Nothing was changed.")
    counts = {
        name: conn.execute(f'SELECT count(*) FROM "{name}" WHERE archived_at IS NULL').fetchone()[0]
        for name in COUNTED if name in tables
    }
    newest = conn.execute("SELECT max(at) FROM audit_event").fetchone()[0]
    last = datetime.fromisoformat(newest).replace(tzinfo=UTC) if newest else None
    events = _verify_chain(path, passphrase)
    return BackupInfo(path, schema, counts, events, last)


def _verify_chain(path: Path, passphrase: str | None) -> int:
    """The backup's audit chain, checked with the same code as `riskreg audit verify`."""
    from sqlalchemy import create_engine
    from sqlmodel import Session

    from riskreg.storage import audit

    engine = create_engine("sqlite://", creator=lambda: _open_read_only(path, passphrase))
    try:
        with Session(engine) as session:
            result = audit.verify(session)
    finally:
        engine.dispose()
    if not result.ok:
        raise DatabaseError(
            f"{path}: its audit log does not verify ({result.problem}); restoring it would replace "
            "an intact record with an altered one. Nothing was changed."
        )
    return result.checked


def restore_backup(
    db_path: Path, source: Path, now: datetime, passphrase: str | None = None
) -> Path | None:
    """Replace the database at `db_path` with the backup at `source` (checked first). A copy of
    the current database is kept in backups/ (returned; None when there was no database)."""
    db_path = Path(db_path).expanduser().absolute()
    source = Path(source).expanduser().absolute()
    check_source_path(source, database=db_path)  # by real path and inode, before it is read
    check_backup(source, passphrase)
    if not db_path.exists() or db_path.stat().st_size == 0:
        backup_file(source, db_path, passphrase)
        return None
    kept = rolling_backup(db_path, "pre-restore", now, passphrase)
    try:
        src = _open_read_only(source, passphrase)
        try:
            dest = _open_live(db_path, passphrase)
            try:
                src.backup(dest)
            finally:
                dest.close()
        finally:
            src.close()
    except (sqlite3.Error, *_driver_errors(passphrase)) as error:
        raise DatabaseError(f"cannot restore into {db_path}: {error}; the database was kept as it "
                            f"was (a copy is in {kept})") from None
    return kept


def _open_live(path: Path, passphrase: str | None) -> Any:
    from riskreg.storage.database import BUSY_TIMEOUT_MS

    if passphrase is None:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        from riskreg.storage import cipher

        conn = cipher.connect(path, passphrase, timeout=BUSY_TIMEOUT_MS / 1000)
    return conn
