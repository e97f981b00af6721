"""The incident screens say what is true, in the practitioner's words (issue 17): each of the four
factors says which way it points, and closing an incident never hides a notice still owed."""

from __future__ import annotations

from incident_pilot import (
    FACTOR_IDS,
    NO_EXCEPTION,
    at_step,
    click,
    fill,
    incidents_service,
    open_wizard,
    panel_text,
    plain_text,
    save,
    screen,
    seed_to_plan,
    wait_for,
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
        shown = picker.render().plain
        assert "Points to compromise: little was mitigated" in shown
        await save(pilot)
        await at_step(pilot, "determination")
        text = panel_text(app)
        assert "(iv) Extent the risk has been mitigated: points to compromise: little was " \
               "mitigated" in text
        assert "rated high" not in text
        assert "(i) Nature and extent of the PHI: points to a low probability" in text  # all four
    assert incidents_service(db).get(ref)["factors"]["mitigation"]["rating"] == "high"


def _to_closeout(svc) -> str:
    r = seed_to_plan(svc, discovered="2026-11-02", affected=3)  # CO residents, 3 affected
    ref = r["reference"]
    for step in ("plan", "notices", "tracking"):
        r = svc.complete_step(ref, step, r["revision"])
    return ref


async def test_closing_with_notices_owed_keeps_them_on_the_dashboard_and_the_list(
        make_app, db, register):
    register.create("owner", {"name": "Dr. Rivera"})  # a register, so no welcome dialog
    ref = _to_closeout(incidents_service(db))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_wizard(pilot, ref)
        await at_step(pilot, "closeout")
        await click(pilot, "#close-incident")
        message = str(app.screen.message)
        assert "Still owed: Notify affected individuals; Notify HHS (in the yearly log" in message
        assert "Closing does not end the duty to notify" in message
        await pilot.press("y")
        await settle(pilot)
        assert screen(app).record["status"] == "closed"
        assert "closed, notices still owed" in plain_text(app.screen.query_one("#incident-head"))
        await pilot.press("escape")
        await settle(pilot)
        area = app.main_screen.area_widget("incidents")
        await wait_for(pilot, lambda: area.rows and area.rows[0]["status"] == "closed",
                       "the incidents list")
        cells = [str(c) for c in area.table.get_row_at(0)]
        assert "Closed, 3 notices owed" in cells
        assert "Colorado residents (C.R.S. 6-1-716)" in cells  # the next deadline, by name
        await pilot.press("1")  # the dashboard
        await settle(pilot)
        panel = app.screen.query_one("#incidents-panel")
        await wait_for(pilot, lambda: panel.display, "the open-incidents panel")
        options = panel.query_one("OptionList")
        line = str(options.get_option_at_index(0).prompt)
        assert ref in line and "Colorado residents" in line and "(incident closed)" in line
