"""The append-only, hash-chained audit log.

Each event's hash is SHA-256 over the previous event's hash and a canonical JSON of the event
itself (its sequence number included), so editing an event breaks its own hash, and removing or
inserting one breaks the chain at the next event. Events are appended in the same transaction as
the change they describe, so a change and its audit entry are written together or not at all.

Limit (documented in README): an event cut off the very end of the log leaves a shorter, still
valid chain; `verify` reports the count and the last hash so it can be compared with a copy.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from riskreg.storage.models import AuditEvent, utcnow

GENESIS = "0" * 64
_HEAD = "riskreg_audit_head"


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value (dates as ISO strings)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def canonical(seq: int, at: datetime, entity: str, public_id: str, action: str, changes: str) -> str:
    body = {
        "seq": seq,
        "at": at.isoformat(),
        "entity": entity,
        "public_id": public_id,
        "action": action,
        "changes": json.loads(changes),
    }
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


def record(
    session: Session, entity: str, public_id: str, action: str, changes: dict[str, Any]
) -> AuditEvent:
    """Append one event in the caller's transaction (which must be a write transaction)."""
    # The chain's head is read once per transaction and then carried along: BEGIN IMMEDIATE
    # holds the write lock, so no other window can append in between.
    head = session.info.get(_HEAD)
    if head is None:
        last = session.exec(
            select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(1)
        ).first()
        head = (last.id or 0, last.hash) if last else (0, GENESIS)
    seq, prev_hash = head[0] + 1, head[1]
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
        hash=chain_hash(prev_hash, canonical(seq, at, entity, public_id, action, changes_json)),
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


def verify(session: Session) -> Verification:
    """Walk the chain from the start and report the first event that does not fit."""
    prev_hash = GENESIS
    expected_seq = 1
    checked = 0
    for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.id))):
        if event.id != expected_seq:
            return Verification(
                False, checked, prev_hash,
                f"event {expected_seq} is missing (the next event found is {event.id})",
                expected_seq,
            )
        if event.prev_hash != prev_hash:
            return Verification(
                False, checked, prev_hash,
                f"event {event.id} does not follow event {expected_seq - 1} "
                "(an event was removed, inserted or replaced)",
                event.id,
            )
        try:
            payload = canonical(
                event.id, event.at, event.entity, event.public_id, event.action, event.changes
            )
        except (ValueError, TypeError):
            payload = ""
        if chain_hash(prev_hash, payload) != event.hash:
            return Verification(
                False, checked, prev_hash,
                f"event {event.id} was altered after it was written "
                f"({event.action} {event.entity} {event.public_id})",
                event.id,
            )
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    return Verification(True, checked, prev_hash)


def history(session: Session, public_id: str) -> list[AuditEvent]:
    """Every event about one record, oldest first."""
    query = select(AuditEvent).where(AuditEvent.public_id == public_id)
    return list(session.exec(query.order_by(col(AuditEvent.id))))
