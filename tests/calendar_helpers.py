"""Shared by the calendar export tests: parse an exported file back and check its shape."""

from datetime import date, timedelta
from pathlib import Path

from icalendar import Calendar


def parse(data: bytes | Path) -> Calendar:
    raw = data.read_bytes() if isinstance(data, Path) else data
    return Calendar.from_ical(raw)


def events(data: bytes | Path) -> dict[str, object]:
    """UID -> VEVENT of an exported file; fails on a duplicate UID."""
    found: dict[str, object] = {}
    for event in parse(data).walk("VEVENT"):
        uid = str(event["UID"])
        assert uid not in found, f"duplicate UID {uid}"
        found[uid] = event
    return found


def check_all_day(event) -> date:
    """DTSTART is a DATE (not a date-time) and DTEND the next day; returns the day."""
    start = event["DTSTART"]
    assert start.params.get("VALUE") in (None, "DATE")
    day = start.dt
    assert type(day) is date, f"{event['UID']}: DTSTART {day!r} is not a date"
    end = event["DTEND"].dt
    assert type(end) is date and end == day + timedelta(days=1)
    return day


def alarm_triggers(event) -> list[timedelta]:
    return [a["TRIGGER"].dt for a in event.walk("VALARM")]


def check_lines(raw: bytes) -> None:
    """CRLF line ends only, and no line longer than 75 octets (RFC 5545 3.1)."""
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"\r" not in raw.replace(b"\r\n", b"")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line
