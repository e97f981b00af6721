"""The append-only, hash-chained audit log.

Each event's hash is SHA-256 over the previous event's hash and a canonical JSON of the event
itself (its sequence number and who made it included), so editing an event breaks its own hash, and removing or
inserting one breaks the chain at the next event. Events are appended in the same transaction as
the change they describe, so a change and its audit entry are written together or not at all.

Limit (documented in README): an event cut off the very end of the log leaves a shorter, still
valid chain; `verify` reports the count and the last hash so it can be compared with a copy.

Who made an event (`actor`, storage/actors.py) is hashed with it. Events written before riskreg
recorded actors were hashed without one; migration 0008 gave them the actor LEGACY_ACTOR, and an
event with that actor is hashed as it was written, without it. Changing either kind of event's
actor still breaks its hash: the hash of an older event covers no actor (so any other name adds
one), and a newer event's covers its own.
"""

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy
from sqlmodel import Session, col, select

from riskreg.storage.actors import LEGACY_ACTOR, current_actor
from riskreg.storage.models import AuditEvent, utcnow

GENESIS = "0" * 64
RENAMED_FIELDS = {"residual_likelihood": "target_likelihood", "residual_impact": "target_impact",
                  "residual_score": "target_score"}
"""Names an older riskreg logged fields under, by today's name: migration 0003 renamed the
columns, never the history (the chain's hashes cover it as written)."""
_HEAD = "riskreg_audit_head"
LETTERS_ENTITY = "notice_letters"
"""A letters run (services/letters): that letters were printed for an incident (the event's
public id is the incident's), their count, count per state, file name and SHA-256. It is no
record of its own: the names and addresses are never stored (issue 21)."""
_ACTOR = "riskreg_audit_actor"
_CHAIN_LOCK = "riskreg_chain_lock"  # set by storage/database.py on each session


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value (dates as ISO strings)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def canonical(seq: int, at: datetime, entity: str, public_id: str, action: str, changes: str,
              actor: str = LEGACY_ACTOR) -> str:
    return canonical_parsed(seq, at, entity, public_id, action, json.loads(changes), actor)


def canonical_parsed(
    seq: int, at: datetime, entity: str, public_id: str, action: str, changes: Any,
    actor: str = LEGACY_ACTOR,
) -> str:
    """`canonical` with `changes` already parsed (verify reads each event's changes once).

    The actor is part of the body unless it is LEGACY_ACTOR: an event written before actors
    were recorded keeps the hash it was written with."""
    body = {
        "seq": seq,
        "at": at.isoformat(),
        "entity": entity,
        "public_id": public_id,
        "action": action,
        "changes": changes,
    }
    if actor != LEGACY_ACTOR:
        body["actor"] = actor
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value changed, as {field: [old, new]}."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in after
        if before.get(key) != after.get(key)
    }


def actor_of(session: Session) -> str:
    """Who makes this transaction's changes, asked once per transaction (storage/actors.py).

    A change to who is named (the settings' practitioner) calls it before the change: the one
    named until then made it."""
    actor = session.info.get(_ACTOR)
    if actor is None:
        actor = session.info[_ACTOR] = current_actor(session)
    return actor


def record(
    session: Session, entity: str, public_id: str, action: str, changes: dict[str, Any]
) -> AuditEvent:
    """Append one event in the caller's transaction (which must be a write transaction)."""
    # The chain's head is read once per transaction and then carried along, under the
    # backend's chain lock (storage/backend.py): on SQLite BEGIN IMMEDIATE already holds the
    # file's write lock; on PostgreSQL a transaction-scoped advisory lock serializes writers
    # until commit, so two clinicians saving at once never both read the same head.
    head = session.info.get(_HEAD)
    if head is None:
        lock = session.info.get(_CHAIN_LOCK)
        if lock is not None:
            lock(session)
        last = session.exec(
            select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(1)
        ).first()
        head = (last.id or 0, last.hash) if last else (0, GENESIS)
    seq, prev_hash = head[0] + 1, head[1]
    actor = actor_of(session)
    at = utcnow()
    # Timestamps are stored to the microsecond in UTC; hash exactly what is stored.
    changes_json = json.dumps(
        {k: [_plain(v) for v in pair] for k, pair in changes.items()},
        sort_keys=True,
        ensure_ascii=False,
    )
    event = AuditEvent(
        id=seq,
        at=at,
        entity=entity,
        public_id=public_id,
        action=action,
        changes=changes_json,
        prev_hash=prev_hash,
        hash=chain_hash(prev_hash,
                        canonical(seq, at, entity, public_id, action, changes_json, actor)),
        actor=actor,
    )
    session.add(event)
    session.info[_HEAD] = (seq, event.hash)
    return event



@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    last_hash: str
    problem: str = ""
    bad_event: int | None = None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One audit event as read back from the database, every value checked before it is used.

    Anything in the file may be damaged (a disk fault, an edit with another tool), so the row is
    read as raw values, not through the model: one malformed timestamp must name its event, not
    end the whole check with a traceback."""

    seq: int
    at: datetime | None
    entity: str
    public_id: str
    action: str
    changes: str
    prev_hash: str
    hash: str
    actor: str = LEGACY_ACTOR
    damage: str = ""
    """What is unreadable in the event ("a damaged timestamp"), or "" when it is sound."""
    fields: dict[str, Any] | None = None
    """`changes` parsed: {field: [old, new]} (None when damaged)."""


_COLUMNS = ("id", "at", "entity", "public_id", "action", "changes", "prev_hash", "hash", "actor")
# The table with untyped columns: SQLAlchemy hands back each value as stored, unconverted.
_RAW = sqlalchemy.table(AuditEvent.__tablename__, *(sqlalchemy.column(c) for c in _COLUMNS))


def read_events(session: Session) -> Iterator[StoredEvent]:
    """Every event in order of its sequence number, each checked (see StoredEvent.damage)."""
    dialect = session.get_bind().dialect
    read_at = AuditEvent.__table__.c.at.type.dialect_impl(dialect).result_processor(dialect, None)
    columns = list(_RAW.c)
    if not _has_actor_column(session):  # a copy from before migration 0008 (a backup, say)
        columns[-1] = sqlalchemy.literal(LEGACY_ACTOR)
    query = sqlalchemy.select(*columns).order_by(_RAW.c.id)
    if dialect.name == "sqlite":
        yield from _sqlite_events(session, query, read_at)
        return
    for row in session.execute(query):
        yield _checked_event(row, read_at)


_STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}")
"""A timestamp as riskreg's column stores it in SQLite (UTC, to the microsecond)."""


def _sqlite_events(session: Session, query: Any, read_at: Any) -> Iterator[StoredEvent]:
    """The events read with the plain driver, a chunk at a time (the statement's own rows
    through SQLAlchemy cost more than reading and hashing them); a timestamp in the column's
    own form is read directly, any other as the model reads it."""
    compiled = query.compile(dialect=session.get_bind().dialect,
                             compile_kwargs={"literal_binds": True})
    cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled))
        while rows := cursor.fetchmany(2000):
            for row in rows:
                at = row[1]
                if isinstance(at, str) and _STAMP.fullmatch(at):
                    row = (row[0], datetime.fromisoformat(at).replace(tzinfo=UTC), *row[2:])
                    yield _checked_event(row, None)
                else:
                    yield _checked_event(row, read_at)
    finally:
        cursor.close()


def _has_actor_column(session: Session) -> bool:
    found = sqlalchemy.inspect(session.connection()).get_columns(AuditEvent.__tablename__)
    return any(column["name"] == "actor" for column in found)


def _checked_event(row: Any, read_at: Any) -> StoredEvent:
    seq, at, entity, public_id, action, changes, prev_hash, hash_, actor = row
    texts = {"entity": entity, "public_id": public_id, "action": action, "prev_hash": prev_hash,
             "hash": hash_, "actor": actor}
    damage = ""
    fields = None
    stamp = _timestamp(at, read_at)
    if stamp is None:
        damage = "a damaged timestamp"
    elif bad := [name for name, value in texts.items() if not isinstance(value, str)]:
        damage = f"a damaged {bad[0].replace('_', ' ')}"
    else:
        fields = parse_changes(changes)
        if fields is None:
            damage = "damaged changes (not a JSON object of [old, new] pairs)"
    return StoredEvent(seq, stamp, _text(entity), _text(public_id), _text(action),
                       _text(changes), _text(prev_hash), _text(hash_), _text(actor), damage,
                       fields)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _timestamp(raw: Any, read_at: Any) -> datetime | None:
    """The stored timestamp as the model reads it, or None if it is not one."""
    if raw is None:
        return None
    try:
        value = read_at(raw) if read_at else raw
    except (ValueError, TypeError, OverflowError, AttributeError):
        return None
    return value if isinstance(value, datetime) else None


def parse_changes(changes: Any) -> dict[str, Any] | None:
    """`changes` as {field: [old, new]}, or None if it is not that (record() writes only that)."""
    if not isinstance(changes, str):
        return None
    try:
        parsed = json.loads(changes)
    except (ValueError, RecursionError):
        return None
    if not isinstance(parsed, dict):
        return None
    if not all(isinstance(pair, list) and len(pair) == 2 for pair in parsed.values()):
        return None
    return parsed


def verify(session: Session) -> Verification:
    """Walk the chain from the start and report the first event that does not fit."""
    return verify_events(read_events(session))


def verify_events(events: Iterable[StoredEvent]) -> Verification:
    """The chain check of `verify` over events already read (`read_events`)."""
    prev_hash = GENESIS
    expected_seq = 1
    checked = 0
    for event in events:
        if event.seq != expected_seq:
            return Verification(
                False, checked, prev_hash,
                f"event {expected_seq} is missing (the next event found is {event.seq})",
                expected_seq,
            )
        if event.damage:
            return Verification(False, checked, prev_hash,
                                f"event {event.seq} has {event.damage}", event.seq)
        if event.prev_hash != prev_hash:
            return Verification(
                False, checked, prev_hash,
                f"event {event.seq} does not follow event {expected_seq - 1} "
                "(an event was removed, inserted or replaced)",
                event.seq,
            )
        payload = canonical_parsed(event.seq, event.at, event.entity, event.public_id,
                                   event.action, event.fields, event.actor)
        if chain_hash(prev_hash, payload) != event.hash:
            return Verification(
                False, checked, prev_hash,
                f"event {event.seq} was altered after it was written "
                f"({event.action} {event.entity} {event.public_id})",
                event.seq,
            )
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    return Verification(True, checked, prev_hash)


def history(session: Session, public_id: str) -> list[AuditEvent]:
    """Every event about one record, oldest first."""
    query = select(AuditEvent).where(AuditEvent.public_id == public_id)
    return list(session.exec(query.order_by(col(AuditEvent.id))))


def head(session: Session) -> tuple[int, str]:
    """The chain's last event (its sequence number and hash; (0, GENESIS) for an empty log): it
    moves with every change to the register, since every change appends an event."""
    last = session.execute(
        sqlalchemy.select(AuditEvent.id, AuditEvent.hash).order_by(col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS)
