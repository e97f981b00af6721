"""The three risk levels on screen: the heat map steps inherent / current / target with `t` (the
footer and the caption name what comes next), and the hazard form records a current assessment."""

from __future__ import annotations

from datetime import date

from pilot_helpers import area, ready, settle
from textual.widgets import Footer, Input
from textual.widgets._footer import FooterKey

from riskreg.ui.dialogs.form import RecordForm
from riskreg.ui.widgets.heatmap import HeatMap


def _footer_keys(app) -> list[str]:
    return [key.description for key in app.main_screen.query_one(Footer).query(FooterKey)]


async def test_t_steps_the_heat_map_through_inherent_current_and_target(make_app, small_register):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        heat = app.main_screen.query_one(HeatMap)
        heat.focus()
        await settle(pilot, 1)
        panel = heat.parent
        inherent = {(3, 5): 1, (4, 4): 1, (1, 3): 1}
        assert heat.counts == inherent and "Current" in _footer_keys(app)
        assert panel.border_subtitle == "t current · enter list"
        await pilot.press("t")
        await settle(pilot, 1)
        # Every safeguard of these hazards is planned: the current risk is the inherent one.
        assert heat.level == "current" and heat.counts == inherent
        assert "Target" in _footer_keys(app) and "Current" not in _footer_keys(app)
        assert panel.border_subtitle == "t target · enter list"
        assert "current · 3 hazards" in heat.render().plain
        await pilot.press("t")
        await settle(pilot, 1)
        assert heat.level == "target" and heat.counts == {(2, 2): 2, (1, 1): 1}
        assert "Inherent" in _footer_keys(app)
        await pilot.press("t")
        assert heat.level == "inherent"


async def test_the_hazard_form_records_a_current_assessment_and_the_full_view_shows_it(
        make_app, register, small_register):
    laptop = small_register["laptop"]
    app = make_app(area="hazards")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        text = area(app, "hazard").detail.text
        assert "Current        High 15" in text and "equals inherent: no current assessment" in text
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, RecordForm)
        labels = {str(w.content) for w in form.query(".field-label")}
        assert {"Target likelihood *", "Current likelihood", "Current assessed on"} <= labels
        form.query_one("#f-current_assessed_likelihood").focus()
        await pilot.press("right", "right", "tab", "right", "right", "right", "tab")
        assert app.focused is form.query_one("#f-current_assessed_on", Input)
        await pilot.press(*"2026-11-20", "ctrl+s")
        await settle(pilot)
        assert app.screen is app.main_screen
        saved = register.get("hazard", laptop["public_id"])
        assert (saved["current_likelihood"], saved["current_impact"], saved["current_level"]) == (
            2, 3, "Moderate")
        assert saved["current_from"] == date(2026, 11, 20)
        await settle(pilot)
        text = area(app, "hazard").detail.text
        assert "Current        Moderate 6" in text
        assert "assessed on 2026-11-20 · 0 of 1 safeguard in place" in text
