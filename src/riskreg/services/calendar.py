"""Calendar export: the register's and the incidents' dates as an iCalendar (.ics) file.

`CalendarService.export(path, options)` gathers the records through the services, turns them
into events (`riskreg.domain.calendar_events`, which documents UIDs, SEQUENCE, timestamps and the
choice for done obligations), renders one VCALENDAR with icalendar (`calendar_chunks` says how
it stays fast) and writes it atomically with mode 0600. It returns how many events were written.
The records are read with one plain SELECT of the needed columns per kind (`dated_records`).

The output depends only on the data and the given "today": no wall clock, events in a fixed
order, DTSTAMP and LAST-MODIFIED from each record's last change. Exporting unchanged data twice
gives byte-identical files, so a re-import changes nothing.

Each export to a target (an .ics file, or a vdir folder: `calendar_targets`) goes through that
target's ledger (`riskreg.domain.calendar_ledger`): a changed event gets a higher SEQUENCE and a
newer DTSTAMP, a vanished one is written cancelled, an unchanged one keeps what it had.

File shape (RFC 5545, as Google, Apple, Outlook and Thunderbird import it): PRODID, VERSION,
NAME and X-WR-CALNAME, REFRESH-INTERVAL and X-PUBLISHED-TTL (no METHOD: `calendar_head`); all-day VEVENTs (DTSTART;VALUE=DATE, DTEND the next day),
TRANSP:TRANSPARENT (a deadline does not make the practitioner busy), CLASS:PRIVATE; VALARMs ring
at 09:00 N days before, most important first; CRLF line ends and lines folded at 75 octets
(as icalendar does both; tests/test_calendar_render.py holds the bytes to icalendar's own).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from riskreg.domain.calendar_event import (  # noqa: F401 (ALARM_HOUR: re-exported)
    ALARM_HOUR,
    DEFAULT_ALARM_DAYS,
    GROUPS,
    CalendarEvent,
    IncidentInput,
    parse_alarm_days,
)
from riskreg.domain.calendar_events import EventInputs, build_events
from riskreg.domain.text import escaped
from riskreg.errors import BadInput, UserError
from riskreg.services.calendar_render import (  # noqa: F401 (re-exported)
    CALENDAR_END,
    CALENDAR_NAME,
    DEFAULT_FILE_NAME,
    PRODID,
    _alarm,
    _EventWriter,
    _fold,
    _releasing,
    calendar_chunks,
    calendar_head,
    render_calendar,
)
from riskreg.storage.database import Database

_TRACKED = ("public_id", "revision", "updated_at", "archived_at")
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "hazard": _TRACKED + ("title", "status", "treatment", "review_cadence_months",
                          "last_reviewed_on", "next_review_on", "acceptance_expires_on"),
    "safeguard": _TRACKED + ("title", "status", "citation", "verification_cadence_months",
                             "last_verified_on", "next_verification_on", "due_on"),
    "tool": _TRACKED + ("name", "handles_phi", "baa_signed_on", "baa_expires_on",
                        "ba_verification_received_on", "ba_verification_due_on"),
}
"""The fields of each kind of record that `riskreg.domain.calendar_events` reads."""
RECORD_DATES: dict[str, tuple[str, ...]] = {
    "hazard": ("next_review_on", "acceptance_expires_on"),
    "safeguard": ("due_on", "next_verification_on"),
    "tool": ("baa_expires_on", "ba_verification_due_on"),
}
"""A record with none of these dates gives no event."""


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
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    """The moment a changed event is stamped with (DTSTAMP); tests fix it."""

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
        groups = set(options.groups)
        return EventInputs(
            hazards=self.dated_records("hazard") if "reviews" in groups else (),
            safeguards=self.dated_records("safeguard") if "safeguards" in groups else (),
            tools=self.dated_records("tool") if "baa" in groups else (),
            settings=settings,
            incidents=self.incidents(options, settings) if "incidents" in groups else (),
        )

    def dated_records(self, kind: str, until: date | None = None) -> list[dict[str, Any]]:
        """The records of one kind that have a date to export, archived ones too (their dates
        are exported as cancelled, not left open), each as a dict of just the fields the events
        are made of (`RECORD_FIELDS`). With `until`, only those with a date on or before it
        (the agenda, `services/agenda.py`, needs no later ones).

        One plain SELECT of those columns: no ORM objects, no derived fields, no owner join (an
        event names no owner). Rows come in no particular order; `build_events` sorts the events.
        """
        from sqlalchemy import or_, select

        from riskreg.storage.models import Hazard, Safeguard, Tool

        model = {"hazard": Hazard, "safeguard": Safeguard, "tool": Tool}[kind]
        names = RECORD_FIELDS[kind]
        dated = or_(*(getattr(model, name).is_not(None) for name in RECORD_DATES[kind]))
        if until is not None:
            dated = or_(*(getattr(model, name) <= until for name in RECORD_DATES[kind]))
        stmt = select(*(getattr(model, name) for name in names)).where(dated)
        with self.db.reading() as session:
            return [dict(zip(names, row, strict=True))
                    for row in session.connection().execute(stmt)]

    def incidents(
        self, options: ExportOptions, settings: dict[str, Any] | None
    ) -> Sequence[IncidentInput]:
        """The incidents' plans as plain inputs (see `incident_inputs`)."""
        return incident_inputs(self.db, self.today, settings, options.incident)

    def events(self, options: ExportOptions = ExportOptions()) -> list[CalendarEvent]:
        settings = self.settings()
        # A control character stored by an older version (or an edit of the file) would make
        # the file invalid iCalendar and reach the calendar as it is: shown escaped (D8).
        return [replace(e, title=escaped(e.title),
                        description=escaped(e.description, keep_lines=True))
                for e in self._events(options, settings)]

    def _events(self, options: ExportOptions, settings: Any) -> list[CalendarEvent]:
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

        An unwritable path raises UserError with one clear line and leaves nothing behind; so
        do the register's own files and odd targets (`check_output_path`). The file's ledger is
        recorded once the file is written (`calendar_targets.export_file`).
        """
        from riskreg.services.calendar_targets import export_file

        return export_file(self, path, options).count

    def export_vdir(self, folder: str | Path, options: ExportOptions = ExportOptions()) -> Any:
        """Write the events into a vdir folder, one .ics file each (`calendar_targets`)."""
        from riskreg.services.calendar_targets import export_vdir

        return export_vdir(self, folder, options)

    def feed_path(self) -> Path:
        """The practice's feed: the one .ics file a calendar subscribes to."""
        from riskreg.services.calendar_targets import feed_path

        return feed_path(self.db.path)


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


def tentative_of(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [] if record.get("obligations") else list(record.get("tentative_obligations") or ())


def _notifies(record: dict[str, Any]) -> bool:
    return record.get("determination") == "notification_required"


def _tentative_text(row: dict[str, Any], discovered: date) -> str:
    """A clock already running before the determination (or the scope): HIPAA's outer limit,
    or a state's residents' clock, which runs whatever HIPAA's determination will be."""
    if row["obligation"] == "individuals":
        return (
            f"no determination recorded yet. If this is a breach of unsecured PHI, each "
            f"affected individual must be notified without unreasonable delay, no later "
            f"than discovery {discovered} + 60 calendar days = {row['due']}. The clock "
            f"runs from discovery, not from the end of the investigation."
        )
    return (
        f"no determination recorded yet. {row['who']}: {row['explanation']} State duties do "
        "not depend on HIPAA's determination (state definitions of breach and encryption "
        "differ); verify with counsel."
    )


def _incident_input(service: Any, ref: str, settings: dict[str, Any]) -> IncidentInput:
    from riskreg.domain.calendar_event import HoldInput, ObligationInput
    from riskreg.domain.deadlines import individual_notice_due

    record = service.get(ref)
    obligations: list[ObligationInput] = []
    holds: list[HoldInput] = []
    plan = service.plan(ref) if record.get("obligations") else None
    for status in record.get("obligations") or ():
        sent = [n["sent_on"] for n in status.get("sent") or ()]
        obligations.append(ObligationInput(
            id=status["id"], due=status["due"] or status.get("latest_on"),
            no_fixed_day=status["due"] is None, citation=status["citation"],
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
        discovered = record.get("effective_discovered") or record["discovered_on"]
        tentative = record.get("tentative_obligations") or []
        for row in tentative:
            obligations.append(ObligationInput(
                id=row["obligation"], due=row["due"], citation=row["citation"], tentative=True,
                explanation=_tentative_text(row, discovered),
            ))
    if not tentative_of(record) and record.get("determination") and not _notifies(record):
        # HIPAA requires no notice: the tentative individual notice is kept as cancelled (a
        # state-only plan's rows, if any, are above).
        obligations.append(ObligationInput(
            id="individuals", due=individual_notice_due(
                record.get("effective_discovered") or record["discovered_on"]),
            citation="45 CFR 164.404(b)", not_required=True,
            explanation=(
                "the practitioner determined that no notification is required under HIPAA "
                f"({record.get('determination_label') or record['determination']})."
                + (" State notices, if any, are listed separately."
                   if record.get("obligations") else "")
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
