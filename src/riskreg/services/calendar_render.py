"""Rendering calendar events as iCalendar bytes: the VCALENDAR's head (`calendar_head`), each
VEVENT as icalendar would write it (`_EventWriter`), folded at 75 octets (`_fold`). Shared by
the .ics file and the vdir items (`calendar_targets`); `services/calendar.py` re-exports it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from riskreg.domain.calendar_event import ALARM_HOUR, CANCELLED, CONFIRMED, CalendarEvent

CALENDAR_NAME = "riskreg deadlines"
PRODID = "-//riskreg//riskreg calendar export//EN"
DEFAULT_FILE_NAME = "riskreg-deadlines.ics"


def _releasing(events: list[CalendarEvent]) -> Iterator[CalendarEvent]:
    """The events in order, each dropped from `events` (which ends empty) as it is handed on."""
    events.reverse()
    while events:
        yield events.pop()


def render_calendar(events: Sequence[CalendarEvent]) -> bytes:
    """One VCALENDAR holding the events, in their given order."""
    return b"".join(calendar_chunks(events))


def calendar_chunks(events: Iterable[CalendarEvent], *, feed: bool = True,
                    writer: _EventWriter | None = None) -> Iterator[bytes]:
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

    `feed`: the head of a whole calendar file (its name, REFRESH-INTERVAL and X-PUBLISHED-TTL
    for a client subscribed to it); else the bare head of one vdir item.
    """
    yield calendar_head(feed)
    writer = writer or _EventWriter()
    for event in events:
        yield writer.event(event)
    yield CALENDAR_END


CALENDAR_END = b"END:VCALENDAR\r\n"
REFRESH = timedelta(hours=1)
"""How often a subscribed client should fetch the feed again (RFC 7986 REFRESH-INTERVAL, and
X-PUBLISHED-TTL, its older name that Outlook and Google read)."""

_HEADS: dict[bool, bytes] = {}


def calendar_head(feed: bool = True) -> bytes:
    """The VCALENDAR's lines before the first event.

    No METHOD: RFC 5546 (3.2.1) requires exactly one ORGANIZER in every VEVENT of a
    METHOD:PUBLISH object, and libical's restriction check failed every event for the lack of
    it (findings D5). An ORGANIZER would put the practitioner's address into every event, and
    may make some clients treat a deadline as a meeting; no tested client needs METHOD (a
    CalDAV resource, which a vdir item becomes, must not carry one, RFC 4791 4.1). Without
    METHOD, DTSTAMP means the event's last revision (RFC 5545 3.8.7.2), which is what is written.
    """
    head = _HEADS.get(feed)
    if head is not None:
        return head
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if feed:
        cal.add("name", CALENDAR_NAME)
        cal.add("x-wr-calname", CALENDAR_NAME)
        cal.add("x-wr-caldesc", "Deadlines and review dates exported by riskreg. Not legal advice.")
        cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
    whole = cal.to_ical()
    if not whole.endswith(CALENDAR_END):  # pragma: no cover - every component ends with it
        raise RuntimeError("unexpected VCALENDAR shape from icalendar")
    head = _HEADS[feed] = whole[: -len(CALENDAR_END)]
    return head


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
