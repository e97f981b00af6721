"""The SQLite backend: one file on this computer (storage/backend.py says what a backend owns).

Write transactions start with BEGIN IMMEDIATE, so two windows never both read the audit chain's
head and then both append to it, and a busy database waits (busy timeout) instead of failing at
commit. Connections get foreign_keys=ON and WAL. The file's pages are checked (quick_check)
before an open's first write. What SQLite refuses is said in one line here.
"""

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event

from riskreg.errors import DatabaseBusy, DatabaseError
from riskreg.storage.files import FREE_SOME_SPACE, disk_full_problem, disk_is_full

BUSY_TIMEOUT_MS = 10_000
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26


def _is_damage(error: Exception) -> bool:
    """SQLite found the file damaged: SQLITE_CORRUPT ("database disk image is malformed") or
    SQLITE_NOTADB ("file is not a database", after a valid header). By code where the driver
    gives it (sqlite3), else by SQLite's words (SQLCipher)."""
    error = getattr(error, "orig", None) or error
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(error).lower()
    return "malformed" in text or "not a database" in text


def _explain(path: Path, error: Exception, encrypted: bool = False) -> DatabaseError:
    """Turn a driver error into one line the user can act on: the one place where the CLI's
    commands and the app's workers get their words for what SQLite refused."""
    from riskreg.storage import backup

    orig = getattr(error, "orig", None) or error
    text = str(orig).lower()
    if disk_is_full(error, path.parent):
        return DatabaseError(f"cannot use {path}: {disk_full_problem(path.parent)}; nothing was "
                             f"changed. {FREE_SOME_SPACE}")
    if _is_damage(error):
        return backup.damaged(path, str(orig), encrypted)
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return DatabaseError(f"cannot write to {path}: the file or its folder is read-only")
    if "locked" in text or "busy" in text:
        return DatabaseBusy(f"{path} is busy in another window; try again in a moment")
    if "disk i/o error" in text:
        # Not a full disk (files.disk_is_full): the disk or the file system failed a read or
        # write; the file may be damaged as well, and the newest good copy is worth knowing.
        return backup.damaged(path, str(orig), encrypted)
    return DatabaseError(f"cannot use {path}: {orig}")


class SQLiteBackend:
    """A register in one SQLite file (optionally SQLCipher-encrypted)."""

    name = "sqlite"
    is_server = False

    def __init__(self, path: Path, encrypted: bool = False) -> None:
        self.path = path
        self.encrypted = encrypted

    @property
    def shown(self) -> str:
        return str(self.path)

    def configure(self, engine: Engine) -> None:
        """PRAGMAs on each connection; BEGIN IMMEDIATE for write transactions."""

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

    def is_refusal(self, error: Exception) -> bool:
        from sqlalchemy import exc

        return isinstance(error, exc.OperationalError) or _is_damage(error)

    def explain(self, error: Exception) -> DatabaseError:
        return _explain(self.path, error, self.encrypted)

    def first_write_problem(self, connection: Connection) -> str:
        """What quick_check finds wrong with the file ("" when sound): nothing is written into
        a damaged file (reliability review D5)."""
        from riskreg.storage import backup

        return backup.first_problem(connection.exec_driver_sql("PRAGMA quick_check").fetchall())

    def damaged(self, problem: str) -> DatabaseError:
        from riskreg.storage import backup

        return backup.damaged(self.path, problem, self.encrypted)

    def lock_chain(self, session: Any) -> None:
        """Nothing to do: BEGIN IMMEDIATE already holds the file's one write lock."""

    def server_user(self, session: Any) -> str | None:
        """None (no body): a file has no users of its own; storage/actors.py names who instead."""

    def reset_sequences(self, session: Any) -> None:
        """Nothing to do: SQLite's next id is the largest one plus one."""
