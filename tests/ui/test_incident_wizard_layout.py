"""The incident wizard's layout as a new user meets it: the step rail reads as a list of steps,
entering a step puts the focus on its first field with its title in sight, its choosers are the
register forms' own, and a long answer re-wraps when the rail opens or closes."""

from __future__ import annotations

from incident_pilot import (
    at_step,
    incidents_service,
    open_wizard,
    screen,
    seed_to_plan,
    type_text,
)
from pilot_helpers import settle
from textual.widgets import TextArea

ACTIONS = "Reported the theft to police, encrypted all devices, and changed all passwords."


def at_notices(db) -> str:
    svc = incidents_service(db)
    r = seed_to_plan(svc)
    return svc.complete_step(r["reference"], "plan", r["revision"])["reference"]


def rows_of(area: TextArea) -> list[str]:
    """The lines the TextArea shows, as wrapped now."""
    document = area.wrapped_document
    return [line for n in range(area.document.line_count) for line in document.get_sections(n)]


def shown(area: TextArea) -> list[str]:
    """The lines the TextArea paints (what is on the screen, not what it would paint anew)."""
    from textual.geometry import Region

    return [strip.text.rstrip() for strip in area.render_lines(Region(0, 0, *area.size))
            if strip.text.strip()]


def wraps_to_its_width(area: TextArea) -> bool:
    """The TextArea shows its text wrapped as it would be wrapped afresh at the width it has
    now (the wrap width is read from its size as it is now)."""
    from textual.document._wrapped_document import WrappedDocument

    fresh = WrappedDocument(area.document, area.wrap_width, tab_width=area.indent_width)
    expected = [line for n in range(area.document.line_count) for line in fresh.get_sections(n)]
    return rows_of(area) == expected and shown(area) == [line.rstrip() for line in expected]


async def test_a_long_answer_rewraps_when_the_step_rail_opens_and_closes(make_app, db):
    ref = at_notices(db)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot, ref)
        await at_step(pilot, "notices")
        area = screen(app).panel.widget("notice_actions")
        await pilot.press("tab")
        assert app.focused is area
        await type_text(pilot, ACTIONS)
        await settle(pilot)
        assert wraps_to_its_width(area), rows_of(area)
        narrow = area.wrap_width
        await pilot.press("ctrl+o")  # the rail opens
        await settle(pilot)
        assert area.wrap_width < narrow
        assert wraps_to_its_width(area), (area.wrap_width, shown(area))
        await pilot.press("tab")  # and closes as the focus leaves it
        await settle(pilot)
        assert area.wrap_width == narrow
        assert wraps_to_its_width(area), (area.wrap_width, shown(area))
