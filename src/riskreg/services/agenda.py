"""What is due in the next N days, across the whole register and every incident.

The agenda is the calendar export's events (`riskreg.domain.calendar_events`), read the way the
calendar export reads them (`services/calendar.py`), so what counts as due, done, closed or
overdue is decided in one place: an item here is an event the calendar would show as open.
Two kinds of open event are left out once their day has passed, because nothing is owed on
them any more: an internal target ("PASSED", the legal deadline is its own item) and the end of
a law-enforcement hold ("ENDED").

Incidents are named by their reference only, never their title or description (minimum
necessary: the agenda is printed and exported as JSON).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from riskreg.domain.calendar_events import EventInputs, build_events
from riskreg.domain.text import plural
from riskreg.errors import BadInput
from riskreg.storage.database import Database

DEFAULT_DAYS = 7
MAX_DAYS = 3650
"""Ten years: any further is not an agenda."""

OVERDUE_MARKS = frozenset({"OVERDUE", "EXPIRED"})
"""The calendar's marks for a passed date that still asks something of the practitioner."""


@dataclass(frozen=True)
class AgendaItem:
    day: date
    days_left: int
    """Negative when overdue."""
    what: str
    """What is due, in words ("Verify safeguard", "Notify affected individuals")."""
    record_kind: str
    """hazard, safeguard, tool, incident or settings."""
    record_id: str
    record_name: str
    """The record's name (an incident's reference)."""
    overdue: bool

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(), "days_left": self.days_left, "overdue": self.overdue,
            "what": self.what, "record": {"kind": self.record_kind, "id": self.record_id,
                                          "name": self.record_name},
        }


@dataclass(frozen=True)
class Agenda:
    today: date
    days: int
    items: tuple[AgendaItem, ...]

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue)

    @property
    def until(self) -> date:
        return self.today + timedelta(days=self.days)

    def to_json_dict(self) -> dict[str, Any]:
        return {"today": self.today.isoformat(), "days": self.days, "until": self.until.isoformat(),
                "overdue": self.overdue, "items": [item.to_json_dict() for item in self.items]}


def check_days(days: int) -> int:
    if not 0 <= days <= MAX_DAYS:
        raise BadInput(f"the number of days must be a whole number from 0 to {MAX_DAYS}")
    return days


def build_agenda(db: Database, today: date, days: int = DEFAULT_DAYS) -> Agenda:
    """Every open obligation and date due by `today + days` (or already overdue), overdue
    first, then by date."""
    from riskreg.services.calendar import CalendarService, incident_inputs

    until = today + timedelta(days=check_days(days))
    calendar = CalendarService(db, today=lambda: today)
    settings = calendar.settings()
    inputs = EventInputs(
        hazards=calendar.dated_records("hazard", until=until),
        safeguards=calendar.dated_records("safeguard", until=until),
        tools=calendar.dated_records("tool", until=until),
        settings=settings,
        incidents=incident_inputs(db, calendar.today, settings),
    )
    items = [
        AgendaItem(day=e.day, days_left=(e.day - today).days, what=e.what,
                   record_kind=e.record_kind, record_id=e.record_id, record_name=e.record_name,
                   overdue=e.mark in OVERDUE_MARKS)
        for e in build_events(inputs, today, alarm_days=())
        if not e.cancelled and e.day <= until and (e.day >= today or e.mark in OVERDUE_MARKS)
    ]
    # build_events gives date order (then group, then UID): a stable sort keeps it.
    items.sort(key=lambda item: not item.overdue)
    return Agenda(today, days, tuple(items))


def days_words(days_left: int) -> str:
    """"3 days late", "today", "tomorrow", "in 5 days"."""
    if days_left < 0:
        return f"{plural(-days_left, 'day')} late"
    if days_left == 0:
        return "today"
    if days_left == 1:
        return "tomorrow"
    return f"in {plural(days_left, 'day')}"


RECORD_WORDS = {"hazard": "Hazard: {name}", "safeguard": "Safeguard: {name}",
                "tool": "Tool: {name}", "incident": "Incident {name}", "settings": "{name}"}
"""How `due` names the record an item is about, by its kind: an incident by its reference, the
practice settings by their own name ("Practice settings")."""

SHORT_LABELS = {"incident": "{name}: {what}", "settings": "{what}"}
"""A narrow list's line, for the kinds that differ from "{what}: {name}"."""


def record_words(item: AgendaItem) -> str:
    """"Safeguard: Password manager", "Incident INC-2026-002", "Practice settings"."""
    words = RECORD_WORDS.get(item.record_kind, item.record_kind.title() + ": {name}")
    return words.format(name=item.record_name)


def short_label(item: AgendaItem) -> str:
    """One line for a narrow list: "Verify safeguard: Screen lock", "INC-2026-002: Notify
    HHS", "Review the whole risk analysis"."""
    words = SHORT_LABELS.get(item.record_kind, "{what}: {name}")
    return words.format(name=item.record_name, what=item.what)


def short_days(days_left: int) -> str:
    """The days in a few characters, as the dashboard's other lists say them."""
    if days_left < 0:
        return f"{-days_left}d late"
    return "today" if days_left == 0 else f"in {days_left}d"


def heading(agenda: Agenda) -> str:
    """The count of overdue items first, then what is coming."""
    coming = len(agenda.items) - agenda.overdue
    window = "today" if agenda.days == 0 else (
        "in the next day" if agenda.days == 1 else f"in the next {agenda.days} days")
    if not agenda.items:
        return f"Nothing is due {window}."
    parts = []
    if agenda.overdue:
        parts.append(f"{agenda.overdue} overdue")
    parts.append(f"{coming} due {window}")
    return ", ".join(parts) + "."

