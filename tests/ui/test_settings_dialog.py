"""The practice settings dialog, driven by keys: opened from the command palette, typed into,
saved (and stored); a bad value shown at its field with nothing saved; escape asks before
discarding; settings changed elsewhere are not overwritten."""

from __future__ import annotations

from clock import FIXED_TODAY
from pilot_helpers import ready, settle

from riskreg.ui.dialogs.base import UnsavedQuestion
from riskreg.ui.dialogs.confirm import ConfirmDialog
from riskreg.ui.dialogs.settings import SettingsDialog


def stored(db):
    from riskreg.services.settings import SettingsService

    return SettingsService(db, today=lambda: FIXED_TODAY).get()


async def open_from_palette(pilot) -> SettingsDialog:
    await pilot.press("ctrl+p")
    await pilot.pause(0.2)
    await pilot.press(*"practice settings")
    await pilot.pause(0.5)
    await pilot.press("enter")
    await settle(pilot, 1)
    dialog = pilot.app.screen
    assert isinstance(dialog, SettingsDialog)
    return dialog


def said(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_palette_opens_the_settings_and_ctrl_s_saves_what_was_typed(
        make_app, small_register, db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        dialog = await open_from_palette(pilot)
        assert dialog.focused.id == "s-practice_name"
        await pilot.press(*"Rivera Counseling")
        await pilot.press("enter")  # to the next field
        await pilot.press(*"Dr. Sam Rivera", "tab")
        await pilot.press(*"ca", "tab", "tab", "tab")
        assert dialog.focused.id == "s-risk_analysis_reviewed_on"
        await pilot.press(*"2026-11-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, SettingsDialog)
        assert ("Practice settings saved: practice name, practitioner, home state, "
                "risk analysis reviewed.") in said(app)
    saved = stored(db)
    assert saved["practice_name"] == "Rivera Counseling"
    assert saved["practitioner"] == "Dr. Sam Rivera" and saved["home_state"] == "CA"
    assert str(saved["risk_analysis_reviewed_on"]) == "2026-11-01"
    assert saved["revision"] == 1


async def test_a_bad_date_is_shown_at_its_field_and_nothing_is_saved(make_app, small_register, db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        dialog = await open_from_palette(pilot)
        await pilot.press(*"Rivera Counseling")
        for _ in range(5):
            await pilot.press("tab")
        await pilot.press(*"2026-02-30")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert app.screen is dialog
        assert dialog.problem_text("risk_analysis_reviewed_on") == \
            "The risk analysis review date 2026-02-30 is not a date (February 2026 has 28 days)."
        assert dialog.focused.id == "s-risk_analysis_reviewed_on"

        # a date in the future is refused as well; leaving the field already says so
        dialog.query_one("#s-risk_analysis_reviewed_on").value = "2026-12-01"
        await pilot.press("shift+tab")
        await settle(pilot, 1)
        assert "in the future" in dialog.problem_text("risk_analysis_reviewed_on")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert app.screen is dialog
        assert "in the future" in dialog.problem_text("risk_analysis_reviewed_on")
    assert stored(db)["revision"] == 0 and stored(db)["practice_name"] == ""


async def test_escape_asks_before_discarding_changes(make_app, small_register, db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        dialog = await open_from_palette(pilot)
        await pilot.press(*"Rivera")
        await pilot.press("escape")
        await settle(pilot, 1)
        assert isinstance(app.screen, UnsavedQuestion)
        await pilot.press("escape")  # keep editing
        await settle(pilot, 1)
        assert app.screen is dialog
        assert dialog.query_one("#s-practice_name").value == "Rivera"
        await pilot.press("escape", "d")  # discard
        await settle(pilot, 1)
        assert app.screen is app.main_screen
    assert stored(db)["revision"] == 0


async def test_settings_saved_elsewhere_are_not_overwritten(make_app, small_register, db):
    from riskreg.services.settings import SettingsService

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        dialog = await open_from_palette(pilot)
        SettingsService(db, today=lambda: FIXED_TODAY).update({"practice_name": "Other window"}, 0)
        await pilot.press(*"This window")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")  # reload
        await settle(pilot, 1)
        assert app.screen is dialog
        assert dialog.query_one("#s-practice_name").value == "Other window"
    assert stored(db)["practice_name"] == "Other window"


async def test_the_help_screen_lists_the_settings_keys(make_app, small_register):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert "Practice settings" in app.screen.text


async def test_the_dashboard_names_the_practice_as_just_saved(make_app, small_register, db):
    # New-user run 2: the dashboard kept the old name after the settings were saved.
    from textual.widgets import Static

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        dialog = await open_from_palette(pilot)
        field = dialog.query_one("#s-practice_name")
        field.value = ""
        await pilot.press(*"Harbor Light Counseling", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, SettingsDialog)
        await settle(pilot)
        summary = str(app.main_screen.query_one("#summary", Static).content)
        assert summary.startswith("Harbor Light Counseling · ")
