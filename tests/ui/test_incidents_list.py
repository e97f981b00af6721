"""The Incidents area's list: the title, an incident's only human-readable name, gets the room."""

from __future__ import annotations

import pytest
from incident_pilot import incidents_service, open_incidents

TITLE = "Appointment reminder emailed to the wrong client"  # 48 cells


@pytest.mark.parametrize("width,room", [(80, 32), (100, len(TITLE)), (160, len(TITLE))])
async def test_the_title_takes_the_width_the_other_columns_leave(make_app, db, register, width,
                                                                  room):
    # Finding 17: at 100 columns the title was cut to "Emai" while an empty "Next notice"
    # column took 24 cells.
    register.create("owner", {"name": "Dr. Rivera"})  # a register, so no welcome dialog
    svc = incidents_service(db)
    svc.create({"title": TITLE, "discovered_on": "2026-11-20"})
    svc.create({"title": "Fax to the wrong clinic", "discovered_on": "2026-11-21"})
    app = make_app()
    async with app.run_test(size=(width, 30)) as pilot:
        await open_incidents(pilot)
        table = app.main_screen.area_widget("incidents").table
        headings = [str(c.label) for c in table.columns.values()]
        assert headings[:2] == ["Reference", "Title"]
        assert table.columns["title"].width >= room
        for column in table.columns.values():  # no column wider than it needs
            cells = [table.get_cell(row, column.key).cell_len for row in table.rows]
            if column.key.value != "title":
                assert column.width <= max(cells + [len(str(column.label))]) or column.width == 24
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= width
