"""Keys that arrive together, as a fast typist's or a paste's do (finding 15): the terminal
delivers them in one read, and the app must still put each character in the field the Tabs
before it moved to. Pilot's `press` waits for the app between keys, so it cannot show this;
these tests post the keys the way the terminal driver does, all at once."""

from __future__ import annotations

import pytest
from incident_pilot import open_wizard, screen
from pilot_helpers import new_record_form, ready, settle
from textual import events
from textual.widgets import Input, TextArea

from riskreg.domain.kinds import KINDS
from riskreg.ui.dialogs.settings import SettingsDialog


def burst(app, *keys: str) -> None:
    """Post every key before the app handles the first (as the driver does for one read)."""
    for key in keys:
        char = {"space": " "}.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, char))


async def open_settings(pilot) -> SettingsDialog:
    await pilot.press("ctrl+p")
    await pilot.pause(0.2)
    await pilot.press(*"practice settings")
    await pilot.pause(0.5)
    await pilot.press("enter")
    await settle(pilot, 1)
    dialog = pilot.app.screen
    assert isinstance(dialog, SettingsDialog)
    assert dialog.focused.id == "s-practice_name"
    return dialog


async def test_typing_name_tab_practitioner_tab_state_in_one_burst_fills_three_fields(
        make_app, small_register):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        dialog = await open_settings(pilot)
        burst(app, *"Harbor", "tab", *"Dana", "tab", *"ca")
        await settle(pilot)
        value = lambda name: dialog.query_one(f"#s-{name}").value  # noqa: E731
        assert value("practice_name") == "Harbor"
        assert value("practitioner") == "Dana"
        assert value("home_state").lower() == "ca"


async def test_enter_in_a_settings_field_moves_on_before_the_next_letters(make_app, small_register):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        dialog = await open_settings(pilot)
        burst(app, *"Harbor", "enter", *"Dana")
        await settle(pilot)
        assert dialog.query_one("#s-practice_name").value == "Harbor"
        assert dialog.query_one("#s-practitioner").value == "Dana"
        assert dialog.focused.id == "s-practitioner"


def text_of(widget) -> str:
    return widget.value if isinstance(widget, Input) else widget.text


@pytest.mark.parametrize("area", [names.cli for names in KINDS.values()])
async def test_a_burst_across_a_register_forms_fields_puts_each_word_in_its_field(
        make_app, small_register, area):
    """Word, Tab, word, Tab ... over the form's first stops, all in one burst: each text field
    gets its own word (a choice is tabbed past without typing)."""
    app = make_app(area=area)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        form = await new_record_form(pilot)
        chain = form.focus_chain
        at = chain.index(form.focused)
        keys: list[str] = []
        expected = {}
        full = {}
        for n, widget in enumerate(chain[at:at + 6]):
            if isinstance(widget, Input) and widget.max_length and \
                    len(widget.value) >= widget.max_length:
                # Focus no longer selects the value (issue 17): a full field (the consent's date,
                # today's) takes no more keys, and keeps what it holds.
                full[widget] = widget.value
                keys += [*f"word{'abcdef'[n]}"]
            elif isinstance(widget, (Input, TextArea)):
                word = f"word{'abcdef'[n]}"
                expected[widget] = word
                keys += [*word]
            keys.append("tab")
        assert len(expected) >= 2, f"the {area} form should start with text fields"
        burst(app, *keys)
        await settle(pilot)
        for widget, word in expected.items():
            assert text_of(widget).endswith(word), (widget.id, text_of(widget))
        for widget, value in full.items():
            assert text_of(widget) == value, (widget.id, text_of(widget))


async def test_a_burst_in_a_new_incident_fills_the_title_then_what_happened(
        make_app, small_register):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot)
        panel = screen(app).panel
        title = app.focused
        assert isinstance(title, Input) and title.id == "f-title", title
        chain = app.screen.focus_chain
        after = chain[chain.index(title) + 1]
        assert isinstance(after, (Input, TextArea)), after
        burst(app, *"Lost", "space", *"laptop", "tab",
              *"Left", "space", *"on", "space", *"a", "space", *"train")
        await settle(pilot)
        assert title.value == "Lost laptop"
        assert app.focused is after
        assert text_of(after) == "Left on a train", (after.id, text_of(after))
        assert panel is screen(app).panel


# Keys the field takes by its own binding (End, BackSpace, Left) among letters of the same burst:
# each must act where it was typed, not after the letters behind it (finding 15, second half).

async def test_end_then_letters_in_one_burst_adds_to_the_title_instead_of_replacing_it(
        make_app, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await settle(pilot, 1)
        title = app.focused
        assert isinstance(title, Input) and title.id == "f-title", title
        before = title.value
        assert before
        burst(app, "end", "space", "y")
        await settle(pilot)
        assert title.value == before + " y"


@pytest.mark.parametrize(("keys", "expected"), [
    ([*"abc", "backspace", "d"], "abd"),
    ([*"ac", "left", "b"], "abc"),
    ([*"bc", "home", "a", "end", "d"], "abcd"),
])
async def test_editing_keys_in_a_burst_act_in_the_order_typed(
        make_app, small_register, keys, expected):
    app = make_app(area="hazards")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await new_record_form(pilot)
        title = app.focused
        assert isinstance(title, Input), title
        burst(app, *keys)
        await settle(pilot)
        assert title.value == expected


async def test_arrow_keys_in_a_burst_keep_their_place_in_a_long_text_field(
        make_app, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        form = await new_record_form(pilot)
        [area] = [w for w in form.focus_chain if isinstance(w, TextArea)][:1]
        area.focus()
        await settle(pilot, 1)
        burst(app, *"ac", "left", "b", "right", "d")
        await settle(pilot)
        assert area.text == "abcd"


@pytest.mark.parametrize("word", ["lap", "any", "nae"])
async def test_slash_then_letters_in_one_burst_filter_instead_of_running_the_tables_keys(
        make_app, small_register, word):
    """The letters are the table's keys too (l link, a archive, n new, e edit): typed behind "/"
    in one burst they must land in the filter."""
    app = make_app(area="tools")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        burst(app, "slash", *word)
        await settle(pilot)
        assert app.screen is app.main_screen
        field = app.focused
        assert isinstance(field, Input), field
        assert field.value == word
