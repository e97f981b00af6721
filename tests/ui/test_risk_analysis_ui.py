"""The yearly risk analysis in the app (issue 23), driven by keys at 80x24: the sign dialog
(g on the dashboard), the changes since the last sign-off (c) and the year's review checklist
(v)."""

from __future__ import annotations

from clock import FIXED_TODAY
from pilot_helpers import ready, settle
from textual.widgets import DataTable

from riskreg.services.annual_review import AnnualReviewService
from riskreg.services.risk_analysis import RiskAnalysisService
from riskreg.ui.screens.risk_analysis import ChangesScreen, ReasonDialog, ReviewScreen, SignDialog


def _ra(db):
    return RiskAnalysisService(db, today=lambda: FIXED_TODAY)


def _rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]


async def test_g_opens_the_sign_dialog_showing_the_statement_and_ctrl_s_signs(
        make_app, small_register, db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("g")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SignDialog)
        assert "To the best of my knowledge it is accurate" in dialog.statement
        assert FIXED_TODAY.isoformat() in dialog.statement
        await pilot.press("ctrl+s")  # no name yet: refused, nothing signed
        await settle(pilot)
        assert app.screen is dialog and "Who signs must be given" in dialog.problem_shown()
        assert _ra(db).snapshots() == []
        await pilot.press(*"Dr. Rivera", "tab", *"yearly", "ctrl+s")
        await settle(pilot)
        assert app.screen is not dialog
    [signed] = _ra(db).snapshots()
    assert (signed["signed_by"], signed["note"]) == ("Dr. Rivera", "yearly")


async def test_the_sign_dialog_lists_what_the_years_review_has_left(make_app, small_register,
                                                                     db):
    AnnualReviewService(db, today=lambda: FIXED_TODAY).start()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, SignDialog)
        assert app.screen.left[0] == "5 items left"
        assert "0 of 3 hazards reviewed or carried forward since 2026-11-26" in app.screen.left


async def test_c_shows_the_changes_since_last_sign_off_grouped(make_app, small_register,
                                                                register, db):
    _ra(db).sign("Dr. Rivera")
    register.archive("tool", small_register["scribe"]["public_id"])
    register.create("hazard", {"title": "Lost phone", "likelihood": 2, "impact": 3,
                               "target_likelihood": 1, "target_impact": 3})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChangesScreen)
        rows = _rows(screen.query_one(DataTable))
        assert rows == [["Hazards", ""], ["  Lost phone", "added"],
                        ["Tools and BAAs", ""], ["  Scribe AI", "retired"]]
        assert "signed on 2026-11-26" in str(screen.query_one("#heading").content)
        await pilot.press("escape")
        await settle(pilot, 1)
        assert app.screen is app.main_screen


async def test_v_starts_the_review_and_keys_settle_its_items(make_app, small_register, db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        table = screen.query_one(DataTable)
        kinds = [row[1] for row in _rows(table)]
        assert kinds[:3] == ["hazard"] * 3
        await pilot.press("f")  # the first hazard, carried forward
        await settle(pilot, 1)
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("enter")  # no reason: refused
        await settle(pilot, 1)
        assert "reason" in app.screen.problem_shown()
        await pilot.press(*"nothing changed this year", "enter")
        await settle(pilot)
        assert app.screen is screen
        for _ in range(30):
            if _rows(table)[0][0] == "✓":
                break
            await settle(pilot, 1)
        first = _rows(table)[0]
        assert first[0] == "✓" and first[3].startswith("carried forward 2026-11-26: nothing")
        tool_row = kinds.index("tool")
        await pilot.press(*["down"] * tool_row, "o")
        await settle(pilot, 1)
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("enter")
        for _ in range(30):  # the settle is written in a thread: shown once it is saved
            await settle(pilot, 1)
            if _rows(table)[tool_row][0] == "✓":
                break
        assert _rows(table)[tool_row][0] == "✓"
    progress = AnnualReviewService(db, today=lambda: FIXED_TODAY).progress()
    assert sum(i.done for i in progress.items) == 2
