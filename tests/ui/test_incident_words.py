"""The incident screens say what is true, in the practitioner's words (issue 17): each of the four
factors says which way it points, and closing an incident never hides a notice still owed."""

from __future__ import annotations

from incident_pilot import (
    FACTOR_IDS,
    NO_EXCEPTION,
    at_step,
    fill,
    incidents_service,
    open_wizard,
    panel_text,
    plain_text,
    save,
    screen,
)
from pilot_helpers import settle


def _to_factors(svc) -> str:
    r = svc.create({"title": "Phone lost on the bus", "discovered_on": "2026-11-20"})
    ref = r["reference"]
    r = svc.save_phi(ref, {"phi_involved": True}, r["revision"])
    r = svc.save_secured(ref, {"secured_by": "none"}, r["revision"])
    svc.save_exceptions(ref, {"exceptions": NO_EXCEPTION}, r["revision"])
    return ref


async def test_factor_iv_says_little_was_mitigated_when_the_user_picks_it(make_app, db):
    ref = _to_factors(incidents_service(db))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_wizard(pilot, ref)
        await at_step(pilot, "factors")
        others = [k for k in FACTOR_IDS if k != "mitigation"]
        fill(app, **{f"factors__{k}__rating": "low" for k in others},
             **{f"factors__{k}__notes": "noted" for k in FACTOR_IDS})
        picker = screen(app).panel.widget("factors.mitigation.rating")
        picker.focus()
        await settle(pilot)
        await pilot.press("enter", "down", "down", "down", "enter")  # the last option
        await settle(pilot)
        assert picker.value == "high"
        shown = plain_text(picker.query_one("SelectCurrent #label"))
        assert "Points to compromise: little was mitigated" in shown
        await save(pilot)
        await at_step(pilot, "determination")
        text = panel_text(app)
        assert "(iv) Extent the risk has been mitigated: points to compromise: little was " \
               "mitigated" in text
        assert "rated high" not in text
    assert incidents_service(db).get(ref)["factors"]["mitigation"]["rating"] == "high"
