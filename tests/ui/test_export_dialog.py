"""The calendar export dialog: choose, export in a worker, a notification; a clear message and
nothing written for an unwritable path."""

from __future__ import annotations

import stat
from datetime import timedelta

from clock import FIXED_TODAY
from icalendar import Calendar
from pilot_helpers import ready, settle
from textual.widgets import Checkbox, Input

from riskreg.ui.dialogs.export_calendar import ExportCalendarDialog, open_export_dialog


def exported(path) -> dict[str, object]:
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


async def open_dialog(pilot, **kwargs) -> ExportCalendarDialog:
    open_export_dialog(pilot.app, **kwargs)
    await settle(pilot, 1)
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportCalendarDialog)
    return dialog


async def test_export_writes_the_file_and_notifies_with_path_and_count(
        make_app, small_register, tmp_path):
    out = tmp_path / "cal.ics"
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        dialog.query_one("#path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ExportCalendarDialog)
        found = exported(out)
        (note,) = [n for n in app._notifications if "calendar" in n.message]
        assert note.message == f"{len(found)} calendar events written to {out}"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert len(found) >= 4
    for event in found.values():
        triggers = [a["TRIGGER"].dt for a in event.walk("VALARM")]
        assert triggers in ([], [timedelta(days=-n, hours=9) for n in (14, 7, 1)])


async def test_choices_reach_the_file(make_app, small_register, tmp_path):
    out = tmp_path / "baa.ics"
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        for group in ("incidents", "reviews", "safeguards"):
            dialog.query_one(f"#group-{group}", Checkbox).value = False
        dialog.query_one("#alarms", Input).value = "30"
        dialog.query_one("#reminders", Checkbox).value = True
        dialog.query_one("#path", Input).value = str(out)
        await pilot.click("#export")
        await settle(pilot)
    found = exported(out)
    ehr = small_register["ehr"]["public_id"]
    assert set(found) == {f"{ehr}-baa-expiry@riskreg", f"{ehr}-baa-expiry-reminder-30d@riskreg"}
    main = found[f"{ehr}-baa-expiry@riskreg"]
    assert [a["TRIGGER"].dt for a in main.walk("VALARM")] == [timedelta(days=-30, hours=9)]


async def test_an_unwritable_path_is_shown_and_nothing_is_written(
        make_app, small_register, tmp_path):
    out = tmp_path / "missing-folder" / "cal.ics"
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        dialog.query_one("#path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog  # still open, to fix the path
        problem = str(dialog.query_one("#export-problem").content)
        assert problem == f"cannot write {out}: folder {out.parent} does not exist"
        assert not dialog.busy
        await pilot.press("escape")
        await settle(pilot, 1)
        assert not isinstance(app.screen, ExportCalendarDialog)
    assert not out.parent.exists()
    assert [p for p in tmp_path.rglob("*") if p.suffix in (".ics", ".tmp")] == []


async def test_bad_alarms_and_no_group_are_explained(make_app, small_register, tmp_path):
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        dialog.query_one("#path", Input).value = str(tmp_path / "x.ics")
        dialog.query_one("#alarms", Input).value = "7,soon"
        await pilot.press("ctrl+s")
        assert "not a whole number" in str(dialog.query_one("#export-problem").content)
        dialog.query_one("#alarms", Input).value = ""
        for group in ("incidents", "reviews", "safeguards", "baa"):
            dialog.query_one(f"#group-{group}", Checkbox).value = False
        await pilot.press("ctrl+s")
        assert "at least one" in str(dialog.query_one("#export-problem").content)
    assert not (tmp_path / "x.ics").exists()


async def test_the_whole_export_goes_to_the_feed_by_default(make_app, db, db_path,
                                                             small_register):
    """Issue 20: `x` shows the practice's feed and writes there unless told otherwise; a second
    export of the same register writes the same bytes."""
    from riskreg.services.calendar_targets import feed_path

    feed = feed_path(db_path)
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        assert dialog.query_one("#path", Input).value == str(feed)
        assert str(feed) in str(dialog.query_one("#feed").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ExportCalendarDialog)
    first, before = exported(feed), feed.read_bytes()
    assert first and stat.S_IMODE(feed.stat().st_mode) == 0o600
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in before
    async with make_app().run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        await open_dialog(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert feed.read_bytes() == before  # the same register: the same bytes


async def test_the_alarms_start_from_the_practice_settings(make_app, db, db_path,
                                                           small_register):
    from riskreg.storage.models import PracticeSettings

    with db.writing() as session:
        session.add(PracticeSettings(alarm_days="21,3"))
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        assert dialog.query_one("#alarms", Input).value == "21,3"
        assert dialog.query_one("#path", Input).value == str(db_path.parent / "riskreg-feed.ics")


async def test_one_incident_has_no_group_choice(make_app, small_register):
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot, incident="INC-2026-003")
        assert not list(dialog.query(Checkbox).filter("#group-reviews"))
        assert dialog.query_one("#path", Input).value == "~/riskreg-INC-2026-003.ics"
        assert dialog.options()["groups"] == ("incidents",)


async def test_the_command_palette_offers_the_export(make_app, small_register):
    from riskreg.ui.commands import action_commands

    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        (command,) = [c for c in action_commands(app) if "calendar" in c.title]
        command.callback()
        await settle(pilot, 1)
        assert isinstance(app.screen, ExportCalendarDialog)


async def test_an_incidents_plan_step_exports_that_incident_only(make_app, db, small_register,
                                                                 tmp_path):
    from textual.widgets import Button

    from riskreg.services.incidents import IncidentService
    from riskreg.ui.incidents.area import open_incident

    service = IncidentService(db, today=lambda: FIXED_TODAY)
    r = service.create({"title": "Lost USB stick", "discovered_on": "2026-11-20"})
    ref = r["reference"]
    r = service.save_phi(ref, {"phi_involved": True, "phi_types": ["name"]}, r["revision"])
    r = service.save_secured(ref, {"secured_by": "none"}, r["revision"])
    r = service.save_exceptions(ref, {"exceptions": {
        "workforce_good_faith": False, "inadvertent_internal": False, "could_not_retain": False,
    }}, r["revision"])
    r = service.save_factors(ref, {"factors": {
        k: {"rating": "high", "notes": "assessed"}
        for k in ("nature_extent", "recipient", "acquired_viewed", "mitigation")
    }}, r["revision"])
    r = service.save_determination(ref, {"choice": "notification_required",
                                         "rationale": "Unencrypted stick, not found."},
                                   r["revision"])
    r = service.save_scope(ref, {"affected": 4, "residents": {"TX": 4}}, r["revision"])
    service.complete_step(ref, "law_enforcement", r["revision"])
    out = tmp_path / "inc.ics"
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        open_incident(app, ref)
        await settle(pilot)
        app.screen.query_one("#export-plan", Button).press()
        await settle(pilot, 1)
        dialog = app.screen
        assert isinstance(dialog, ExportCalendarDialog) and dialog.incident == ref
        dialog.query_one("#path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot)
    found = exported(out)
    assert found and all(u.startswith(r["public_id"]) for u in found)
    assert all(str(e["SUMMARY"]).startswith(f"{ref}: ") for e in found.values())
