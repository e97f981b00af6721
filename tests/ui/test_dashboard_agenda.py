"""The dashboard's "Due in the next 7 days" panel (finding 25) and its head (finding 30: the
practice's name, a breach counted among what needs action, open incidents at the top), on the
register of tests/agenda_helpers.py (one dated thing of each kind, today 2026-12-02)."""

import re
import sys
from pathlib import Path

import pytest
from incident_pilot import plain_text, wait_for
from pilot_helpers import ready, settle

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from agenda_helpers import TODAY, build_agenda_register  # noqa: E402


@pytest.fixture
def agenda_app(db, db_path):
    from riskreg.ui.app import make_app

    build_agenda_register(db)
    return make_app(db_path, today=TODAY)


def option_lines(panel) -> list[str]:
    options = panel.query_one("OptionList")
    return [str(options.get_option_at_index(i).prompt).strip()
            for i in range(options.option_count)]


async def test_the_panel_lists_what_is_due_overdue_first_and_opens_it(agenda_app):
    app = agenda_app
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        panel = app.screen.query_one("#agenda-panel")
        await wait_for(pilot, lambda: len(option_lines(panel)) > 2, "the agenda")
        assert str(panel.border_title) == "Due in the next 7 days"
        assert str(panel.border_subtitle) == "2 overdue · 3 coming"
        assert [" ".join(line.split()) for line in option_lines(panel)] == [
            "Overdue (2)",
            "4d late INC-2026-001: Notify affected individuals",
            "2d late Review hazard: Unlocked laptop",
            "Coming up (3)",
            "in 2d Verify safeguard: Screen lock",
            "in 3d Safeguard due: Encrypt the laptop",
            "in 7d BAA expires: AI scribe",
        ]
        listing = panel.query_one("OptionList")
        for _ in range(12):  # tab to the agenda, as a user would
            if listing.has_focus:
                break
            await pilot.press("tab")
        assert listing.has_focus
        await pilot.press("home", "enter")  # the first item: the closed incident's notice
        await wait_for(pilot, lambda: type(app.screen).__name__ == "IncidentScreen",
                       "the incident screen")
        assert app.screen.record["reference"] == "INC-2026-001"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("down", "enter")  # the hazard opens in full
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RecordScreen",
                       "the hazard in full")


async def test_the_head_names_the_practice_counts_the_breaches_and_shows_them_first(
        agenda_app):
    app = agenda_app
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        incidents = app.screen.query_one("#incidents-panel")
        await wait_for(pilot, lambda: incidents.display, "the open incidents")
        summary = plain_text(app.screen.query_one("#summary")).strip()
        # One hazard review overdue, and the two incidents that still owe a notice.
        assert summary == ("Riverside Counseling · Wednesday 2026-12-02 · 3 need action · "
                           "2 current hazards")
        assert [re.search(r"INC-\d{4}-\d{3}", line)[0] for line in option_lines(incidents)] == [
            "INC-2026-001", "INC-2026-002"]
        top = incidents.region.y
        for name in ("#heat-panel", "#agenda-panel", "#reviews-panel", "#baa-panel",
                     "#safeguards-panel"):
            assert app.screen.query_one(name).region.y > top, name


async def test_nothing_due_says_so(db, db_path):
    from riskreg.services.register import RegisterService
    from riskreg.ui.app import make_app

    RegisterService(db, today=lambda: TODAY).create("owner", {"name": "Dr. Rivera"})
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        panel = app.screen.query_one("#agenda-panel")
        await wait_for(pilot, lambda: option_lines(panel), "the agenda")
        assert [" ".join(line.split()) for line in option_lines(panel)] == [
            "Overdue (0)", "nothing overdue", "Coming up (0)", "nothing in the next 7 days"]
        assert str(panel.border_subtitle) == "all clear"
        assert app.screen.query_one("#incidents-panel").display is False


async def test_the_palette_finds_what_is_due_from_another_area(db, db_path):
    from riskreg.ui.app import make_app

    build_agenda_register(db)
    app = make_app(db_path, today=TODAY, area="hazards")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"due")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main_screen.area_shown == "dashboard"
        listing = app.screen.query_one("#agenda-panel").query_one("OptionList")
        assert listing.has_focus


async def test_one_incident_due_three_times_is_listed_three_times_and_each_opens_it(db, db_path):
    """620 affected: the individuals', the media's and HHS's notices fall due the same day, each
    its own line (the list's lines once shared an id per record, and the dashboard failed)."""
    from incident_pilot import incidents_service, seed_to_plan

    from riskreg.services.register import RegisterService
    from riskreg.ui.app import make_app

    RegisterService(db, today=lambda: TODAY).create("owner", {"name": "Dr. Rivera"})
    seed_to_plan(incidents_service(db), discovered="2026-10-05", affected=620,
                 residents={"FL": 620})
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        panel = app.screen.query_one("#agenda-panel")
        await wait_for(pilot, lambda: len(option_lines(panel)) > 3, "the agenda")
        due = [line for line in option_lines(panel) if "INC-2026-001" in line]
        assert len(due) >= 3, option_lines(panel)
        listing = panel.query_one("OptionList")
        listing.focus()
        await pilot.press("home", "down", "enter")  # the second of the incident's lines
        await wait_for(pilot, lambda: type(app.screen).__name__ == "IncidentScreen",
                       "the incident screen")
        assert app.screen.record["reference"] == "INC-2026-001"
