"""What the UI fuzzer (test_fuzz.py) found, each as the plain pilot test of its shortest key
sequence: a crash or a failed worker stays fixed once these pass."""

from __future__ import annotations

import pytest
from pilot_helpers import ready, settle
from test_fuzz import watch_workers

from riskreg.ui.dialogs.base import UnsavedQuestion
from riskreg.ui.dialogs.form import RecordForm
from riskreg.ui.screens.record import RecordScreen


def _unhurt(app, failed_workers: list) -> None:
    assert app.is_running and app.return_code is None, app._exception
    assert not failed_workers, [worker.error for worker in failed_workers]


async def test_saving_a_new_tool_twice_with_its_name_empty_keeps_the_form_open(
        make_app, small_register):
    # Found at 6089d7d: the second save's problem line was mounted while the first one was still
    # being removed (DuplicateIds 'err-name', dialogs/form.py `_mark`).
    app = make_app(area="tools")
    failed = watch_workers(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await pilot.press("ctrl+s")
        await pilot.press("ctrl+s")
        await settle(pilot)
        _unhurt(app, failed)
        assert isinstance(app.screen, RecordForm)
        assert app.screen.problem_text("name")


async def test_choosing_save_when_leaving_a_new_tool_saves_it_and_closes_the_form_once(
        make_app, register, small_register):
    # Found at e6504ae: the save closed the form, then the leave that was waiting for the save
    # closed it again: dismiss() pops whatever is on top, here the main screen, so the save
    # worker failed with ScreenStackError (dialogs/base.py `_save` -> `close_editor`).
    app = make_app(area="tools")
    failed = watch_workers(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await pilot.press(*"Dr.")
        await pilot.press("escape")
        assert isinstance(app.screen, UnsavedQuestion)
        await pilot.press("enter")  # the question's focused answer: Save
        await settle(pilot)
        _unhurt(app, failed)
        assert app.screen is app.main_screen
    assert "Dr." in [tool["name"] for tool in register.list("tool").rows]


async def test_choosing_save_when_leaving_an_edit_opened_from_a_record_returns_to_the_record(
        make_app, small_register):
    # The same double close, one screen deeper: the second dismiss pops the record's screen,
    # with no error at all; the user lands on the table instead of the record they edited.
    app = make_app(area="tools")
    failed = watch_workers(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)
        await pilot.press("x")
        await pilot.press("escape")
        await pilot.press("enter")  # Save
        await settle(pilot)
        _unhurt(app, failed)
        assert isinstance(app.screen, RecordScreen)


@pytest.mark.parametrize(("area", "opening"), [
    ("hazards", ["r"]),  # the review of the hazard under the cursor
    ("tools", ["ctrl+p", *"settings", "enter"]),  # the practice settings, from the palette
], ids=["review", "settings"])
async def test_choosing_save_when_leaving_a_dialog_with_typing_closes_it_once(
        make_app, small_register, area, opening):
    # The double close of the record form, in the other dialogs that share its base.
    app = make_app(area=area)
    failed = watch_workers(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press(*opening)
        await settle(pilot)
        dialog = app.screen
        assert type(dialog).__name__ in ("ReviewDialog", "SettingsDialog")
        await pilot.press("x")
        await pilot.press("escape")
        assert isinstance(app.screen, UnsavedQuestion)
        await pilot.press("enter")  # Save
        await settle(pilot)
        _unhurt(app, failed)
        assert app.screen is app.main_screen
