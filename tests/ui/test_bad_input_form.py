"""Bad input everywhere (issue 8), in the app itself: hostile text typed and pasted into a new
hazard's form gets a clear problem beside its field, then a correct save; never a crash."""

from __future__ import annotations

from pilot_helpers import ready, settle
from textual import events
from textual.widgets import Input, TextArea

from riskreg.ui.dialogs.form import RecordForm

TYPED = "[bold red]Ransom[/] مرحبا"  # what the pilot can type key by key
PASTED = " עברית 🙂"  # right-to-left letters and emoji arrive by paste (the characters that
# reorder text, U+202E, and control characters are refused: tests/ui/test_escapes_ui.py)
TITLE = TYPED + PASTED
THREAT = "[link=https://x]click[/link] \\[not markup]"
DESCRIPTION = "Line one [b]\n[red]red?[/red]\tsecond line\r\n" + "long " * 2_000
TOO_LONG = "🙂" * 501  # the vulnerability field holds at most 500 characters


async def _paste(pilot, widget, text: str, clear: bool = True) -> None:
    """Put text into a field as a terminal paste delivers it (control characters and all)."""
    widget.focus()
    if isinstance(widget, Input) and clear:
        widget.value = ""
    await pilot.pause()
    pilot.app.post_message(events.Paste(text))  # as the driver delivers it: to the focused field
    await pilot.pause()


async def test_hostile_text_in_a_hazard_form_is_refused_clearly_then_saved_exactly(
        make_app, register):
    register.create("owner", {"name": "Dr. Rivera"})
    app = make_app(area="hazards")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, RecordForm)
        await pilot.press(*TYPED)  # typed, key by key
        await _paste(pilot, form.query_one("#f-title", Input), PASTED, clear=False)
        await _paste(pilot, form.query_one("#f-threat_source", Input), THREAT)
        await _paste(pilot, form.query_one("#f-description", TextArea), DESCRIPTION)
        await _paste(pilot, form.query_one("#f-vulnerability", Input), TOO_LONG)
        assert form.query_one("#f-title", Input).value == TITLE
        await pilot.press("ctrl+s")
        await settle(pilot, 1)

        assert app.screen is form  # refused: the form stays, with the problem beside the field
        assert form.problem_text("vulnerability") == \
            "The vulnerability can be at most 500 characters; this one has 501."
        assert app.focused is form.query_one("#f-vulnerability")
        assert register.count("hazard") == 0  # nothing half-written

        await _paste(pilot, form.query_one("#f-vulnerability", Input), "Unlocked car עברית🙂")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.main_screen
        [saved] = register.list("hazard").rows
        assert saved["title"] == TITLE
        assert saved["threat_source"] == THREAT
        assert saved["vulnerability"] == "Unlocked car עברית🙂"
        # The text area keeps what was pasted (its line endings as it stores them), literally.
        assert saved["description"] == form.query_one("#f-description", TextArea).text.strip()
        assert "[red]red?[/red]\tsecond" in saved["description"] and "[b]" in saved["description"]
