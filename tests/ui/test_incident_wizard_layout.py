"""The incident wizard's layout as a new user meets it: the step rail reads as a list of steps,
entering a step puts the focus on its first field with its title in sight, its choosers are the
register forms' own, and a long answer re-wraps when the rail opens or closes."""

from __future__ import annotations

import pytest
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

ACTIONS = "Reported the theft to police and changed passwords."
"""Two lines with the rail open and closed at 80 columns, wrapped at different words: Textual
repaints a TextArea whose line count changes, and only then."""


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
    async with app.run_test(size=(80, 24)) as pilot:
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


def at_tracking(db) -> str:
    svc = incidents_service(db)
    r = seed_to_plan(svc)
    r = svc.complete_step(r["reference"], "plan", r["revision"])
    return svc.complete_step(r["reference"], "notices", r["revision"])["reference"]


def title_in_sight(app) -> bool:
    """The shown step's "Step n of 12" title is within the visible part of its panel."""
    panel = screen(app).panel
    title = panel.query_one(".step-title")
    return panel.scroll_y == 0 and panel.region.contains_region(title.region)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_entering_a_step_focuses_its_first_field_with_its_title_in_sight(
        make_app, db, size):
    ref = at_tracking(db)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_wizard(pilot, ref)
        await at_step(pilot, "tracking")
        panel = screen(app).panel
        assert app.focused is panel.widget("obligation_id")  # "For", not the scroll area
        assert title_in_sight(app)
        await pilot.press("ctrl+o", "up", "enter")  # back to Notices
        await at_step(pilot, "notices")
        assert app.focused is screen(app).panel.widget("notice_steps")
        assert title_in_sight(app)
        await pilot.press("ctrl+o", "down", "enter")  # and to Tracking again
        await at_step(pilot, "tracking")
        assert app.focused is screen(app).panel.widget("obligation_id")
        assert title_in_sight(app)


async def test_the_closed_step_rail_says_it_lists_the_steps(make_app, db):
    from textual.widgets import OptionList, Static

    ref = at_tracking(db)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot, ref)
        await at_step(pilot, "tracking")
        head = app.screen.query_one("#rail-head", Static)
        rail = app.screen.query_one("#steps", OptionList)
        assert rail.size.width < 10  # closed: marks and numbers
        assert str(head.content) == "Steps" and head.region.width >= len("Steps")
        assert head.region.bottom <= rail.region.y  # above the numbers, in sight


async def test_at_100_columns_the_step_rail_shows_the_step_names_without_focus(make_app, db):
    from textual.widgets import OptionList

    ref = at_tracking(db)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot, ref)
        await at_step(pilot, "tracking")
        rail = app.screen.query_one("#steps", OptionList)
        assert not rail.has_focus
        longest = max(rail.get_option_at_index(n).prompt.cell_len
                      for n in range(rail.option_count))
        assert rail.scrollable_content_region.width >= longest  # "✓  5 Risk assessment"


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_notices_opens_at_its_title_with_the_first_answer_focused(make_app, db, size):
    ref = at_notices(db)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_wizard(pilot, ref)
        await at_step(pilot, "notices")
        assert title_in_sight(app)
        assert app.focused is screen(app).panel.widget("notice_steps")


async def test_write_drafts_keeps_the_focus_for_a_second_enter(make_app, db, tmp_path):
    """After the first write the focus went back to "What people can do" at the top: the
    next enter (or space) on "Write drafts" typed into that answer instead."""
    ref = at_notices(db)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot, ref)
        await at_step(pilot, "notices")
        panel = screen(app).panel
        panel.query_one("#f-folder").value = str(tmp_path)
        button = panel.query_one("#write-drafts")
        for _ in range(12):
            if app.focused is button:
                break
            await pilot.press("tab")
        assert app.focused is button
        answer = panel.widget("notice_steps").text
        for _ in range(2):
            await pilot.press("enter")
            await settle(pilot)
            assert len(screen(app).record["drafts"]) == 2
            assert app.focused is button
        assert panel.widget("notice_steps").text == answer
        assert not panel.dirty


def at_exceptions(db) -> str:
    svc = incidents_service(db)
    r = svc.create({"title": "Laptop stolen from the car", "discovered_on": "2026-11-02",
                    "description": "The practice laptop was taken from the car."})
    r = svc.save_phi(r["reference"], {"phi_involved": True, "phi_types": ["name"]},
                     r["revision"])
    return svc.save_secured(r["reference"], {"secured_by": "none"}, r["revision"])["reference"]


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_wizard_answer_is_chosen_from_the_register_forms_boxed_list(make_app, db, size):
    from textual.widgets import OptionList

    from riskreg.ui.widgets.choice import ChoiceList

    ref = at_exceptions(db)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_wizard(pilot, ref)
        await at_step(pilot, "exceptions")
        applies = app.focused  # the first exception's "Applies"
        assert applies is screen(app).panel.widget("exceptions.workforce_good_faith")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceList)  # over the step, in its own box
        box = app.screen.query_one(OptionList).parent
        assert box.styles.border_top[0] == "round"
        options = app.screen.query_one(OptionList)
        assert [options.get_option_at_index(n).prompt.plain
                for n in range(options.option_count)] == ["Not answered", "Yes", "No"]
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert app.focused is applies
        assert screen(app).panel.values()["exceptions.workforce_good_faith"] is False
        await pilot.press("left")  # ←/→ step through them, as in the forms
        assert screen(app).panel.values()["exceptions.workforce_good_faith"] is True
