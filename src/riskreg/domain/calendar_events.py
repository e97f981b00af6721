"""Calendar events: every dated thing the practitioner should see in their own calendar.

Pure: plain inputs (register records as dicts, incidents as `IncidentInput`) and "today" in, a
list of `CalendarEvent` out. No icalendar, no storage, no wall clock; `services/calendar.py`
gathers the inputs and renders the VCALENDAR.

Identity and versions (so a re-import updates instead of duplicating):
- `uid` is the record's permanent public id plus the kind of date (`<public_id>-review@riskreg`),
  so the same deadline keeps its UID forever, even when its date moves (a review done moves the
  next review; a renewed BAA moves its expiry).
- `sequence` is the record's revision (for an internal target, the incident's revision plus the
  practice settings' revision, since the target also moves with `internal_target_days`; a sum of
  two counters that only rise only rises).
- `last_modified` (also DTSTAMP) is the record's last change, or, once the date has passed, the
  first moment of the day after it (when the event became "[OVERDUE]"), whichever is later. Both
  come from the data and the given "today", never from the wall clock, so unchanged data exports
  byte-identical files.

Done obligations, finished safeguards, closed hazards, archived records, a closed incident's holds: the
event is kept with the SAME UID, `STATUS:CANCELLED`, a "[DONE]" / "[CLOSED]" / "[ARCHIVED]" /
"[NOT REQUIRED]" prefix on its summary, and no alarms. It is never simply omitted. Why, from what
calendar clients do when a file is imported again (research notes, issue 6):
- No client deletes an event because a later import no longer contains it: importing a file is
  not a sync (only a subscribed URL replaces a whole calendar). Omission would leave every done
  deadline looking open, alarms still set, in every client, with no way for a later export to
  correct it.
- Clients that match an imported event to the one they hold by UID (Apple Calendar,
  Thunderbird/Lightning, most CalDAV-backed apps) take the newer version (higher SEQUENCE, later
  DTSTAMP) and so receive the cancellation; Thunderbird draws STATUS:CANCELLED struck through.
- Clients that ignore STATUS on a plain import, or that have no cancelled state for an ordinary
  appointment (Outlook only knows a cancelled *meeting request*, METHOD:CANCEL, which a PUBLISH
  file must not use), still show the "[DONE]" prefix and ring no alarm once the update lands.
- Clients that do not update by UID at all on file import (Google Calendar's import skips or
  refuses a UID it already holds - its import API rejects it as a duplicate, gcalcli #730/#784;
  Nextcloud #3053, khal #1072 report the same for their imports): nothing an export contains can
  change what they already show, so the README advises importing into a calendar of its own and
  replacing it (delete, import again) when things change. A first import into such a calendar
  shows done items once, marked "[DONE]", without alarms.
- A cancelled event costs one line in a calendar; a deadline wrongly looking open costs the
  practitioner's attention and hides which deadlines are really still open.

Privacy (DESIGN.md principle 1): an incident event's summary is its reference and the obligation
("INC-2026-003: Notify affected individuals (45 CFR 164.404(b))"); its description says how the date was
computed. The incident's title is added only with `details=True`; its description, the people
involved and any name never are. Register events name the hazard, safeguard or tool (practice
data, not client data) and never an owner.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from riskreg.domain.calendar_event import (
    DEFAULT_ALARM_DAYS,
    GROUPS,
    SUMMARY_OCTETS,
    UID_DOMAIN,
    CalendarEvent,
    IncidentInput,
    cut_summary,
    summary_octets,
    with_changes,
)
from riskreg.domain.calendar_incidents import incident_events
from riskreg.domain.calendar_register import (
    ba_verification_events,
    baa_events,
    hazard_events,
    risk_analysis_events,
    safeguard_events,
)

# -- alarms, reminders, order -------------------------------------------------------------------


def with_alarms(
    events: Iterable[CalendarEvent], days: Sequence[int], today: date
) -> list[CalendarEvent]:
    """Alarms on every open event still to come (none on cancelled or passed ones), each only
    while its day has not passed: a client rings an alarm whose trigger is already past as
    "missed" the moment it imports the file (Thunderbird did, findings D6), and "14 days left"
    would be false three days before. An alarm on today's day is kept (it rings at 09:00)."""
    days = tuple(days)
    out: list[CalendarEvent] = []
    for e in events:
        if not days or e.cancelled or e.day < today:
            out.append(e)
            continue
        left = (e.day - today).days
        kept = days if all(n <= left for n in days) else tuple(n for n in days if n <= left)
        out.append(with_changes(e, alarm_days=kept) if kept else e)
    return out


def reminder_events(
    events: Iterable[CalendarEvent], days: Sequence[int], today: date
) -> list[CalendarEvent]:
    """Separate all-day reminder events N days before each event, for calendars that drop
    alarms on import (Google). Each has its own stable UID (`...-reminder-14d@riskreg`); a
    cancelled event's reminders are cancelled too. Passed events get none (they would only
    clutter the past); 0 days would duplicate the event itself, so it gets none either.
    """
    out: list[CalendarEvent] = []
    for e in events:
        if e.reminder_days is not None or (not e.cancelled and e.day < today):
            continue
        for n in days:
            if n == 0:
                continue
            base = e.uid.rsplit("@", 1)[0]
            word = "day" if n == 1 else "days"
            mark = e.mark if e.cancelled else ""
            # The title is cut inside, so "in N days" stays at the end of the summary.
            head, tail = "Reminder: ", f" in {n} {word}"
            around = f"[{mark}] {head}{tail}" if mark else head + tail
            inner = cut_summary(e.title, SUMMARY_OCTETS - summary_octets(around))
            description = f"Reminder, {n} {word} before {e.day.isoformat()}. {e.description}"
            if inner != e.title and e.record_name and not e.description.startswith(
                    e.record_name):
                description = f"{e.record_name}. {description}"
            out.append(with_changes(
                e,
                uid=f"{base}-reminder-{n}d@{UID_DOMAIN}",
                day=e.day - timedelta(days=n),
                title=head + inner + tail,
                mark=mark,
                description=description,
                alarm_days=(),
                reminder_days=n,
                kind=f"{e.kind}-reminder-{n}d",
            ))
    return out


def sort_events(events: Iterable[CalendarEvent]) -> list[CalendarEvent]:
    """Deterministic order: by date, then group, then UID."""
    order = {g: i for i, g in enumerate(GROUPS)}
    return sorted(events, key=lambda e: (e.day, order.get(e.group, len(order)), e.uid))


@dataclass(frozen=True)
class EventInputs:
    """Everything an export can contain, as plain data."""

    hazards: Sequence[Mapping[str, Any]] = ()
    safeguards: Sequence[Mapping[str, Any]] = ()
    tools: Sequence[Mapping[str, Any]] = ()
    settings: Mapping[str, Any] | None = None
    incidents: Sequence[IncidentInput] = field(default_factory=tuple)


def build_events(
    inputs: EventInputs,
    today: date,
    *,
    groups: Iterable[str] = GROUPS,
    alarm_days: Sequence[int] = DEFAULT_ALARM_DAYS,
    reminders: bool = False,
    details: bool = False,
) -> list[CalendarEvent]:
    """The events of the chosen groups, with alarms (and reminder events), in a stable order."""
    chosen = set(groups)
    unknown = chosen - set(GROUPS)
    if unknown:
        raise ValueError(f"unknown groups: {', '.join(sorted(unknown))}")
    events: list[CalendarEvent] = []
    if "reviews" in chosen:
        for hazard in inputs.hazards:
            events.extend(hazard_events(hazard, today))
        events.extend(risk_analysis_events(inputs.settings, today))
    if "safeguards" in chosen:
        for safeguard in inputs.safeguards:
            events.extend(safeguard_events(safeguard, today))
    if "baa" in chosen:
        for tool in inputs.tools:
            events.extend(baa_events(tool, today))
            events.extend(ba_verification_events(tool, today))
    if "incidents" in chosen:
        for incident in inputs.incidents:
            events.extend(incident_events(incident, today, details=details))
    events = with_alarms(events, alarm_days, today)
    if reminders:
        events.extend(reminder_events(events, alarm_days, today))
    return sort_events(events)
