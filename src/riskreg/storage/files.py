"""Private files: owner-only modes and atomic writes.

Everything riskreg writes (database, backups, exports, reports, notice drafts) is readable by its
owner only (0600, folders 0700), and is written to a temporary file in the same folder, flushed
to disk, then renamed over the target, so a crash or a full disk never leaves a half-written file.
"""

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from riskreg.errors import UserError

FILE_MODE = 0o600
DIR_MODE = 0o700


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


def tighten(path: Path) -> str | None:
    """Make an existing file owner-only; return a notice when its mode had to be tightened."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        path.chmod(FILE_MODE)
        return f"{path.name} was readable by others (mode {mode:o}); tightened to 600."
    return None


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
        raise UserError(f"cannot write {path}: {exc.strerror}") from None
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
        raise UserError(f"cannot write {path}: {exc.strerror}; nothing was written") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_atomic(path, text.encode("utf-8"))
