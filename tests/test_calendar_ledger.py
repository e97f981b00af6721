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


# -- properties ------------------------------------------------------------------------------------
# A random life of a register and its exports to one target, through the real event builder,
# the real reconciliation and the real renderer, parsed back with icalendar. The ledger is
# kept as the service keeps it (the entries of the last export); a database per example would
# make a hundred examples take minutes, and the service's own path is tested above.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from riskreg.domain.calendar_events import EventInputs, build_events  # noqa: E402
from riskreg.domain.calendar_ledger import reconcile  # noqa: E402
from riskreg.services.calendar import render_calendar  # noqa: E402

_STEP = st.one_of(
    st.tuples(st.just("date"), st.integers(0, 3), st.integers(-20, 60)),
    st.tuples(st.just("clear"), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("close"), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("touch"), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("reminders"), st.just(0), st.just(0)),
    st.tuples(st.just("alarms"), st.integers(0, 2), st.just(0)),
    st.tuples(st.just("day"), st.just(0), st.integers(1, 30)),
    st.tuples(st.just("export"), st.just(0), st.just(0)),
)
_ALARMS = ((14, 7, 1), (7,), ())


def _hazards(n: int) -> list[dict]:
    at = datetime(2026, 11, 1, tzinfo=UTC)
    return [{"public_id": f"h{i}", "title": f"Hazard {i}", "revision": 1, "updated_at": at,
             "archived_at": None, "status": "open", "treatment": "mitigate",
             "review_cadence_months": 12, "last_reviewed_on": None,
             "next_review_on": FIXED_TODAY + timedelta(days=10 * i + 5),
             "acceptance_expires_on": None} for i in range(n)]


def _change(hazard: dict, now: datetime, **changes) -> None:
    hazard.update(changes, revision=hazard["revision"] + 1, updated_at=now)


def _export(hazards, ledger, today, now, alarms, reminders):
    inputs = EventInputs(hazards=[h for h in hazards if h["next_review_on"]])
    built = build_events(inputs, today, groups=("reviews",), alarm_days=alarms,
                         reminders=reminders)
    done = reconcile(built, ledger, now=now, today=today, keep_cancellations=True)
    raw = render_calendar(done.events)
    check_lines(raw)
    return raw, {e.uid: e for e in done.entries}


def _check_following(found: dict, last: dict[str, str], seen_seq: dict[str, int]) -> dict:
    """One export after the one that gave `last` (UID -> STATUS): a UID gone only after a file
    that held it cancelled; SEQUENCE never lower for one target; [REMOVED] cancelled, silent."""
    for uid, status in last.items():
        if uid not in found:
            assert status == "CANCELLED", uid
    for uid, event in found.items():
        seq = int(event["SEQUENCE"])
        assert seq >= seen_seq.get(uid, seq), uid
        seen_seq[uid] = seq
        if str(event["SUMMARY"]).startswith("[REMOVED]"):
            assert str(event["STATUS"]) == "CANCELLED" and not event.walk("VALARM")
    return {uid: str(e["STATUS"]) for uid, e in found.items()}


@settings(max_examples=60, deadline=None)
@given(st.lists(_STEP, min_size=1, max_size=25))
def test_no_uid_ever_vanishes_without_its_cancellation_and_the_same_register_same_bytes(steps):
    hazards = _hazards(4)
    today, now = FIXED_TODAY, NOW
    alarms, reminders = _ALARMS[0], False
    ledger: dict = {}
    last: dict[str, str] = {}
    """UID -> the STATUS it had in the last file that held it."""
    seen_seq: dict[str, int] = {}
    for action, which, amount in [*steps, ("export", 0, 0)]:
        now += timedelta(minutes=1)
        hazard = hazards[which] if which < len(hazards) else hazards[0]
        if action == "date":
            _change(hazard, now, next_review_on=today + timedelta(days=amount))
        elif action == "clear":
            _change(hazard, now, next_review_on=None)
        elif action == "close":
            _change(hazard, now, status="closed")
        elif action == "touch":
            _change(hazard, now)  # a change that the calendar does not show
        elif action == "reminders":
            reminders = not reminders
        elif action == "alarms":
            alarms = _ALARMS[which]
        elif action == "day":
            today += timedelta(days=amount)
        else:
            raw, ledger = _export(hazards, ledger, today, now, alarms, reminders)
            last = _check_following(events(raw), last, seen_seq)
            # Exported again at once, a minute later: the same bytes.
            again, ledger = _export(hazards, ledger, today, now + timedelta(seconds=30),
                                    alarms, reminders)
            assert again == raw


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(-20, 60)), max_size=6),
       st.sampled_from(_ALARMS), st.booleans())
def test_a_content_change_always_raises_sequence_and_dtstamp(moves, alarms, reminders):
    hazards = _hazards(4)
    now = NOW
    raw, ledger = _export(hazards, {}, FIXED_TODAY, now, alarms, reminders)
    before = events(raw)
    for which, days in moves:
        now += timedelta(minutes=1)
        _change(hazards[which], NOW, next_review_on=FIXED_TODAY + timedelta(days=days))
    raw, ledger = _export(hazards, ledger, FIXED_TODAY, now, alarms, reminders)
    after = events(raw)
    for uid in before.keys() & after.keys():
        same = all(str(before[uid].get(k)) == str(after[uid].get(k))
                   for k in ("SUMMARY", "DESCRIPTION", "STATUS"))
        same = same and check_all_day(before[uid]) == check_all_day(after[uid]) and \
            alarm_triggers(before[uid]) == alarm_triggers(after[uid])
        if same:
            assert after[uid]["SEQUENCE"] == before[uid]["SEQUENCE"]
            assert after[uid]["DTSTAMP"].dt == before[uid]["DTSTAMP"].dt
        else:
            assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
            assert after[uid]["DTSTAMP"].dt > before[uid]["DTSTAMP"].dt
