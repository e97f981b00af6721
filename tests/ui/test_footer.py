"""The footer, read off the screen as the terminal gets it (finding 11: it left out keys that
work, ran "1234567 Areas" into "? Help", showed only "/ Filter" while typing in the filter, and
was cut mid-word at 80 columns)."""

from __future__ import annotations

import pytest
from incident_pilot import open_wizard, wait_for
from pilot_helpers import ready, settle

PALETTE = "▏^p palette"


def footer_line(app) -> str:
    """The screen's last line, as the terminal gets it: the text of every segment."""
    update = app.screen._compositor.render_update(full=True)
    return "".join(segment.text for segment in update.strips[-1])


def keys_shown(app) -> str:
    """The footer's keys, left of the command palette's key (docked right after a rule)."""
    line = footer_line(app).rstrip()
    assert line.endswith(PALETTE), line
    return line[: -len(PALETTE)].rstrip()


async def shows(pilot, expected: str) -> None:
    """Wait for the footer to show `expected` (it is rebuilt a frame after the keys change),
    then check that it does, whole."""
    try:
        await wait_for(pilot, lambda: keys_shown(pilot.app) == expected, "the footer", rounds=100)
    finally:
        assert keys_shown(pilot.app) == expected
    assert len(footer_line(pilot.app)) == pilot.app.size.width


TOOLS = {80: "⏎ Open n New e Edit l Link a Archive A Archived s/S Sort  ? Help",
         100: "⏎ Open / Filter n New e Edit l Link a Archive A Archived s/S Sort  1-7 Areas  ? Help"}
HAZARDS = {80: "⏎ Open n New e Edit r Reviewed l Link t Tools a Archive  ? Help",
           100: "⏎ Open n New e Edit r Reviewed l Link t Tools a Archive A Archived s/S Sort  ? Help"}


@pytest.mark.parametrize("width", [80, 100])
async def test_the_main_screens_footer_shows_the_keys_that_work_and_help(make_app, small_register,
                                                                         width):
    app = make_app()
    async with app.run_test(size=(width, 24 if width == 80 else 30)) as pilot:
        await ready(pilot)
        await shows(pilot, "t Current ⏎ Show hazards x Calendar w Report  1-7 Areas  ? Help")
        await pilot.press("2")
        await settle(pilot)
        await shows(pilot, TOOLS[width])
        await pilot.press("3")
        await settle(pilot)
        await shows(pilot, HAZARDS[width])
        if width == 100:  # narrowed: the footer fits itself again
            await pilot.resize_terminal(80, 24)
            await settle(pilot, 1)
            await shows(pilot, HAZARDS[80])
        await pilot.press("question_mark")  # what gave way is one press away
        await settle(pilot, 1)
        text = app.screen.text
        for words in ("/ ", "Filter", "s ", "Sort by the next column", "S ", "Reverse the sort",
                      "A ", "Archived", "esc ", "Clear filter", "1 … 7"):
            assert words in text, words


@pytest.mark.parametrize("width", [80, 100])
async def test_in_the_filter_the_footer_shows_esc_and_only_keys_that_work_while_typing(
        make_app, small_register, width):
    app = make_app(area="hazards")
    async with app.run_test(size=(width, 24 if width == 80 else 30)) as pilot:
        await ready(pilot)
        await shows(pilot, HAZARDS[width])
        await pilot.press("slash")
        await settle(pilot, 1)
        await shows(pilot, "esc Back to the table  f1 Help")  # enter does the same, unshown
        await pilot.press("enter")
        await settle(pilot, 1)
        assert app.main_screen.register_area("hazard").table.has_focus
        await pilot.press("slash")
        await settle(pilot, 1)
        await pilot.press("p", "slash")  # / is typed, not a key
        await settle(pilot, 1)
        assert app.main_screen.register_area("hazard").filter_bar.input.value == "p/"
        await shows(pilot, "⏎ Keep filter esc Clear filter  f1 Help")
        await pilot.press("f1")  # ? is typed here: help is on F1, as the footer says
        await settle(pilot, 1)
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await settle(pilot, 1)
        await pilot.press("escape")  # clears the filter and goes back to the table
        await settle(pilot)
        assert app.main_screen.register_area("hazard").filter_bar.input.value == ""
        await shows(pilot, HAZARDS[width])


@pytest.mark.parametrize("width", [80, 100])
async def test_a_record_in_fulls_footer_sets_help_apart(make_app, small_register, width):
    app = make_app(area="hazards")
    async with app.run_test(size=(width, 24 if width == 80 else 30)) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RecordScreen", "the record")
        await settle(pilot)
        await shows(pilot, "esc Back e Edit r Reviewed l Link t Tools a Archive  ? Help")


CELL = {80: "⏎ Open n New e Edit r Reviewed l Link esc Clear filter  ? Help",
        100: "⏎ Open n New e Edit r Reviewed l Link t Tools a Archive esc Clear filter  ? Help"}


@pytest.mark.parametrize("width", [80, 100])
async def test_the_hazards_of_a_heat_map_cell_show_esc_back_to_all(make_app, small_register,
                                                                   width):
    app = make_app()
    async with app.run_test(size=(width, 24 if width == 80 else 30)) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # the heat map's cell: its hazards only
        await settle(pilot)
        hazards = app.main_screen.register_area("hazard")
        assert hazards.query_state.cell is not None
        await shows(pilot, CELL[width])  # esc stays when other keys give way: the way back
        await pilot.press("escape")
        await settle(pilot)
        assert hazards.query_state.cell is None
        await shows(pilot, HAZARDS[width])


@pytest.mark.parametrize("width", [80, 100])
async def test_the_incident_screens_footer_shows_its_keys_and_help(make_app, small_register, width):
    app = make_app()
    async with app.run_test(size=(width, 24 if width == 80 else 30)) as pilot:
        await ready(pilot)
        await pilot.press("7")
        await settle(pilot)
        await shows(pilot, "⏎ Open n New incident w Dossier  1-7 Areas  ? Help")
        await open_wizard(pilot)  # a new incident: its first field has the focus
        await shows(pilot, "^s Save / continue esc Back ^o Steps ^r Dossier  f1 Help")
        await pilot.press("ctrl+o")  # the step rail: ? is help again
        await settle(pilot, 1)
        await shows(pilot, "^s Save / continue esc Back ^o Steps ^r Dossier  ? Help")
        await pilot.press("question_mark")
        await settle(pilot, 1)
        assert type(app.screen).__name__ == "HelpScreen"
