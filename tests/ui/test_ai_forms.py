"""The tool form's "AI use and security" fields and the consent form's new fields, typed with
real key presses; the record in full shows what the AI rules flag."""

from __future__ import annotations

from datetime import date

from pilot_helpers import area, new_record_form, ready, settle
from textual.widgets import Input

from riskreg.services.settings import SettingsService
from riskreg.ui.widgets.choice import Choice


async def _type(pilot, field: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#f-{field}", Input)
    widget.focus()
    widget.value = ""
    await pilot.press(*text)


async def _focus(pilot, field: str) -> None:
    pilot.app.screen.query_one(f"#f-{field}").focus()
    await pilot.pause()


async def test_a_new_tool_takes_its_ai_answers_from_the_keyboard(make_app, register):
    register.create("owner", {"name": "Dr. Rivera"})  # not the empty register's welcome
    app = make_app(area="tools")
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        form = await new_record_form(pilot)
        await pilot.press(*"Session Scribe")
        await _focus(pilot, "ai_use")
        await pilot.press("right", "right", "right")  # Not recorded -> No AI -> Admin -> Suppl.
        assert form.query_one("#f-ai_use", Choice).value == "supplementary"
        await _focus(pilot, "records_sessions")
        await pilot.press("left", "left")  # Not checked yet -> No -> Yes
        await _focus(pilot, "detects_emotions")
        await pilot.press("left", "left")
        await _focus(pilot, "mfa_enabled")
        await pilot.press("left")  # No
        await _type(pilot, "restore_priority", "low")
        await _type(pilot, "restore_target_hours", "72")
        await _type(pilot, "ba_verification_received_on", "2026-03-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.main_screen
        [saved] = [t for t in register.list("tool").rows if t["name"] == "Session Scribe"]
        assert (saved["ai_use"], saved["records_sessions"], saved["detects_emotions"],
                saved["mfa_enabled"], saved["clinical_decisions"]) == (
            "supplementary", True, True, False, None)
        assert (saved["restore_priority"], saved["restore_target_hours"]) == (3, 72)
        assert saved["ba_verification_due_on"] == date(2027, 3, 1)


async def test_a_bad_restore_priority_is_shown_beside_its_field_and_nothing_is_saved(
        make_app, register):
    register.create("owner", {"name": "Dr. Rivera"})
    app = make_app(area="tools")
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        form = await new_record_form(pilot)
        await pilot.press(*"Scribe")
        await _type(pilot, "restore_priority", "9")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert app.screen is form
        assert form.problem_text("restore_priority").startswith(
            "The restore priority must be 1, 2 or 3")
        assert register.count("tool") == 0


async def test_a_consent_takes_its_purpose_method_state_and_recording(make_app, register):
    tool = register.create("tool", {"name": "Scribe", "category": "ai_scribe"})
    app = make_app(area="consents")
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        form = await new_record_form(pilot)
        await pilot.press(*"C-0042")
        form.query_one("#f-tool", Choice).value = tool["public_id"]
        await _type(pilot, "purpose_disclosed", "drafts notes from the session audio")
        await _focus(pilot, "consent_method")
        await pilot.press("right", "right")  # Not recorded -> Written -> Signed electronically
        await _focus(pilot, "sessions_recorded")
        await pilot.press("left", "left")
        await _type(pilot, "client_state", "Illinois")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert app.screen is form
        assert "2-letter USPS code" in form.problem_text("client_state")
        assert register.count("consent") == 0
        await _type(pilot, "client_state", "il")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.main_screen
        [saved] = register.list("consent").rows
        assert (saved["purpose_disclosed"], saved["consent_method"], saved["sessions_recorded"],
                saved["client_state"]) == ("drafts notes from the session audio", "electronic",
                                           True, "IL")


async def test_the_detail_pane_shows_a_tool_forbidden_in_the_practice_state(
        make_app, db, register):
    register.create("tool", {"name": "Mood Scribe", "category": "ai_scribe",
                             "detects_emotions": True, "ai_use": "supplementary",
                             "clinician_reviews_output": True})
    SettingsService(db).update({"home_state": "IL"}, None)
    app = make_app(area="tools")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await settle(pilot)
        text = area(app, "tool").detail.text
        assert "AI rule: Illinois (225 ILCS 155/20(b)(4)) forbids: AI may not detect emotions" in \
            " ".join(text.split())
        assert "Emotions" in text


async def test_the_dashboard_lists_what_an_ai_rule_bars_and_enter_opens_the_tool(
        make_app, db, register):
    from riskreg.ui.widgets.attention import AttentionList

    tool = register.create("tool", {"name": "Mood Scribe", "category": "ai_scribe",
                                    "detects_emotions": True})
    SettingsService(db).update({"home_state": "IL"}, None)
    app = make_app(area="dashboard")
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        await settle(pilot)
        listing = app.screen.query_one("#baa-panel").query_one(AttentionList)
        lines = [str(listing.get_option_at_index(i).prompt)
                 for i in range(listing.option_count)]
        assert "AI rules (verify with counsel) (1)" in lines
        [row] = [n for n, line in enumerate(lines) if "Mood Scribe" in line and "IL bars" in line]
        listing.focus()
        listing.highlighted = row
        await pilot.press("enter")
        await settle(pilot)
        from riskreg.ui.screens.record import RecordScreen

        assert isinstance(app.screen, RecordScreen)
        assert (app.screen.kind, app.screen.public_id) == ("tool", tool["public_id"])


async def test_the_safeguard_picker_says_proposed_rule_not_law_never_required(
        make_app, register):
    from riskreg.domain.catalog import load_catalog

    template = load_catalog().hazard("lost_stolen_laptop")
    register.create("hazard", {
        "title": template.title, "likelihood": template.likelihood, "impact": template.impact,
        "target_likelihood": template.target_likelihood,
        "target_impact": template.target_impact, "catalog_key": template.key,
    })
    app = make_app(area="hazards")
    async with app.run_test(size=(140, 30)) as pilot:
        await ready(pilot)
        await pilot.press("l")
        picker = app.screen
        prompts = {picker.choices.get_option_at_index(i).value:
                   str(picker.choices.get_option_at_index(i).prompt)
                   for i in range(picker.choices.option_count)}
        disk = prompts["catalog:full_disk_encryption"]
        assert "proposed rule, not law" in disk and "equired" not in disk
        assert "proposed rule" not in prompts["catalog:data_backup"]  # required today
