"""Starting the app, moving between areas, the dashboard, help and the command palette."""

from __future__ import annotations

from pilot_helpers import area, new_record_form, ready, settle

from riskreg.ui.dialogs.error import ErrorScreen
from riskreg.ui.dialogs.welcome import WelcomeDialog
from riskreg.ui.screens.help import HelpScreen
from riskreg.ui.screens.record import RecordScreen
from riskreg.ui.widgets.attention import AttentionList
from riskreg.ui.widgets.heatmap import HeatMap


async def test_the_dashboard_comes_first_and_counts_hazards_on_the_heat_map(
        make_app, small_register):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.main_screen.area_shown == "dashboard"
        heat = app.main_screen.query_one(HeatMap)
        assert heat.counts == {(3, 5): 1, (4, 4): 1, (1, 3): 1}
        await pilot.press("t", "t")
        assert heat.level == "target" and heat.counts == {(2, 2): 2, (1, 1): 1}
        summary = str(app.main_screen.query_one("#summary").content)
        # What needs action counted first (finding 30), then the register's size.
        assert "Thursday 2026-11-26 · 4 need action · 3 current hazards" in summary


async def test_the_dashboard_lists_what_needs_attention_and_enter_opens_the_record(
        make_app, small_register):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        reviews = app.main_screen.query_one("#reviews-panel").query_one(AttentionList)
        lines = [str(reviews.get_option_at_index(i).prompt) for i in range(reviews.option_count)]
        assert "Review now (1)" in lines
        assert "  BAA gap Phishing email" in lines
        assert " 25d late Laptop stolen from the car" in lines
        reviews.focus()
        reviews.highlighted = lines.index(" 25d late Laptop stolen from the car")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        assert app.screen.public_id == small_register["laptop"]["public_id"]
        await pilot.press("escape")
        assert app.screen is app.main_screen


async def test_a_heat_map_cell_lists_its_hazards(make_app, small_register):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        heat = app.main_screen.query_one(HeatMap)
        heat.focus()
        heat.cursor = (4, 4)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main_screen.area_shown == "hazards"
        hazards = area(app, "hazard")
        assert [r["title"] for r in hazards.table.records] == ["Phishing email"]
        assert "1 of 3 hazards" in str(hazards.filter_bar.query_one("#shown").content)
        await pilot.press("escape")  # clears the cell
        await settle(pilot)
        assert len(hazards.table.records) == 3


async def test_the_heat_map_command_works_from_an_area_before_the_dashboard_was_shown(
        make_app, small_register):
    app = make_app(area="tools")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"heat map")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main_screen.area_shown == "dashboard"
        assert app.main_screen.query_one(HeatMap).level == "current"


async def test_number_keys_switch_areas_but_digits_typed_in_a_filter_stay_there(
        make_app, small_register):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for key, name in (("2", "tools"), ("4", "safeguards"), ("5", "owners"),
                          ("6", "consents"), ("3", "hazards"), ("1", "dashboard")):
            await pilot.press(key)
            await settle(pilot, 1)
            assert app.main_screen.area_shown == name
        await pilot.press("6", "slash", "0", "0", "4", "2")
        await settle(pilot)
        consents = area(app, "consent")
        assert consents.filter_bar.input.value == "0042"
        assert app.main_screen.area_shown == "consents"
        assert [r["client_code"] for r in consents.table.records] == ["C-0042"]


async def test_an_empty_register_offers_the_starter_register(make_app, db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, WelcomeDialog)
        await pilot.press("s")
        await settle(pilot, 5)
        assert app.main_screen.area_shown == "dashboard"
        assert not app.register.is_empty()
        assert app.main_screen.query_one(HeatMap).level_counts["inherent"]


async def test_starting_empty_shows_the_tools_table_with_a_hint(make_app, db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert app.main_screen.area_shown == "tools"
        assert "No tools yet. Press n to add one." in area(app, "tool").detail.text
        assert app.register.is_empty()


async def test_a_database_that_cannot_be_opened_is_said_plainly_and_the_app_exits_1(tmp_path):
    from riskreg.ui.app import make_app

    app = make_app(tmp_path)  # a folder, not a database file
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "is a folder, not a database file" in str(
            app.screen.query_one("#error-message").content)
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 1
    assert "is a folder" in app.problem


async def test_the_help_screen_lists_every_key(make_app, small_register):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.text
        for expected in ("Filter", "New", "Edit", "Reviewed", "Archive", "Restore", "Archived",
                         "Sort", "Link tools", "Save", "Command palette", "Quit",
                         "Current", "Target", "Inherent", "Dashboard", "AI consent"):
            assert expected.lower() in text.lower(), expected
        await pilot.press("escape")
        assert app.screen is app.main_screen


async def test_f1_opens_help_from_a_form_where_question_mark_is_typed_and_closes_it_again(
        make_app, small_register):
    from textual.widgets import Input

    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        form = await new_record_form(pilot)
        form.query_one("#f-title", Input).focus()
        await pilot.press("question_mark")
        assert app.screen is form and form.query_one("#f-title", Input).value == "?"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert app.screen is form and form.query_one("#f-title", Input).value == "?"


async def test_the_command_palette_runs_actions_and_goes_to_records(make_app, small_register):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"go to safeg")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main_screen.area_shown == "safeguards"

        await pilot.press("ctrl+p")
        await pilot.press(*"phishing e")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        assert app.screen.public_id == small_register["phishing"]["public_id"]

        await pilot.press("ctrl+p")
        await pilot.press(*"mark reviewed")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        from riskreg.ui.dialogs.review import ReviewDialog

        assert isinstance(app.screen, ReviewDialog)
        assert app.screen.hazard["title"] == "Phishing email"


async def test_help_lists_a_shared_key_once_in_the_footers_notation(make_app, small_register):
    """Finding 30: t and a were listed twice each, with nested brackets, a cut line, and
    ctrl+p next to ^s."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        text = app.screen.text
        lines = [line.strip() for line in text.splitlines()]
        heat = [line for line in lines if line.startswith("t ")
                and any(word in line.lower() for word in ("inherent", "current", "target"))]
        assert len(heat) == 1 and "inherent / current / target" in heat[0]
        assert not any(line.startswith("a ") and line.split(None, 1)[1].startswith("Restore")
                       for line in lines)
        assert "Archive (Restore in the archived view)" in text
        assert "Archive / Restore" not in text
        assert "(and back))" not in text and "pgdn" in text and "pgu…" not in text
        assert "ctrl+" not in text and "^p" in text and "^s" in text
        assert "residual" not in text.lower()


async def test_help_says_what_the_flag_in_the_tables_means(make_app, small_register):
    """Finding 30: tables show ⚑ with no legend."""
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        flag_lines = [line for line in app.screen.text.splitlines() if line.startswith("⚑")]
        assert flag_lines and "Needs action now" in flag_lines[0]
