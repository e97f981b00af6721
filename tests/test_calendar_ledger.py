"""The export ledger (issue 20, findings D2, D3): each calendar target remembers what it was
given, so a changed event gets a higher SEQUENCE and a newer DTSTAMP, an unchanged register
exports the same bytes, and what vanished is sent cancelled ("[REMOVED]", no alarm) instead of
being left open in every calendar that updates. Every export is parsed back with icalendar."""

from datetime import UTC, date, datetime, timedelta

import pytest
from calendar_helpers import alarm_triggers, check_all_day, check_lines, events
from clock import FIXED_TODAY
from test_calendar import notification_required, small_register

from riskreg.errors import UserError
from riskreg.services.calendar import CalendarService, ExportOptions
from riskreg.services.calendar_targets import load_ledger

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


class Clock:
    """The app's clock as the tests set it: "today" and the moment of a change."""

    def __init__(self) -> None:
        self.today = FIXED_TODAY
        self.now = NOW

    def later(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def calendar(db, clock):
    return CalendarService(db, today=lambda: clock.today, now=lambda: clock.now)


@pytest.fixture
def incidents(db, clock):
    module = pytest.importorskip("riskreg.services.incidents")
    return module.IncidentService(db, today=lambda: clock.today)


def export(calendar, path, **options) -> dict:
    calendar.export(path, ExportOptions(**options))
    check_lines(path.read_bytes())
    return events(path)


def uid_of(found: dict, suffix: str) -> str:
    (uid,) = [u for u in found if u.endswith(f"-{suffix}@riskreg")]
    return uid


def removed(event) -> bool:
    return (str(event["STATUS"]) == "CANCELLED" and str(event["SUMMARY"]).startswith("[REMOVED]")
            and not event.walk("VALARM"))


def test_an_unchanged_register_exports_the_same_bytes_again_and_again(
        register, calendar, clock, tmp_path):
    small_register(register)
    path = tmp_path / "cal.ics"
    export(calendar, path)
    first = path.read_bytes()
    clock.later(hours=5)  # the wall clock moves; nothing in the register does
    export(calendar, path)
    assert path.read_bytes() == first
    # The same register to a new target: the same bytes too (the ledger starts empty there).
    export(calendar, tmp_path / "other.ics")
    assert (tmp_path / "other.ics").read_bytes() == first


def test_a_moved_deadline_raises_sequence_and_dtstamp_and_nothing_else_moves(
        register, calendar, clock, tmp_path):
    hazard, _, _ = small_register(register)
    path = tmp_path / "cal.ics"
    before = export(calendar, path)
    review = uid_of(before, "review")
    clock.later(minutes=30)
    register.update("hazard", hazard["public_id"], {"next_review_on": "2027-03-02"},
                    hazard["revision"])
    after = export(calendar, path)
    assert check_all_day(after[review]) == date(2027, 3, 2)
    assert int(after[review]["SEQUENCE"]) > int(before[review]["SEQUENCE"])
    assert after[review]["DTSTAMP"].dt > before[review]["DTSTAMP"].dt
    for uid in before.keys() - {review}:
        assert after[uid]["SEQUENCE"] == before[uid]["SEQUENCE"]
        assert after[uid]["DTSTAMP"].dt == before[uid]["DTSTAMP"].dt


def test_details_and_alarms_changes_raise_sequence_each_way(
        incidents, calendar, clock, tmp_path):
    """D3: with and without --details used to carry the same SEQUENCE and DTSTAMP, so the
    export without the titles was not newer. Each change now is, back and forth."""
    notification_required(incidents)
    path = tmp_path / "cal.ics"
    plain = export(calendar, path, groups=("incidents",))
    clock.later(minutes=1)
    detailed = export(calendar, path, groups=("incidents",), details=True)
    clock.later(minutes=1)
    back = export(calendar, path, groups=("incidents",))
    assert plain.keys() == detailed.keys() == back.keys()
    for uid in plain:
        if str(plain[uid]["SUMMARY"]) == str(detailed[uid]["SUMMARY"]) and str(
                plain[uid]["DESCRIPTION"]) == str(detailed[uid]["DESCRIPTION"]):
            continue
        seqs = [int(e[uid]["SEQUENCE"]) for e in (plain, detailed, back)]
        stamps = [e[uid]["DTSTAMP"].dt for e in (plain, detailed, back)]
        assert seqs == sorted(set(seqs)) and stamps == sorted(set(stamps)), uid
    clock.later(minutes=1)
    fewer = export(calendar, path, groups=("incidents",), alarm_days=(7,))
    changed = [u for u in back if alarm_triggers(back[u]) != alarm_triggers(fewer[u])]
    assert changed
    for uid in changed:
        assert int(fewer[uid]["SEQUENCE"]) == int(back[uid]["SEQUENCE"]) + 1


def test_a_cleared_due_date_and_baa_expiry_are_sent_cancelled(register, calendar, clock,
                                                               tmp_path):
    _, safeguard, tool = small_register(register)
    path = tmp_path / "cal.ics"
    before = export(calendar, path)
    due, baa = uid_of(before, "due"), uid_of(before, "baa-expiry")
    assert alarm_triggers(before[due])
    clock.later(minutes=5)
    register.update("safeguard", safeguard["public_id"], {"due_on": None},
                    safeguard["revision"])
    register.update("tool", tool["public_id"], {"baa_expires_on": None}, tool["revision"])
    after = export(calendar, path)
    for uid in (due, baa):
        assert removed(after[uid]), after[uid]
        assert check_all_day(after[uid]) == check_all_day(before[uid])
        assert int(after[uid]["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1
        assert after[uid]["DTSTAMP"].dt > before[uid]["DTSTAMP"].dt
        assert str(after[uid]["SUMMARY"]).removeprefix("[REMOVED] ") == str(
            before[uid]["SUMMARY"])
    # Still there on the next export, the same bytes, until the day has passed.
    again = path.read_bytes()
    clock.later(hours=1)
    export(calendar, path)
    assert path.read_bytes() == again
    clock.today = date(2027, 2, 2)  # both days have passed: the cancellations may go now
    later = export(calendar, path)
    assert due not in later and baa not in later
    assert set(load_ledger(calendar.db, str(path))) == set(later)


def test_reminder_events_no_longer_asked_for_are_sent_cancelled(register, calendar, tmp_path):
    small_register(register)
    path = tmp_path / "cal.ics"
    with_reminders = export(calendar, path, reminder_events=True)
    reminders = {u for u in with_reminders if "-reminder-" in u}
    assert reminders
    without = export(calendar, path)
    assert reminders <= without.keys()
    assert all(removed(without[u]) for u in reminders)
    assert not any(removed(without[u]) for u in without.keys() - reminders)
    # Asked for again: open again, one SEQUENCE higher than the cancellation.
    back = export(calendar, path, reminder_events=True)
    for uid in reminders:
        assert str(back[uid]["STATUS"]) == "CONFIRMED"
        assert int(back[uid]["SEQUENCE"]) == int(without[uid]["SEQUENCE"]) + 1


def test_a_scope_change_that_drops_obligations_sends_them_cancelled(incidents, calendar,
                                                                     tmp_path):
    """Findings D2: 600 CO residents bring the media and the regulator in; back to 1, their
    events vanished, still open with alarms. Now they come cancelled."""
    record = notification_required(incidents, affected=600, residents={"CO": 600})
    path = tmp_path / "cal.ics"
    big = export(calendar, path, groups=("incidents",))
    record = incidents.save_scope(record["reference"], {"affected": 1, "residents": {"CO": 1}},
                                  record["revision"])
    small = export(calendar, path, groups=("incidents",))
    # What the register gives now, to a target that never had the big scope.
    fresh = export(calendar, tmp_path / "fresh.ics", groups=("incidents",))
    gone = big.keys() - fresh.keys()
    assert any("media" in u for u in gone) and any("regulator" in u for u in gone), sorted(big)
    assert small.keys() - fresh.keys() == gone
    assert big.keys() <= small.keys()
    for uid in gone:
        assert removed(small[uid]), uid
    assert not any(removed(small[u]) for u in big.keys() - set(gone))


def test_a_failed_file_write_records_nothing(register, calendar, monkeypatch, tmp_path):
    _, safeguard, _ = small_register(register)
    path = tmp_path / "cal.ics"
    export(calendar, path)
    ledger = load_ledger(calendar.db, str(path))
    register.update("safeguard", safeguard["public_id"], {"due_on": None},
                    safeguard["revision"])
    from riskreg.storage import files

    real = files.write_atomic_chunks

    def failing(target, chunks):
        def broken():
            yield next(iter(chunks))
            raise OSError(28, "No space left on device")
        real(target, broken())

    monkeypatch.setattr(files, "write_atomic_chunks", failing)
    with pytest.raises(UserError, match="nothing was written"):
        calendar.export(path, ExportOptions())
    monkeypatch.undo()
    assert load_ledger(calendar.db, str(path)) == ledger  # the ledger did not move
    # So the next export that works still sends the cancellation.
    after = export(calendar, path)
    assert removed(after[uid_of(after, "due")])


def test_the_ledger_is_per_target(register, calendar, tmp_path):
    _, safeguard, _ = small_register(register)
    one, two = tmp_path / "one.ics", tmp_path / "two.ics"
    export(calendar, one)
    register.update("safeguard", safeguard["public_id"], {"due_on": None},
                    safeguard["revision"])
    found = export(calendar, two)  # never given the due date: nothing to cancel there
    assert not any(removed(e) for e in found.values())
    assert any(removed(e) for e in export(calendar, one).values())
