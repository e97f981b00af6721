"""Opening the database: checks, file modes, connection settings, migrations, sessions.

This module is the only place that opens sessions. How write transactions start, what is
checked before the first write and the words for a refusal are the backend's (storage/sqlite.py,
storage/postgres.py; the seam is storage/backend.py). On SQLite write transactions start with
BEGIN IMMEDIATE, so two windows never both read the audit chain's head and then both append to
it. (One reader works without it: `storage.first_page`, a query-only sqlite3 connection for the
app's first rows, before SQLAlchemy has loaded.)
"""

import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import URL, Connection, Engine, create_engine, exc
from sqlmodel import Session

from riskreg.errors import DatabaseDamaged, DatabaseError, UserError, one_line
from riskreg.storage.actors import SERVER_USER
from riskreg.storage.files import (
    FILE_MODE,
    FREE_SOME_SPACE,
    SQLITE_HEADER,
    disk_full_problem,
    disk_is_full,
    ensure_private_dir,
    tighten_database,
)
from riskreg.storage.sqlite import BUSY_TIMEOUT_MS, SQLiteBackend, _explain

CHAIN_LOCK = "riskreg_chain_lock"
"""session.info key: the backend's lock that serializes appends to the audit chain."""
BACKUPS_FOLDER = "backups"  # storage/backup.py: the rolling copies beside the database


class Database:
    """An open riskreg database. Hand it to the services; screens never hold a session."""

    def __init__(self, path: Path | None, engine: Engine, notices: list[str], *,
                 existed: bool = True, encrypted: bool = False, backend=None) -> None:
        self.path = path
        """The SQLite file (None on a server: `where` names it for messages)."""
        self.backend = backend or SQLiteBackend(path, encrypted)  # type: ignore[arg-type]
        self.where = self.backend.shown
        self.existed = existed
        """The file held a database before this open (False: created now, nothing to back up)."""
        self.engine = engine
        self.encrypted = encrypted
        self._writer = engine.execution_options(riskreg_write=True)
        self.notices = notices
        """Things the user should hear about once (a tightened file mode, a backup taken)."""
        self.on_damaged: Callable[[DatabaseDamaged], None] | None = None
        """Called (from the thread that found it) when a read or write finds the file damaged:
        the app then shows its error screen, whichever worker was reading."""
        self._checked = False
        self._held: Connection | None = None
        """Inside `all_or_nothing`: the connection whose one transaction every session joins."""

    def _session(self, engine: Engine) -> Session:
        if self._held is None:
            session = Session(engine, expire_on_commit=False)
        else:
            # Each service's own transaction becomes a savepoint of the one held open.
            session = Session(bind=self._held, expire_on_commit=False,
                              join_transaction_mode="create_savepoint")
        session.info[CHAIN_LOCK] = self.backend.lock_chain
        session.info[SERVER_USER] = self.backend.server_user
        return session

    def _refusal(self, refusal: DatabaseError) -> DatabaseError:
        if isinstance(refusal, DatabaseDamaged) and self.on_damaged is not None:
            self.on_damaged(refusal)
        return refusal

    @contextmanager
    def _said_plainly(self) -> Iterator[None]:
        """What SQLite refuses in a block (a busy, full, read-only or damaged file) as one line;
        a constraint error stays what it is, for the service that expects it."""
        try:
            yield
        except exc.DBAPIError as error:
            if self.backend.is_refusal(error):
                raise self._refusal(self.backend.explain(error)) from None
            raise

    def _check_before_first_write(self) -> None:
        """Nothing is written into a damaged file (reliability review D5): a write to pages
        that are intact succeeds, so the file is checked once (quick_check, see
        storage/backup.py for its cost), before this open's first write transaction."""
        if self._checked:
            return
        with self._said_plainly(), self.engine.connect() as connection:
            problem = self.backend.first_write_problem(connection)
        if problem:
            raise self._refusal(self.backend.damaged(problem))
        self._checked = True

    @contextmanager
    def all_or_nothing(self) -> Iterator[None]:
        """Every write in the block, by any service, in one transaction: all of it committed when
        the block ends, none of it after an error or a kill (reliability review D22: a killed
        `demo` left half a demo that `demo` then refused to finish). For one command's work in
        one thread; the write lock is held throughout."""
        self._check_before_first_write()
        with self._said_plainly(), self._writer.connect() as connection, connection.begin():
            self._held = connection
            try:
                yield
            finally:
                self._held = None

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._session(self.engine) as session, self._said_plainly():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back on any error."""
        self._check_before_first_write()
        with self._session(self._writer) as session:
            try:
                with self._said_plainly(), session.begin():
                    yield session
            finally:
                # The audit chain's head is cached per transaction (storage/audit.py).
                session.info.pop("riskreg_audit_head", None)

    def close(self) -> None:
        self.engine.dispose()


_ODD_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_HEADER_BYTES = 100
"""SQLite's file header; bytes 18-19 say whether the file is in WAL mode."""


def _kind_of(path: Path) -> os.stat_result | None:
    """What is at `path`, read with lstat/stat only (reliability review D6, D15): None when
    nothing is there; DatabaseError (one line) for what can never be a database file. A FIFO
    opened for reading waits forever for a writer, so nothing here opens the file."""
    shown = one_line(str(path))
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:  # a file where a folder should be, a folder we may not read
        raise DatabaseError(f"cannot use {shown}: {error.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        target = one_line(os.path.realpath(path))
        try:
            info = os.stat(path)
        except FileNotFoundError:
            # SQLite would create the database at the link's target, outside the folder named.
            raise DatabaseError(f"{shown} is a symbolic link to {target}, which does not "
                                "exist; give the real file's path") from None
        except OSError as error:
            raise DatabaseError(f"cannot use {shown} (a symbolic link to {target}): "
                                f"{error.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise DatabaseError(f"{shown} is a folder, not a database file")
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _ODD_KINDS if test(info.st_mode)), "not a file")
        raise DatabaseError(f"{shown} is not a regular file ({kind}), not a database file; "
                            "nothing was changed")
    return info


def _read_header(path: Path, encrypted: bool) -> bytes:
    """The file's first bytes, read without following a swap to a FIFO (O_NONBLOCK, then fstat);
    DatabaseError for an empty file, a file that is not SQLite, or a plain one opened encrypted."""
    shown = one_line(str(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise DatabaseError(f"cannot read {shown}: {error.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since the check: never read it
            raise DatabaseError(f"{shown} is not a regular file, not a database file; "
                                "nothing was changed")
        header = os.read(fd, _HEADER_BYTES)
    except OSError as error:
        raise DatabaseError(f"cannot read {shown}: {error.strerror}") from None
    finally:
        os.close(fd)
    if not header:
        raise DatabaseError(f"{shown} is empty (0 bytes): not a riskreg database; remove it or "
                            "choose another path")
    if encrypted and header.startswith(SQLITE_HEADER):
        raise DatabaseError(
            f"{shown} is not encrypted: open it without --encrypted, or make an encrypted copy "
            "with `riskreg encrypt`"
        )
    if not encrypted and not header.startswith(SQLITE_HEADER):
        raise DatabaseError(
            f"{shown} is not a riskreg database (not an SQLite file; if it is encrypted, "
            "use --encrypted); nothing was changed"
        )
    return header


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


# -- a new database: built under a temporary name, renamed into place when complete -------------
# Reliability review D4: a kill while a database was being created left a file with part of a
# schema that every later command refused. Now the name the user gave only ever holds a
# complete database; what a kill leaves is our temporary file, removed at the next open.

def _new_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.new-{os.getpid()}.tmp")


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # a platform or file system without folder handles: nothing more to flush
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _publish(tmp: Path, path: Path) -> bool:
    """Give the complete database at `tmp` the name `path`; False when another process created
    `path` meanwhile (its database is kept and ours dropped). A hard link, unlike a rename,
    never replaces a file that appeared since the check, so two windows creating the same
    register both end up in one file."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links
        if os.path.lexists(path):
            return False
        os.replace(tmp, path)
    else:
        os.unlink(tmp)
    _fsync_folder(path.parent)
    return True


def _remove_quietly(*paths: Path) -> None:
    for candidate in paths:
        try:
            os.unlink(candidate)
        except OSError:
            pass


def build_new_file(path: Path, fill: Callable[[Path], None]) -> bool:
    """Make the file at `path` complete or not at all: `fill` builds it under a temporary name
    in path's folder, created empty and 0600 from the start (so the journal SQLite puts beside
    it is 0600 too), which is then flushed to disk and linked into place. False when another
    process created `path` meanwhile. The temporary file and its companions are always removed;
    what a kill leaves, the next open removes (`remove_stale_temp_files`)."""
    try:
        ensure_private_dir(path.parent)
    except UserError as error:
        raise DatabaseError(str(error)) from None
    tmp = _new_name(path)
    own = (tmp, *(Path(f"{tmp}{suffix}") for suffix in ("-journal", "-wal", "-shm")))
    _remove_quietly(*own)  # only ever ours: the name carries this process's id
    try:
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except OSError as error:
        raise _cannot_create(path, error) from None
    os.close(fd)
    try:
        fill(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return _publish(tmp, path)
    except OSError as error:
        raise _cannot_create(path, error) from None
    finally:
        _remove_quietly(*own)


def _cannot_create(path: Path, error: OSError) -> DatabaseError:
    problem = (f"{disk_full_problem(path.parent)}; nothing was changed. {FREE_SOME_SPACE}"
               if disk_is_full(error, path.parent) else error.strerror)
    return DatabaseError(f"cannot create {one_line(str(path))}: {problem}")


def _create(path: Path, passphrase: str | None) -> bool:
    """Create the database at `path` complete (every migration in one transaction) or not at
    all; False when another process created it first."""
    from riskreg.storage import migrate

    try:
        # A rollback journal while it is built: one file, nothing beside it.
        return build_new_file(path, lambda tmp: migrate.run_migrations(tmp, passphrase))
    except exc.DBAPIError as error:
        raise _explain(path, error, passphrase is not None) from None


# -- temporary files a kill left behind (reliability review D20) ---------------------------------
_TEMP = re.compile(r"^\..+\.tmp(?:-journal|-wal|-shm)?$")
"""riskreg's temporary names: `.<name>.<8 random>.tmp` (atomic writes, backup copies),
`.<name>.tmp` (older backup copies), `.<name>.new-<pid>.tmp` (a database being created), and
SQLite's companions of each."""
_CREATING = re.compile(r"\.new-(?P<pid>\d+)\.tmp(?:-journal|-wal|-shm)?$")
STALE_AFTER_S = 60
"""A temporary file untouched this long belongs to no live writer (each writes continuously)."""


def _process_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, someone else's
        return False
    return False


def remove_stale_temp_files(path: Path, now: float | None = None) -> list[str]:
    """Remove riskreg's own temporary files left by a killed run beside the database at `path`
    and in its backups/ folder (complete copies of the data, some in plain text); the notices to
    show. Only files of our naming pattern, owned by this user and private (0600), and either
    older than a minute or made by a process that has gone; never the database or a link."""
    now = time.time() if now is None else now
    own = {path.name, *(path.name + suffix for suffix in ("-wal", "-shm", "-journal"))}
    removed = []
    for folder in (path.parent, path.parent / BACKUPS_FOLDER):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            if (folder == path.parent and name in own) or not _TEMP.match(name):
                continue
            candidate = folder / name
            try:
                info = os.lstat(candidate)
            except OSError:
                continue
            if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid()
                    or stat.S_IMODE(info.st_mode) & 0o077):
                continue
            creating = _CREATING.search(name)
            if not (now - info.st_mtime > STALE_AFTER_S
                    or (creating and _process_gone(int(creating["pid"])))):
                continue
            try:
                os.unlink(candidate)
            except OSError:
                continue
            removed.append(name if folder == path.parent else f"{BACKUPS_FOLDER}/{name}")
    if not removed:
        return []
    files = "file" if len(removed) == 1 else "files"
    return [f"Removed {len(removed)} temporary {files} an interrupted run left beside the "
            f"database: {', '.join(removed)}."]


def _inspect(path: Path, passphrase: str | None):
    """What the existing file at `path` holds (migrate.Found), read before anything writes."""
    from riskreg.storage import migrate

    header = _read_header(path, encrypted=passphrase is not None)
    try:
        try:
            return migrate.inspect_file(path, passphrase, header)
        except Exception as error:
            if not migrate.needs_recovery(error):
                raise
        # A killed writer's hot journal: a read-only connection cannot roll it back. Look at
        # the pages as they are first, and recover only a file that is ours.
        migrate.plan(migrate.inspect_file(path, passphrase, header, as_is=True), path)
        migrate.recover(path)
        return migrate.inspect_file(path, passphrase, _read_header(path, encrypted=False))
    except DatabaseError:
        raise
    except Exception as error:  # sqlite3's or sqlcipher's: damaged, busy, unreadable
        raise _explain(path, error, passphrase is not None) from None


def open_database(
    path: str | Path, *, now: datetime | None = None, passphrase: str | None = None,
    daily_backup: bool = False,
) -> Database:
    """Open (creating if needed) the database at `path` and bring its schema up to date.

    With a passphrase the file is encrypted with SQLCipher. A copy is taken before any migration
    runs, and with `daily_backup` (the app's and the CLI's start-up) once a day into backups/,
    keeping the last seven. Errors a user can cause raise DatabaseError with one clear line and
    leave the file as it was: what is at `path` is checked with stat and a read-only connection
    before anything writes to it or changes its mode (reliability review D6, D7, D15). A new
    database appears complete or not at all (D4).
    """
    from riskreg.storage import migrate

    path = Path(path).expanduser().absolute()
    notices: list[str] = []
    if passphrase is not None:
        from riskreg.storage import cipher

        cipher.driver()  # a clear message now if the extra is missing, before any file is made
        if not passphrase:
            raise DatabaseError("the passphrase is empty")
    existed = True
    schema = None
    for _attempt in range(3):  # another window may create the same new register meanwhile
        if _kind_of(path) is None:
            notices.extend(remove_stale_temp_files(path))
            if _create(path, passphrase):
                existed = False
                break
            continue
        schema = migrate.plan(_inspect(path, passphrase), path)
        if schema.half_made and schema.current is None:
            existed = False  # no records in it: nothing to back up
        notices.extend(remove_stale_temp_files(path))
        break
    else:
        raise DatabaseError(f"cannot create {one_line(str(path))}: it keeps appearing and "
                            "vanishing; try again")
    notice = tighten_database(path)
    if notice:
        notices.append(notice)
    if schema is not None:
        try:
            migrate.upgrade(path, schema, now or datetime.now(UTC), notices, passphrase)
        except exc.DBAPIError as error:
            raise _explain(path, error, passphrase is not None) from None
    engine = make_engine(path, passphrase)
    backend = SQLiteBackend(path, passphrase is not None)
    backend.configure(engine)
    try:
        with engine.connect():  # the connection settings (WAL) apply now: a problem says so here
            pass
    except exc.DBAPIError as error:
        refusal = _explain(path, error, passphrase is not None)  # before the -shm goes: room
        engine.dispose()
        raise refusal from None
    if daily_backup and existed:
        notices.extend(take_daily_backup(path, now or datetime.now(UTC), passphrase))
    return Database(path, engine, notices, existed=existed, encrypted=passphrase is not None,
                    backend=backend)


def take_daily_backup(path: Path, now: datetime, passphrase: str | None = None) -> list[str]:
    """The start-up's daily copy (storage/backup.py), once a day; what the user should hear (a
    failure is a notice, never a refusal to open the register). The app calls this itself, after
    the first data is shown (`open_database(daily_backup=False)`, then this for an existing
    database); the CLI through `open_database(daily_backup=True)`. A damaged database raises
    DatabaseDamaged (nothing is copied): the CLI refuses the command, the app shows its error
    screen."""
    from riskreg.storage.backup import daily_backup

    try:
        daily_backup(path, now, passphrase)
    except DatabaseDamaged:
        raise
    except UserError as error:
        return [f"Today's backup copy could not be made: {error}"]
    return []
