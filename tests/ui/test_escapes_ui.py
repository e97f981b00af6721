"""Terminal escape sequences in the app (issue 16, D8): a register holding them (an older
version's import, an edit of the file) shows them escaped on every screen, and a form or a
wizard step refuses them when pasted, saying why."""

from __future__ import annotations

from clock import FIXED_TODAY
from hostile_text import RAW, seed
from incident_pilot import open_wizard, screen, wait_for
from pilot_helpers import ready, settle
from textual import events
from textual.widgets import Input

from riskreg.ui.dialogs.form import RecordForm

SHOWN = "\\x1b]0;PWNED\\x07 \\x1b[2J nul\\x00 \\x9b2J \\u202eevil\\u202c"
REFUSED = "contains a control character (U+001B), an invisible character that could change " \
          "what a terminal shows; remove it."

# Keys from the dashboard to each place that shows the register's text, and the screen then
# shown.
PLACES = [
    *((key, "MainScreen") for key in "123456"),  # the dashboard, each area's table and pane
    (("3", "enter"), "RecordScreen"), ("escape", "MainScreen"),  # a hazard's own screen
    (("3", "e"), "RecordForm"), ("escape", "MainScreen"),  # its form, the owner choice
    (("3", "r"), "ReviewDialog"), ("escape", "MainScreen"),
    (("3", "l"), "LinkPicker"), ("escape", "MainScreen"),
    (("3", "a"), "ConfirmDialog"), ("escape", "MainScreen"),  # the archive question
    (("ctrl+p", *"Hazard"), "CommandPalette"), ("escape", "MainScreen"),  # the palette's hits
    ("7", "MainScreen"), ("enter", "IncidentScreen"),  # the incidents, the wizard at its step
    (("ctrl+o", "home", "enter"), "IncidentScreen"),  # the intake step's fields
    ("ctrl+r", "WriteReportDialog"), ("escape", "IncidentScreen"), ("escape", "MainScreen"),
    (("ctrl+p", *"settings"), "CommandPalette"), ("enter", "SettingsDialog"),
    ("escape", "MainScreen"),
]


def _screen_text(app) -> list[str]:
    """Each line of the screen as the terminal gets it: the text of every segment."""
    update = app.screen._compositor.render_update(full=True)
    return ["".join(segment.text for strip in line for segment in strip)
            for line in update.strips]


async def test_no_screen_shows_a_raw_control_character(make_app, db_path):
    seed(db_path, FIXED_TODAY)
    app = make_app()
    shown_escaped = set()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for keys, shown in PLACES:
            await pilot.press(*((keys,) if isinstance(keys, str) else keys))
            await wait_for(pilot, lambda: type(app.screen).__name__ == shown, f"{shown} after {keys}, not {type(app.screen).__name__}")  # noqa: B023
            await settle(pilot, 1)
            lines = _screen_text(app)
            raw = [line for line in lines if RAW.search(line) or "\n" in line or "\t" in line]
            assert raw == [], (keys, type(app.screen).__name__, raw[:3])
            if any(SHOWN[:30] in line for line in lines):
                shown_escaped.add(type(app.screen).__name__)
        assert app.return_code is None  # still running: nothing crashed
    assert {"MainScreen", "RecordForm", "ReviewDialog", "LinkPicker", "CommandPalette",
            "IncidentScreen", "SettingsDialog"} <= shown_escaped


async def _paste(pilot, widget, text: str) -> None:
    widget.focus()
    widget.value = ""
    await pilot.pause()
    pilot.app.post_message(events.Paste(text))  # as the driver delivers a paste
    await pilot.pause()


async def test_a_form_refuses_a_pasted_escape_sequence_beside_the_field(make_app, register):
    register.create("owner", {"name": "Dr. Rivera"})  # not empty: no welcome
    app = make_app(area="hazards")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, RecordForm)
        await _paste(pilot, form.query_one("#f-title", Input), "Laptop\x1b]0;PWNED\x07")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert form.problem_text("title") == f"A title {REFUSED}"
    assert register.count("hazard") == 0


async def test_a_wizard_step_refuses_a_pasted_escape_sequence_beside_the_field(make_app, register):
    from riskreg.services.incidents import IncidentService

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_wizard(pilot)
        panel = screen(app).panel
        await _paste(pilot, panel.query_one("#f-title", Input), "Lost letter\x1b[2J")
        await _paste(pilot, panel.query_one("#f-discovered_on", Input), "2026-11-20")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen(app).panel.problem_text("title") == f"A short title {REFUSED}"
    assert IncidentService(register.db, today=lambda: FIXED_TODAY).list() == []
