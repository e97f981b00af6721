"""The record's history in the app names who made each change (issue 22 item 4)."""

from __future__ import annotations

from pilot_helpers import area, ready

from riskreg.services.settings import SettingsService


async def test_the_detail_pane_names_who_made_each_change(make_app, db, register,
                                                          small_register):
    from clock import FIXED_TODAY

    laptop = small_register["laptop"]
    saved = SettingsService(db, today=lambda: FIXED_TODAY).update(
        {"practitioner": "Dr. Ana Rivera"}, 0)
    assert saved.settings["practitioner"] == "Dr. Ana Rivera"
    register.update("hazard", laptop["public_id"], {"title": "Laptop stolen from a car"},
                    laptop["revision"])
    app = make_app(area="hazards")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        hazards = area(app, "hazard")
        assert hazards.table.current_id() == laptop["public_id"]
        text = hazards.detail.text
        history = text.split("History (latest first)")[1]
        assert "by Dr. Ana Rivera" in history.splitlines()[1], history
