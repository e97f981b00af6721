"""Calendar export: the register's and the incidents' dates as an iCalendar (.ics) file.

`CalendarService.export(path, options)` gathers the records through the services, turns them
into events (`riskreg.domain.calendar_events`, which documents UIDs, SEQUENCE, timestamps and the
choice for done obligations), renders one VCALENDAR with icalendar and writes it atomically with
mode 0600. It returns how many events were written.

The output depends only on the data and the given "today": no wall clock, events in a fixed
order, DTSTAMP and LAST-MODIFIED from each record's last change. Exporting unchanged data twice
gives byte-identical files, so a re-import changes nothing.

File shape (RFC 5545, as Google, Apple, Outlook and Thunderbird import it): METHOD:PUBLISH, PRODID,
VERSION, NAME and X-WR-CALNAME; all-day VEVENTs (DTSTART;VALUE=DATE, DTEND the next day),
TRANSP:TRANSPARENT (a deadline does not make the practitioner busy), CLASS:PRIVATE; VALARMs ring
at 09:00 N days before, most important first; CRLF line ends and lines folded at 75 octets
(icalendar does both).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from riskreg.domain.calendar_events import (
    ALARM_HOUR,
    DEFAULT_ALARM_DAYS,
    GROUPS,
    CalendarEvent,
    EventInputs,
    IncidentInput,
    build_events,
    parse_alarm_days,
)
from riskreg.errors import BadInput, UserError
from riskreg.storage.database import Database

CALENDAR_NAME = "riskreg deadlines"
PRODID = "-//riskreg//riskreg calendar export//EN"
DEFAULT_FILE_NAME = "riskreg-deadlines.ics"


@dataclass(frozen=True)
class ExportOptions:
    """What to export. `alarm_days=None` uses the practice settings (default 14, 7, 1)."""

    groups: tuple[str, ...] = GROUPS
    alarm_days: tuple[int, ...] | None = None
    reminder_events: bool = False
    details: bool = False
    """Add each incident's title to its events (the CLI warns first)."""
    incident: str | None = None
    """Only this incident (by reference, e.g. INC-2026-003) in the incidents group."""

    def __post_init__(self) -> None:
        unknown = [g for g in self.groups if g not in GROUPS]
        if unknown or not self.groups:
            raise BadInput(f"choose what to export from: {', '.join(GROUPS)}")


@dataclass
class CalendarService:
    db: Database
    today: Callable[[], date] = field(default=date.today)

    # -- gathering -----------------------------------------------------------------------------

    def settings(self) -> dict[str, Any] | None:
        """The practice settings row as a dict, or None when there is none yet."""
        from sqlmodel import col, select

        from riskreg.storage.models import PracticeSettings

        with self.db.reading() as session:
            row = session.exec(
                select(PracticeSettings)
                .where(col(PracticeSettings.archived_at).is_(None))
                .order_by(col(PracticeSettings.id))
            ).first()
            return row.model_dump() if row is not None else None

    def alarm_days(self, options: ExportOptions, settings: dict[str, Any] | None) -> tuple[int, ...]:
        if options.alarm_days is not None:
            return options.alarm_days
        text = (settings or {}).get("alarm_days")
        if text:
            try:
                return parse_alarm_days(text)
            except ValueError:
                pass  # a bad stored value falls back to the default rather than failing
        return DEFAULT_ALARM_DAYS

    def inputs(self, options: ExportOptions, settings: dict[str, Any] | None) -> EventInputs:
        from riskreg.services.register import ListQuery, RegisterService

        register = RegisterService(self.db, today=self.today)

        def everything(kind: str) -> list[dict[str, Any]]:
            # Archived records too: their dates are exported as cancelled, not left open.
            return (register.list(kind, ListQuery(limit=None)).rows
                    + register.list(kind, ListQuery(limit=None, archived=True)).rows)

        groups = set(options.groups)
        return EventInputs(
            hazards=everything("hazard") if "reviews" in groups else (),
            safeguards=everything("safeguard") if "safeguards" in groups else (),
            tools=everything("tool") if "baa" in groups else (),
            settings=settings,
            incidents=self.incidents(options, settings) if "incidents" in groups else (),
        )

    def incidents(
        self, options: ExportOptions, settings: dict[str, Any] | None
    ) -> Sequence[IncidentInput]:
        """The incidents' plans as plain inputs (see `incident_inputs`)."""
        return incident_inputs(self.db, self.today, settings, options.incident)

    def events(self, options: ExportOptions = ExportOptions()) -> list[CalendarEvent]:
        settings = self.settings()
        return build_events(
            self.inputs(options, settings),
            self.today(),
            groups=options.groups,
            alarm_days=self.alarm_days(options, settings),
            reminders=options.reminder_events,
            details=options.details,
        )

    # -- rendering and writing -----------------------------------------------------------------

    def render(self, options: ExportOptions = ExportOptions()) -> tuple[bytes, int]:
        """The .ics bytes and the number of events in them."""
        events = self.events(options)
        return render_calendar(events), len(events)

    def export(self, path: str | Path, options: ExportOptions = ExportOptions()) -> int:
        """Write the .ics file atomically (mode 0600); return how many events it holds.

        An unwritable path raises UserError with one clear line and leaves nothing behind.
        """
        from riskreg.storage.files import write_atomic

        target = Path(path).expanduser()
        if target.is_dir():
            raise UserError(f"cannot write {target}: it is a folder; give a file name, e.g. "
                            f"{target / DEFAULT_FILE_NAME}")
        data, count = self.render(options)
        write_atomic(target, data)
        return count


def render_calendar(events: Sequence[CalendarEvent]) -> bytes:
    """One VCALENDAR holding the events, in their given order."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", CALENDAR_NAME)
    cal.add("x-wr-calname", CALENDAR_NAME)
    cal.add("x-wr-caldesc", "Deadlines and review dates exported by riskreg. Not legal advice.")
    alarms: dict[int, Any] = {}
    for e in events:
        ev = Event()
        ev.add("uid", e.uid)
        ev.add("dtstamp", e.last_modified)
        ev.add("last-modified", e.last_modified)
        ev.add("dtstart", e.day)
        ev.add("dtend", e.day + timedelta(days=1))
        ev.add("summary", e.summary)
        ev.add("description", e.description)
        ev.add("sequence", e.sequence)
        ev.add("status", e.status)
        ev.add("transp", "TRANSPARENT")
        ev.add("class", "PRIVATE")
        for n in e.alarm_days:
            ev.add_component(alarms.get(n) or alarms.setdefault(n, _alarm(n)))
        cal.add_component(ev)
    return cal.to_ical()


def _alarm(days_before: int) -> Any:
    """A display alarm at 09:00, `days_before` days before the (all-day) event. The same few
    alarms serve every event: clients show the event's own title beside the alarm's text."""
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    left = "today" if days_before == 0 else (
        f"{days_before} day left" if days_before == 1 else f"{days_before} days left")
    alarm.add("description", f"riskreg: {left}")
    alarm.add("trigger", timedelta(days=-days_before, hours=ALARM_HOUR))
    return alarm


# -- incidents ---------------------------------------------------------------------------------


def incident_inputs(
    db: Database,
    today: Callable[[], date],
    settings: dict[str, Any] | None,
    reference: str | None = None,
) -> list[IncidentInput]:
    """Every incident (or the one named) as an `IncidentInput`, through the incident service.

    - With a deadline plan: every obligation with a due date, its internal target, each hold's
      end; an obligation with a notice recorded as sent is done.
    - Not yet determined (or determined but not yet scoped): the individual notice's outer
      limit (discovery + 60 days, 164.404(b)) as a tentative deadline, since the clock runs from
      discovery, not from the end of the investigation. It has the same UID as the real one, so
      the plan's date replaces it on the next import.
    - Determined not to need notification: that tentative deadline kept as cancelled.
    - Closed: everything kept as cancelled.
    """
    try:
        from riskreg.services.incidents import IncidentService
    except ImportError:  # the breach workflow is not installed in this build
        if reference:
            raise UserError(f"no incident {reference}") from None
        return []
    service = IncidentService(db, today=today)
    if reference:
        refs = [service.get(reference)["reference"]]
    else:
        refs = sorted(row["reference"] for row in service.list(include_closed=True))
    settings = settings or {}
    return [_incident_input(service, ref, settings) for ref in refs]


def _incident_input(service: Any, ref: str, settings: dict[str, Any]) -> IncidentInput:
    from riskreg.domain.calendar_events import HoldInput, ObligationInput
    from riskreg.domain.deadlines import individual_notice_due

    record = service.get(ref)
    obligations: list[ObligationInput] = []
    holds: list[HoldInput] = []
    plan = service.plan(ref) if record.get("obligations") else None
    for status in record.get("obligations") or ():
        sent = [n["sent_on"] for n in status.get("sent") or ()]
        obligations.append(ObligationInput(
            id=status["id"], due=status["due"], citation=status["citation"],
            explanation=status.get("explanation") or "",
            internal_target=status.get("internal_target"), track=status.get("track"),
            done_on=max(sent) if status.get("state") == "done" and sent else None,
        ))
    if plan is not None:
        statements = list(record.get("statements") or ())
        for window in plan.holds:
            match = next((s for s in statements if s["kind"] == window.kind
                          and s["statement_on"] == window.statement_on), None)
            if match is not None:
                statements.remove(match)
            key = match["public_id"] if match else f"{window.kind}-{window.statement_on:%Y%m%d}"
            holds.append(HoldInput(key, window.kind, window.statement_on, window.ends_on))
    elif not record.get("obligations"):
        pending = record.get("next_deadline")
        discovered = record.get("effective_discovered") or record["discovered_on"]
        if pending and pending.get("tentative"):
            obligations.append(ObligationInput(
                id="individuals", due=pending["due"], citation="45 CFR 164.404(b)",
                tentative=True,
                explanation=(
                    f"no determination recorded yet. If this is a breach of unsecured PHI, each "
                    f"affected individual must be notified without unreasonable delay, no later "
                    f"than discovery {discovered} + 60 calendar days = {pending['due']}. The clock "
                    f"runs from discovery, not from the end of the investigation."
                ),
            ))
        elif record.get("determination"):
            obligations.append(ObligationInput(
                id="individuals", due=individual_notice_due(discovered),
                citation="45 CFR 164.404(b)", not_required=True,
                explanation=(
                    "the practitioner determined that no notification is required "
                    f"({record.get('determination_label') or record['determination']})."
                ),
            ))
    return IncidentInput(
        public_id=record["public_id"], reference=record["reference"], title=record["title"],
        revision=record["revision"], updated_at=record["updated_at"],
        closed=record.get("status") == "closed",
        obligations=tuple(obligations), holds=tuple(holds),
        settings_revision=int(settings.get("revision") or 0),
        settings_updated_at=settings.get("updated_at"),
    )
