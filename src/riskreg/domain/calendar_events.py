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

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from riskreg.domain.obligation_names import obligation_name

GROUPS: tuple[str, ...] = ("incidents", "reviews", "safeguards", "baa")
"""What can be exported, in the order the CLI and the dialog list them."""

GROUP_LABELS = {
    "incidents": "Incident deadlines (obligations, internal targets, hold ends)",
    "reviews": "Hazard reviews, risk acceptances and the yearly risk analysis",
    "safeguards": "Safeguard due and verification dates",
    "baa": "Business associate agreement (BAA) expiry dates",
}

DEFAULT_ALARM_DAYS: tuple[int, ...] = (14, 7, 1)
"""Days before the date; the first is the most important (Outlook keeps only the first)."""

MAX_ALARM_DAYS = 365
MAX_ALARMS = 10
ALARM_HOUR = 9
"""Alarms ring at 09:00 on their day (an all-day event starts at midnight)."""

UID_DOMAIN = "riskreg"
CONFIRMED = "CONFIRMED"
CANCELLED = "CANCELLED"

NOT_LEGAL_ADVICE = "Computed by riskreg; not legal advice."

_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")

NAME_LIMIT = 50
"""Characters of a record's name in an event's title: a calendar shows only the start of a
title. A longer name is cut at a word, with "…", and given in full in the description."""
_TRAILING = " \t,;:-–—"


def cut_at_word(text: str, limit: int = NAME_LIMIT) -> str:
    """`text` if it fits in `limit` characters; otherwise cut after its last whole word that
    leaves room for "…", and ended with "…". Only a first word longer than the limit is cut
    inside it (there is no word end to cut at)."""
    if len(text) <= limit:
        return text
    spaces = [m.start() for m in re.finditer(r"\s", text[:limit])]
    stem = text[: spaces[-1]] if spaces else ""
    stem = stem.rstrip(_TRAILING) or stem  # "word, …" reads better as "word…"
    if not stem:
        stem = text[: limit - 1]
    return stem + "…"


def _named(what: str, name: str, description: str) -> tuple[str, str]:
    """(title, description) of an event about a named record: "Review hazard: <name>", the name
    cut at a word when long, and then given whole at the start of the description."""
    short = cut_at_word(name)
    if short == name:
        return f"{what}: {name}", description
    return f"{what}: {short}", f"{name}. {description}"


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event (or, with `reminder_days`, a separate reminder before one)."""

    uid: str
    day: date
    title: str
    """What is due, e.g. "Review hazard: Laptop stolen"."""
    description: str
    sequence: int
    last_modified: datetime
    group: str
    kind: str
    status: str = CONFIRMED
    mark: str = ""
    """"OVERDUE", "EXPIRED", "DONE", "CLOSED", "ARCHIVED"... shown in brackets before the title."""
    alarm_days: tuple[int, ...] = ()
    reminder_days: int | None = None
    """Set on a separate reminder event: how many days before its deadline it falls."""
    what: str = ""
    """What is due, without the record's name ("Review hazard", "Notify HHS"): the agenda
    (`services/agenda.py`) shows it beside the record, so the same words serve both."""
    record_kind: str = ""
    """The kind of record the date belongs to: hazard, safeguard, tool, incident, settings."""
    record_id: str = ""
    """That record's permanent public id."""
    record_name: str = ""
    """That record's name in full (an incident's reference, never its title)."""

    @property
    def summary(self) -> str:
        return f"[{self.mark}] {self.title}" if self.mark else self.title

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED


def _changed(event: CalendarEvent, **changes: Any) -> CalendarEvent:
    """`dataclasses.replace(event, **changes)`, six times faster (it matters for tens of
    thousands of reminder events): a copy of the instance's fields with the changes, without
    replace's per-field introspection and the frozen __init__'s per-field object.__setattr__.
    CalendarEvent has no __post_init__ or slots, so this is the same object replace makes."""
    unknown = changes.keys() - event.__dict__.keys()
    if unknown:
        raise TypeError(f"CalendarEvent has no field {', '.join(sorted(unknown))}")
    new = object.__new__(CalendarEvent)
    new.__dict__.update(event.__dict__)
    new.__dict__.update(changes)
    return new


@dataclass(frozen=True)
class ObligationInput:
    """One obligation of an incident's deadline plan, with whether it has been done."""

    id: str
    due: date | None
    citation: str
    explanation: str = ""
    internal_target: date | None = None
    track: str | None = None
    done_on: date | None = None
    """When the notice was recorded as sent (None: still open)."""
    tentative: bool = False
    """The outer limit that runs before the determination ("if it is a breach")."""
    not_required: bool = False
    """The practitioner determined that no notification is required: kept, cancelled."""


@dataclass(frozen=True)
class HoldInput:
    """The end of one law-enforcement hold (45 CFR 164.412)."""

    key: str
    """Stable within the incident: the statement's public id (or kind and date)."""
    kind: str
    statement_on: date
    ends_on: date


@dataclass(frozen=True)
class IncidentInput:
    public_id: str
    reference: str
    title: str
    revision: int
    updated_at: datetime
    closed: bool = False
    obligations: tuple[ObligationInput, ...] = ()
    holds: tuple[HoldInput, ...] = ()
    settings_revision: int = 0
    settings_updated_at: datetime | None = None
    """The practice settings' version: the internal targets also move with them."""


@dataclass(frozen=True)
class _Stamp:
    revision: int
    updated_at: datetime


# -- helpers ------------------------------------------------------------------------------------


def uid(public_id: str, kind: str) -> str:
    """`<public_id>-<kind>@riskreg`: stable for as long as the record exists."""
    return f"{public_id}-{_UNSAFE.sub('-', kind).strip('-')}@{UID_DOMAIN}"


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("calendar timestamps must be timezone-aware (UTC)")
    return moment.astimezone(UTC).replace(microsecond=0)


def passed_since(day: date) -> datetime:
    """The first moment (UTC) at which a date counts as passed: the start of the next day."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def parse_alarm_days(text: str) -> tuple[int, ...]:
    """"14,7,1" -> (14, 7, 1), kept in the given order (the first is the most important).

    "" or "none" means no alarms. Raises ValueError with a message the user can act on.
    """
    value = text.strip().lower()
    if value in ("", "none", "off", "no"):
        return ()
    days: list[int] = []
    for part in value.split(","):
        part = part.strip()
        if not part.isdigit():
            raise ValueError(
                f"alarm {part!r} is not a whole number of days (give e.g. 14,7,1, or none)"
            )
        n = int(part)
        if n > MAX_ALARM_DAYS:
            raise ValueError(f"alarm {n} is more than {MAX_ALARM_DAYS} days before")
        if n in days:
            raise ValueError(f"alarm {n} is given twice")
        days.append(n)
    if len(days) > MAX_ALARMS:
        raise ValueError(f"at most {MAX_ALARMS} alarms, got {len(days)}")
    return tuple(days)


def parse_groups(text: str) -> tuple[str, ...]:
    """"incidents,reviews" -> ("incidents", "reviews") in GROUPS order; ValueError otherwise."""
    chosen = [p.strip().lower() for p in text.split(",") if p.strip()]
    if not chosen:
        raise ValueError(f"choose at least one of: {', '.join(GROUPS)}")
    for name in chosen:
        if name not in GROUPS:
            raise ValueError(f"{name!r} is not one of: {', '.join(GROUPS)}")
    return tuple(g for g in GROUPS if g in chosen)


def _get_date(record: Mapping[str, Any], name: str) -> date | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _stamp(record: Mapping[str, Any]) -> _Stamp:
    updated = record["updated_at"]
    if isinstance(updated, str):
        updated = datetime.fromisoformat(updated)
    return _Stamp(int(record["revision"]), _aware(updated))


def _event(
    *,
    public_id: str,
    kind: str,
    day: date,
    summary: str,
    description: str,
    stamp: _Stamp,
    group: str,
    today: date,
    ended: str | None,
    past_label: str,
    what: str = "",
    record_kind: str = "",
    record_name: str = "",
) -> CalendarEvent:
    """An event, cancelled with the `ended` label ("DONE", "ARCHIVED"...) when set; else marked
    with `past_label` once its day has passed (and stamped as changed from that moment)."""
    modified = stamp.updated_at
    mark = ""
    status = CONFIRMED
    if ended:
        mark, status = ended, CANCELLED
    elif day < today:
        mark = past_label
        modified = max(modified, passed_since(day))
    return CalendarEvent(
        uid=uid(public_id, kind),
        day=day,
        title=summary,
        description=description,
        sequence=stamp.revision,
        last_modified=modified,
        group=group,
        kind=kind,
        status=status,
        mark=mark,
        what=what,
        record_kind=record_kind,
        record_id=public_id,
        record_name=record_name,
    )


def _archived(record: Mapping[str, Any]) -> bool:
    return bool(record.get("archived_at"))


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


# -- the register -------------------------------------------------------------------------------


REVIEW_CITATION = "45 CFR 164.308(a)(1)(ii)(B), 164.316(b)(2)(iii)"


def hazard_events(hazard: Mapping[str, Any], today: date) -> list[CalendarEvent]:
    """A hazard's next review, and the expiry of its risk acceptance (group "reviews")."""
    out: list[CalendarEvent] = []
    stamp = _stamp(hazard)
    pid = hazard["public_id"]
    title = hazard["title"]
    ended = "ARCHIVED" if _archived(hazard) else ("CLOSED" if hazard.get("status") == "closed"
                                                   else None)
    review_on = _get_date(hazard, "next_review_on")
    if review_on is not None:
        cadence = int(hazard.get("review_cadence_months") or 12)
        last = _get_date(hazard, "last_reviewed_on")
        source = (
            f"last reviewed {last.isoformat()} + review cadence {_months(cadence)}"
            if last
            else f"set in the register (review cadence {_months(cadence)})"
        )
        description = (
            f"Review of this hazard in the risk register is due {review_on.isoformat()}: "
            f"{source}. Risk management is ongoing ({REVIEW_CITATION}). Mark it reviewed in "
            f"riskreg and the next review date follows from the review's date."
        )
        summary, description = _named("Review hazard", title, description)
        out.append(_event(
            public_id=pid, kind="review", day=review_on, summary=summary,
            description=description, stamp=stamp, group="reviews", today=today,
            ended=ended, past_label="OVERDUE",
            what="Review hazard", record_kind="hazard", record_name=title,
        ))
    expires_on = _get_date(hazard, "acceptance_expires_on")
    if expires_on is not None:
        no_longer = hazard.get("treatment") != "accept"
        description = (
            f"The documented acceptance of this risk expires {expires_on.isoformat()} (the expiry "
            f"recorded with the acceptance's rationale in the register). Review the risk and "
            f"renew the acceptance or choose another treatment ({REVIEW_CITATION})."
        )
        summary, description = _named("Risk acceptance expires", title, description)
        out.append(_event(
            public_id=pid, kind="acceptance", day=expires_on,
            summary=summary, description=description, stamp=stamp,
            group="reviews", today=today,
            ended=ended or ("DONE" if no_longer else None), past_label="EXPIRED",
            what="Risk acceptance expires", record_kind="hazard", record_name=title,
        ))
    return out


def safeguard_events(safeguard: Mapping[str, Any], today: date) -> list[CalendarEvent]:
    """A safeguard's due date (while planned or in progress) and its next verification."""
    out: list[CalendarEvent] = []
    stamp = _stamp(safeguard)
    pid = safeguard["public_id"]
    title = safeguard["title"]
    status = safeguard.get("status") or "planned"
    citation = safeguard.get("citation") or ""
    cite = f" ({citation})" if citation else ""
    archived = "ARCHIVED" if _archived(safeguard) else None
    not_applicable = "DONE" if status == "not_applicable" else None
    due_on = _get_date(safeguard, "due_on")
    if due_on is not None:
        finished = "DONE" if status not in ("planned", "in_progress") else None
        description = (
            f"Due date set in the register for putting this safeguard in place{cite}; status "
            f"now: {status.replace('_', ' ')}."
        )
        summary, description = _named("Safeguard due", title, description)
        out.append(_event(
            public_id=pid, kind="due", day=due_on, summary=summary,
            description=description, stamp=stamp, group="safeguards", today=today,
            ended=archived or finished, past_label="OVERDUE",
            what="Safeguard due", record_kind="safeguard", record_name=title,
        ))
    verify_on = _get_date(safeguard, "next_verification_on")
    if verify_on is not None:
        cadence = int(safeguard.get("verification_cadence_months") or 12)
        last = _get_date(safeguard, "last_verified_on")
        source = (
            f"last verified {last.isoformat()} + verification cadence {_months(cadence)}"
            if last
            else f"verification cadence {_months(cadence)}"
        )
        description = (
            f"Verify that this safeguard still works{cite}: {source}. Evaluation is periodic "
            f"(45 CFR 164.308(a)(8))."
        )
        summary, description = _named("Verify safeguard", title, description)
        out.append(_event(
            public_id=pid, kind="verification", day=verify_on,
            summary=summary, description=description, stamp=stamp,
            group="safeguards", today=today, ended=archived or not_applicable,
            past_label="OVERDUE",
            what="Verify safeguard", record_kind="safeguard", record_name=title,
        ))
    return out


def baa_events(tool: Mapping[str, Any], today: date) -> list[CalendarEvent]:
    """A tool's BAA expiry date (45 CFR 164.308(b)(1), 164.504(e))."""
    expires_on = _get_date(tool, "baa_expires_on")
    if expires_on is None:
        return []
    name = tool["name"]
    signed = _get_date(tool, "baa_signed_on")
    signed_text = f" (signed {signed.isoformat()})" if signed else ""
    phi = (
        " It handles PHI: without a signed, current BAA it must not be used with client data."
        if tool.get("handles_phi", True)
        else ""
    )
    description = (
        f"The business associate agreement with this tool's vendor{signed_text} expires "
        f"{expires_on.isoformat()}, as recorded in the register.{phi} Renew it before then "
        f"(45 CFR 164.308(b)(1), 164.504(e))."
    )
    summary, description = _named("BAA expires", name, description)
    return [_event(
        public_id=tool["public_id"], kind="baa-expiry", day=expires_on,
        summary=summary, description=description, stamp=_stamp(tool),
        group="baa", today=today, ended="ARCHIVED" if _archived(tool) else None,
        past_label="EXPIRED",
        what="BAA expires", record_kind="tool", record_name=name,
    )]


def risk_analysis_events(settings: Mapping[str, Any] | None, today: date) -> list[CalendarEvent]:
    """The yearly (or per cadence) review of the whole risk analysis (164.308(a)(1)(ii)(A)).

    Needs the date of the last review in the practice settings; without one there is no date.
    """
    if not settings:
        return []
    reviewed = _get_date(settings, "risk_analysis_reviewed_on")
    if reviewed is None:
        return []
    cadence = int(settings.get("risk_analysis_cadence_months") or 12)
    due = reviewed + relativedelta(months=cadence)
    description = (
        f"Review the whole risk analysis and register: last reviewed {reviewed.isoformat()} + "
        f"{_months(cadence)} (45 CFR 164.308(a)(1)(ii)(A); 164.316(b)(2)(iii): review "
        f"documentation periodically). It must cover the AI tools that touch client data."
    )
    return [_event(
        public_id=settings["public_id"], kind="risk-analysis", day=due,
        summary="Risk analysis review (whole register)", description=description,
        stamp=_stamp(settings), group="reviews", today=today, ended=None, past_label="OVERDUE",
        what="Review the whole risk analysis", record_kind="settings",
        record_name="Practice settings",
    )]


# -- incidents ----------------------------------------------------------------------------------


def _with_title(summary: str, incident: IncidentInput, details: bool) -> str:
    return f"{summary} - {cut_at_word(incident.title)}" if details and incident.title else summary


def incident_events(
    incident: IncidentInput, today: date, *, details: bool = False
) -> list[CalendarEvent]:
    """Every obligation with a due date and its internal target, and each hold's end.

    A done obligation (its notice recorded as sent) is kept as CANCELLED with the same UID (see
    the module docstring); so is a closed incident's hold. A closed incident's obligation still
    owed stays open, alarms and all: closing the incident does not end the duty to notify.
    """
    out: list[CalendarEvent] = []
    stamp = _Stamp(incident.revision, _aware(incident.updated_at))
    target_stamp = _Stamp(
        incident.revision + incident.settings_revision,
        max(stamp.updated_at, _aware(incident.settings_updated_at))
        if incident.settings_updated_at else stamp.updated_at,
    )
    ref = incident.reference
    closed = "CLOSED" if incident.closed else None
    for ob in incident.obligations:
        if ob.due is None:
            continue
        label = obligation_name(ob.id, ob.track)
        if ob.tentative:
            label += ", if it is a breach"
        done = "DONE" if ob.done_on is not None else ("NOT REQUIRED" if ob.not_required else None)
        done_text = f" Recorded as sent on {ob.done_on.isoformat()}." if ob.done_on else ""
        if closed and not done:
            # Closing the incident does not end the duty to notify: the event stays open.
            done_text = " The incident is closed, but this notice is still owed."
        citation = ob.citation
        description = (
            f"{ref}: {label}, due {ob.due.isoformat()} ({citation}). How the date was computed: "
            f"{ob.explanation}{done_text} {NOT_LEGAL_ADVICE} Open {ref} in riskreg for the plan."
        ).replace("  ", " ")
        out.append(_event(
            public_id=incident.public_id, kind=ob.id, day=ob.due,
            summary=_with_title(f"{ref}: {label} ({citation})", incident, details),
            description=description, stamp=stamp, group="incidents", today=today,
            ended=done, past_label="OVERDUE",
            what=label, record_kind="incident", record_name=ref,
        ))
        if ob.internal_target is not None:
            description = (
                f"{ref}: suggested internal target ({label}), ahead of the legal deadline "
                f"{ob.due.isoformat()} ({citation}). The deadline is an outer limit: waiting until "
                f"the last day can itself be unreasonable delay (45 CFR 164.404(b)). The target's "
                f"distance before the deadline is set in riskreg's practice settings."
                f"{done_text} {NOT_LEGAL_ADVICE}"
            )
            out.append(_event(
                public_id=incident.public_id, kind=f"{ob.id}-target", day=ob.internal_target,
                summary=_with_title(f"{ref}: internal target: {label}", incident, details),
                description=description, stamp=target_stamp, group="incidents", today=today,
                ended=done, past_label="PASSED",
                what=f"Internal target: {label}", record_kind="incident", record_name=ref,
            ))
    for hold in incident.holds:
        description = (
            f"{ref}: the {hold.kind} law-enforcement statement of "
            f"{hold.statement_on.isoformat()} holds notice back until {hold.ends_on.isoformat()}"
            f" (45 CFR 164.412{'(a)' if hold.kind == 'written' else '(b): at most 30 days'}). "
            f"No notice may go out inside the hold. {NOT_LEGAL_ADVICE}"
        )
        out.append(_event(
            public_id=incident.public_id, kind=f"hold-{hold.key}-end", day=hold.ends_on,
            summary=_with_title(f"{ref}: law-enforcement hold ends (45 CFR 164.412)", incident,
                                details),
            description=description, stamp=stamp, group="incidents", today=today,
            ended=closed, past_label="ENDED",
            what="Law-enforcement hold ends", record_kind="incident", record_name=ref,
        ))
    return out


# -- alarms, reminders, order -------------------------------------------------------------------


def with_alarms(
    events: Iterable[CalendarEvent], days: Sequence[int], today: date
) -> list[CalendarEvent]:
    """Alarms on every open event still to come (none on cancelled or passed ones: a client
    would otherwise ring "missed" alarms on import)."""
    days = tuple(days)
    return [
        _changed(e, alarm_days=days) if days and not e.cancelled and e.day >= today else e
        for e in events
    ]


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
            out.append(_changed(
                e,
                uid=f"{base}-reminder-{n}d@{UID_DOMAIN}",
                day=e.day - timedelta(days=n),
                title=f"Reminder: {e.title} in {n} {word}",
                mark=e.mark if e.cancelled else "",
                description=f"Reminder, {n} {word} before {e.day.isoformat()}. {e.description}",
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
    if "incidents" in chosen:
        for incident in inputs.incidents:
            events.extend(incident_events(incident, today, details=details))
    events = with_alarms(events, alarm_days, today)
    if reminders:
        events.extend(reminder_events(events, alarm_days, today))
    return sort_events(events)
