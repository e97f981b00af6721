"""The app on a register on PostgreSQL (issue 22): it opens through the server backend (no
first-page reader), shows what is there, and saves an edit typed into the form."""

from __future__ import annotations

from clock import FIXED_TODAY
from pilot_helpers import area, edit_record_form, ready, settle, table_titles


async def test_the_app_opens_a_server_register_filters_it_and_saves_an_edit(pg_url):
    from riskreg.paths import default_db_path
    from riskreg.services.register import RegisterService
    from riskreg.storage.backend import backend_for
    from riskreg.ui.app import make_app

    db = backend_for(pg_url).open()
    register = RegisterService(db, today=lambda: FIXED_TODAY)
    for title in ("Laptop stolen from the car", "Phishing email"):
        register.create("hazard", {"title": title, "likelihood": 3, "impact": 4,
                                   "target_likelihood": 2, "target_impact": 2})
    app = make_app(pg_url, today=FIXED_TODAY, area="hazards")
    assert app.first_page("hazard", 10) is None  # the sqlite3 reader is for a file
    from riskreg.ui.incidents.notice_panels import drafts_folder

    # Notice drafts go to riskreg's own data folder, never a folder named after the URL.
    assert drafts_folder(app) == default_db_path().parent / "notices"
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.problem is None
        assert table_titles(app, "hazard") == ["Laptop stolen from the car", "Phishing email"]
        await pilot.press("slash", *"PHISH")
        await settle(pilot)
        assert table_titles(app, "hazard") == ["Phishing email"]
        await pilot.press("escape")
        await settle(pilot)
        area(app, "hazard").table.focus()
        form = await edit_record_form(pilot)
        before = form.query_one("#f-title").value
        await pilot.press(*" (car)")
        assert form.query_one("#f-title").value.endswith(" (car)")
        await pilot.press("ctrl+s")
        await settle(pilot)
    rows = register.list("hazard").rows
    db.close()
    titles = {"Laptop stolen from the car", "Phishing email"} - {before} | {before + " (car)"}
    assert {row["title"] for row in rows} == titles
