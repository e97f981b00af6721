"""Others' changes appear (issue 22 item 6): another connection to the same file changes the
register, and the app's table shows it within the poll, without a key pressed; an open form is
not overwritten, and its save still says the record was changed elsewhere."""

from __future__ import annotations

import pytest
from clock import FIXED_TODAY
from pilot_helpers import edit_record_form, ready, settle, table_titles
from textual.widgets import Input

from riskreg.services.register import RegisterService
from riskreg.storage.database import open_database
from riskreg.ui.dialogs.confirm import ConfirmDialog
from riskreg.ui.dialogs.form import RecordForm

POLL = 0.2


@pytest.fixture
def other_window(db_path, small_register):
    """A second connection to the app's file, as another window or process has it."""
    database = open_database(db_path)
    yield RegisterService(database, today=lambda: FIXED_TODAY)
    database.close()


async def _until(pilot, condition, seconds: float = 5.0) -> bool:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


async def test_a_hazard_added_through_another_connection_appears_in_the_table(
        make_app, other_window):
    app = make_app(area="hazards")
    app.change_poll_seconds = POLL
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        title = "Fax sent to the wrong number"
        assert title not in table_titles(app, "hazard")
        other_window.create("hazard", {"title": title, "likelihood": 2, "impact": 3,
                                       "target_likelihood": 1, "target_impact": 2})
        assert await _until(pilot, lambda: title in table_titles(app, "hazard"))
        # A change to a shown record too.
        laptop = next(r for r in other_window.list("hazard").rows if "Laptop" in r["title"])
        other_window.update("hazard", laptop["public_id"], {"title": "Laptop stolen (moved)"},
                            expected_revision=laptop["revision"])
        assert await _until(pilot, lambda: "Laptop stolen (moved)" in table_titles(app, "hazard"))


async def test_nothing_is_reloaded_while_nothing_changes(make_app, other_window):
    app = make_app(area="hazards")
    app.change_poll_seconds = POLL
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        reloads = []
        app.register_changed = reloads.append  # what the poll calls when the register moved
        await pilot.pause(POLL * 5)
        assert reloads == []
        other_window.create("owner", {"name": "Billing office"})
        assert await _until(pilot, lambda: reloads == ["all"])


async def test_an_open_form_still_says_changed_elsewhere_on_save(
        make_app, other_window, small_register):
    laptop = small_register["laptop"]
    app = make_app(area="hazards")
    app.change_poll_seconds = POLL
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        form = await edit_record_form(pilot)
        other_window.update("hazard", laptop["public_id"], {"title": "Laptop stolen (other)"},
                            expected_revision=laptop["revision"])
        assert await _until(pilot, lambda: "Laptop stolen (other)" in table_titles(app, "hazard"))
        assert app.screen is form and isinstance(form, RecordForm)  # the form stays as typed
        field = form.query_one("#f-threat_source", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"Car thieves")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert isinstance(app.screen, ConfirmDialog)
        assert "changed elsewhere" in str(app.screen.query_one("#message").content)
