"""The register table's quicker paint (RecordTable): the same segments as DataTable's own."""

from __future__ import annotations

from pilot_helpers import area, ready, settle
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable

from riskreg.ui.widgets.record_table import _cell_line, _one_line


def _datatable_cell(table, row: int, column: int, style: Style, width: int, cursor: bool):
    table._cell_render_cache.clear()
    return DataTable._render_cell(table, row, column, style, width, cursor, False)


def _fast_cell(table, row: int, column: int, style: Style, width: int, cursor: bool):
    table._cell_render_cache.clear()
    return table._render_cell(row, column, style, width, cursor, False)


async def test_every_cell_paints_exactly_as_datatable_paints_it(make_app, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        table = area(app, "hazard").table
        base = table.rich_style
        checked = 0
        for row in range(table.row_count):
            for column, col in enumerate(table.ordered_columns):
                width = col.get_render_width(table)
                for cursor in (False, True):
                    for style in (base, base + Style(bgcolor="red")):
                        fast = _fast_cell(table, row, column, style, width, cursor)
                        assert fast == _datatable_cell(table, row, column, style, width, cursor)
                        checked += 1
        assert checked >= 3 * 3 * 4
        # and the header row (DataTable's own way)
        header = table._render_cell(-1, 0, base, table.ordered_columns[0].get_render_width(table))
        width = table.ordered_columns[0].get_render_width(table)
        assert header == _datatable_cell(table, -1, 0, base, width, False)


async def test_the_painted_table_is_the_same_after_a_filter(make_app, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"phish")
        await settle(pilot)
        table = area(app, "hazard").table
        from textual.geometry import Region

        crop = Region(0, 0, table.size.width, table.size.height)
        ours = [strip.text for strip in table.render_lines(crop)]
        assert any("Phishing email" in line for line in ours)
        assert not any("Misdirected fax" in line for line in ours)
        assert table._painting is None  # the per-paint styles are dropped after the paint


def test_which_cells_take_the_quick_way():
    assert _one_line(Text("Laptop stolen"), 20)
    assert _one_line(Text(""), 5)
    assert not _one_line(Text("x" * 21), 20)  # wider than the cell: DataTable crops it
    assert not _one_line(Text("two\nlines"), 20)
    assert not _one_line(Text("a\ttab"), 20)
    assert not _one_line(Text("right", justify="right"), 20)
    assert not _one_line("a string", 20)
    assert not _one_line(Text("x"), 0)


def test_a_styled_cell_keeps_its_spans_and_pads_to_the_width():
    from rich.console import Console

    text = Text.assemble(("! ", "red"), ("Laptop", "bold"))
    line = _cell_line(Console(), text, 12, 1, Style(color="white"), None)
    assert "".join(s.text for s in line) == " ! Laptop" + " " * 4 + " "
    assert sum(len(s.text) for s in line) == 14
    assert line[1].style.color.name == "red" and line[2].style.bold


async def test_the_same_rows_again_leave_the_table_alone_and_other_rows_rebuild_it(
        make_app, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        table = area(app, "hazard").table
        fills = []
        original_fill = table._fill
        table._fill = lambda: (fills.append(1), original_fill())[1]
        records = [dict(r) for r in table.records]
        table.move_cursor(row=1, animate=False)
        kept = table.current_id()

        def show(rows):
            table.show(rows, append=False, has_more=False, palette=table.palette,
                       sort=table.sort, descending=table.descending)

        show([dict(r) for r in records])  # equal records, new dicts (as a query returns them)
        assert fills == [] and table.current_id() == kept
        assert table.records == records
        changed = [dict(r) for r in records]
        changed[2]["title"] = "Renamed elsewhere"
        show(changed)  # a field changed: rebuilt, the cursor stays on its record
        assert fills == [1] and table.current_id() == kept
        assert "Renamed elsewhere" in table.get_row(changed[2]["public_id"])[0].plain
        show(changed[::-1])  # another order: rebuilt
        assert fills == [1, 1] and table.current_id() == kept
        assert [r["public_id"] for r in table.records] == [r["public_id"] for r in changed[::-1]]
        table.show(changed[::-1], append=False, has_more=False, palette=table.palette,
                   sort="score", descending=True)  # another sort: the header changes
        assert len(fills) == 3 and str(table.columns["score"].label) == "Inherent ▼"


async def test_a_count_line_of_the_same_width_is_repainted_without_a_layout(
        make_app, small_register):
    app = make_app(area="hazards")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        bar = area(app, "hazard").filter_bar
        shown = bar.query_one("#shown")
        laid_out = []  # the refreshes of the count line that asked for a layout of the screen
        original_refresh = shown.refresh

        def refresh(*regions, **kwargs):
            if kwargs.get("layout", False):
                laid_out.append(str(shown.content))
            return original_refresh(*regions, **kwargs)

        shown.refresh = refresh
        bar.set_shown("500 of 10,000 hazards · first 50 loaded", limited=True)
        assert laid_out, "wider than before: laid out again"
        laid_out.clear()
        bar.set_shown("… of 10,000 hazards", keep_width=True)
        text = str(shown.content)
        assert text.strip() == "… of 10,000 hazards"
        assert len(text) == len("500 of 10,000 hazards · first 50 loaded")  # padded on the left
        assert laid_out == [] and not shown.has_class("-limited")  # same width: repainted only
        bar.set_shown("… of 10,000 archived hazards, and a much longer text than before",
                      keep_width=True)
        assert laid_out, "longer: it grows"
        laid_out.clear()
        bar.set_shown("3 of 10,000 hazards")  # the count: exactly its text
        assert str(shown.content) == "3 of 10,000 hazards"
        assert laid_out, "narrower: laid out again"


async def test_a_paint_with_its_looked_up_once_styles_and_size_is_the_plain_paint(
        make_app, small_register):
    from textual.geometry import Region

    app = make_app(area="hazards")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        table = area(app, "hazard").table
        table.move_cursor(row=1, animate=False)
        await settle(pilot)
        crop = Region(0, 0, table.size.width, table.size.height)

        def fresh():
            table._clear_caches()
            table.refresh()

        fresh()
        ours = [list(strip) for strip in table.render_lines(crop)]
        fresh()
        plain = [list(strip) for strip in DataTable.render_lines(table, crop)]  # no _painting
        assert ours == plain
        assert table._painting is None
