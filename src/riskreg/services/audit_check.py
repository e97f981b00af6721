"""Does the audit log explain the records? (`riskreg audit verify` and every import; issue 16, D10)

The hash chain (storage/audit.py) shows that no event was edited, removed or inserted since it
was written; on its own it says nothing about the records. Here each record's events are replayed
in order, from the event that created it, and the result is compared with the record as stored.
A record the log does not explain is named by its kind and public id (never by its title or any
other text of the practice's): a field changed with no event, a record no event created, an event
about a record that is gone (deleted), one public id shared by records of two kinds, and an empty
log beside records.

What the replay compares: every field an event names, archived or not, and, at the event that
created the record, every field left at its default (`audit.diff` leaves out the fields created
empty). Not compared: the internal id, created_at, updated_at and revision (a child of an incident
moves the incident's revision with no event of the incident's own), nor a field that a creation
event leaves out and that has no default (a review's scores, an incident's year).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy.exc
from sqlalchemy import select
from sqlalchemy.orm import Session

from riskreg.domain.text import plural
from riskreg.errors import one_line
from riskreg.services.risk_analysis import document_snapshot_problems, snapshot_problems
from riskreg.services.transfer_schema import FieldSpec, TableSpec, encode, spec_by_name
from riskreg.services.transfer_stream import table_chunks
from riskreg.storage import audit
from riskreg.storage.database import Database
from riskreg.storage.verify import integrity_problem

CREATING = frozenset({"create", "import", "link", "sign"})
"""Actions that may be a record's first event (a link row is created by its first `link`; a
signed risk analysis's snapshot by its `sign`)."""

NOT_REPLAYED = frozenset({"id", "public_id", "created_at", "updated_at", "revision"})

SUMMARY_ENTITY = "database"
"""A merge's summary event (services/transfer.py) is about the import, not about a record."""
NOT_RECORDS = frozenset({SUMMARY_ENTITY, audit.LETTERS_ENTITY})


class _Archived:
    """An archive the log records without its exact time: any archived_at fits."""

    def __repr__(self) -> str:
        return "archived"


ARCHIVED = _Archived()


@dataclass(frozen=True)
class Event:
    """What the replay needs of one event: which record, what was done, {field: [old, new]}."""

    seq: int
    entity: str
    public_id: str
    action: str
    changes: dict[str, Any]


@dataclass
class Report:
    """What `riskreg audit verify` found."""

    damaged: str | None = None
    """SQLite's integrity check's first complaint (the file is damaged), or None."""
    chain: audit.Verification | None = None
    records: int = 0
    unexplained: list[str] = field(default_factory=list)
    """One sentence per record the audit log does not explain."""

    @property
    def ok(self) -> bool:
        return self.damaged is None and self.chain is not None and self.chain.ok \
            and not self.unexplained


def verify_database(db: Database) -> Report:
    """The file's integrity, then the hash chain, then every record against its events."""
    try:
        return _verify(db)
    except sqlalchemy.exc.DatabaseError as error:
        # A page damaged past what the integrity check itself can read.
        if not any(word in str(error) for word in DAMAGED_WORDS):
            raise
        return Report(damaged=str(getattr(error, "orig", None) or error))


DAMAGED_WORDS = ("malformed", "file is not a database", "disk I/O error")
"""How SQLite says a file is damaged."""


def _verify(db: Database) -> Report:
    report = Report()
    with db.reading() as session:
        report.damaged = integrity_problem(session)
        if report.damaged is not None:
            return report  # nothing read from a damaged file can be trusted
        stored = list(audit.read_events(session))
        report.chain = audit.verify_events(stored)
        tables = {name: [row for chunk in chunks for row in chunk]
                  for name, _, chunks in table_chunks(session, derived=False)}
        report.records = sum(len(rows) for rows in tables.values())
        sound = (Event(e.seq, e.entity, e.public_id, e.action, e.fields)
                 for e in stored if not e.damage)
        # A damaged event is named by the chain; the records it concerns cannot be replayed.
        skipped = {(e.entity, e.public_id) for e in stored if e.damage}
        report.unexplained = unexplained(tables, _InternalIds(session), sound, "the database",
                                         skip=skipped, empty_log=not stored)
        # A signed snapshot's body is not in its event (only its SHA-256 is): hash it again.
        report.unexplained += snapshot_problems(session)
    return report


class _InternalIds(dict):
    """Each table's public id by internal id (what the log's `owner_id`-style fields hold), read
    only for the tables the log names that way (owners and tools, not 40,000 links)."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def __missing__(self, name: str) -> dict[int, str]:
        table = spec_by_name()[name].table
        self[name] = dict(self.session.execute(select(table.c.id, table.c.public_id)).all())
        return self[name]


def document_problems(tables: dict[str, list[dict[str, Any]]], events: list[dict[str, Any]]
                      ) -> list[str]:
    """The records of an export file its own audit log does not explain (import and --check).

    The log's `owner_id`-style fields hold the exporting database's internal ids. An export lists
    each table's rows in id order, and those ids have no gaps (records are archived, never
    deleted), so the n-th row had id n; an import into an empty database gives it id n again."""
    ids = {name: {n: row["public_id"] for n, row in enumerate(tables.get(name, []), start=1)}
           for name in spec_by_name()}
    # A field the file leaves out is imported at its default: compare with that.
    tables = {name: [{**_created(name), **row} for row in rows] for name, rows in tables.items()}
    replayed = (Event(e["seq"], e["entity"], e["public_id"], e["action"], fields)
                for e in events if (fields := audit.parse_changes(e["changes"])) is not None)
    return unexplained(tables, ids, replayed, "the file", empty_log=not events) + \
        document_snapshot_problems(tables)


def unexplained(
    tables: dict[str, list[dict[str, Any]]], ids: dict[str, dict[int, str]],
    events: Iterable[Event], where: str, *, skip: set[tuple[str, str]] = frozenset(),
    empty_log: bool = False,
) -> list[str]:
    """One sentence per record (document form, as export_rows gives) that its events do not
    explain; `where` is "the database" or "the file"."""
    stored = {(name, row["public_id"]): row for name, rows in tables.items() for row in rows}
    if empty_log and stored:
        return [f"the audit log is empty, yet {where} holds {plural(len(stored), 'record')}: "
                "their history is gone"]
    references = {row["reference"]: row["public_id"] for row in tables.get("incident", [])}
    replay = _Replay()
    for event in events:
        replay.apply(event, stored, skip, ids, references)
    found = replay.found
    for key, first in replay.not_created:
        found.append(f"{_name(key)}: no event created it (its first, event {first.seq}, is "
                     f"{_shown(first.action)!r})")
    found += _differences(stored, replay.states, skip)
    for key, seq in replay.gone.items():
        found.append(f"{_name(key)}: its events (from event {seq}) remain, but the record is "
                     f"not in {where} (deleted)")
    found += _shared_ids(stored)
    return found


@dataclass
class _Replay:
    """The records as their events make them, replayed in order, with what the events alone
    show is wrong."""

    states: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    found: list[str] = field(default_factory=list)
    not_created: list[tuple[tuple[str, str], Event]] = field(default_factory=list)
    """Records whose first event is not one that creates a record, with that event."""
    gone: dict[tuple[str, str], int] = field(default_factory=dict)
    """Records with events but no row, with the first of those events."""
    specs: dict[str, TableSpec] = field(default_factory=spec_by_name)

    def apply(self, event: Event, stored: dict[tuple[str, str], dict[str, Any]],
              skip: set[tuple[str, str]], ids: dict[str, dict[int, str]],
              references: dict[str, str]) -> None:
        key = (event.entity, event.public_id)
        if event.entity in NOT_RECORDS or key in skip:
            return
        if event.entity not in self.specs:
            self.found.append(f"event {event.seq} is about an unknown kind of record "
                              f"({_shown(event.entity)})")
            return
        if key not in stored:
            self.gone.setdefault(key, event.seq)
            return
        state = self.states.get(key)
        if state is None:
            if event.action not in CREATING:
                self.not_created.append((key, event))
            state = self.states[key] = dict(_created(event.entity))
        _apply(_fields(event.entity), state, event, ids, references)


def _differences(stored: dict[tuple[str, str], dict[str, Any]],
                 replayed: dict[tuple[str, str], dict[str, Any]],
                 skip: set[tuple[str, str]]) -> list[str]:
    """Each record no event created, or whose fields differ from what its events make it."""
    found = []
    for key, row in stored.items():
        if key in skip:
            continue
        state = replayed.get(key)
        if state is None:
            found.append(f"{_name(key)}: no event in the audit log created it")
            continue
        differ = [name for name in _fields(key[0]).order
                  if name in state and not _same(state[name], row.get(name))]
        if differ:
            found.append(f"{_name(key)}: {', '.join(differ)} "
                         f"{'is' if len(differ) == 1 else 'are'} not what its audit log records "
                         "(changed without an event)")
    return found


def _shared_ids(stored: dict[tuple[str, str], dict[str, Any]]) -> list[str]:
    """A public id used by records of two kinds: the audit log cannot tell their events apart."""
    kinds: dict[str, list[str]] = {}
    for name, public_id in stored:
        kinds.setdefault(public_id, []).append(name)
    return [f"public id {_shown(public_id)} is used by a "
            f"{' and a '.join(sorted(names))}: their histories cannot be told apart"
            for public_id, names in kinds.items() if len(names) > 1]


def _apply(fields: _Fields, state: dict[str, Any], event: Event,
           ids: dict[str, dict[int, str]], references: dict[str, str]) -> None:
    """One event's changes, as the service that wrote it applied them."""
    changes = event.changes
    if event.action == "unlink":
        # An unlink names the two records it no longer links ([id, None]); the row keeps them.
        state["archived_at"] = _new(changes, "archived_at") or ARCHIVED
        return
    if event.action == "link":
        state["archived_at"] = None  # a link made again is restored
    for name, pair in changes.items():
        spec = fields.get(name)
        if spec is None:
            continue  # not replayed, or a field this version no longer has
        state[spec.key] = _document_value(spec, name, pair[1], ids, references)
    if event.action == "archive" and "archived_at" not in changes:
        state["archived_at"] = ARCHIVED


def _document_value(spec: FieldSpec, name: str, value: Any, ids: dict[str, dict[int, str]],
                    references: dict[str, str]) -> Any:
    """A logged value as the record's document form holds it."""
    if spec.target is None or value is None:
        return value
    if name != spec.key:
        # The log holds the internal id (`owner_id`); the document, the public id (`owner`).
        known = ids[spec.target].get(value) if isinstance(value, int) else None
        return known or f"internal id {value!r}"
    if spec.target == "incident" and isinstance(value, str):
        return references.get(value, value)  # an incident's children name it by its reference
    return value


class _Fields(dict):
    """A table's replayed fields by every name an event may use: the document's (`owner`) and
    the column's (`owner_id`); `order` lists them as the table does."""

    order: tuple[str, ...] = ()


@cache
def _fields(table: str) -> _Fields:
    by_name = _Fields()
    replayed = [f for f in spec_by_name()[table].fields if f.key not in NOT_REPLAYED]
    for field_spec in replayed:
        by_name[field_spec.column.name] = field_spec
        by_name[field_spec.key] = field_spec
    for old_name, name in audit.RENAMED_FIELDS.items():
        if name in by_name:
            by_name[old_name] = by_name[name]
    by_name.order = tuple(f.key for f in replayed)
    return by_name


@cache
def _created(table: str) -> dict[str, Any]:
    """The fields a creation event leaves out, as a new record has them: empty (None) or their
    column's plain default."""
    state: dict[str, Any] = {}
    for field_spec in spec_by_name()[table].fields:
        column, default = field_spec.column, field_spec.column.default
        if field_spec.key in NOT_REPLAYED:
            continue
        if default is None and column.nullable:
            state[field_spec.key] = None
        elif default is not None and default.is_scalar:
            state[field_spec.key] = encode(default.arg)
    return state


def _new(changes: dict[str, Any], name: str) -> Any:
    pair = changes.get(name)
    return pair[1] if pair else None


def _same(replayed: Any, stored: Any) -> bool:
    if replayed is ARCHIVED:
        return stored is not None
    if replayed == stored and type(replayed) is type(stored):
        return True
    if isinstance(replayed, str) and isinstance(stored, str):
        return _same_time(replayed, stored)
    return False


def _same_time(a: str, b: str) -> bool:
    """Two spellings of one timestamp (an offset written +00:00 or Z, say)."""
    try:
        first, second = datetime.fromisoformat(a), datetime.fromisoformat(b)
    except ValueError:
        return False
    return first.tzinfo is not None and second.tzinfo is not None and first == second


def _name(key: tuple[str, str]) -> str:
    return f"{key[0]} {_shown(key[1])}"


def _shown(text: str) -> str:
    """A value from the file as printed: escaped, and short (an id is 36 characters)."""
    text = one_line(str(text))
    return text if len(text) <= 40 else text[:37] + "..."
