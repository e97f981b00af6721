"""Where calendar exports go: an .ics file (the practice's feed at its fixed path, or any --out
file) or a vdir folder, each with its ledger (`riskreg.domain.calendar_ledger`).

Order of writes, for both: the file (or every vdir item) is written atomically first, then the
target's ledger is committed in one transaction. A failed file write raises before the ledger
is touched, so the ledger never records a SEQUENCE or a cancellation the target did not
receive (recording first could let a UID vanish from a later export without its cancellation
ever being written). A failed ledger commit after a written file leaves the old ledger: the
next export computes the same changes again (the same SEQUENCE, a later DTSTAMP), which a
client takes as the same or a newer version; nothing is lost.

The ledger is machine state, not register data: `export json` leaves it out (it names paths of
this computer; an imported register starts with an empty one, and its first export to a target
writes what it has, as a first export always did). A backup is a copy of the database file and
keeps it, matching the register it was taken with.

The vdir format (what khal and vdirsyncer read; vdirsyncer's "Storage format" page): a folder
of .ics files, each one VCALENDAR holding one VEVENT, named from its UID. Written here: mode
0600 each, the folder 0700 when riskreg creates it. A folder is refused when it is a file, or
holds files that are not calendar items (anything but .ics, vdirsyncer's `displayname` and
`color`, and riskreg's own temporary files): such a folder is not a calendar. Files of UIDs
this folder's ledger does not list (an event added on the server and synced down) are never
touched.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from riskreg.domain.calendar_ledger import LedgerEntry, Reconciled, reconcile
from riskreg.errors import UserError, one_line

if TYPE_CHECKING:
    from riskreg.storage.database import Database

CalendarService = Any
"""`riskreg.services.calendar.CalendarService` (which imports this module, so not named here)."""
ExportOptions = Any

FEED_NAME = "riskreg-feed.ics"
FILE_KIND = "ics"
VDIR_KIND = "vdir"
VDIR_METADATA = frozenset({"displayname", "color"})
"""The non-.ics files a vdir may hold (vdirsyncer's metadata sync writes them)."""


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    count: int
    """Events (or vdir items) the target holds after the export."""
    removed: int = 0
    """Cancellations of vanished events written now."""
    written: int = 0
    """vdir items written (the unchanged ones are left as they are)."""
    deleted: int = 0
    """vdir items removed (cancellations written before)."""


def feed_path(database: Path) -> Path:
    """The practice's feed, beside its database: riskreg-feed.ics next to riskreg.db (so in the
    user data folder for the default database), `<name>-feed.ics` next to another one, so that
    two registers never share, and fight over, one feed."""
    database = Path(database)
    if database.name == "riskreg.db":
        return database.parent / FEED_NAME
    return database.parent / f"{database.stem}-feed.ics"


# -- the ledger ----------------------------------------------------------------------------------


def load_ledger(db: Database, target: str) -> dict[str, LedgerEntry]:
    from sqlalchemy import select

    from riskreg.storage.models import CalendarLedgerEntry as Row

    columns = (Row.uid, Row.content_hash, Row.sequence, Row.dtstamp, Row.cancelled, Row.day,
               Row.title, Row.cancelled_on)
    stmt = select(*columns).where(Row.target == target)
    with db.reading() as session:
        return {row[0]: LedgerEntry(*row) for row in session.connection().execute(stmt)}


def save_ledger(db: Database, target: str, kind: str, entries: list[LedgerEntry]) -> None:
    """The target's ledger replaced by `entries`, in one transaction."""
    from sqlalchemy import delete, insert

    from riskreg.storage.models import CalendarLedgerEntry as Row

    rows = [{"target": target, "kind": kind, "uid": e.uid, "content_hash": e.content_hash,
             "sequence": e.sequence, "dtstamp": e.dtstamp, "cancelled": e.cancelled,
             "day": e.day, "title": e.title, "cancelled_on": e.cancelled_on} for e in entries]
    with db.writing() as session:
        connection = session.connection()
        connection.execute(delete(Row).where(Row.target == target))
        if rows:
            connection.execute(insert(Row), rows)


def _reconciled(service: CalendarService, target: str, options: ExportOptions,
                keep_cancellations: bool) -> Reconciled:
    events = service.events(options)
    return reconcile(events, load_ledger(service.db, target), now=service.now(),
                     today=service.today(), keep_cancellations=keep_cancellations)


# -- one .ics file -------------------------------------------------------------------------------


def export_file(service: CalendarService, path: str | Path | None,
                options: ExportOptions) -> ExportSummary:
    """Write the .ics file (the feed when `path` is None) atomically, mode 0600, then record
    its ledger."""
    from riskreg.services.calendar_render import DEFAULT_FILE_NAME, _releasing, calendar_chunks
    from riskreg.storage.files import check_output_path, write_atomic_chunks

    target = Path(path).expanduser() if path is not None else feed_path(service.db.path)
    if target.is_dir():
        raise UserError(f"cannot write {target}: it is a folder; give a file name, e.g. "
                        f"{target / DEFAULT_FILE_NAME}")
    checked = check_output_path(target, database=service.db.path, label=None)
    key = str(checked)
    done = _reconciled(service, key, options, keep_cancellations=True)
    count = len(done.events)
    write_atomic_chunks(checked, calendar_chunks(_releasing(done.events), feed=True))
    save_ledger(service.db, key, FILE_KIND, done.entries)
    return ExportSummary(checked, count, done.removed)


# -- a vdir --------------------------------------------------------------------------------------

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9@._-]")


def item_name(uid: str) -> str:
    """The vdir file of a UID: the UID itself when it is filesystem-safe (riskreg's always are:
    letters, digits, "-", "@"), else with each other character as "_" and a short hash of the
    UID added, so two UIDs never share a file."""
    safe = _UNSAFE_NAME.sub("_", uid).lstrip(".")
    if safe != uid:
        import hashlib

        safe = f"{safe[:150]}-{hashlib.sha256(uid.encode('utf-8')).hexdigest()[:12]}"
    return safe + ".ics"


def _ours(name: str) -> bool:
    """A file a vdir may hold: an item, vdirsyncer's metadata, or a temporary file of ours."""
    return (name.endswith(".ics") or name in VDIR_METADATA
            or (name.startswith(".") and name.endswith(".tmp") and ".ics." in name))


def check_vdir(folder: str | Path, database: Path) -> Path:
    """The vdir folder to write (resolved), or UserError (one line) when it cannot be one."""
    from riskreg.errors import BadInput
    from riskreg.storage.files import check_output_path

    shown = one_line(str(folder))
    path = Path(folder).expanduser()
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise UserError(f"cannot use {shown}: {error.strerror}") from None
    if info is None or not stat.S_ISDIR(info.st_mode):
        if info is not None and stat.S_ISLNK(info.st_mode) and path.is_dir():
            path = Path(os.path.realpath(path))
        else:
            # A missing folder, a file, a FIFO...: the file checks say what it is (the database,
            # a backup, a link) before it is created as a folder.
            check_output_path(path, database=database, label="--out")
            if info is not None:
                raise BadInput(f"--out {shown} is a file, not a folder; a vdir is a folder of "
                               ".ics files (give a new or an existing vdir folder)")
            return Path(os.path.realpath(path.parent)) / path.name
    real = Path(os.path.realpath(path))
    try:
        names = sorted(entry.name for entry in os.scandir(real))
    except OSError as error:
        raise UserError(f"cannot read folder {shown}: {error.strerror}") from None
    strange = [name for name in names if not _ours(name)]
    if strange:
        raise BadInput(f"--out {shown} holds {one_line(strange[0])}"
                       + (f" and {len(strange) - 1} other files" if len(strange) > 1 else "")
                       + " that are not calendar items; a vdir holds only .ics files (give an "
                       "empty or new folder)")
    return real


def export_vdir(service: CalendarService, folder: str | Path,
                options: ExportOptions) -> ExportSummary:
    """Write the events into a vdir folder (created 0700 if absent): each changed or new item
    atomically (mode 0600; one flush to disk for all, `write_atomic_many`), an unchanged one
    left as it is (so a sync uploads only what changed); the item of a cancellation written
    before removed; then the ledger recorded."""
    from riskreg.services.calendar_render import CALENDAR_END, _EventWriter, calendar_head
    from riskreg.storage.files import ensure_private_dir, write_atomic_many

    real = check_vdir(folder, service.db.path)
    key = str(real)
    done = _reconciled(service, key, options, keep_cancellations=False)
    ensure_private_dir(real)
    head = calendar_head(feed=False)
    writer = _EventWriter()
    changed = (event for event in done.events
               if event.uid not in done.unchanged or not (real / item_name(event.uid)).is_file())
    written = write_atomic_many(real, ((item_name(event.uid),
                                        head + writer.event(event) + CALENDAR_END)
                                       for event in changed))
    deleted = 0
    for uid in done.dropped:
        try:
            (real / item_name(uid)).unlink()
            deleted += 1
        except FileNotFoundError:
            continue  # removed already (a ledger commit that failed last time, or by hand)
        except OSError as error:
            raise UserError(f"cannot remove {real / item_name(uid)}: {error.strerror}") from None
    save_ledger(service.db, key, VDIR_KIND, done.entries)
    return ExportSummary(real, len(done.events), done.removed, written, deleted)


def describe(summary: ExportSummary, *, vdir: bool = False) -> str:
    """One line saying what an export did."""
    from riskreg.domain.text import plural

    where = one_line(str(summary.path))
    line = f"{plural(summary.count, 'event')} written to {where}"
    if vdir:
        line = (f"{plural(summary.count, 'event')} in {where} ({summary.written:,} written, "
                f"{summary.count - summary.written:,} unchanged, {summary.deleted:,} cancelled items removed)")
    if summary.removed:
        line += f"; {plural(summary.removed, 'event')} no longer exported, sent as cancelled"
    return line
