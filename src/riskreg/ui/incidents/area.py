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
from riskreg.ui.messages import LoadFailed
from riskreg.ui.render import plain, plural
from riskreg.ui.widgets.area import AreaWidget

HINT = "n new incident · enter opens it at its step · outside the app, only its reference is used"
EMPTY = ("No incidents recorded. When something happens (a lost phone, a misdirected email, "
         "a vendor's breach), press n: riskreg walks you through it step by step.")


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

    COLUMNS = ("Reference", "Left", "Due", "Next notice", "Step", "Determination", "Title")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Static(HINT, id="incidents-hint", markup=False)
        yield Static(EMPTY, id="incidents-empty", markup=False)
        table: DataTable = DataTable(id="incidents-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(*self.COLUMNS)
        yield table

    @property
    def table(self) -> DataTable:
        return self.query_one("#incidents-table", DataTable)

    def focus_main(self) -> None:
        self.table.focus()

    def reload(self) -> None:
        self._fetch()

    @work(thread=True, exclusive=True, group="incidents", exit_on_error=False)
    def _fetch(self) -> None:
        from riskreg.services.incidents import IncidentService

        register = self.riskreg.register
        try:
            rows = IncidentService(register.db, today=register.today).list()
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
        palette = self.riskreg.palette
        table = self.table
        keep = table.cursor_row
        table.clear()
        for r in rows:
            nxt = r["next_deadline"]
            if nxt:
                days = nxt["days_left"]
                left = Text(short_days(days), style=palette[days_tone(days)])
                due = Text(nxt["due"].isoformat())
                which = Text(nxt["name"])
                if nxt["tentative"] and not r["determination"]:
                    which.append(" if a breach", palette["muted"])
            else:
                left, due, which = Text(""), Text(""), Text("")
            closed = r["status"] == "closed"
            step = Text(f"Closed {r['closed_on']}" if closed else r["step_title"],
                        style=palette["muted" if closed else ""])
            if r["still_owed"]:  # closing never hides a notice still owed
                step = Text(f"Closed, {plural(r['still_owed'], 'notice')} owed",
                            style=palette["warning"])
            table.add_row(Text(plain(r["reference"])), left, due, which, step,
                          Text(r["determination_label"] or "not yet"), Text(plain(r["title"])),
                          key=r["reference"])
        self.query_one("#incidents-empty").display = not rows
        if rows:
            table.move_cursor(row=min(max(keep, 0), len(rows) - 1))

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
