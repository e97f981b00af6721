"""The Incidents area: every incident with its step, determination, next deadline and days left
(red when near or past). `n` starts a new one; enter resumes the highlighted one where it was."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from riskreg.ui.incidents.plan_view import days_tone
from riskreg.ui.kinds import FLEX_SHARE, Column, fit
from riskreg.ui.messages import LoadFailed
from riskreg.ui.render import plain, plural
from riskreg.ui.widgets.area import AreaWidget

HINT = "n new incident · enter opens it at its step · outside the app, only its reference is used"
EMPTY = ("No incidents recorded. When something happens (a lost phone, a misdirected email, "
         "a vendor's breach), press n: riskreg walks you through it step by step.")


class IncidentTable(DataTable):
    """DataTable's own enter (hidden) would hide the area's "Open" from the footer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="incident-table-open"),
    ]

    def check_action(self, action: str,
                     parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002 (Textual's)
        if action == "select_cursor":
            return True if self.row_count else None
        return True


class IncidentsArea(AreaWidget):
    DEFAULT_CSS = """
    IncidentsArea {
        layout: vertical;
        #incidents-hint { height: 1; padding: 0 1; color: $text-muted; }
        #incidents-empty { padding: 1 2; color: $text-muted; display: none; }
        #incidents-table { height: 1fr; }
        #incidents-hint { text-wrap: nowrap; text-overflow: ellipsis; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New incident", id="incident-new", tooltip="Record a new incident"),
        Binding("enter", "open", "Open", id="incident-open", show=False),
        Binding("w", "dossier", "Dossier", id="incident-dossier",
                tooltip="Write the highlighted incident's dossier as HTML or Markdown"),
    ]

    COLUMNS = (  # (key, heading, most cells, priority: narrow screens drop the highest first)
        ("reference", "Reference", 0, 0), ("title", "Title", None, 0), ("step", "Step", 22, 1),
        ("left", "Left", 0, 2), ("next", "Next notice", 24, 3), ("determination",
        "Determination", 0, 4), ("due", "Due", 0, 5),
    )
    """The title, an incident's only human-readable name, is second and takes the width the
    others leave: each of them is as wide as its longest cell (an empty "Next notice" is as
    wide as its heading), up to its most."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: list[dict[str, Any]] = []
        self._cells: list[dict[str, Text]] = []
        self._layout: tuple[tuple[Column, int], ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(HINT, id="incidents-hint", markup=False)
        yield Static(EMPTY, id="incidents-empty", markup=False)
        yield IncidentTable(id="incidents-table", cursor_type="row", zebra_stripes=True)

    @property
    def table(self) -> DataTable:
        return self.query_one("#incidents-table", DataTable)

    def focus_main(self) -> None:
        self.table.focus()

    def reload(self) -> None:
        self._fetch()

    @work(thread=True, exclusive=True, group="incidents", exit_on_error=False)
    def _fetch(self) -> None:
        try:
            rows = self.riskreg.services.incidents.list()
        except Exception as error:  # noqa: BLE001 (shown to the user)
            self.post_message(LoadFailed(f"incidents: {error}"))
            return
        self.app.call_from_thread(self.show_rows, rows)

    @on(LoadFailed)
    def _failed(self, event: LoadFailed) -> None:
        event.stop()
        self.notify(event.problem, title="Could not load", severity="error", markup=False)

    def show_rows(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self._cells = [self._row_cells(r) for r in rows]
        table = self.table
        keep = table.cursor_row
        self._fill()
        self.query_one("#incidents-empty").display = not rows
        if rows:
            table.move_cursor(row=min(max(keep, 0), len(rows) - 1))

    def _row_cells(self, r: dict[str, Any]) -> dict[str, Text]:
        palette = self.riskreg.palette
        nxt = r["next_deadline"]
        if nxt:
            days = nxt["days_left"]
            left = Text(short_days(days), style=palette[days_tone(days)])
            due = Text(nxt["due"].isoformat())
            which = Text(nxt["name"])
            if nxt["tentative"] and not r["determination"]:
                which.append(" if a breach", palette["muted"])
            if nxt.get("no_fixed_day"):
                which.append(" as soon as possible", palette["muted"])
        else:
            left, due, which = Text(""), Text(""), Text("")
        closed = r["status"] == "closed"
        step = Text(f"Closed {r['closed_on']}" if closed else r["step_title"],
                    style=palette["muted" if closed else ""])
        if r["still_owed"]:  # closing never hides a notice still owed
            step = Text(f"Closed, {plural(r['still_owed'], 'notice')} owed",
                        style=palette["warning"])
        cells = {"reference": Text(plain(r["reference"])), "title": Text(plain(r["title"])),
                 "step": step, "left": left, "next": which,
                 "determination": Text(r["determination_label"] or "not yet"), "due": due}
        for text in cells.values():
            text.no_wrap, text.overflow = True, "ellipsis"
        return cells

    def _fitted(self) -> tuple[tuple[Column, int], ...]:
        columns = []
        for key, heading, most, priority in self.COLUMNS:
            width = 0
            if most is not None:  # not the title
                width = max([len(heading)] + [c[key].cell_len for c in self._cells])
                width = min(width, most) if most else width
            columns.append(Column(key, heading, _cell(key), width, priority))
        width = max(self.size.width, 40)
        longest = max([c["title"].cell_len for c in self._cells], default=0)
        return fit(columns, width, least=min(longest, max(TITLE_LEAST, int(width * FLEX_SHARE))))

    def _fill(self) -> None:
        table = self.table
        layout = self._fitted()
        if layout != self._layout:
            self._layout = layout
            table.clear(columns=True)
            for column, width in layout:
                table.add_column(column.label, width=width, key=column.key)
        else:
            table.clear()
        palette = self.riskreg.palette
        for r, cells in zip(self.rows, self._cells, strict=True):
            table.add_row(*(column.cell(cells, palette) for column, _ in layout),
                          key=r["reference"])

    def on_resize(self) -> None:
        if self.rows and self._fitted() != self._layout:
            keep = self.table.cursor_row
            self._fill()
            self.table.move_cursor(row=min(max(keep, 0), len(self.rows) - 1))

    def current_ref(self) -> str | None:
        if not self.rows:
            return None
        row = self.table.cursor_row
        return self.rows[row]["reference"] if 0 <= row < len(self.rows) else None

    def action_new(self) -> None:
        open_incident(self.app, None)

    def action_open(self) -> None:
        ref = self.current_ref()
        if ref:
            open_incident(self.app, ref)

    def action_dossier(self) -> None:
        from riskreg.ui.dialogs.write_report import open_dossier_dialog

        ref = self.current_ref()
        if ref is None:
            self.notify("No incident to write a dossier for.", severity="warning")
            return
        open_dossier_dialog(self.app, ref)

    @on(DataTable.RowSelected, "#incidents-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()


TITLE_LEAST = 24
"""Cells the title keeps (more on a wide screen: FLEX_SHARE of it; fewer when every title is
shorter) before the columns on its right give way, Due first."""


def _cell(key: str) -> Any:
    """A column's cell: the text `show_rows` built for it."""
    return lambda cells, palette: cells[key]  # noqa: ARG005 (a Cell takes the palette)


def short_days(days: int) -> str:
    """Days left as the dashboard says them: "in 18d", "today", "6d late"."""
    if days < 0:
        return f"{-days}d late"
    return "today" if days == 0 else f"in {days}d"


def open_incident(app: Any, ref: str | None) -> None:
    """Show one incident's wizard at its step (a new incident when `ref` is None)."""
    from riskreg.ui.incidents.screen import IncidentScreen

    if getattr(app, "register", None) is None:
        app.notify("The register is still opening.", severity="warning")
        return
    app.push_screen(IncidentScreen(ref))
