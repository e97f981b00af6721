"""Private files: owner-only modes and atomic writes.

Everything riskreg writes (database, backups, exports, reports, notice drafts) is readable by its
owner only (0600, folders 0700), and is written to a temporary file in the same folder, flushed
to disk, then renamed over the target, so a crash or a full disk never leaves a half-written file.
"""

import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from riskreg.errors import BadInput, UserError, one_line

SQLITE_HEADER = b"SQLite format 3\x00"
"""The first 16 bytes of a plain SQLite file (an encrypted one starts with random bytes)."""

FILE_MODE = 0o600
DIR_MODE = 0o700

BACKUPS_FOLDER = "backups"
"""The folder beside the database that holds its rolling copies (storage/backup.py)."""
COMPANIONS = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database, named after it: writing one loses or corrupts data."""
ROLLING_NAME = re.compile(r"-\d{8}T\d{6}-[a-z-]+\.db$")
"""How a rolling copy in backups/ is named: `<db>-<UTC stamp>-<reason>.db`."""


# -- a full disk (reliability review D19) ----------------------------------------------------------
# A full disk reaches riskreg three ways: the operating system's ENOSPC ("No space left on
# device", or EDQUOT for a full quota), SQLite's SQLITE_FULL ("database or disk is full", when a
# page write is refused), and SQLite's SQLITE_IOERR ("disk I/O error") when growing the -shm file
# (or a sync) is refused: SQLite keeps the errno to itself there, and Python does not expose it.
# An I/O error is taken for a full disk only when the disk has almost no room left, measured
# right away: SQLite's own small allocations (32 KB for the -shm) fail only then.

LOW_SPACE_BYTES = 1 << 20
"""Less free room than this beside the database turns SQLite's "disk I/O error" into "full"."""
_SQLITE_IOERR, _SQLITE_FULL = 10, 13
_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def free_bytes(folder: Path) -> int | None:
    """The room left for this user on the disk holding `folder`, or None when it cannot be read."""
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):  # gone, or a platform without statvfs
        return None
    return info.f_bavail * info.f_frsize


def _sqlite_code(error: BaseException) -> int | None:
    """SQLite's primary result code for a driver error (Python 3.11's sqlite3 carries it; an
    SQLCipher error does not, and is read by its text)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF
    text = str(error).lower()
    if "database or disk is full" in text:
        return _SQLITE_FULL
    if "disk i/o error" in text:
        return _SQLITE_IOERR
    return None


def disk_is_full(error: BaseException, folder: Path) -> bool:
    """Whether `error` (an OSError or an SQLite driver error, or SQLAlchemy's wrapper of one)
    means the disk holding `folder` is full."""
    error = getattr(error, "orig", None) or error
    if isinstance(error, OSError):
        return error.errno in _FULL_ERRNOS
    code = _sqlite_code(error)
    if code == _SQLITE_FULL:
        return True
    room = free_bytes(folder)
    return code == _SQLITE_IOERR and room is not None and room < LOW_SPACE_BYTES


FREE_SOME_SPACE = "Free some space on that disk and try again."


def disk_full_problem(folder: Path) -> str:
    """The words for a full disk, with the room left when it can be read."""
    room = free_bytes(folder)
    left = "" if room is None else f" ({room // 1024:,} KB left)"
    return f"the disk is full{left}"


def ensure_private_dir(folder: Path) -> None:
    """Create a folder (and its parents) owner-only; an existing folder is left as it is, since it
    may be shared (e.g. /tmp or the user's Documents)."""
    missing = []  # the folder and those of its parents that do not exist yet, outermost first
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.insert(0, candidate)
    for new in missing:
        # One by one: mkdir(parents=True) would give the parents the umask's mode (often 0755).
        try:
            new.mkdir(mode=DIR_MODE, exist_ok=True)
            new.chmod(DIR_MODE)  # the mode given to mkdir is still cut by the umask
        except OSError as exc:
            raise UserError(f"cannot create folder {folder}: {exc.strerror}") from None


def tighten_database(path: Path) -> str | None:
    """Make an existing database and its -wal, -shm and -journal owner-only; return a notice
    when a mode had to be tightened. (Reliability review D13: the -wal, which holds the latest
    changes, stayed 0644 beside a tightened database.) SQLite keeps them beside the real file."""
    real = Path(os.path.realpath(path))
    tightened: dict[str, int] = {}
    for candidate in (path, *(real.with_name(real.name + suffix) for suffix in COMPANIONS)):
        try:
            mode = stat.S_IMODE(candidate.stat().st_mode)
            if mode & 0o077:
                candidate.chmod(FILE_MODE)
                tightened[candidate.name] = mode
        except FileNotFoundError:  # no such companion (now): nothing to tighten
            continue
    if not tightened:
        return None
    names = ", ".join(tightened)
    modes = "/".join(sorted({f"{mode:o}" for mode in tightened.values()}))
    verb = "was" if len(tightened) == 1 else "were"
    return f"{names} {verb} readable by others (mode {modes}); tightened to 600."


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to `path` atomically with mode 0600."""
    write_atomic_chunks(path, (data,))


def write_atomic_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """Write the chunks, in order, to `path` atomically with mode 0600, as `write_atomic` does,
    without ever holding the whole file in memory (a large calendar export). Whatever goes
    wrong while the chunks are made or written, the target is left as it was and the temporary
    file is removed."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"cannot write {path}: folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UserError(_not_written(path, exc, folder)) from None
    try:
        with os.fdopen(fd, "wb", buffering=1 << 16) as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(_not_written(path, exc, folder)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic_many(folder: Path, items: Iterable[tuple[str, bytes]]) -> int:
    """Write many small files (name, bytes) into `folder`, each atomically with mode 0600, with
    one flush to disk for all of them instead of one per file (a vdir of 10,000 events: 40 s of
    fsyncs became a few seconds). Every file is written to a temporary name first; once all are
    on disk (`_sync_all`), each is renamed over its target, then the folder is synced. A failure
    before the renames leaves every target as it was and removes the temporary files; one
    during the renames leaves each target whole, old or new. Returns how many were written."""
    temps: list[tuple[str, Path]] = []
    try:
        for name, data in items:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
            temps.append((tmp, folder / name))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, FILE_MODE)
        _sync_all(folder, [tmp for tmp, _ in temps])
        for tmp, target in temps:
            os.replace(tmp, target)
        _sync_folder(folder)
    except OSError as exc:
        _remove_temps(temps)
        raise UserError(_not_written(folder, exc, folder)) from None
    except BaseException:
        _remove_temps(temps)
        raise
    return len(temps)


def _remove_temps(temps: list[tuple[str, Path]]) -> None:
    for tmp, _ in temps:
        Path(tmp).unlink(missing_ok=True)  # renamed already: gone


def _sync_all(folder: Path, paths: list[str]) -> None:
    """Every file in `paths` on disk: one syncfs(2) of the folder's file system on Linux, else
    an fsync of each file."""
    if not paths:
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        syncfs = None
    if syncfs is not None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # a platform without folder handles: nothing more to flush
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _not_written(path: Path, error: OSError, folder: Path) -> str:
    if disk_is_full(error, folder):
        return (f"cannot write {path}: {disk_full_problem(folder)}; nothing was written. "
                f"{FREE_SOME_SPACE}")
    return f"cannot write {path}: {error.strerror}; nothing was written"


def write_text_atomic(path: Path, text: str) -> None:
    write_atomic(path, text.encode("utf-8"))


# -- where a command may write --------------------------------------------------------------------
# Reliability review D1-D3 and D16: an --out that named the database (or reached it through "..",
# a linked folder or a hard link), its -wal, or a copy in backups/ replaced it; a FIFO hung the
# command; a device node, a symbolic link were replaced. Every command and service that writes a
# file the user named asks these first, before it opens the database or writes anything.

_ODD_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _in_real_folder(path: Path) -> Path:
    """`path` with its folder's symbolic links and ".." resolved and its own name kept, so that a
    symbolic link at the end is still seen as one."""
    if path.name in ("", ".."):  # "." or "x/..": a folder, resolved whole
        return Path(os.path.realpath(path))
    return Path(os.path.realpath(path.parent)) / path.name


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:  # missing, or a folder on the way that is not one: the writer will say
        return None


def _same_file(info: os.stat_result, other: Path) -> bool:
    try:
        theirs = os.stat(other)
    except OSError:
        return False
    return (info.st_dev, info.st_ino) == (theirs.st_dev, theirs.st_ino)


def _register_files(database: Path) -> tuple[dict[Path, str], list[Path]]:
    """What the register at `database` owns: its files (path -> "" for the database, else the
    companion's suffix), by every spelling that reaches them, and its backups folders. SQLite
    puts the -wal beside the file a symbolic link points to; backups/ is beside the name given."""
    database = Path(database).expanduser()
    files: dict[Path, str] = {}
    folders = []
    for spelling in (_in_real_folder(database), Path(os.path.realpath(database))):
        files[spelling] = ""
        for suffix in COMPANIONS:
            files[spelling.with_name(spelling.name + suffix)] = suffix
        folders.append(Path(os.path.realpath(spelling.parent / BACKUPS_FOLDER)))
    return files, folders


def _refused(label: str | None, shown: str, problem: str) -> BadInput:
    return BadInput(f"{label} {shown} {problem}" if label else f"{shown} {problem}")


def _kind(mode: int) -> str:
    return next((name for test, name in _ODD_KINDS if test(mode)), "not a file riskreg knows")


def check_output_path(path: str | Path, *, database: str | Path | None,
                      label: str | None = "--out") -> Path:
    """The path to write for `path` (its folder resolved, its name as given), or BadInput (one
    line, exit 2) when it names what the register at `database` owns or an existing file that is
    not a regular one. Never opens the target: a FIFO opened for writing waits forever.

    Refused: the database itself, its -wal, -shm and -journal (by real path, and by device and
    inode for a hard link); anything inside its backups folder; an existing folder, FIFO, device
    or socket; a symbolic link, existing or dangling. `label` starts the message ("--out")."""
    shown = one_line(str(path))
    final = _in_real_folder(Path(path).expanduser())
    # No file of the register's own to protect when it is on a server (database None).
    files, folders = _register_files(Path(database)) if database is not None else ({}, [])
    own = files.get(final)
    if own == "":
        raise _refused(label, shown, "is the database itself; choose another file name")
    if own:
        raise _refused(label, shown, f"belongs to the register's database (its {own} file); "
                       "choose another file name")
    for folder in folders:
        if final.parent == folder or folder in final.parent.parents:
            raise _refused(label, shown, "is inside the register's backups folder "
                           f"({one_line(str(folder))}); choose a file elsewhere")
    info = _lstat(final)
    if info is None:
        return final
    if stat.S_ISLNK(info.st_mode):
        raise _refused(label, shown, f"is a symbolic link to {one_line(os.path.realpath(final))}; "
                       "give the real file's path")
    if stat.S_ISDIR(info.st_mode):
        raise _refused(label, shown, "is a folder; give a file name in it")
    if not stat.S_ISREG(info.st_mode):
        raise _refused(label, shown, f"is not a regular file ({_kind(info.st_mode)}); give the "
                       "name of a new file")
    for owned, suffix in files.items():
        if _same_file(info, owned):
            whose = f"database's {suffix} file" if suffix else "database"
            raise _refused(label, shown, f"is another name (a hard link) for the register's "
                           f"{whose}; choose another file name")
    return final


def check_source_path(path: str | Path, *, database: str | Path,
                      label: str | None = None) -> Path:
    """The backup file to read for `path` (resolved), or BadInput when it is the register's own
    database or one of its companions (by any name), or not a regular file (a FIFO would wait
    forever, a device never ends). A symbolic link is followed: reading through one changes
    nothing. A missing file is left to the reader to report."""
    shown = one_line(str(path))
    final = Path(os.path.realpath(Path(path).expanduser()))
    files, _ = _register_files(Path(database))
    own = files.get(final)
    if own == "":
        raise _refused(label, shown, "is the database itself; choose a backup file")
    if own:
        raise _refused(label, shown, f"belongs to the register's database (its {own} file); "
                       "it is not a backup")
    try:
        info = os.stat(final)
    except OSError:
        return final
    for owned, suffix in files.items():
        if _same_file(info, owned):
            whose = f"database's {suffix} file" if suffix else "database"
            raise _refused(label, shown, f"is another name (a hard link) for the register's "
                           f"{whose}; choose a backup file")
    if stat.S_ISDIR(info.st_mode):
        raise _refused(label, shown, "is a folder, not a backup file")
    if not stat.S_ISREG(info.st_mode):
        raise _refused(label, shown, f"is not a regular file ({_kind(info.st_mode)}); it is "
                       "not a backup")
    return final


def check_database_path(path: str | Path, *, label: str | None = "--db") -> Path:
    """The database file to create or fill for `path` (init, demo, restore's target), or
    BadInput when it cannot be one: a folder, FIFO, device or socket; a dangling symbolic link
    (the database would appear at its target); a file with a second name (SQLite keeps the -wal
    beside the name it opened, so two names corrupt it); the -wal, -shm or -journal of an
    existing database; a rolling copy in a backups folder. A link to a regular file is allowed."""
    shown = one_line(str(path))
    final = _in_real_folder(Path(path).expanduser())
    for suffix in COMPANIONS:
        owner = final.with_name(final.name.removesuffix(suffix))
        if final.name.endswith(suffix) and owner != final and owner.is_file():
            raise _refused(label, shown, f"belongs to the database {one_line(str(owner))} (its "
                           f"{suffix} file); give the database's own name")
    if final.parent.name == BACKUPS_FOLDER and ROLLING_NAME.search(final.name):
        raise _refused(label, shown, "is one of the register's backup copies; restore it with "
                       "`riskreg restore` instead")
    info = _lstat(final)
    if info is None:
        return final
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(final)
        except OSError:
            raise _refused(label, shown, f"is a symbolic link to "
                           f"{one_line(os.path.realpath(final))}, which does not exist; give the "
                           "real file's path") from None
    if stat.S_ISDIR(info.st_mode):
        raise _refused(label, shown, "is a folder, not a database file")
    if not stat.S_ISREG(info.st_mode):
        raise _refused(label, shown, f"is not a regular file ({_kind(info.st_mode)})")
    if info.st_nlink > 1:
        raise _refused(label, shown, "has another name (a hard link); SQLite keeps the -wal "
                       "beside the name it opened, so a database must have one name only")
    return final
