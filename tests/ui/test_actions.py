"""Linking, marking reviewed, archiving and restoring, from the tables and the record screen."""

from __future__ import annotations

from datetime import date

import pytest
from pilot_helpers import area, new_record_form, ready, settle, table_titles
from textual.widgets import Input, TextArea

from riskreg.ui.dialogs.base import UnsavedQuestion
from riskreg.ui.dialogs.confirm import ConfirmDialog
from riskreg.ui.dialogs.picker import LinkPicker
from riskreg.ui.dialogs.review import ReviewDialog


def _linked(register, hazard_id: str, kind: str) -> list[str]:
    field = "name" if kind == "tool" else "title"
    return [r[field] for r in register.linked("hazard", hazard_id)[kind]]


async def test_tools_and_safeguards_are_linked_from_a_filtered_picker(
        make_app, register, small_register):
    laptop = small_register["laptop"]["public_id"]
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, LinkPicker)
        await pilot.press(*"scribe")
        choices = app.screen.choices
        assert choices.option_count == 1
        await pilot.press("down", "space")
        await settle(pilot, 1)
        assert _linked(register, laptop, "tool") == ["Scribe AI"]
        await pilot.press("escape")
        await settle(pilot)
        assert "Tools (1)\n  Scribe AI  ⚑ handles PHI without a BAA" in area(app, "hazard").detail.text

        await pilot.press("l")
        picker = app.screen
        assert isinstance(picker, LinkPicker)
        values = [picker.choices.get_option_at_index(i).value
                  for i in range(picker.choices.option_count)]
        assert values[0] == small_register["encryption"]["public_id"]  # linked ones first
        assert picker.choices.selected == [small_register["encryption"]["public_id"]]
        await pilot.press("down", "space")  # unlink the encryption
        await settle(pilot, 1)
        assert _linked(register, laptop, "safeguard") == []
        await pilot.press("escape")


async def test_a_tool_is_linked_back_to_hazards(make_app, register, small_register):
    app = make_app(area="tools")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("down")  # Scribe AI (sorted by name: Practice EHR, Scribe AI)
        await settle(pilot, 1)
        await pilot.press("l")
        await pilot.press(*"misdirected", "enter", "space")
        await settle(pilot, 1)
        assert _linked(register, small_register["laptop"]["public_id"], "tool") == []
        hazards = [h["title"] for h in register.linked(
            "tool", small_register["scribe"]["public_id"])["hazard"]]
        assert hazards == ["Misdirected fax", "Phishing email"]


async def test_suggested_safeguards_come_from_the_starter_catalog(make_app, register, db):
    from riskreg.domain.catalog import load_catalog

    try:
        catalog = load_catalog()
    except (ValueError, OSError) as error:
        pytest.skip(f"starter catalog not readable here: {error}")
    template = catalog.hazards[0]
    hazard = register.create("hazard", {
        "title": template.title, "likelihood": template.likelihood, "impact": template.impact,
        "target_likelihood": template.target_likelihood,
        "target_impact": template.target_impact, "catalog_key": template.key,
    })
    app = make_app(area="hazards")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("l")
        picker = app.screen
        first = catalog.safeguards_for(template.key)[0]
        option = picker.choices.get_option_at_index(0)
        assert option.value == f"catalog:{first.key}"
        assert str(option.prompt).startswith(f"★ {first.title}")
        await pilot.press("down", "space")
        await settle(pilot, 1)
        [linked] = register.linked("hazard", hazard["public_id"])["safeguard"]
        assert (linked["title"], linked["catalog_key"], linked["status"]) == (
            first.title, first.key, "planned")
        assert picker.choices.get_option_at_index(0).value == linked["public_id"]


async def test_marking_reviewed_records_the_review_and_moves_the_next_date(
        make_app, register, small_register):
    laptop = small_register["laptop"]["public_id"]
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("r")
        dialog = app.screen
        assert isinstance(dialog, ReviewDialog)
        assert dialog.query_one("#reviewed-on", Input).value == "2026-11-26"
        await pilot.press(*"Checked: no laptop left in the car since May")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.main_screen
        [review] = register.reviews(laptop)
        assert (review["reviewed_on"], review["notes"]) == (
            date(2026, 11, 26), "Checked: no laptop left in the car since May")
        assert register.get("hazard", laptop)["next_review_on"] == date(2027, 11, 26)
        assert "Reviews (1)" in area(app, "hazard").detail.text


async def test_a_review_dated_in_the_future_is_refused_in_the_dialog(
        make_app, register, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("r")
        dialog = app.screen
        dialog.query_one("#reviewed-on", Input).value = "2026-12-01"
        dialog.query_one("#notes", TextArea).focus()
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert app.screen is dialog
        assert "cannot be dated in the future" in dialog.problem_shown()
        assert register.reviews(small_register["laptop"]["public_id"]) == []


async def test_archive_asks_first_and_restore_brings_the_record_back(
        make_app, register, small_register):
    laptop = small_register["laptop"]["public_id"]
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # no
        assert register.get("hazard", laptop)["archived_at"] is None
        await pilot.press("a", "y")
        await settle(pilot)
        assert register.get("hazard", laptop)["archived_at"] is not None
        assert "Laptop stolen from the car" not in table_titles(app, "hazard")
        await pilot.press("A")
        await settle(pilot)
        assert table_titles(app, "hazard") == ["Laptop stolen from the car"]
        await pilot.press("a")  # in the archived view, a restores
        assert "Restore this hazard?" in str(app.screen.query_one("#title").content)
        await pilot.press("y")
        await settle(pilot)
        assert register.get("hazard", laptop)["archived_at"] is None
        actions = [e["action"] for e in register.history(laptop)]
        assert actions[-2:] == ["archive", "restore"]


async def test_the_record_screen_offers_the_same_actions(make_app, register, small_register):
    phishing = small_register["phishing"]["public_id"]
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("end", "enter")  # Phishing email is last by title
        await settle(pilot)
        assert app.screen.public_id == phishing
        assert "Review now: linked tool 'Scribe AI'" in app.screen.query_one("DetailPane").text
        await pilot.press("r", "ctrl+s")
        await settle(pilot)
        assert len(register.reviews(phishing)) == 1
        assert "Reviews (1)" in app.screen.query_one("DetailPane").text


async def test_a_review_re_scores_the_hazard_and_the_record_shows_its_notes_and_scores(
        make_app, register, small_register):
    # Finding 23: "Scores now: inherent 4×4 (High), ..." with no way to change them; the notes
    # were not shown afterwards; the hazard stayed flagged with no word why.
    phishing = small_register["phishing"]["public_id"]  # 4×4, linked to Scribe AI (no BAA)
    app = make_app(area="hazards")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("end", "enter")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot, 1)
        dialog = app.screen
        assert isinstance(dialog, ReviewDialog)
        about = str(dialog.query_one("#about").content)
        assert "inherent 4×4 (High), current 4×4 (High), target 2×2 (Low)" in about
        await pilot.press(*"Asked vendor for BAA; retention unknown.")
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab")  # current likelihood
        await pilot.press("left", "left", "tab", "left")  # current 2×3
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.public_id == phishing
        hazard = register.get("hazard", phishing)
        assert (hazard["current_likelihood"], hazard["current_impact"], hazard["likelihood"]) == (
            2, 3, 4)
        [said] = [n.message for n in app._notifications if "Review recorded" in n.message]
        assert "stays flagged for review because linked tool 'Scribe AI' handles PHI" in said
        assert "once that tool's BAA is signed" in said
        text = app.screen.query_one("DetailPane").text
        assert "Reviewed 2026-11-26" in text
        assert "Scores: inherent 4×4, current 4×4 → 2×3, target 2×2" in text
        assert "Notes: Asked vendor for BAA; retention unknown." in text


async def test_a_review_left_with_a_changed_score_asks_before_discarding_it(
        make_app, register, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("r")
        await settle(pilot, 1)
        await pilot.press("shift+tab", "right")  # the target impact, 2 -> 3
        await pilot.press("escape")
        assert isinstance(app.screen, UnsavedQuestion)  # Save / Discard / Keep editing


async def test_a_linked_record_opens_from_the_record_screen_and_escape_comes_back(
        make_app, register, small_register):
    # Finding 22: "Tools (1) Nabla-like AI scribe" on a hazard in full; Tab or Enter did not open
    # the tool, and the link was not in either record's history.
    from riskreg.ui.widgets.record_body import LinkedRecord

    phishing = small_register["phishing"]["public_id"]
    scribe = small_register["scribe"]["public_id"]
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("end", "enter")  # Phishing email, linked to Scribe AI
        await settle(pilot)
        hazard_screen = app.screen
        assert hazard_screen.public_id == phishing
        assert "Linked to tool Scribe AI" in hazard_screen.query_one("DetailPane").text
        await pilot.press("tab")
        assert isinstance(app.focused, LinkedRecord) and app.focused.public_id == scribe
        await pilot.press("enter")
        await settle(pilot)
        assert (app.screen.kind, app.screen.public_id) == ("tool", scribe)
        text = app.screen.query_one("DetailPane").text
        assert "Linked to hazard Phishing email" in text
        await pilot.press("tab", "enter")  # from the tool, back to its hazard: and so on
        await settle(pilot)
        assert (app.screen.kind, app.screen.public_id) == ("hazard", phishing)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.screen is hazard_screen
        assert app.focused.public_id == scribe  # where the user left it

        register.unlink(phishing, "tool", scribe)
        app.register_changed("hazard")
        await settle(pilot)
        text = hazard_screen.query_one("DetailPane").text
        assert "Unlinked from tool Scribe AI" in text and "Tools (0)" in text
        assert [e["linked"] for e in register.history(scribe, "tool")
                if e["linked"]] == [("hazard", "Phishing email")] * 2


async def test_a_tool_says_whether_a_vendor_receives_client_data_and_asks_a_vendor_s_questions_only_then(  # noqa: E501
        make_app, register, small_register):
    # "Handles PHI: No" on a laptop full of notes read as false (new-user run, finding 8): the
    # field decides whether a BAA is needed, so it says whose hands the data reaches.
    register.create("tool", {"name": "Practice laptop", "category": "device",
                             "handles_phi": False, "baa_status": "not_needed"})
    app = make_app(area="tools")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        seen = {}
        for name in ("Practice laptop", "Scribe AI"):
            table = area(app, "tool").table
            table.move_cursor(row=table_titles(app, "tool").index(name))
            await pilot.press("enter")
            await settle(pilot)
            seen[name] = app.screen.query_one("DetailPane").text
            await pilot.press("escape")
            await settle(pilot)
    assert "Vendor has PHI No" in seen["Practice laptop"]
    assert "Handles PHI" not in seen["Practice laptop"]
    assert "Vendor checklist" not in seen["Practice laptop"]
    assert "Vendor checklist" in seen["Scribe AI"]


async def test_the_tool_form_asks_the_vendor_checklist_only_of_a_vendor_with_client_data_or_an_ai_tool(  # noqa: E501
        make_app, register, small_register):
    # New-user run 2: the laptop's form (a device, no vendor with client data) still asked
    # "States whether data trains its models".
    from textual.widgets import Checkbox

    from riskreg.ui.widgets.choice import Choice

    register.create("tool", {"name": "Practice laptop", "category": "device",
                             "handles_phi": False, "baa_status": "not_needed"})
    app = make_app(area="tools")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        table = area(app, "tool").table
        table.move_cursor(row=table_titles(app, "tool").index("Practice laptop"))
        await pilot.press("e")
        await settle(pilot, 1)
        form = app.screen
        checklist = form.query_one("#f-check_states_training_use")
        assert not checklist.display
        assert checklist not in form.focus_chain
        form.query_one("#f-handles_phi", Checkbox).value = True
        await settle(pilot)
        assert checklist.display and checklist in form.focus_chain
        form.query_one("#f-handles_phi", Checkbox).value = False
        await settle(pilot)
        assert not checklist.display
        form.query_one("#f-category", Choice).value = "ai_scribe"
        await settle(pilot)
        assert checklist.display


async def test_a_record_just_added_is_the_one_under_the_cursor(make_app, small_register):
    # New-user run, finding 16: "Added tool ..." and the cursor stayed on the first row, the new
    # tool off screen.
    app = make_app(area="tools")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        form = await new_record_form(pilot)
        form.query_one("#f-name", Input).focus()
        await pilot.press(*"Zebra notes AI")
        await pilot.press("ctrl+s")
        for _ in range(100):
            if app.screen is app.main_screen:
                break
            await pilot.pause(0.05)
        await settle(pilot)
        table = area(app, "tool").table
        assert table.current_record()["name"] == "Zebra notes AI"
