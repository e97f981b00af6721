"""Adding and editing records: field-level problems, unsaved changes, revision conflicts."""

from __future__ import annotations

from datetime import date

from pilot_helpers import ready, settle, table_titles
from textual.widgets import Input

from riskreg.ui.dialogs.base import UnsavedQuestion
from riskreg.ui.dialogs.confirm import ConfirmDialog
from riskreg.ui.dialogs.form import RecordForm
from riskreg.ui.widgets.choice import Choice


async def _type(pilot, field: str, text: str) -> None:
    """Replace a form field's text by typing, as a user would."""
    widget = pilot.app.screen.query_one(f"#f-{field}", Input)
    widget.focus()
    widget.value = ""
    await pilot.press(*text)


async def test_a_new_hazard_is_added_from_the_form(make_app, register, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, RecordForm)
        await pilot.press(*"Ransomware on the office PC")
        app.screen.query_one("#f-likelihood", Choice).value = 4
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.main_screen
        assert "Ransomware on the office PC" in table_titles(app, "hazard")
        [saved] = [h for h in register.list("hazard").rows if h["title"].startswith("Ransomware")]
        assert (saved["likelihood"], saved["impact"], saved["score"]) == (4, 3, 12)
        assert saved["next_review_on"] == date(2027, 11, 26)  # 12 months from the fixed today


async def test_a_bad_date_is_shown_beside_its_field_and_saving_works_once_it_is_fixed(
        make_app, register, small_register):
    laptop = small_register["laptop"]
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, RecordForm)
        await _type(pilot, "next_review_on", "2026-02-30")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert app.screen is form
        assert form.problem_text("next_review_on") == "The next review date 2026-02-30 is not a date (February 2026 has 28 days)."
        assert app.focused is form.query_one("#f-next_review_on")
        assert register.get("hazard", laptop["public_id"])["revision"] == laptop["revision"]
        await _type(pilot, "next_review_on", "2027-01-15")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.main_screen
        saved = register.get("hazard", laptop["public_id"])
        assert saved["next_review_on"] == date(2027, 1, 15)
        assert saved["revision"] == laptop["revision"] + 1


async def test_a_date_is_checked_as_soon_as_the_field_is_left(make_app, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        form = app.screen
        await _type(pilot, "last_reviewed_on", "26/11/2026")
        await pilot.press("tab")
        await pilot.pause()
        assert form.problem_text("last_reviewed_on") == \
            "The last review date '26/11/2026' is not in the form YYYY-MM-DD."


async def test_accepting_a_risk_without_a_rationale_is_refused_at_the_rationale(
        make_app, register, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        form = app.screen
        form.query_one("#f-treatment", Choice).value = "accept"
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert form.problem_text("acceptance_rationale") == "Accepting a risk needs a rationale."
        assert register.get("hazard", small_register["laptop"]["public_id"])["treatment"] == \
            "mitigate"


async def test_a_baa_expiring_before_it_was_signed_is_refused_at_the_expiry(
        make_app, register, small_register):
    app = make_app(area="tools")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        form = app.screen
        await pilot.press(*"Dictation app")
        form.query_one("#f-baa_status", Choice).value = "signed"
        await _type(pilot, "baa_signed_on", "2026-05-01")
        await _type(pilot, "baa_expires_on", "2026-04-01")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert form.problem_text("baa_expires_on") == \
            "The BAA must expire after the date it was signed."
        assert register.count("tool") == 2


async def test_a_consent_entry_refuses_a_name_for_a_client_code(make_app, register, db):
    register.create("owner", {"name": "Dr. Rivera"})
    app = make_app(area="consents")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        form = app.screen
        assert form.query_one("#f-disclosed_on", Input).value == "2026-11-26"
        await pilot.press(*"Jane Doe")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert form.problem_text("client_code") == \
            "A client code must be a code such as C-0042 (letters, digits, - _ .), never a name."
        assert register.count("consent") == 0


async def test_escape_on_a_changed_form_asks_before_throwing_the_changes_away(
        make_app, register, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        form = app.screen
        await pilot.press("end", *" (edited)")
        await pilot.press("escape")
        assert isinstance(app.screen, UnsavedQuestion)
        await pilot.press("escape")  # keep editing
        assert app.screen is form
        assert form.query_one("#f-title", Input).value.endswith("(edited)")
        await pilot.press("escape")
        await pilot.press("d")  # discard
        await settle(pilot, 1)
        assert app.screen is app.main_screen
        assert register.get("hazard", small_register["laptop"]["public_id"])["title"] == \
            "Laptop stolen from the car"


async def test_escape_on_an_unchanged_form_closes_it_without_asking(make_app, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, RecordForm)
        await pilot.press("escape")
        assert app.screen is app.main_screen


async def test_a_record_changed_elsewhere_is_not_overwritten_and_can_be_reloaded(
        make_app, register, small_register):
    laptop = small_register["laptop"]
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        form = app.screen
        # Another window saves a change while this form is open.
        register.update("hazard", laptop["public_id"], {"title": "Laptop stolen (other window)"},
                        expected_revision=laptop["revision"])
        await _type(pilot, "threat_source", "Car thieves")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert isinstance(app.screen, ConfirmDialog)
        assert "changed elsewhere" in str(app.screen.query_one("#message").content)
        assert register.get("hazard", laptop["public_id"])["threat_source"] == ""
        await pilot.press("y")  # reload
        await settle(pilot, 1)
        assert app.screen is form
        assert form.query_one("#f-title", Input).value == "Laptop stolen (other window)"
        assert form.query_one("#f-threat_source", Input).value == ""
        await _type(pilot, "threat_source", "Car thieves")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.main_screen
        saved = register.get("hazard", laptop["public_id"])
        assert (saved["title"], saved["threat_source"]) == (
            "Laptop stolen (other window)", "Car thieves")


async def test_a_months_field_holding_a_superscript_digit_is_a_problem_not_a_crash(
        make_app, register, small_register):
    """'²' passes str.isdigit() but not int(): pasted or set, it must be refused cleanly."""
    laptop = small_register["laptop"]
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#f-review_cadence_months", Input).value = "²"
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert app.screen is form
        assert form.problem_text("review_cadence_months") == \
            "The review interval in months must be a whole number between 1 and 120."
        assert register.get("hazard", laptop["public_id"])["revision"] == laptop["revision"]
