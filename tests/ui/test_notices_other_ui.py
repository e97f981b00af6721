"""The incident's Notices step offers the other notices (substitute, media, HHS checklist) where
the plan asks for them, and writes the one chosen as HTML into the drafts folder: driven by key
presses on the app the CLI starts."""

from __future__ import annotations

import stat

from incident_pilot import at_step, incidents_service, open_wizard, panel_text, screen, seed_to_plan
from pilot_helpers import settle


def at_notices(db, **scope) -> str:
    svc = incidents_service(db)
    r = seed_to_plan(svc, **scope)
    return svc.complete_step(r["reference"], "plan", r["revision"])["reference"]


async def test_the_notices_step_offers_what_applies_and_writes_it_on_enter(make_app, db,
                                                                            tmp_path):
    # 501 in Florida: a media notice and HHS with the letters; everyone reachable: no substitute.
    ref = at_notices(db, affected=501, residents={"FL": 501})
    app = make_app()
    folder = tmp_path / "notices"
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot, ref)
        await at_step(pilot, "notices")
        panel = screen(app).panel
        assert panel.query_one("#write-substitute").display is False
        assert panel.query_one("#write-media").display is True
        assert panel.query_one("#write-hhs").display is True
        assert "Needed here: Media notices, HHS portal checklist." in panel_text(app)
        panel.query_one("#f-folder").value = str(folder)
        button = panel.query_one("#write-hhs")
        for _ in range(20):
            if app.focused is button:
                break
            await pilot.press("tab")
        assert app.focused is button
        await pilot.press("enter")
        await settle(pilot, 3)
        written = folder / f"{ref}-hhs-portal-checklist.html"
        assert written.exists(), list(folder.glob("*")) if folder.exists() else "no folder"
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        assert "HHS breach portal checklist" in written.read_text()
        assert [p.name for p in folder.iterdir()] == [written.name]  # only the one asked for
        assert written.name in panel_text(app)  # listed with the drafts written
        await pilot.press("shift+tab")  # back to Media notices: one file for Florida
        assert app.focused is panel.query_one("#write-media")
        await pilot.press("enter")
        await settle(pilot, 3)
        assert (folder / f"{ref}-media-notice-FL.html").exists()
