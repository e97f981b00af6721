"""One form per kind is built once and shown again for every record (it opens several times
faster): nothing one opening leaves behind may show in the next one."""

from __future__ import annotations

from pilot_helpers import area, ready, settle
from textual.widgets import Input, TextArea

from riskreg.ui.dialogs.base import UnsavedQuestion
from riskreg.ui.dialogs.confirm import ConfirmDialog
from riskreg.ui.dialogs.fields import DEFAULTS
from riskreg.ui.dialogs.form import RecordForm
from riskreg.ui.widgets.choice import BLANK, Choice


async def _open(pilot, key: str = "e") -> RecordForm:
    await pilot.press(key)
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, RecordForm)
    return form


async def _close(pilot, discard: bool = False) -> None:
    await pilot.press("escape")
    if discard:
        assert isinstance(pilot.app.screen, UnsavedQuestion)
        await pilot.press("d")
    await settle(pilot, 1)
    assert pilot.app.screen is pilot.app.main_screen


def _shown_problems(form: RecordForm) -> list[str]:
    return ([str(w.content) for w in form.query(".field-error.-on")]
            + [w.id for w in form.query(".field-label.-invalid")]
            + (["top"] if form.query_one("#problem").has_class("-on") else []))


async def _type(pilot, field: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#f-{field}", Input)
    widget.focus()
    widget.value = ""
    await pilot.press(*text)


def _title(form: RecordForm) -> str:
    return form.query_one("#f-title", Input).value


async def test_another_record_shows_its_own_values_after_edits_were_discarded(
        make_app, register, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        first = await _open(pilot)
        a = first.record
        await _type(pilot, "title", "Something else")
        await pilot.press("tab", *"typed into the description")
        assert first.dirty
        await _close(pilot, discard=True)
        await pilot.press("down")
        await settle(pilot, 1)
        form = await _open(pilot)
        assert form is first  # shown again, not built again
        b = register.get("hazard", area(app, "hazard").current()[1]["public_id"])
        assert b["public_id"] != a["public_id"]
        assert form.record["public_id"] == b["public_id"]
        assert _title(form) == b["title"]
        assert form.query_one("#f-description", TextArea).text == b["description"]
        assert form.query_one("#f-likelihood", Choice).value == b["likelihood"]
        assert not form.dirty
        assert _shown_problems(form) == []
        assert b["title"] in str(form.query_one("#heading").content)
        assert app.focused is form.query_one("#f-title")
        await _close(pilot)  # unchanged: closes without asking


async def test_a_problem_shown_in_one_opening_is_gone_in_the_next(
        make_app, register, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        form = await _open(pilot)
        saved = register.get("hazard", form.record["public_id"])
        field = form.query_one("#f-next_review_on", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"2026-02-30", "ctrl+s")
        await settle(pilot, 1)
        assert "is not a date" in form.problem_text("next_review_on")
        form.show_problem("", "something went wrong")  # the problem above the fields, too
        await pilot.pause()
        assert len(_shown_problems(form)) == 3
        await _close(pilot, discard=True)
        again = await _open(pilot)
        await settle(pilot, 1)
        assert again is form
        assert _shown_problems(form) == []
        assert form.problem_text("next_review_on") == ""
        assert field.value == str(saved["next_review_on"])
        assert not form.dirty
        assert not form.saving


async def test_a_new_record_after_an_edit_starts_from_the_defaults(
        make_app, register, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        edit = await _open(pilot)
        await pilot.press("tab", *"edited text")
        await _close(pilot, discard=True)
        new = await _open(pilot, "n")
        assert new is edit
        assert new.record is None and new.revision is None
        assert str(new.query_one("#heading").content) == "New hazard"
        assert _title(new) == ""
        assert new.query_one("#f-description", TextArea).text == ""
        for name, value in DEFAULTS["hazard"].items():
            widget = new.query_one(f"#f-{name}")
            shown = widget.value if not isinstance(widget, Input) else int(widget.value)
            assert shown == value, name
        assert new.query_one("#f-owner", Choice).value is BLANK
        await pilot.press(*"Ransomware", "ctrl+s")
        await settle(pilot)
        assert app.screen is app.main_screen
        assert register.count("hazard") == 4
        [added] = [h for h in register.list("hazard").rows if h["title"] == "Ransomware"]
        assert (added["likelihood"], added["impact"], added["owner_public_id"]) == (3, 3, None)


async def test_owners_added_or_archived_since_the_form_was_built_are_offered_as_they_are_now(
        make_app, register, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        form = await _open(pilot)
        laptop = form.record
        assert laptop["owner_public_id"] == small_register["owner"]["public_id"]
        await _close(pilot)
        lee = register.create("owner", {"name": "Dr. Lee"})
        register.archive("owner", small_register["owner"]["public_id"])
        again = await _open(pilot)
        assert again is form and again.record["public_id"] == laptop["public_id"]
        owner = again.query_one("#f-owner", Choice)
        labels = [str(label) for label, _ in owner.options]
        assert labels == ["(no owner)", "Dr. Lee", "Dr. Rivera (archived)"]
        assert owner.value == small_register["owner"]["public_id"]
        assert not again.dirty
        owner.focus()
        await pilot.press("left")  # the option before the current one: Dr. Lee
        assert owner.value == lee["public_id"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert register.get("hazard", laptop["public_id"])["owner_public_id"] == lee["public_id"]


async def test_undo_in_a_long_text_never_brings_back_another_records_text(
        make_app, register, small_register):
    laptop, phishing = small_register["laptop"], small_register["phishing"]
    register.update("hazard", phishing["public_id"], {"description": "Phishing text"},
                    expected_revision=phishing["revision"])
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        form = await _open(pilot)
        assert form.record["public_id"] == laptop["public_id"]
        description = form.query_one("#f-description", TextArea)
        await pilot.press("tab", *"Phishing text")  # the next record's text, typed here
        assert description.text == "Phishing text"
        await _close(pilot, discard=True)
        assert area(app, "hazard").select_record(phishing["public_id"])
        assert await _open(pilot) is form
        assert form.record["public_id"] == phishing["public_id"]
        assert description.text == "Phishing text"
        await pilot.press("tab", "ctrl+z", "ctrl+z")
        await pilot.pause()
        assert app.focused is description
        assert description.text == "Phishing text"
        assert not form.dirty


async def test_save_and_the_changed_elsewhere_path_work_on_a_form_shown_again(
        make_app, register, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        form = await _open(pilot)
        a = form.record
        await _close(pilot)
        await pilot.press("down")
        await settle(pilot, 1)
        again = await _open(pilot)
        assert again is form
        b = form.record
        assert b["public_id"] != a["public_id"]
        register.update("hazard", b["public_id"], {"threat_source": "Other window"},
                        expected_revision=b["revision"])
        await pilot.press(*"Renamed", "ctrl+s")
        await settle(pilot, 1)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")  # reload
        await settle(pilot, 1)
        assert app.screen is form
        assert form.query_one("#f-threat_source", Input).value == "Other window"
        await _type(pilot, "title", "Renamed")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.main_screen
        saved = register.get("hazard", b["public_id"])
        assert saved["threat_source"] == "Other window"
        assert saved["title"] == "Renamed"
        assert register.get("hazard", a["public_id"])["title"] == a["title"]
        # and once more: a save on the third opening goes to the record opened, not before
        third = await _open(pilot)
        assert third is form and third.record["public_id"] == b["public_id"]
        await _type(pilot, "title", "Third")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert register.get("hazard", b["public_id"])["title"] == "Third"


async def test_a_form_shown_again_looks_exactly_like_a_new_one(
        make_app, register, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 18)) as pilot:
        await ready(pilot)

        async def open_b() -> str:
            await pilot.press("down")
            await settle(pilot, 1)
            await _open(pilot)
            await settle(pilot, 1)
            return app.export_screenshot()

        fresh = await open_b()
        form = app.screen
        await _close(pilot)
        # The record above, left with its title typed over (the title keeps the focus).
        await pilot.press("up")
        await settle(pilot, 1)
        assert await _open(pilot) is form
        await pilot.press("end", *" and more")
        await _close(pilot, discard=True)
        assert await open_b() == fresh
        await _close(pilot)
        # ... and left scrolled down, with a problem shown, the focus on a later field.
        await pilot.press("up")
        await settle(pilot, 1)
        await _open(pilot)
        form.query_one("#f-next_review_on", Input).focus()
        await pilot.press("end", "backspace", "x", "shift+tab")
        await settle(pilot, 1)
        assert form.problem_text("next_review_on")
        assert form.query_one("#fields").scroll_y > 0
        await _close(pilot, discard=True)
        assert await open_b() == fresh


async def test_a_theme_change_while_the_form_is_closed_shows_in_it(
        make_app, register, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        form = await _open(pilot)
        before = form.query_one("#frame").styles.background
        await _close(pilot)
        app.theme = "textual-light" if app.current_theme.dark else "textual-dark"
        await settle(pilot, 1)
        assert await _open(pilot) is form
        await pilot.pause()
        after = form.query_one("#frame").styles.background
        assert after != before
        assert after.hex.lower() == app.get_css_variables()["surface"].lower()


async def test_a_form_already_open_is_never_taken_for_another_record(
        make_app, register, small_register):
    """(The command palette can start an edit while a form is open.)"""
    phishing = small_register["phishing"]
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        first = await _open(pilot)
        assert first.record["public_id"] != phishing["public_id"]
        await _type(pilot, "title", "Under the other one")
        app.record_actions.edit("hazard", phishing["public_id"])
        await pilot.pause()
        second = app.screen
        assert isinstance(second, RecordForm) and second is not first
        assert _title(second) == phishing["title"]
        await _type(pilot, "threat_source", "Email")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is first
        assert _title(first) == "Under the other one"
        assert register.get("hazard", phishing["public_id"])["threat_source"] == "Email"
        await _close(pilot, discard=True)
        assert await _open(pilot) is first  # the kept one, not the extra one
