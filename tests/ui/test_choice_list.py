"""A form's pick-one list (enter on a choice): over the form, one line an option, type to find;
the AI consent's tool list puts the AI tools first."""

from __future__ import annotations

from pilot_helpers import new_record_form, ready, settle
from textual.widgets import OptionList, Static

from riskreg.ui.dialogs.form import RecordForm
from riskreg.ui.widgets.choice import ChoiceList

LONG = ("Clinical decision support or measurement-based care tool with AI scoring of "
        "questionnaires")


def listed(app) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [options.get_option_at_index(n).prompt.plain for n in range(options.option_count)]


def find_line(app) -> str:
    return str(app.screen.query_one("#choice-find", Static).content)


async def open_tool_list(pilot) -> RecordForm:
    form = await new_record_form(pilot)
    await pilot.press("tab", "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ChoiceList)
    return form


async def test_the_ai_tool_list_puts_ai_tools_first_and_keeps_the_others(
        make_app, register, small_register):
    register.create("tool", {"name": LONG, "category": "clinical_decision_support"})
    register.create("tool", {"name": "Fax machine", "category": "other"})
    app = make_app(area="consents")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await open_tool_list(pilot)
        shown = listed(app)
        assert shown[:2] == ["(no tool)", "AI tools"]
        ai = shown[2:shown.index("Other tools and systems")]
        assert sorted(ai) == sorted(["Scribe AI", "Clinical decision support or "
                                     "measurement-based care tool with AI…"])
        assert sorted(shown[shown.index("Other tools and systems") + 1:]) == \
            ["Fax machine", "Practice EHR"]


async def test_each_option_is_one_line_cut_at_a_word(make_app, register, small_register):
    register.create("tool", {"name": LONG, "category": "clinical_decision_support"})
    app = make_app(area="consents")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await open_tool_list(pilot)
        options = app.screen.query_one(OptionList)
        [cut] = [t for t in listed(app) if t.startswith("Clinical")]
        assert cut.endswith(" AI…")  # after a whole word
        assert LONG.startswith(cut.removesuffix("…"))
        assert options.virtual_size.height == options.option_count  # one line each (↓ moves
        # one line), as the user counts them


async def test_typing_finds_and_enter_picks_what_was_found(make_app, register, small_register):
    app = make_app(area="consents")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        form = await open_tool_list(pilot)
        await pilot.press(*"prac")
        assert find_line(app) == "Find: prac"
        assert listed(app) == ["Other tools and systems", "Practice EHR"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert form.values()["tool"] == small_register["ehr"]["public_id"]


async def test_backspace_and_escape_take_back_what_was_typed(make_app, small_register):
    app = make_app(area="consents")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        form = await open_tool_list(pilot)
        everything = listed(app)
        await pilot.press(*"scx")
        assert find_line(app) == "Find: scx  (nothing found)"
        assert listed(app) == []
        await pilot.press("backspace")
        assert find_line(app) == "Find: sc"
        assert listed(app) == ["AI tools", "Scribe AI"]
        await pilot.press("escape")  # clears what was typed, the list stays open
        assert isinstance(app.screen, ChoiceList)
        assert find_line(app) == "type to find"
        assert listed(app) == everything
        await pilot.press("escape")  # and then closes it, the choice as it was
        await pilot.pause()
        assert app.screen is form
        assert form.values()["tool"] is None


async def test_the_form_stays_in_sight_behind_the_list(make_app, small_register):
    app = make_app(area="consents")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        form = await open_tool_list(pilot)
        await settle(pilot, 1)
        # The list's screen lets what is under it show through, and Textual paints the form
        # under it (it paints the screens below the top one down to the first opaque one).
        assert app.screen.styles.background.a < 1
        assert form in app._background_screens


async def test_stepping_with_the_arrows_skips_the_headings(make_app, small_register):
    app = make_app(area="consents")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        form = await new_record_form(pilot)
        await pilot.press("tab")
        steps = []
        for _ in range(4):
            await pilot.press("right")
            steps.append(form.values()["tool"])
        assert steps == [small_register["scribe"]["public_id"], small_register["ehr"]["public_id"],
                         None, small_register["scribe"]["public_id"]]


async def test_what_was_typed_in_full_wins_over_a_longer_label_it_starts(make_app, small_register):
    # New-user run 2: "no" typed in a Yes / No list picked "Not answered", listed and chosen
    # before "No", so three questions were left unanswered.
    from textual.widgets import Checkbox

    app = make_app(area="tools")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        form = await new_record_form(pilot)
        form.query_one("#f-handles_phi", Checkbox).value = True
        await settle(pilot)
        form.set_focus(form.query_one("#f-check_signs_baa"))
        assert form.values()["check_signs_baa"] is None  # "Not checked yet"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceList)
        await pilot.press(*"no")
        assert listed(app) == ["No", "Not checked yet"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert form.values()["check_signs_baa"] is False
