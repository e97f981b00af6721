"""Opening the database: checks, file modes, connection settings, migrations, sessions.

This module is the only place that opens sessions. Write transactions start with BEGIN
IMMEDIATE, so two windows never both read the audit chain's head and then both append to it,
and a busy database waits (busy timeout) instead of failing at commit. (One reader works without
it: `services.first_page`, a query-only sqlite3 connection for the app's first rows, before
SQLAlchemy has loaded.)
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event, exc
from sqlmodel import Session

from riskreg.errors import DatabaseError
from riskreg.storage.files import FILE_MODE, ensure_private_dir, tighten

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


def _configure(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event below decide how transactions start (pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        if connection.get_execution_options().get("riskreg_write"):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def _explain(path: Path, error: Exception) -> DatabaseError:
    """Turn a driver error into one line the user can act on."""
    text = str(getattr(error, "orig", error)).lower()
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return DatabaseError(f"cannot write to {path}: the file or its folder is read-only")
    if "locked" in text or "busy" in text:
        return DatabaseError(f"{path} is busy in another window; try again in a moment")
    if "malformed" in text or "not a database" in text or "disk image" in text:
        return DatabaseError(f"{path} is damaged (not a readable SQLite database); nothing was changed")
    return DatabaseError(f"cannot use {path}: {getattr(error, 'orig', error)}")


class Database:
    """An open riskreg database. Hand it to the services; screens never hold a session."""

    def __init__(self, path: Path, engine: Engine, notices: list[str], *,
                 existed: bool = True) -> None:
        self.path = path
        self.existed = existed
        """The file held a database before this open (False: created now, nothing to back up)."""
        self.engine = engine
        self._writer = engine.execution_options(riskreg_write=True)
        self.notices = notices
        """Things the user should hear about once (a tightened file mode, a backup taken)."""

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
            except exc.OperationalError as error:
                raise _explain(self.path, error) from None

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back on any error."""
        with Session(self._writer, expire_on_commit=False) as session:
            try:
                with session.begin():
                    yield session
            except exc.OperationalError as error:
                raise _explain(self.path, error) from None
            finally:
                # The audit chain's head is cached per transaction (storage/audit.py).
                session.info.clear()

    def close(self) -> None:
        self.engine.dispose()


def _check_file(path: Path, encrypted: bool) -> bool:
    """Check what is at `path` before SQLite touches it; return True when it already holds data."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file")
    if not path.exists():
        return False
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as error:
        raise DatabaseError(f"cannot read {path}: {error.strerror}") from None
    if not header:
        return False
    if encrypted and header == SQLITE_HEADER:
        raise DatabaseError(
            f"{path} is not encrypted: open it without --encrypted, or make an encrypted copy "
            "with `riskreg encrypt`"
        )
    if not encrypted and header != SQLITE_HEADER:
        raise DatabaseError(
            f"{path} is not a riskreg database (not an SQLite file; if it is encrypted, "
            "use --encrypted); nothing was changed"
        )
    return True


def make_engine(path: Path, passphrase: str | None = None) -> Engine:
    """An engine on `path`; with a passphrase, through SQLCipher with the key applied first."""
    if passphrase is None:
        # URL.create, not f"sqlite:///{path}": a URL string would read a "?" or "#" in the file
        # name as the start of a query or fragment and decode "%41" as "A", so another file than
        # the one named would be opened (issue 8: bad input everywhere).
        url = URL.create("sqlite", database=str(path))
        return create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    from riskreg.storage import cipher

    return create_engine(
        "sqlite://",
        creator=lambda: cipher.connect(path, passphrase, timeout=BUSY_TIMEOUT_MS / 1000,
                                       check_same_thread=False),
    )


def _create_file(path: Path) -> None:
    ensure_private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    except OSError as error:
        raise DatabaseError(f"cannot create {path}: {error.strerror}") from None


def open_database(
    path: str | Path, *, now: datetime | None = None, passphrase: str | None = None,
    daily_backup: bool = False,
) -> Database:
    """Open (creating if needed) the database at `path` and bring its schema up to date.

    With a passphrase the file is encrypted with SQLCipher. A copy is taken before any migration
    runs, and with `daily_backup` (the app's and the CLI's start-up) once a day into backups/,
    keeping the last seven. Errors a user can cause raise DatabaseError with one clear line and
    leave the file as it was.
    """
    from riskreg.storage import migrate

    path = Path(path).expanduser().absolute()
    notices: list[str] = []
    if passphrase is not None:
        from riskreg.storage import cipher

        cipher.driver()  # a clear message now if the extra is missing, before any file is made
        if not passphrase:
            raise DatabaseError("the passphrase is empty")
    existed = _check_file(path, encrypted=passphrase is not None)
    if not existed:
        _create_file(path)
    notice = tighten(path)
    if notice:
        notices.append(notice)
    engine = make_engine(path, passphrase)
    _configure(engine)
    try:
        migrate.upgrade(engine, path, now or datetime.now(UTC), notices, passphrase)
    except exc.DBAPIError as error:
        engine.dispose()
        raise _explain(path, error) from None
    except DatabaseError:
        engine.dispose()
        raise
    if daily_backup and existed:
        notices.extend(take_daily_backup(path, now or datetime.now(UTC), passphrase))
    return Database(path, engine, notices, existed=existed)


def take_daily_backup(path: Path, now: datetime, passphrase: str | None = None) -> list[str]:
    """The start-up's daily copy (storage/backup.py), once a day; what the user should hear (a
    failure is a notice, never a refusal to open the register). The app calls this itself, after
    the first data is shown (`open_database(daily_backup=False)`, then this for an existing
    database); the CLI through `open_database(daily_backup=True)`."""
    from riskreg.errors import UserError
    from riskreg.storage.backup import daily_backup

    try:
        daily_backup(path, now, passphrase)
    except UserError as error:
        return [f"Today's backup copy could not be made: {error}"]
    return []
