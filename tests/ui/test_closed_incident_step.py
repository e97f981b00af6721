"""A closed incident's step says at once that it is closed, and a refused change is said in
words, without the service's field name (new-user run, item 2)."""

from __future__ import annotations

from incident_pilot import (
    at_step,
    fill,
    incidents_service,
    open_wizard,
    panel_text,
    screen,
    seed_to_plan,
)
from pilot_helpers import settle


async def test_a_closed_incident_says_so_on_its_steps_and_refuses_in_words(make_app, db):
    svc = incidents_service(db)
    r = seed_to_plan(svc, residents={"CA": 3})
    for step_id in ("plan", "notices", "tracking"):
        r = svc.complete_step(r["reference"], step_id, r["revision"])
    r = svc.save_closeout(r["reference"], {"lessons_learned": "Checked."}, r["revision"])
    svc.close(r["reference"], r["revision"])
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_wizard(pilot, "INC-2026-001")
        screen(app).show_step("tracking", force=True)
        await at_step(pilot, "tracking")
        text = " ".join(panel_text(app).split())
        assert "INC-2026-001 is closed: nothing on this step can be changed or recorded. " \
               "Reopen it on step 12, Close-out to change it." in text, text
        assert app.screen.query_one("#record-notice").disabled
        fill(app, obligation_id="state:CA", sent_on="2026-11-20", method="mail", count="3")
        await pilot.press("ctrl+s")
        await settle(pilot, 3)
        problem = screen(app).panel.problem_text("")
        assert problem == "INC-2026-001 is closed; reopen it to change it.", problem
