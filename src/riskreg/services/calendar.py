"""Calendar export: the register's and the incidents' dates as an iCalendar (.ics) file.

`CalendarService.export(path, options)` gathers the records through the services, turns them
into events (`riskreg.domain.calendar_events`, which documents UIDs, SEQUENCE, timestamps and the
choice for done obligations), renders one VCALENDAR with icalendar (`calendar_chunks` says how
it stays fast) and writes it atomically with mode 0600. It returns how many events were written.
The records are read with one plain SELECT of the needed columns per kind (`dated_records`).

The output depends only on the data and the given "today": no wall clock, events in a fixed
order, DTSTAMP and LAST-MODIFIED from each record's last change. Exporting unchanged data twice
gives byte-identical files, so a re-import changes nothing.

File shape (RFC 5545, as Google, Apple, Outlook and Thunderbird import it): METHOD:PUBLISH, PRODID,
VERSION, NAME and X-WR-CALNAME; all-day VEVENTs (DTSTART;VALUE=DATE, DTEND the next day),
TRANSP:TRANSPARENT (a deadline does not make the practitioner busy), CLASS:PRIVATE; VALARMs ring
at 09:00 N days before, most important first; CRLF line ends and lines folded at 75 octets
(as icalendar does both; tests/test_calendar_render.py holds the bytes to icalendar's own).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from riskreg.domain.calendar_event import (
    ALARM_HOUR,
    CANCELLED,
    CONFIRMED,
    DEFAULT_ALARM_DAYS,
    GROUPS,
    CalendarEvent,
    IncidentInput,
    parse_alarm_days,
)
from riskreg.domain.calendar_events import EventInputs, build_events
from riskreg.domain.text import escaped
from riskreg.errors import BadInput, UserError
from riskreg.storage.database import Database

CALENDAR_NAME = "riskreg deadlines"
PRODID = "-//riskreg//riskreg calendar export//EN"
DEFAULT_FILE_NAME = "riskreg-deadlines.ics"


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
        do the register's own files and odd targets (`check_output_path`).
        """
        from riskreg.storage.files import check_output_path, write_atomic_chunks

        target = Path(path).expanduser()
        if target.is_dir():
            raise UserError(f"cannot write {target}: it is a folder; give a file name, e.g. "
                            f"{target / DEFAULT_FILE_NAME}")
        checked = check_output_path(target, database=self.db.path, label=None)
        events = self.events(options)
        count = len(events)
        # Streamed into the file, each event let go once written: at 10,000 hazards with
        # reminder events the file alone is some 60 MB, and it is never held whole in memory.
        write_atomic_chunks(checked, calendar_chunks(_releasing(events)))
        return count


def _releasing(events: list[CalendarEvent]) -> Iterator[CalendarEvent]:
    """The events in order, each dropped from `events` (which ends empty) as it is handed on."""
    events.reverse()
    while events:
        yield events.pop()


def render_calendar(events: Sequence[CalendarEvent]) -> bytes:
    """One VCALENDAR holding the events, in their given order."""
    return b"".join(calendar_chunks(events))


def calendar_chunks(events: Iterable[CalendarEvent]) -> Iterator[bytes]:
    """The VCALENDAR as byte chunks: the calendar's head, one chunk per event, the end.

    The same bytes as building an icalendar `Calendar` of `Event`s and calling `to_ical()` (the
    tests check this against that object tree, tests/test_calendar_render.py), 30 to 45 times
    faster (some 20-30 us an event instead of about 1 ms, at 1,000 hazards): icalendar serialises every property of every component through several objects
    (the value type, its Parameters, a Contentline, a per-character fold), some 20 content
    lines per event, the shared VALARMs again for every event that holds them. Here icalendar
    still writes the calendar's head and end and each distinct VALARM (once each), and encodes
    every event value with its own value type (vText escaping, vDate, vDatetime, vInt); the
    event's lines are put in icalendar's order (`Event.canonical_order`, then the other names
    alphabetically) and folded as icalendar folds them (`_fold`).
    """
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", CALENDAR_NAME)
    cal.add("x-wr-calname", CALENDAR_NAME)
    cal.add("x-wr-caldesc", "Deadlines and review dates exported by riskreg. Not legal advice.")
    whole = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    if not whole.endswith(end):  # pragma: no cover - every component ends with its END line
        raise RuntimeError("unexpected VCALENDAR shape from icalendar")
    yield whole[: -len(end)]
    writer = _EventWriter()
    for event in events:
        yield writer.event(event)
    yield end


class _EventWriter:
    """Writes one VEVENT as icalendar would, remembering the values that repeat (dates,
    timestamps, the alarm blocks) so each is encoded once per export."""

    def __init__(self) -> None:
        from icalendar import vDate, vDatetime, vInt, vText

        self._vdate, self._vdatetime, self._vint, self._vtext = vDate, vDatetime, vInt, vText
        self._dates: dict[date, str] = {}
        self._stamps: dict[datetime, str] = {}
        self._alarms: dict[tuple[int, ...], bytes] = {}
        self._ints: dict[int, str] = {}
        self._fixed = {s: self._text(s) for s in (CONFIRMED, CANCELLED)}

    def _text(self, value: str) -> str:
        if _TEXT_ESCAPED.search(value) is None:
            return value  # nothing for vText to escape: it would give the text back as it is
        return self._vtext(value).to_ical().decode("utf-8")

    def _int(self, value: int) -> str:
        text = self._ints.get(value)
        if text is None:
            text = self._ints[value] = self._vint(value).to_ical().decode("ascii")
        return text

    def _date(self, day: date) -> str:
        text = self._dates.get(day)
        if text is None:
            text = self._dates[day] = self._vdate(day).to_ical().decode("ascii")
        return text

    def _stamp(self, moment: datetime) -> str:
        text = self._stamps.get(moment)
        if text is None:
            if moment.utcoffset() is None:
                # DTSTAMP and LAST-MODIFIED are UTC (RFC 5545 3.8.7.2); the domain gives UTC.
                raise ValueError(f"calendar timestamps must be timezone-aware, got {moment!r}")
            # As icalendar's Event.add does for these two properties: converted to UTC.
            utc = moment.astimezone(UTC)
            text = self._stamps[moment] = self._vdatetime(utc).to_ical().decode("ascii")
        return text

    def _alarm_block(self, days: tuple[int, ...]) -> bytes:
        block = self._alarms.get(days)
        if block is None:
            block = self._alarms[days] = b"".join(_alarm(n).to_ical() for n in days)
        return block

    def event(self, e: CalendarEvent) -> bytes:
        status = self._fixed.get(e.status)
        if status is None:
            status = self._text(e.status)
        stamp = self._stamp(e.last_modified)
        lines = (
            "BEGIN:VEVENT",
            "SUMMARY:" + self._text(e.summary),
            "DTSTART;VALUE=DATE:" + self._date(e.day),
            "DTEND;VALUE=DATE:" + self._date(e.day + timedelta(days=1)),
            "DTSTAMP:" + stamp,
            "UID:" + self._text(e.uid),
            "SEQUENCE:" + self._int(e.sequence),
            "CLASS:PRIVATE",
            "DESCRIPTION:" + self._text(e.description),
            "LAST-MODIFIED:" + stamp,
            "STATUS:" + status,
            "TRANSP:TRANSPARENT",
            "",
        )
        head = "\r\n".join([_fold(line) for line in lines]).encode("utf-8")
        if e.alarm_days:
            return head + self._alarm_block(tuple(e.alarm_days)) + b"END:VEVENT\r\n"
        return head + b"END:VEVENT\r\n"


_TEXT_ESCAPED = re.compile(r"[\\;,\r\n]")
"""The characters icalendar's TEXT escaping changes (backslash, which also covers its "\\N",
semicolon, comma, CR, LF); a value without any is written as it is."""

FOLD_AT = 74
"""icalendar folds before a character that would make a line 75 octets long: every folded
piece has at most 74 octets, plus the leading space on the continuation lines."""


def _fold(line: str) -> str:
    """`line` folded exactly as icalendar's `Contentline(line).to_ical()` folds it (RFC 5545
    3.1, 75 octets), CRLF and a space between the pieces.

    ASCII lines (nearly all) are cut by slicing: 74 characters a piece, one fewer when the
    piece would end in a backslash or a caret, which then starts the next piece (icalendar
    never separates an escape from the character it escapes, issue #1501 there). Any other
    line is folded by icalendar itself, which counts UTF-8 octets and never splits a character.
    """
    if len(line) <= FOLD_AT and line.isascii():
        return line
    if not line.isascii():
        from icalendar.parser import Contentline

        return Contentline(line).to_ical().decode("utf-8")
    pieces = []
    start = 0
    size = len(line)
    while size - start > FOLD_AT:
        stop = start + FOLD_AT
        if line[stop - 1] in "\\^":
            stop -= 1
        pieces.append(line[start:stop])
        start = stop
    pieces.append(line[start:])
    return "\r\n ".join(pieces)


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
