"""The area bar at the top of the main screen: what it shows at 80 and 120 columns, and that a
click, left/right on it and the number keys all switch the area it marks."""

from __future__ import annotations

import pytest
from pilot_helpers import ready, settle

from riskreg.ui.areas import AREAS
from riskreg.ui.widgets.area_bar import AreaBar
from riskreg.ui.widgets.record_table import RecordTable

ALL_TITLES = " ".join(f"{a.key} {a.title}" for a in AREAS)


def bar_lines(app) -> tuple[str, str]:
    bar = app.main_screen.query_one(AreaBar)
    return bar.render_line(0).text, bar.render_line(1).text


def span(app, area_id: str) -> tuple[int, int]:
    """Where an area's title is on the bar: (first cell, one past the last)."""
    bar = app.main_screen.query_one(AreaBar)
    return next((start, end) for start, end, each, _ in bar.spans(bar.size.width)
                if each == area_id)


def marked(app) -> str:
    """The titles above the marked part of the rule (the line's colour changes there)."""
    bar = app.main_screen.query_one(AreaBar)
    titles, _ = bar_lines(app)
    mark_colour = bar.get_component_rich_style("area-bar--mark").color
    cells, x = [], 0
    for segment in bar.render_line(1):
        for _ in segment.text:
            if segment.style.color == mark_colour:
                cells.append(x)
            x += 1
    return titles[cells[0]:cells[-1] + 1].strip() if cells else ""


@pytest.mark.parametrize("width,titles", [
    (80, " " + ALL_TITLES),  # one space before each title: all seven fit in 80 columns
    (120, " " + "  ".join(f"{a.key} {a.title}" for a in AREAS) + " "),
])
async def test_every_area_is_on_the_bar_and_the_one_shown_is_marked(
        make_app, small_register, width, titles):
    app = make_app(area="hazards")
    async with app.run_test(size=(width, 30)) as pilot:
        await ready(pilot)
        line, rule = bar_lines(app)
        assert line == titles.ljust(width)
        assert set(rule) == {"━", "╸", "╺"} and len(rule) == width
        assert marked(app) == "3 Hazards"


async def test_number_keys_move_the_mark(make_app, small_register):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert marked(app) == "1 Dashboard"
        await pilot.press("5")
        await settle(pilot, 1)
        assert app.main_screen.area_shown == "owners"
        assert marked(app) == "5 Owners"


async def test_clicking_a_title_shows_its_area(make_app, small_register):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        start, _ = span(app, "safeguards")
        await pilot.click(AreaBar, offset=(start + 3, 0))
        await settle(pilot)
        assert app.main_screen.area_shown == "safeguards"
        assert marked(app) == "4 Safeguards"
        safeguards = app.main_screen.register_area("safeguard")
        assert safeguards.display and not app.main_screen.area_widget("dashboard").display
        assert app.focused is safeguards.query_one(RecordTable)
        assert [r["title"] for r in safeguards.table.records] == [
            "Full-disk encryption", "Phishing training"]


async def test_left_and_right_on_the_focused_bar_step_through_the_areas_keeping_the_focus(
        make_app, small_register):
    app = make_app(area="tools")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        bar = app.main_screen.query_one(AreaBar)
        bar.focus()
        for key, expected in (("left", "dashboard"), ("left", "incidents"),
                              ("right", "dashboard"), ("right", "tools"), ("right", "hazards")):
            await pilot.press(key)
            await settle(pilot, 1)
            assert app.main_screen.area_shown == expected, key
            assert app.focused is bar, key
        assert marked(app) == "3 Hazards"


async def test_a_second_request_for_an_area_still_being_built_waits_for_it(
        make_app, small_register):
    """`44` typed in one burst, or a double click on a title: the second request came while
    the area was still being mounted, and focusing its table then stopped the app. (Pilot
    waits between keys and clicks, so the burst is two calls here.)"""
    app = make_app(area="tools")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.main_screen.show_area("safeguards")
        app.main_screen.show_area("safeguards")
        await settle(pilot)
        safeguards = app.main_screen.register_area("safeguard")
        assert app.main_screen.area_shown == "safeguards" and safeguards.is_mounted
        assert app.focused is safeguards.table


async def test_two_steps_in_one_burst_move_two_areas(make_app, small_register):
    app = make_app(area="tools")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        bar = app.main_screen.query_one(AreaBar)
        bar.focus()
        bar.action_step(1)  # two right keys before the screen has switched
        bar.action_step(1)
        await settle(pilot)
        assert app.main_screen.area_shown == "safeguards" and marked(app) == "4 Safeguards"
        assert app.focused is bar


async def test_a_double_click_on_a_title_shows_its_area(make_app, small_register):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        start, _ = span(app, "safeguards")
        await pilot.click(AreaBar, offset=(start + 3, 0), times=2)
        await settle(pilot)
        safeguards = app.main_screen.register_area("safeguard")
        assert app.main_screen.area_shown == "safeguards"
        assert app.focused is safeguards.table


@pytest.mark.parametrize("area_id,label", [("incidents", "7 Incidents"), ("tools", "2 Tools")])
async def test_narrower_than_the_row_the_area_shown_stays_in_view(
        make_app, small_register, area_id, label):
    app = make_app(area=area_id)
    async with app.run_test(size=(60, 24)) as pilot:
        await ready(pilot)
        line, rule = bar_lines(app)
        assert len(line) == len(rule) == 60
        assert label in line and marked(app) == label
        start, _ = span(app, area_id)
        assert line[start:].startswith(f" {label}")
        neighbour = "consents" if area_id == "incidents" else "hazards"
        start, _ = span(app, neighbour)
        await pilot.click(AreaBar, offset=(start + 2, 0))  # clicks follow the scroll
        await settle(pilot)
        assert app.main_screen.area_shown == neighbour


async def test_the_title_under_the_mouse_is_brightened(make_app, small_register):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        bar = app.main_screen.query_one(AreaBar)
        start, _ = span(app, "tools")
        await pilot.hover(AreaBar, offset=(start + 2, 0))
        assert bar.hovered == "tools"
        colours = {segment.text: segment.style.color for segment in bar.render_line(0)}
        assert colours[" 2 Tools"] == bar.get_component_rich_style("area-bar--hover").color
        assert colours[" 4 Safeguards"] == bar.get_component_rich_style("area-bar--title").color
        assert colours[" 2 Tools"] != colours[" 4 Safeguards"]
        await pilot.hover(AreaBar, offset=(start + 2, 1))  # on the rule: nothing brightened
        assert bar.hovered is None


async def test_the_footer_shows_the_keys_in_the_last_line_under_the_area(make_app, small_register):
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    app = make_app(area="hazards")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.main_screen
        footer = screen.query_one(Footer)
        assert footer.region.y == 23 and footer.region.height == 1
        assert screen.query_one("#areas").region.height == 24 - 2 - 1  # the bar, the footer
        keys = [key.description for key in footer.query(FooterKey)]
        # At 80 columns "/ Filter" gives way (the filter line's own "/ filter hazards" says it).
        assert {"Open", "New", "Edit", "Archive", "Help"} <= set(keys), keys
