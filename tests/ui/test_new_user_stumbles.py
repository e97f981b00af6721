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
from pilot_helpers import settle

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
