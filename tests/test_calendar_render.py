"""The calendar writer gives exactly the bytes of icalendar's own object tree.

`render_calendar` does not build an icalendar `Event` per event (that cost about 2 ms an event,
issue 6): icalendar writes the calendar's head and each VALARM once, encodes each value with its
own type, and riskreg puts the lines in icalendar's order and folds them as icalendar does. These
tests hold it to the slow way, `reference_render` below (the writer as it was), on awkward text:
escapes, non-ASCII, every length around the 75-octet fold, a backslash or caret at the fold.
"""

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from calendar_helpers import check_lines, parse
from icalendar import Alarm, Calendar, Event
from icalendar.parser import Contentline

from riskreg.domain.calendar_event import CANCELLED, CalendarEvent
from riskreg.services import calendar as service
from riskreg.services.calendar import _fold, render_calendar


def reference_render(events) -> bytes:
    """One VCALENDAR built as an icalendar object tree (riskreg's writer until issue 6)."""
    cal = Calendar()
    cal.add("prodid", service.PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # No METHOD (services/calendar.py `calendar_head`, findings D5); the feed's refresh hints.
    cal.add("name", service.CALENDAR_NAME)
    cal.add("x-wr-calname", service.CALENDAR_NAME)
    cal.add("x-wr-caldesc", "Deadlines and review dates exported by riskreg. Not legal advice.")
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
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
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            left = "today" if n == 0 else (f"{n} day left" if n == 1 else f"{n} days left")
            alarm.add("description", f"riskreg: {left}")
            alarm.add("trigger", timedelta(days=-n, hours=service.ALARM_HOUR))
            ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()


STAMP = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def make(i: int = 0, **changes) -> CalendarEvent:
    base = CalendarEvent(
        uid=f"00000000-0000-4000-8000-{i:012d}-review@riskreg", day=date(2026, 12, 1),
        title="Review hazard: Laptop stolen", description="Due 2026-12-01.", sequence=1,
        last_modified=STAMP, group="reviews", kind="review", alarm_days=(14, 7, 1),
    )
    return replace(base, **changes)


AWKWARD = [
    "",
    "plain",
    "commas, semicolons; back\\slashes \\ and a caret ^ here",
    "a line\nbreak, a CRLF\r\nand a lone CR\r end",
    "already escaped? \\N \\n \\, \\;",
    "caf\u00e9 na\u00efve \u00fcber \u00c5ngstr\u00f6m",
    "emoji \U0001f4c5 in a title \U0001f512 and CJK \u65e5\u672c\u8a9e " * 3,
    "x" * 200,
    "\u00e9" * 120,
    ";" * 60,
    "\\" * 90,
    "^" * 90,
    "quote \" and colon : and tab \t in text",
]


def test_the_same_bytes_as_icalendar_on_awkward_text():
    events = []
    for i, text in enumerate(AWKWARD):
        events.append(make(i, title=text or "untitled", description=text))
        # The text at every offset, so a backslash, a caret, an escape or a multi-octet
        # character falls on each side of the fold in turn.
        for pad in range(0, 80, 7):
            events.append(make(1000 * (i + 1) + pad, title="t" * pad + text,
                               description="d" * pad + text + text))
    assert render_calendar(events) == reference_render(events)


def test_the_same_bytes_as_icalendar_at_every_length_around_the_fold():
    events = [make(n, title="Review hazard: " + "a" * n, description="\\" * (n % 5) + "b" * n)
              for n in range(40, 160)]
    assert render_calendar(events) == reference_render(events)


def test_the_same_bytes_as_icalendar_for_statuses_alarms_and_dates():
    events = [
        make(1, status=CANCELLED, mark="DONE", alarm_days=()),
        make(2, mark="OVERDUE", alarm_days=(), last_modified=datetime(2026, 3, 23, tzinfo=UTC)),
        make(3, alarm_days=(0,)),
        make(4, alarm_days=(1, 0, 365, 30)),
        make(5, alarm_days=(7,), day=date(2028, 2, 29), sequence=123456),
        make(6, alarm_days=(), reminder_days=7, day=date(2026, 12, 31)),
        make(7, status="TENTATIVE", sequence=0),
        # Another zone: DTSTAMP and LAST-MODIFIED are converted to UTC, as Event.add does.
        make(8, last_modified=datetime(2026, 7, 1, 23, 59, 59,
                                       tzinfo=timezone(timedelta(hours=-7)))),
    ]
    assert render_calendar(events) == reference_render(events)
    assert render_calendar([]) == reference_render([])


def test_the_same_bytes_as_icalendar_on_random_text():
    rng = random.Random(6)
    alphabet = "abc XYZ 019,;:\\^\"'\n\r\t-_[]()\u00e9\u00df\u20ac\u65e5\U0001f4c5"
    events = []
    for i in range(400):
        def text(most):
            return "".join(rng.choice(alphabet) for _ in range(rng.randrange(most)))
        events.append(make(
            i, title=text(160) or "x", description=text(400), sequence=rng.randrange(1, 500),
            day=date(2026, 1, 1) + timedelta(days=rng.randrange(-400, 800)),
            alarm_days=tuple(rng.sample((0, 1, 3, 7, 14, 30), rng.randrange(4))),
            status=rng.choice(("CONFIRMED", "CANCELLED")), mark=rng.choice(("", "OVERDUE")),
        ))
    data = render_calendar(events)
    assert data == reference_render(events)
    check_lines(data)
    assert len(list(parse(data).walk("VEVENT"))) == 400


def test_folding_matches_icalendar_for_ascii_and_non_ascii_lines():
    rng = random.Random(75)
    for _ in range(3000):
        alphabet = rng.choice(("ab\\^", "abcdefgh\\", "a\u00e9\\^\U0001f4c5", "xyz ,;"))
        line = "DESCRIPTION:" + "".join(rng.choice(alphabet) for _ in range(rng.randrange(250)))
        assert _fold(line) == Contentline(line).to_ical().decode("utf-8"), line


def test_a_naive_timestamp_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        render_calendar([make(last_modified=datetime(2026, 1, 1))])


def test_a_streamed_write_that_fails_midway_keeps_the_previous_file(tmp_path):
    from riskreg.storage.files import write_atomic_chunks

    target = tmp_path / "out.ics"
    write_atomic_chunks(target, [b"old ", b"file"])
    assert target.read_bytes() == b"old file"
    assert oct(target.stat().st_mode & 0o777) == "0o600"

    def chunks():
        yield b"half of a new "
        raise RuntimeError("the renderer failed")

    with pytest.raises(RuntimeError):
        write_atomic_chunks(target, chunks())
    assert target.read_bytes() == b"old file"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ics"]


def test_events_are_released_as_they_are_written():
    events = [make(i) for i in range(3)]
    assert list(service._releasing(events)) == [make(i) for i in range(3)]
    assert events == []
