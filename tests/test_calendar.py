"""Calendar export (issue 6): every exported file is parsed back with icalendar and checked.

All-day semantics, UIDs unique and stable, SEQUENCE rising after an edit, alarms where asked and
nowhere else, done and archived items cancelled (not left open), no incident description or title
unless asked, byte-identical output for unchanged data, mode 0600, CRLF and 75-octet lines, a
clear error and no file for an unwritable path, and one golden file for the demo practice.
"""

import os
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from calendar_helpers import alarm_triggers, check_all_day, check_lines, events, parse
from clock import FIXED_TODAY

from riskreg.domain import calendar_event as ce
from riskreg.domain.calendar_incidents import incident_events
from riskreg.domain.calendar_register import hazard_events
from riskreg.errors import UserError
from riskreg.services.calendar import CalendarService, ExportOptions

GOLDEN = Path(__file__).parent / "golden" / "demo.ics"
GOLDEN_STAMP = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
"""The demo's records all "last changed" at this moment (see `test_golden_demo_export`)."""

HAZARD = {"title": "Laptop stolen from the car", "likelihood": 3, "impact": 5,
          "target_likelihood": 2, "target_impact": 2}
ALARMS_14_7_1 = [timedelta(days=-14, hours=9), timedelta(days=-7, hours=9),
                 timedelta(days=-1, hours=9)]


@pytest.fixture
def calendar(db):
    return CalendarService(db, today=lambda: FIXED_TODAY)


def export(calendar, tmp_path, name="out.ics", **options) -> tuple[Path, int]:
    path = tmp_path / name
    count = calendar.export(path, ExportOptions(**options))
    return path, count


def by_kind(found: dict, suffix: str) -> list:
    return [e for uid, e in found.items() if uid.endswith(f"-{suffix}@riskreg")]


def small_register(register):
    """A hazard due for review, a planned safeguard with a due date, a tool with a BAA expiry."""
    hazard = register.create("hazard", {**HAZARD, "next_review_on": "2027-01-15"})
    safeguard = register.create("safeguard", {
        "title": "Full-disk encryption", "category": "technical",
        "citation": "45 CFR 164.312(a)(2)(iv)", "requirement": "addressable",
        "decision_note": "Reasonable for a laptop", "status": "planned", "due_on": "2027-02-01",
    })
    tool = register.create("tool", {
        "name": "Scribe AI", "category": "ai_scribe", "baa_status": "signed",
        "baa_signed_on": "2026-01-10", "baa_expires_on": "2027-01-10",
    })
    return hazard, safeguard, tool


# -- the pure part ---------------------------------------------------------------------------------


def test_alarm_days_keep_their_order_and_refuse_nonsense():
    assert ce.parse_alarm_days("14,7,1") == (14, 7, 1)
    assert ce.parse_alarm_days(" 1, 30 ") == (1, 30)
    assert ce.parse_alarm_days("none") == ()
    assert ce.parse_alarm_days("") == ()
    for bad, words in (("7,x", "whole number"), ("-1", "whole number"), ("400", "365"),
                       ("7,7", "twice"), (",".join(map(str, range(11))), "at most")):
        with pytest.raises(ValueError, match=words):
            ce.parse_alarm_days(bad)


def test_groups_are_checked_and_put_in_order():
    assert ce.parse_groups("baa,reviews") == ("reviews", "baa")
    with pytest.raises(ValueError, match="'tasks' is not one of"):
        ce.parse_groups("reviews,tasks")
    with pytest.raises(ValueError, match="at least one"):
        ce.parse_groups(" , ")


def test_a_passed_date_is_marked_and_stamped_from_the_day_after():
    stamp = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    hazard = {"public_id": "h1", "title": "T", "revision": 3, "updated_at": stamp,
              "next_review_on": date(2026, 3, 1), "review_cadence_months": 12}
    (late,) = hazard_events(hazard, today=date(2026, 3, 2))
    assert late.summary == "[OVERDUE] Review hazard: T"
    assert late.last_modified == datetime(2026, 3, 2, tzinfo=UTC)
    assert late.sequence == 3
    (due_today,) = hazard_events(hazard, today=date(2026, 3, 1))
    assert due_today.summary == "Review hazard: T"
    assert due_today.last_modified == stamp


def test_internal_targets_move_with_the_settings_too():
    at = datetime(2026, 4, 1, tzinfo=UTC)
    incident = ce.IncidentInput(
        "p", "INC-2026-001", "Title", 4, at,
        obligations=(ce.ObligationInput("individuals", date(2026, 5, 31), "45 CFR 164.404(b)",
                                        internal_target=date(2026, 5, 16)),),
        settings_revision=2, settings_updated_at=at + timedelta(days=1),
    )
    due, target = incident_events(incident, date(2026, 4, 2))
    assert (due.sequence, target.sequence) == (4, 6)
    assert (due.last_modified, target.last_modified) == (at, at + timedelta(days=1))
    assert target.uid == "p-individuals-target@riskreg"


# -- the file ----------------------------------------------------------------------------------------


def test_the_file_is_a_published_calendar_of_all_day_events(register, calendar, tmp_path):
    small_register(register)
    path, count = export(calendar, tmp_path)
    raw = path.read_bytes()
    cal = parse(raw)
    # No METHOD: RFC 5546 wants an ORGANIZER with PUBLISH (findings D5); a feed's refresh hints.
    assert "METHOD" not in cal
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert cal["REFRESH-INTERVAL"].to_ical() == b"PT1H"
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in raw
    assert str(cal["VERSION"]) == "2.0"
    assert "riskreg" in str(cal["PRODID"])
    assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"]) == "riskreg deadlines"
    found = events(raw)
    assert count == len(found) == 3
    assert sorted(check_all_day(e) for e in found.values()) == [
        date(2027, 1, 10), date(2027, 1, 15), date(2027, 2, 1)
    ]
    for event in found.values():
        assert str(event["STATUS"]) == "CONFIRMED"
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert event["DESCRIPTION"]
    check_lines(raw)


def test_uids_come_from_the_public_ids_and_kinds(register, calendar, tmp_path):
    hazard, safeguard, tool = small_register(register)
    register.update("safeguard", safeguard["public_id"], {"last_verified_on": "2026-10-01"},
                    safeguard["revision"])
    found = events(export(calendar, tmp_path)[0])
    assert set(found) == {
        f"{hazard['public_id']}-review@riskreg",
        f"{safeguard['public_id']}-due@riskreg",
        f"{safeguard['public_id']}-verification@riskreg",
        f"{tool['public_id']}-baa-expiry@riskreg",
    }


def test_unchanged_data_exports_byte_identical_files(register, calendar, tmp_path):
    small_register(register)
    first, _ = export(calendar, tmp_path, "a.ics", reminder_events=True)
    second, _ = export(calendar, tmp_path, "b.ics", reminder_events=True)
    assert first.read_bytes() == second.read_bytes()
    # A new calendar service (another process) gives the same bytes too.
    third = CalendarService(calendar.db, today=lambda: FIXED_TODAY)
    assert third.render(ExportOptions(reminder_events=True))[0] == first.read_bytes()


def test_stamps_are_the_records_last_change_not_the_wall_clock(register, calendar, tmp_path):
    hazard, _, _ = small_register(register)
    event = events(export(calendar, tmp_path)[0])[f"{hazard['public_id']}-review@riskreg"]
    changed = hazard["updated_at"].replace(microsecond=0)
    assert event["DTSTAMP"].dt == event["LAST-MODIFIED"].dt == changed
    assert int(event["SEQUENCE"]) == hazard["revision"]


def test_an_edit_keeps_the_uid_and_raises_the_sequence(register, calendar, tmp_path):
    hazard, _, _ = small_register(register)
    uid = f"{hazard['public_id']}-review@riskreg"
    before = events(export(calendar, tmp_path, "a.ics")[0])[uid]
    register.mark_reviewed(hazard["public_id"], FIXED_TODAY, "checked", hazard["revision"])
    after_file, _ = export(calendar, tmp_path, "b.ics")
    after = events(after_file)[uid]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert check_all_day(after) == date(2027, 11, 26)  # moved to the next review, same UID
    assert after["LAST-MODIFIED"].dt >= before["LAST-MODIFIED"].dt
    assert after["DTSTAMP"].dt == after["LAST-MODIFIED"].dt


def test_default_alarms_are_14_7_1_days_before_at_nine_most_important_first(
    register, calendar, tmp_path
):
    small_register(register)
    for event in events(export(calendar, tmp_path)[0]).values():
        assert alarm_triggers(event) == ALARMS_14_7_1
        for alarm in event.walk("VALARM"):
            assert str(alarm["ACTION"]) == "DISPLAY"
            assert alarm["DESCRIPTION"]


def test_alarms_as_asked_and_none_when_asked_for_none(register, calendar, tmp_path):
    small_register(register)
    found = events(export(calendar, tmp_path, "a.ics", alarm_days=(3, 30))[0])
    assert {tuple(alarm_triggers(e)) for e in found.values()} == {
        (timedelta(days=-3, hours=9), timedelta(days=-30, hours=9))
    }
    found = events(export(calendar, tmp_path, "b.ics", alarm_days=())[0])
    assert all(not e.walk("VALARM") for e in found.values())


def test_the_practice_settings_give_the_default_alarms(register, db, calendar, tmp_path):
    from riskreg.storage.models import PracticeSettings

    small_register(register)
    with db.writing() as session:
        session.add(PracticeSettings(alarm_days="2"))
    found = events(export(calendar, tmp_path)[0])
    assert {tuple(alarm_triggers(e)) for e in found.values()} == {(timedelta(days=-2, hours=9),)}


def test_passed_dates_are_marked_and_carry_no_alarms(register, calendar, tmp_path):
    late = register.create("hazard", {**HAZARD, "next_review_on": "2026-10-01"})
    found = events(export(calendar, tmp_path)[0])
    event = found[f"{late['public_id']}-review@riskreg"]
    assert str(event["SUMMARY"]) == f"[OVERDUE] Review hazard: {HAZARD['title']}"
    assert check_all_day(event) == date(2026, 10, 1)  # on its due date, marked overdue
    assert not event.walk("VALARM")


def test_reminder_events_have_their_own_stable_uids(register, calendar, tmp_path):
    hazard, _, _ = small_register(register)
    path, count = export(calendar, tmp_path, reminder_events=True)
    found = events(path)
    uid = f"{hazard['public_id']}-review"
    reminders = {n: found[f"{uid}-reminder-{n}d@riskreg"] for n in (14, 7, 1)}
    for n, event in reminders.items():
        assert check_all_day(event) == date(2027, 1, 15) - timedelta(days=n)
        assert str(event["SUMMARY"]).startswith("Reminder: Review hazard:")
        assert not event.walk("VALARM")
    assert count == len(found) == 3 * 4
    again = events(export(calendar, tmp_path, "again.ics", reminder_events=True)[0])
    assert set(again) == set(found)


def test_no_reminder_events_unless_asked(register, calendar, tmp_path):
    small_register(register)
    assert not [u for u in events(export(calendar, tmp_path)[0]) if "-reminder-" in u]


def test_only_the_chosen_groups(register, calendar, tmp_path):
    hazard, safeguard, tool = small_register(register)
    found = events(export(calendar, tmp_path, groups=("baa",))[0])
    assert list(found) == [f"{tool['public_id']}-baa-expiry@riskreg"]
    found = events(export(calendar, tmp_path, "b.ics", groups=("reviews", "safeguards"))[0])
    assert f"{tool['public_id']}-baa-expiry@riskreg" not in found
    assert f"{hazard['public_id']}-review@riskreg" in found
    assert f"{safeguard['public_id']}-due@riskreg" in found
    with pytest.raises(UserError):
        ExportOptions(groups=("tasks",))


def test_a_finished_safeguard_is_cancelled_with_the_same_uid(register, calendar, tmp_path):
    _, safeguard, _ = small_register(register)
    uid = f"{safeguard['public_id']}-due@riskreg"
    before = events(export(calendar, tmp_path, "a.ics")[0])[uid]
    register.update("safeguard", safeguard["public_id"],
                    {"status": "in_place", "last_verified_on": "2026-11-20"}, safeguard["revision"])
    after = events(export(calendar, tmp_path, "b.ics")[0])[uid]
    assert str(after["STATUS"]) == "CANCELLED"
    assert str(after["SUMMARY"]) == "[DONE] Safeguard due: Full-disk encryption"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert check_all_day(after) == check_all_day(before)
    assert not after.walk("VALARM")


def test_archived_and_closed_records_are_cancelled_not_dropped(register, calendar, tmp_path):
    hazard, _, tool = small_register(register)
    closed = register.create("hazard", {**HAZARD, "title": "Closed one", "status": "closed",
                                        "next_review_on": "2027-03-01"})
    register.archive("hazard", hazard["public_id"])
    register.archive("tool", tool["public_id"])
    found = events(export(calendar, tmp_path)[0])
    archived = found[f"{hazard['public_id']}-review@riskreg"]
    assert str(archived["STATUS"]) == "CANCELLED"
    assert str(archived["SUMMARY"]).startswith("[ARCHIVED] ")
    assert str(found[f"{tool['public_id']}-baa-expiry@riskreg"]["STATUS"]) == "CANCELLED"
    closed_event = found[f"{closed['public_id']}-review@riskreg"]
    assert str(closed_event["SUMMARY"]) == "[CLOSED] Review hazard: Closed one"
    assert str(closed_event["STATUS"]) == "CANCELLED"


def test_risk_acceptance_expiry_and_the_yearly_risk_analysis(register, db, calendar, tmp_path):
    from riskreg.storage.models import PracticeSettings

    accepted = register.create("hazard", {
        **HAZARD, "treatment": "accept", "status": "accepted",
        "acceptance_rationale": "Low residual risk", "acceptance_expires_on": "2027-05-01",
    })
    with db.writing() as session:
        settings = PracticeSettings(risk_analysis_reviewed_on=date(2026, 3, 31))
        session.add(settings)
        session.flush()
        settings_id = settings.public_id
    found = events(export(calendar, tmp_path)[0])
    assert check_all_day(found[f"{accepted['public_id']}-acceptance@riskreg"]) == date(2027, 5, 1)
    yearly = found[f"{settings_id}-risk-analysis@riskreg"]
    assert check_all_day(yearly) == date(2027, 3, 31)
    assert "164.308(a)(1)(ii)(A)" in str(yearly["DESCRIPTION"])


def test_descriptions_say_where_the_date_comes_from(register, calendar, tmp_path):
    hazard = register.create("hazard", {**HAZARD, "last_reviewed_on": "2026-06-30",
                                        "review_cadence_months": 6})
    event = events(export(calendar, tmp_path)[0])[f"{hazard['public_id']}-review@riskreg"]
    assert "last reviewed 2026-06-30 + review cadence 6 months" in str(event["DESCRIPTION"])
    assert check_all_day(event) == date(2026, 12, 30)


def test_no_owner_name_in_any_event(register, calendar, tmp_path):
    owner = register.create("owner", {"name": "Dr. Quillon Vantreese"})
    register.create("hazard", {**HAZARD, "owner": owner["public_id"]})
    assert b"Quillon" not in export(calendar, tmp_path)[0].read_bytes()


def test_file_mode_is_0600(register, calendar, tmp_path):
    small_register(register)
    path, _ = export(calendar, tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_long_titles_are_folded_at_75_octets_with_crlf(register, calendar, tmp_path):
    register.create("hazard", {**HAZARD, "title": "Überprüfung " + "très long titre, ; é " * 8})
    raw = export(calendar, tmp_path)[0].read_bytes()
    check_lines(raw)
    (event,) = events(raw).values()
    title = ("Überprüfung " + "très long titre, ; é " * 8).strip()
    # The SUMMARY is cut at a word to fit one line of the file (66 octets, escapes counted).
    assert str(event["SUMMARY"]) == "Review hazard: Überprüfung très long titre, ; é très…"
    assert b"SUMMARY:Review hazard: \xc3\x9cberpr\xc3\xbcfung tr\xc3\xa8s long titre\\, \\; " in raw
    assert str(event["DESCRIPTION"]).startswith(title)  # whole, folded like every long line


def test_an_unwritable_path_is_a_clear_error_and_leaves_no_file(register, calendar, tmp_path):
    small_register(register)
    missing = tmp_path / "no-such-folder" / "out.ics"
    with pytest.raises(UserError, match="does not exist"):
        calendar.export(missing, ExportOptions())
    assert not missing.parent.exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(UserError, match="cannot write"):
        calendar.export(blocker / "out.ics", ExportOptions())
    with pytest.raises(UserError, match="is a folder"):
        calendar.export(tmp_path, ExportOptions())
    assert [p for p in tmp_path.rglob("*") if p.suffix in (".ics", ".tmp")] == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_a_clear_error_and_leaves_nothing(register, calendar, tmp_path):
    small_register(register)
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(UserError, match="cannot write"):
            calendar.export(folder / "out.ics", ExportOptions())
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_a_failed_write_keeps_the_previous_export(register, calendar, tmp_path, monkeypatch):
    small_register(register)
    path, _ = export(calendar, tmp_path)
    before = path.read_bytes()
    register.create("hazard", {**HAZARD, "title": "Another"})

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(UserError, match="nothing was written"):
        calendar.export(path, ExportOptions())
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# -- the golden file ---------------------------------------------------------------------------------


def test_golden_demo_export(db, monkeypatch, tmp_path):
    """The demo practice (seed 7, FIXED_TODAY) exports exactly tests/golden/demo.ics.

    Normalised by fixing the clock the records are stamped with while the demo is built: public
    ids are seeded, but `updated_at` comes from `riskreg.storage.models.utcnow()`, which reads
    `datetime.now(UTC)` through the models module. Patching `models.utcnow` itself would not
    reach the tables' `default_factory` (it holds the original function), so the module's
    `datetime` is patched instead; every record is then stamped GOLDEN_STAMP. Comparing after
    stripping DTSTAMP/LAST-MODIFIED would stop the golden file from checking them at all.

    Regenerate (after an intended change): RISKREG_REGENERATE_GOLDEN=1 pytest -k golden
    """
    from riskreg.services.demo import build_demo
    from riskreg.services.register import RegisterService
    from riskreg.storage import models

    class FixedClock(datetime):
        @classmethod
        def now(cls, tz=None):
            return GOLDEN_STAMP.astimezone(tz) if tz else GOLDEN_STAMP.replace(tzinfo=None)

    monkeypatch.setattr(models, "datetime", FixedClock)
    register = RegisterService(db, today=lambda: FIXED_TODAY)
    build_demo(register, today=FIXED_TODAY, seed=7)
    monkeypatch.undo()
    calendar = CalendarService(db, today=lambda: FIXED_TODAY)
    path, count = export(calendar, tmp_path, reminder_events=False)
    raw = path.read_bytes()
    if os.environ.get("RISKREG_REGENERATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(raw)
    assert raw == GOLDEN.read_bytes(), "the demo export changed; see this test's docstring"
    found = events(raw)
    assert count == len(found) > 50
    for event in found.values():
        check_all_day(event)
    check_lines(raw)


# -- incidents -----------------------------------------------------------------------------------

SECRET_TITLE = "Zephyrine misdirected fax"
SECRET_DESCRIPTION = "Quorvath Ellingsworth's intake notes were faxed to the wrong number"
NO_EXCEPTION = {"workforce_good_faith": False, "inadvertent_internal": False,
                "could_not_retain": False}


@pytest.fixture
def incidents(db):
    module = pytest.importorskip("riskreg.services.incidents")
    return module.IncidentService(db, today=lambda: FIXED_TODAY)


def notification_required(incidents, *, discovered="2026-11-02", affected=3, residents=None):
    """An incident walked to a notification-required determination and scoped."""
    r = incidents.create({"title": SECRET_TITLE, "description": SECRET_DESCRIPTION,
                          "discovered_on": discovered})
    ref = r["reference"]
    # Intake notes (treatment_notes): medical information, which triggers the state rules
    # (a name alone would not: the state gets no obligation then).
    r = incidents.save_phi(ref, {"phi_involved": True, "phi_types": ["name", "treatment_notes"]},
                           r["revision"])
    r = incidents.save_secured(ref, {"secured_by": "none"}, r["revision"])
    r = incidents.save_exceptions(ref, {"exceptions": NO_EXCEPTION}, r["revision"])
    r = incidents.save_factors(ref, {"factors": {
        key: {"rating": "high", "notes": "assessed"}
        for key in ("nature_extent", "recipient", "acquired_viewed", "mitigation")
    }}, r["revision"])
    r = incidents.save_determination(ref, {"choice": "notification_required",
                                           "rationale": "Unsecured PHI went to a stranger."},
                                     r["revision"])
    r = incidents.save_scope(ref, {"affected": affected,
                                   "residents": residents or {"CO": affected}}, r["revision"])
    return r


def walk(incidents, record, *step_ids):
    for step_id in step_ids:
        record = incidents.complete_step(record["reference"], step_id, record["revision"])
    return record


def test_every_obligation_with_its_internal_target(incidents, calendar, tmp_path):
    inc = notification_required(incidents)
    found = events(export(calendar, tmp_path, groups=("incidents",))[0])
    pid, ref = inc["public_id"], inc["reference"]
    individuals = found[f"{pid}-individuals@riskreg"]
    assert check_all_day(individuals) == date(2027, 1, 1)  # discovery + 60 days
    assert str(individuals["SUMMARY"]) == f"{ref}: Notify affected individuals (45 CFR 164.404(b))"
    assert "discovery 2026-11-02 + 60 calendar days = 2027-01-01" in str(
        individuals["DESCRIPTION"])
    assert check_all_day(found[f"{pid}-individuals-target@riskreg"]) < date(2027, 1, 1)
    hhs = found[f"{pid}-hhs@riskreg"]
    assert check_all_day(hhs) == date(2027, 3, 1)  # annual log: Dec 31 + 60 days
    # Cut at a word to fit one line of the file; the description says it all.
    assert str(hhs["SUMMARY"]) == f"{ref}: Notify HHS (in the yearly log of breaches under…"
    assert str(hhs["DESCRIPTION"]).startswith(
        f"{ref}: Notify HHS (in the yearly log of breaches under 500), due 2027-03-01 "
        f"(45 CFR 164.408(c))")
    assert check_all_day(found[f"{pid}-state-CO@riskreg"]) == date(2026, 12, 2)
    for event in found.values():
        # Only the alarms whose day has not passed (findings D6): 14, 7, 1 days before.
        left = (check_all_day(event) - FIXED_TODAY).days
        expected = [t for t in ALARMS_14_7_1 if -t.days <= left] if left >= 0 else []
        assert alarm_triggers(event) == expected
    assert any(alarm_triggers(e) == ALARMS_14_7_1 for e in found.values())
    assert any(0 < len(alarm_triggers(e)) < 3 for e in found.values())  # some have passed
    assert {int(e["SEQUENCE"]) for u, e in found.items() if not u.endswith("-target@riskreg")} \
        == {inc["revision"]}


def test_no_incident_description_or_title_unless_details(incidents, calendar, tmp_path):
    notification_required(incidents)
    raw = export(calendar, tmp_path)[0].read_bytes()
    text = parse(raw).to_ical().decode()  # unfolded, unescaped by icalendar
    for secret in (b"Zephyrine", b"Quorvath", b"Ellingsworth", b"faxed"):
        assert secret not in raw
    assert "Zephyrine" not in text.replace("\r\n ", "")
    detailed = export(calendar, tmp_path, "details.ics", details=True)[0].read_bytes()
    summaries = [str(e["SUMMARY"]) for e in events(detailed).values()]
    # The title follows the notice (its citation left to the description), cut at a word to
    # fit one line of the file, and left out where not even its first word fits; the
    # description ends with it whole.
    found = events(detailed).values()
    assert all(str(e["DESCRIPTION"]).endswith(f" Incident: {SECRET_TITLE}") for e in found)
    titled = [s for s in summaries if " - Zephyrine" in s]
    assert all(s.endswith(("Zephyrine…", "misdirected…", f" - {SECRET_TITLE}"))
               for s in titled), summaries
    assert any(s.endswith(f"residents - {SECRET_TITLE}") for s in summaries), summaries
    assert b"Quorvath" not in detailed and b"faxed" not in detailed


def test_a_done_obligation_is_cancelled_with_the_same_uid(incidents, calendar, tmp_path):
    inc = notification_required(incidents)
    uid = f"{inc['public_id']}-individuals@riskreg"
    before = events(export(calendar, tmp_path, "a.ics", groups=("incidents",))[0])[uid]
    ref = inc["reference"]
    r = walk(incidents, inc, "law_enforcement", "plan", "notices")
    incidents.record_notice_sent(ref, {
        "obligation_id": "individuals", "sent_on": "2026-11-20", "method": "mail", "count": 3,
    }, r["revision"])
    found = events(export(calendar, tmp_path, "b.ics", groups=("incidents",))[0])
    after = found[uid]
    assert str(after["STATUS"]) == "CANCELLED"
    assert str(after["SUMMARY"]).startswith("[DONE] ")
    assert "Recorded as sent on 2026-11-20" in str(after["DESCRIPTION"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert check_all_day(after) == check_all_day(before)
    assert not after.walk("VALARM")
    target = found[f"{inc['public_id']}-individuals-target@riskreg"]
    assert str(target["STATUS"]) == "CANCELLED"
    assert str(found[f"{inc['public_id']}-hhs@riskreg"]["STATUS"]) == "CONFIRMED"


def test_the_end_of_a_law_enforcement_hold(incidents, calendar, tmp_path):
    inc = notification_required(incidents, discovered="2026-11-02")
    r = incidents.add_statement(inc["reference"], {
        "kind": "oral", "statement_on": "2026-11-20", "official": "Det. Example",
        "agency": "City police",
    }, inc["revision"])
    statement = r["statements"][0]["public_id"]
    found = events(export(calendar, tmp_path, groups=("incidents",))[0])
    hold = found[f"{inc['public_id']}-hold-{statement}-end@riskreg"]
    assert check_all_day(hold) == date(2026, 12, 20)  # oral: at most 30 days
    assert "164.412" in str(hold["SUMMARY"])


def test_before_the_determination_the_outer_limit_is_tentative(incidents, calendar, tmp_path):
    r = incidents.create({"title": SECRET_TITLE, "discovered_on": "2026-11-10"})
    found = events(export(calendar, tmp_path, groups=("incidents",))[0])
    (event,) = found.values()
    assert str(event["UID"]) == f"{r['public_id']}-individuals@riskreg"
    assert check_all_day(event) == date(2027, 1, 9)
    assert "if it is a breach" in str(event["SUMMARY"])


def test_a_closed_incident_keeps_the_notices_it_still_owes_open(incidents, calendar, tmp_path):
    # Closing the incident does not end the duty to notify (issue 17, finding 14): each
    # notice not yet recorded as sent stays a confirmed event, alarms and all.
    inc = notification_required(incidents)
    r = walk(incidents, inc, "law_enforcement", "plan", "notices", "tracking")
    r = incidents.save_closeout(inc["reference"], {"lessons_learned": "Fax numbers checked."},
                                r["revision"])
    incidents.close(inc["reference"], r["revision"])
    found = events(export(calendar, tmp_path, groups=("incidents",))[0])
    owed = [e for e in found.values() if not str(e["UID"]).endswith("-target@riskreg")]
    assert owed and all(str(e["STATUS"]) == "CONFIRMED" for e in owed)
    assert all(e.walk("VALARM") and "still owed" in str(e["DESCRIPTION"]) for e in owed)
    assert all("[CLOSED]" not in str(e["SUMMARY"]) for e in found.values())


def test_one_incident_only(incidents, calendar, tmp_path):
    first = notification_required(incidents, discovered="2026-11-02")
    second = notification_required(incidents, discovered="2026-11-03")
    found = events(export(calendar, tmp_path, groups=("incidents",),
                          incident=second["reference"])[0])
    assert found and all(u.startswith(second["public_id"]) for u in found)
    assert not [u for u in found if u.startswith(first["public_id"])]
    with pytest.raises(UserError):
        calendar.export(tmp_path / "x.ics", ExportOptions(incident="INC-2099-999"))
    assert not (tmp_path / "x.ics").exists()
