"""How the record form reads on a small terminal: every label whole, every control drawn whole,
the help line whole, and a field's text shown from its start."""

from __future__ import annotations

import pytest
from pilot_helpers import new_record_form, ready
from textual.geometry import Region
from textual.widgets import Checkbox, Static

from riskreg.ui.dialogs.fields import all_fields


def shown(widget) -> list[str]:
    """The lines a widget draws, as text (whether scrolled into view or not)."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return [strip.text.rstrip() for strip in lines]


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 45)])
async def test_every_tool_form_label_reads_whole(make_app, small_register, size):
    app = make_app(area="tools")
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        form = await new_record_form(pilot)
        form._mount_rest()
        await pilot.pause()
        for field in all_fields("tool"):
            label = form.query_one(f"#label-{field.name}", Static)
            words = " ".join(" ".join(shown(label)).split())
            assert words == field.label + (" *" if field.required else ""), field.name


async def test_a_checkbox_without_a_label_is_drawn_whole(make_app, small_register):
    app = make_app(area="tools")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        form = await new_record_form(pilot)
        box = form.query_one("#f-handles_phi", Checkbox)
        assert shown(box)[0].startswith("▐X▌")


async def test_the_form_help_line_says_what_the_star_means_at_80_columns(make_app, small_register):
    app = make_app(area="tools")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        form = await new_record_form(pilot)
        line = " ".join(shown(form.query_one("#form-keys", Static)))
        assert line.rstrip().endswith("* required")


LONG = "AI browser extension reads client records on screen and sends them away"


async def test_long_texts_are_shown_from_their_start_when_the_form_opens(make_app, register):
    """The field with the focus, and the others; the second time on another record (the form
    built the first time is reused)."""
    from riskreg.ui.widgets.field_input import FieldInput

    for first in ("AI", "Browser"):
        register.create("hazard", {"title": f"{first} {LONG}", "likelihood": 2, "impact": 5,
                                   "target_likelihood": 1, "target_impact": 4,
                                   "vulnerability": f"{first} extensions installed in the same "
                                                    "browser profile used for the EHR"})
    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for opening in range(2):
            await pilot.press("e")
            await pilot.pause()
            form = app.screen
            title = form.query_one("#f-title", FieldInput)
            assert app.focused is title
            first = title.value.split()[0]
            assert shown(title)[0].startswith(f"{first} AI browser extension")
            assert shown(form.query_one("#f-vulnerability"))[0].startswith(f"{first} extensions")
            await pilot.press("escape", "down")
            await pilot.pause()
        # Nothing is selected: typing goes after the title, never replaces it (issue 17).
        await pilot.press("e")
        await pilot.pause()
        title = app.screen.query_one("#f-title", FieldInput)
        before = title.value
        await pilot.press(*" too")
        assert title.value == before + " too"
