"""Issue 17, stumbles a new user met on screens: a destructive button that asks first, the step
list keeping unsaved typing, checks shown as you type, focus that keeps what is typed, the
calendar export dialog not losing an edit. Real key presses through the pilot."""

from __future__ import annotations

from incident_pilot import (
    at_step,
    incidents_service,
    open_wizard,
    panel_text,
    screen,
    seed_to_plan,
    type_text,
)
from pilot_helpers import edit_record_form, new_record_form, ready, settle

from riskreg.ui.dialogs.confirm import ConfirmDialog


def _at_tracking_with_one_notice(db):
    svc = incidents_service(db)
    r = seed_to_plan(svc, discovered="2026-11-02", affected=3, residents={"CO": 3})
    r = svc.complete_step(r["reference"], "plan", r["revision"])
    r = svc.complete_step(r["reference"], "notices", r["revision"])
    svc.record_notice_sent(r["reference"], {"obligation_id": "individuals",
                                            "sent_on": "2026-11-20", "method": "mail",
                                            "count": 3}, r["revision"])
    return svc


async def _tab_onto(pilot, before: str, target: str) -> None:
    """Focus `before` and Tab once: the focus must land on `target`, as a user's Tab would."""
    pilot.app.screen.query_one(before).focus()
    await pilot.pause()
    await pilot.press("tab")
    await pilot.pause()
    assert pilot.app.focused is not None and pilot.app.focused.id == target, pilot.app.focused


async def test_withdrawing_the_last_notice_asks_first_and_enter_keeps_it(make_app, db):
    svc = _at_tracking_with_one_notice(db)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot, "INC-2026-001")
        await at_step(pilot, "tracking")
        await _tab_onto(pilot, "#record-notice", "withdraw-notice")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        message = app.screen.message
        assert "Notify affected individuals" in message and "2026-11-20" in message, message
        assert "First-class mail" in message and "marked withdrawn" in message, message
        await pilot.press("enter")  # the default answer keeps the notice
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert len(svc.get("INC-2026-001")["notices"]) == 1

        await _tab_onto(pilot, "#record-notice", "withdraw-notice")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert screen(app).shown == "tracking"
    assert svc.get("INC-2026-001")["notices"] == []


async def test_withdrawing_the_last_statement_asks_first_and_enter_keeps_it(make_app, db):
    svc = incidents_service(db)
    statement = {"kind": "oral", "statement_on": "2026-11-05", "official": "Det. Example",
                 "agency": "City Police"}
    seed_to_plan(svc, statements=[statement])
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot, "INC-2026-001")
        screen(app).show_step("law_enforcement", force=True)  # as the step list (ctrl+o) does
        await at_step(pilot, "law_enforcement")
        assert "oral statement of 2026-11-05" in panel_text(app)
        await _tab_onto(pilot, "#add-statement", "withdraw-statement")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        message = app.screen.message
        assert "oral statement of 2026-11-05" in message and "City Police" in message, message
        await pilot.press("enter")  # keep
        await settle(pilot)
        assert len(svc.get("INC-2026-001")["statements"]) == 1

        await _tab_onto(pilot, "#add-statement", "withdraw-statement")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert svc.get("INC-2026-001")["statements"] == []


async def test_choosing_the_step_shown_in_the_step_list_keeps_the_typing(make_app):
    from textual.widgets import OptionList

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot)
        await type_text(pilot, "Laptop")  # the title field has the focus
        title = app.focused
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.focused, OptionList)
        await pilot.press("enter")  # the step shown is the one highlighted
        await settle(pilot)
        assert screen(app).shown == "intake"
        assert app.screen is screen(app)  # no question: nothing is lost
        assert screen(app).panel.values()["title"] == "Laptop"
        assert app.focused is title  # back in the step, where the typing was


# -- checks shown as you type (item 3) ---------------------------------------------------------


async def _choose(pilot, widget, value) -> None:
    """Step a choice with → until it shows `value`, as a user would."""
    widget.focus()
    await pilot.pause()
    for _ in range(12):
        if widget.value == value:
            return
        await pilot.press("right")
    assert widget.value == value, widget.value


async def _typing_stopped(pilot) -> None:
    from riskreg.ui.dialogs.base import CHECK_AFTER

    await pilot.pause(CHECK_AFTER + 0.2)


async def test_a_current_assessment_dated_in_the_future_is_shown_as_it_is_typed(
        make_app, small_register):
    from textual.widgets import Input


    app = make_app(area="hazards")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        form = await edit_record_form(pilot)
        await _choose(pilot, form.query_one("#f-current_assessed_likelihood"), 2)
        await _choose(pilot, form.query_one("#f-current_assessed_impact"), 2)
        date_field = form.query_one("#f-current_assessed_on", Input)
        date_field.focus()
        await pilot.pause()
        await pilot.press(*"2026-12-01")  # the fixed today is 2026-11-26
        await _typing_stopped(pilot)
        assert form.problem_text("current_assessed_on") == \
            "A current assessment cannot be dated in the future."
        await pilot.press(*["backspace"] * 5, *"11-20")  # 2026-11-20
        await pilot.pause()
        assert form.problem_text("current_assessed_on") == ""  # gone at once


async def test_an_addressable_safeguard_put_in_place_shows_its_problem_as_it_is_chosen(
        make_app, small_register):

    app = make_app(area="safeguards")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        form = await new_record_form(pilot)
        await pilot.press(*"Backups")
        await _choose(pilot, form.query_one("#f-requirement"), "addressable")
        await _choose(pilot, form.query_one("#f-status"), "in_place")
        await _typing_stopped(pilot)
        assert form.problem_text("decision_note") == \
            "An addressable safeguard needs its documented decision."
        await _choose(pilot, form.query_one("#f-requirement"), "required")
        await pilot.pause()
        assert form.problem_text("decision_note") == ""  # its cause is gone: so is the problem


async def test_a_secured_step_problem_goes_when_protected_by_no_longer_asks_for_it(make_app, db):
    svc = incidents_service(db)
    r = svc.create({"title": "Laptop stolen from the car", "discovered_on": "2026-11-02"})
    svc.save_phi(r["reference"], {"phi_involved": True, "phi_types": ["name"]}, r["revision"])
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot, r["reference"])
        await at_step(pilot, "secured")
        panel = screen(app).panel
        await _choose(pilot, panel.widget("secured_by"), "encryption")
        panel.widget("secured_basis").focus()
        await pilot.pause()
        await type_text(pilot, "BitLocker, checked in the console")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert panel.problem_text("key_compromised") == \
            "Record whether the key or password was compromised."
        await _choose(pilot, panel.widget("secured_by"), "none")
        await pilot.pause()
        assert panel.problem_text("key_compromised") == ""


# -- focus keeps what is typed (item 4) --------------------------------------------------------


async def test_e_opens_the_form_with_the_cursor_after_the_name_and_nothing_selected(
        make_app, small_register):

    app = make_app(area="hazards")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        form = await edit_record_form(pilot)
        title = form.query_one("#f-title")
        assert app.focused is title
        before = title.value
        assert before
        await pilot.press(*" (car)")
        assert title.value == before + " (car)"


async def test_after_a_refused_save_one_backspace_takes_one_character_of_the_date(
        make_app, small_register):
    from textual.widgets import Input

    app = make_app(area="hazards")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        form = await edit_record_form(pilot)
        field = form.query_one("#f-next_review_on", Input)
        field.focus()
        await pilot.pause()
        field.value = ""
        await pilot.press(*"2026-02-30")
        form.query_one("#f-title").focus()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert app.focused is field  # the save sent the focus back to the date
        await pilot.press("backspace")
        assert field.value == "2026-02-3"
        await pilot.press("8")
        assert field.value == "2026-02-38"


async def test_wizard_fields_keep_their_answer_when_typed_into(make_app, db):
    from textual.widgets import TextArea

    svc = incidents_service(db)
    r = svc.create({"title": "Laptop stolen", "discovered_on": "2026-11-02",
                    "description": "The practice laptop was taken from the car."})
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot, r["reference"])
        screen(app).show_step("intake", force=True)
        await at_step(pilot, "intake")
        panel = screen(app).panel
        assert app.focused is panel.widget("title")
        await type_text(pilot, " from the car")
        assert panel.values()["title"] == "Laptop stolen from the car"
        description = panel.widget("description")
        assert isinstance(description, TextArea)
        while app.focused is not description:
            await pilot.press("tab")
        await type_text(pilot, " Found at 9")
        assert panel.values()["description"] == \
            "The practice laptop was taken from the car. Found at 9"


# -- the calendar export dialog asks before losing an edit (item 5) ------------------------------


async def test_escape_in_the_calendar_export_with_the_alarms_edited_asks_first(
        make_app, small_register, tmp_path):
    from textual.widgets import Input

    from riskreg.ui.dialogs.base import UnsavedQuestion
    from riskreg.ui.dialogs.export_calendar import ExportCalendarDialog, open_export_dialog

    out = tmp_path / "cal.ics"
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        open_export_dialog(app)
        await settle(pilot, 1)
        dialog = app.screen
        assert isinstance(dialog, ExportCalendarDialog)
        await pilot.press("escape")  # nothing changed: closes at once
        await settle(pilot, 1)
        assert not isinstance(app.screen, (ExportCalendarDialog, UnsavedQuestion))

        open_export_dialog(app)
        await settle(pilot, 1)
        dialog = app.screen
        alarms = dialog.query_one("#alarms", Input)
        while app.focused is not alarms:
            await pilot.press("shift+tab")
        await pilot.press(*["backspace"] * 8, "3", "0")
        assert alarms.value == "30"
        await pilot.press("escape")
        await settle(pilot, 1)
        assert isinstance(app.screen, UnsavedQuestion)
        await pilot.press("escape")  # keep editing
        await settle(pilot, 1)
        assert app.screen is dialog and alarms.value == "30"

        dialog.query_one("#path", Input).value = str(out)
        await pilot.press("escape")
        await settle(pilot, 1)
        await pilot.press("s")  # save: export with what was typed
        await settle(pilot)
        assert not isinstance(app.screen, (ExportCalendarDialog, UnsavedQuestion))
    from datetime import timedelta

    from icalendar import Calendar

    events = list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert events
    for event in events:  # the alarms typed, not the settings' 14,7,1
        triggers = [a["TRIGGER"].dt for a in event.walk("VALARM")]
        assert triggers in ([], [timedelta(days=-30, hours=9)])
    assert any(event.walk("VALARM") for event in events)
