"""One calendar event and what every kind of event is made with: its identity (UID, SEQUENCE,
the stamp), the inputs an incident gives, titles cut at a word, the alarm and group options.
The module docstring of `calendar_events` says why events look as they do."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

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


SUMMARY_OCTETS = 74 - len("SUMMARY:")
"""Octets an event's SUMMARY may take, its [MARK] included: the .ics line then fits in one
line of 74 octets and is never folded (RFC 5545 3.1). Whoever reads the file itself (or a
client that shows only the first line) sees the title end at a word, with "…", not broken
mid-word at the fold. The whole title is in the description (`described`)."""

_ICS_ESCAPED = re.compile(r"[\\;,\n]")


def summary_octets(text: str) -> int:
    """Octets of `text` in a SUMMARY line: UTF-8, each character TEXT escaping doubles
    (backslash, semicolon, comma, new line) counted twice."""
    return len(text.encode("utf-8")) + len(_ICS_ESCAPED.findall(text))


def cut_summary(text: str, octets: int = SUMMARY_OCTETS) -> str:
    """`text` if it fits in a SUMMARY line (`SUMMARY_OCTETS`); otherwise cut after its last
    whole word that leaves room for "…", as `cut_at_word` cuts, and ended with "…"."""
    if len(text) <= octets // 2 or summary_octets(text) <= octets:
        return text
    ends = [m.start() for m in re.finditer(r"\s", text[: octets + 1])]
    for end in reversed(ends):
        stem = text[:end].rstrip(_TRAILING) or text[:end]
        if stem.strip() and summary_octets(stem + "…") <= octets:
            opened = stem.rfind(" (")
            if opened > stem.rfind(")") and stem[opened:].count(" ") <= 2 and \
                    stem[:opened].strip(_TRAILING):
                # "individuals (45 CFR…" reads better as "individuals…"
                stem = stem[:opened].rstrip(_TRAILING)
            return stem + "…"
    stem = text[:octets]  # one long first word: no word end to cut at
    while stem and summary_octets(stem + "…") > octets:
        stem = stem[:-1]
    return stem + "…"


def described(title: str, description: str, record_name: str, mark: str = "") -> str:
    """`description`, led by the record's whole name when the event's summary (`title` after
    its mark) is cut and the description does not already begin with the name."""
    whole = f"[{mark}] {title}" if mark else title
    if not record_name or description.startswith(record_name) or cut_summary(whole) == whole:
        return description
    return f"{record_name}. {description}"


def named_summary(what: str, name: str, description: str) -> tuple[str, str]:
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
        """The SUMMARY: "[MARK] title", cut at a word with "…" to fit one .ics line."""
        return cut_summary(f"[{self.mark}] {self.title}" if self.mark else self.title)

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED


def with_changes(event: CalendarEvent, **changes: Any) -> CalendarEvent:
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
    no_fixed_day: bool = False
    """The law sets no day ("as soon as possible"): `due` is the latest day that still makes
    sense, the individual notice's (`riskreg.domain.obligations.latest_day`)."""


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
class Stamp:
    revision: int
    updated_at: datetime


# -- helpers ------------------------------------------------------------------------------------


def uid(public_id: str, kind: str) -> str:
    """`<public_id>-<kind>@riskreg`: stable for as long as the record exists."""
    return f"{public_id}-{_UNSAFE.sub('-', kind).strip('-')}@{UID_DOMAIN}"


def as_aware(moment: datetime) -> datetime:
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


def date_field(record: Mapping[str, Any], name: str) -> date | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def stamp_of(record: Mapping[str, Any]) -> Stamp:
    updated = record["updated_at"]
    if isinstance(updated, str):
        updated = datetime.fromisoformat(updated)
    return Stamp(int(record["revision"]), as_aware(updated))


def make_event(
    *,
    public_id: str,
    kind: str,
    day: date,
    summary: str,
    description: str,
    stamp: Stamp,
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
        description=described(summary, description, record_name, mark),
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


def is_archived(record: Mapping[str, Any]) -> bool:
    return bool(record.get("archived_at"))


def months_text(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"
