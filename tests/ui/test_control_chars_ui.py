"""A record's form refuses a control character a paste brings in (issue 20, item 4), whichever
kind: a C1 control, DEL, a bell. The problem is shown beside the field as the user types, the
save refuses it, and once the character is deleted the record saves as typed. (The service and
the CLI: tests/test_control_chars.py.)"""

from pilot_helpers import ready, settle
from textual import events
from textual.widgets import Input, TextArea

from riskreg.ui.dialogs.form import CHECK_AFTER, RecordForm


async def _paste(pilot, text: str) -> None:
    pilot.app.post_message(events.Paste(text))  # as the terminal driver delivers a paste
    await pilot.pause()


async def test_a_pasted_c1_control_is_refused_beside_the_title_until_it_is_deleted(
        make_app, register):
    register.create("owner", {"name": "Dr. Rivera"})  # not empty: no welcome
    app = make_app(area="hazards")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#f-title", Input).focus()
        await pilot.press(*"Lost laptop")
        # CSI (U+009B), not NEL (U+0085): an Input keeps only the first line of a paste and
        # NEL counts as a line break, so it never arrives.
        await _paste(pilot, "\x9b")
        await pilot.pause(CHECK_AFTER + 0.2)  # a new problem shows once typing has stopped
        await settle(pilot)
        refused = ("A title contains a control character (U+009B), an invisible character "
                   "that could change what a terminal shows; remove it.")
        assert form.problem_text("title") == refused  # shown as typed, before any save
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and form.problem_text("title") == refused
        assert register.count("hazard") == 0

        await pilot.press("backspace")  # the pasted character goes (its problem at once)
        await settle(pilot)
        assert form.problem_text("title") == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    hazards = register.list("hazard").rows
    assert [h["title"] for h in hazards] == ["Lost laptop"]


async def test_a_description_keeps_its_new_lines_and_refuses_a_pasted_delete(make_app,
                                                                           register):
    register.create("owner", {"name": "Dr. Rivera"})
    app = make_app(area="hazards")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        form = app.screen
        form.query_one("#f-title", Input).focus()
        await pilot.press(*"Lost laptop")
        form.query_one("#f-description", TextArea).focus()
        await pilot.press(*"In the car", "enter", *"overnight")
        await _paste(pilot, " \x7f\x07")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "(U+007F)" in form.problem_text("description")
        assert register.count("hazard") == 0
        await pilot.press("backspace", "backspace", "backspace")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    assert [h["description"] for h in register.list("hazard").rows] == ["In the car\novernight"]
