"""What one calendar target was given before, and what the next export to it must therefore say.

A target is one .ics file (the feed, or an --out file) or one vdir folder. Its ledger remembers,
per UID, what was last written there: a hash of the event's content, its SEQUENCE and DTSTAMP,
whether it was written cancelled, and its day and title (so that a cancellation can still be
written once the source is gone). `reconcile` compares the events of this export with it:

- An event whose content (day, summary, description, status, alarms) is what the target already
  holds keeps the SEQUENCE and DTSTAMP written before: an unchanged register exports the same
  bytes, even after a --details or --alarms round trip.
- A changed one gets SEQUENCE one higher than written before (or the record's own revision, if
  higher) and a newer DTSTAMP (the export's moment, never earlier than the record's change or
  the previous stamp), so a client that orders versions by SEQUENCE, then DTSTAMP (RFC 5546
  2.1.5) takes it. This also covers what changes with "today" alone (an [OVERDUE] mark, an
  alarm that has passed), which used to keep the same SEQUENCE.
- A UID written before (and not yet written cancelled) that this export no longer has (an
  obligation dropped by a scope change, a cleared due date or BAA expiry, reminder events no
  longer asked for, a narrower --only) is written `STATUS:CANCELLED`, "[REMOVED]" before its
  title, no alarm, SEQUENCE one higher. No calendar deletes an event because a later file
  lacks it, so leaving it out would leave it open, ringing, in every calendar that updates.
- Once written cancelled, an absent UID may go: a vdir removes its file on the next export
  (vdirsyncer then deletes it on the server); an .ics file keeps writing the same cancellation
  (same bytes) until its day has passed, for a client that imports the file only now and then,
  and then forgets it (not on the day it was written: exporting twice in one day gives the
  same bytes).

Pure: no storage, no clock (the moment and "today" are arguments).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from riskreg.domain.calendar_event import CANCELLED, CalendarEvent, as_aware, with_changes

REMOVED = "REMOVED"
REMOVED_GROUP = "removed"
REMOVED_DESCRIPTION = (
    "No longer in riskreg's export: the deadline or date this event showed was removed from the "
    "register (a changed scope, a cleared date, an option no longer chosen). Kept as cancelled "
    "so that the calendar stops showing it as open.")


@dataclass(frozen=True)
class LedgerEntry:
    """One UID as a target last received it."""

    uid: str
    content_hash: str
    sequence: int
    dtstamp: datetime
    cancelled: bool
    day: date
    title: str
    cancelled_on: date | None = None
    """The day ("today") it was first written cancelled."""


@dataclass
class Reconciled:
    events: list[CalendarEvent]
    """What to write, in the export's order (removed ones sorted in by day)."""
    entries: list[LedgerEntry]
    """The target's whole ledger once they are written."""
    dropped: list[str] = field(default_factory=list)
    """UIDs the target held, already cancelled, now forgotten (a vdir removes their files)."""
    unchanged: set[str] = field(default_factory=set)
    """UIDs written with the same content, SEQUENCE and DTSTAMP as last time."""
    removed: int = 0
    """How many cancellations of vanished events this export writes."""


def content_hash(event: CalendarEvent) -> str:
    """The hash of what a calendar shows of `event`: everything but SEQUENCE and the stamps."""
    parts = (event.uid, event.day.isoformat(), event.summary, event.description, event.status,
             ",".join(str(n) for n in event.alarm_days))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def entry_of(event: CalendarEvent, digest: str | None = None,
             cancelled_on: date | None = None) -> LedgerEntry:
    return LedgerEntry(event.uid, digest or content_hash(event), event.sequence,
                       event.last_modified, event.cancelled, event.day, event.title,
                       cancelled_on if event.cancelled else None)


def _cancelled_on(before: LedgerEntry | None, event: CalendarEvent, today: date) -> date | None:
    if not event.cancelled:
        return None
    if before is not None and before.cancelled and before.cancelled_on is not None:
        return before.cancelled_on
    return today


def _may_go(entry: LedgerEntry, today: date) -> bool:
    """Whether an .ics file may stop carrying a cancellation: its day has passed, and it was
    written on an earlier day than today (so exporting twice on one day gives the same bytes,
    even for a cancellation of a day already past)."""
    return entry.day < today and (entry.cancelled_on or date.min) < today


def removed_event(entry: LedgerEntry, sequence: int, stamp: datetime) -> CalendarEvent:
    """The cancellation of a UID whose source is gone, made from what the ledger holds."""
    return CalendarEvent(
        uid=entry.uid, day=entry.day, title=entry.title, description=REMOVED_DESCRIPTION,
        sequence=sequence, last_modified=stamp, group=REMOVED_GROUP, kind=REMOVED,
        status=CANCELLED, mark=REMOVED,
    )


def newer_stamp(entry: LedgerEntry, event_stamp: datetime, now: datetime) -> datetime:
    """A DTSTAMP later than the one written before, not before the record's own change."""
    return max(event_stamp, as_aware(now), entry.dtstamp + timedelta(seconds=1))


def reconcile(
    events: Iterable[CalendarEvent],
    ledger: Mapping[str, LedgerEntry],
    *,
    now: datetime,
    today: date,
    keep_cancellations: bool,
) -> Reconciled:
    """The events to write to a target that holds `ledger`, and its ledger afterwards (see the
    module docstring). `keep_cancellations`: an .ics file (True) or a vdir (False)."""
    out = Reconciled(events=[], entries=[])
    seen: set[str] = set()
    for event in events:
        seen.add(event.uid)
        digest = content_hash(event)
        before = ledger.get(event.uid)
        if before is not None and before.content_hash == digest:
            event = with_changes(event, sequence=before.sequence, last_modified=before.dtstamp)
            out.unchanged.add(event.uid)
        elif before is not None:
            event = with_changes(
                event, sequence=max(event.sequence, before.sequence + 1),
                last_modified=newer_stamp(before, event.last_modified, now))
        out.events.append(event)
        out.entries.append(entry_of(event, digest, _cancelled_on(before, event, today)))
    gone = [entry for uid, entry in ledger.items() if uid not in seen]
    for entry in sorted(gone, key=lambda e: (e.day, e.uid)):
        if not entry.cancelled:
            event = removed_event(entry, entry.sequence + 1,
                                  newer_stamp(entry, entry.dtstamp, now))
            out.removed += 1
            cancelled_on = today
        else:
            again = removed_event(entry, entry.sequence, entry.dtstamp)
            if not (keep_cancellations and not _may_go(entry, today)
                    and content_hash(again) == entry.content_hash):
                out.dropped.append(entry.uid)
                continue
            event, cancelled_on = again, entry.cancelled_on
            out.unchanged.add(entry.uid)
        out.events.append(event)
        out.entries.append(entry_of(event, cancelled_on=cancelled_on))
    if gone:
        out.events = _merged(out.events)
    return out


def _merged(events: list[CalendarEvent]) -> list[CalendarEvent]:
    """The export's events with the removed ones sorted in by day (a stable sort keeps the
    export's own order within a day; the removed ones come after that day's others)."""
    return sorted(events, key=lambda e: (e.day, e.group == REMOVED_GROUP))
