"""The dashboard: the heat map and what needs attention, each item opening its record.

The panels are a tuple of factories (PANELS); each panel has `update(board, palette)` and is
filled from one read model (`services.dashboard.Dashboard`, built by `build_home`). To add a
panel, add its factory here and its data to the model. The open incidents (with the days left to
their next deadline) are above the grid, shown only while an incident owes a notice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widget import Widget
from textual.widgets import Static

from riskreg.ui.incidents.dashboard_panel import OpenIncidentsPanel
from riskreg.ui.messages import LoadFailed, ShowHazardsInCell
from riskreg.ui.render import Palette, plain, plural
from riskreg.ui.widgets.agenda_panel import AgendaPanel
from riskreg.ui.widgets.area import AreaWidget
from riskreg.ui.widgets.attention import AttentionPanel, Sections
from riskreg.ui.widgets.heatmap import HeatMap, next_level


class HeatPanel(Vertical):
    DEFAULT_CSS = """
    HeatPanel {
        border: round $panel-lighten-2;
        border-title-color: $text-primary;
        height: 1fr;
        align: center top;
        &:focus-within { border: round $primary; }
    }
    """

    def compose(self) -> ComposeResult:
        self.border_title = "Risk heat map"
        self.border_subtitle = "t current · enter list"
        yield HeatMap()

    def on_mount(self) -> None:
        self.watch(self.query_one(HeatMap), "level", self._switched, init=False)

    def _switched(self, level: str) -> None:
        """The caption names what t shows next, as the footer does."""
        self.border_subtitle = f"t {next_level(level)} · enter list"

    def update(self, board: Any, palette: Palette) -> None:  # noqa: ARG002 (every panel's update)
        self.query_one(HeatMap).set_counts(inherent=board.heat_inherent,
                                           current=board.heat_current, target=board.heat_target)


def _reviews(board: Any) -> Sections:
    return [
        ("Review now", board.review_now, "none flagged", "error"),
        ("Overdue", board.reviews_overdue, "no review overdue", "error"),
        ("Due within 30 days", board.reviews_due, "none due soon", "warning"),
    ]


def _baas(board: Any) -> Sections:
    sections = [
        ("Handle PHI without a signed BAA", board.baa_gaps, "no gaps", "error"),
        ("Expiring within 60 days", board.baas_expiring, "none expiring", "warning"),
    ]
    # Only when a rule flags something: a register with no AI answers shows what it did before.
    if board.ai_flags.total:
        sections.insert(1, ("AI rules (verify with counsel)", board.ai_flags, "none", "error"))
    return sections


def _safeguards(board: Any) -> Sections:
    return [("Overdue", board.safeguards_overdue, "none overdue", "error")]


PANELS: tuple[Callable[[], Widget], ...] = (
    lambda: HeatPanel(id="heat-panel", classes="half"),
    lambda: AgendaPanel(id="agenda-panel", classes="half"),
    lambda: AttentionPanel("Reviews", _reviews, id="reviews-panel", classes="third"),
    lambda: AttentionPanel("Agreements (BAAs)", _baas, id="baa-panel", classes="third"),
    lambda: AttentionPanel("Safeguards", _safeguards, id="safeguards-panel", classes="third"),
)
"""The grid under the open incidents: the heat map beside what is due soon, then the three
lists of what needs action."""


class DashboardArea(AreaWidget):
    DEFAULT_CSS = """
    DashboardArea {
        layout: vertical;
        #summary { height: 1; padding: 0 1; color: $text-muted; }
        #panels {
            grid-size: 6;
            grid-rows: 1fr 1fr;
            height: 1fr;
            .half { column-span: 3; }
            .third { column-span: 2; }
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "export_calendar", "Calendar", id="dashboard-export-calendar",
                tooltip="Deadlines and reviews as .ics calendar events"),
        Binding("w", "write_report", "Report", id="dashboard-risk-analysis",
                tooltip="Write the risk analysis as HTML or Markdown"),
        # The yearly risk analysis (issue 23); the footer at 80 columns is full, so these are
        # in help and the command palette.
        Binding("g", "sign", "Sign…", id="dashboard-sign", show=False,
                tooltip="Sign the risk analysis as it stands (a read-only snapshot)"),
        Binding("c", "changes", "Changes", id="dashboard-changes", show=False,
                tooltip="Changes since last sign-off"),
        Binding("v", "review", "Review", id="dashboard-review", show=False,
                tooltip="Start the year's review (or go on with it): the checklist"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("", id="summary", markup=False)
        # Above everything: an incident that owes a notice is the most urgent thing there is.
        yield OpenIncidentsPanel(id="incidents-panel")
        with Grid(id="panels"):
            for make in PANELS:
                yield make()

    def on_mount(self) -> None:
        if self.riskreg.register is None:
            # Say what is happening (a first run creates the database), in a plain line: a
            # spinner would take turns with the worker opening it and slow it down.
            self.query_one("#summary", Static).update(f"Opening {self.riskreg.db_path} …")

    def focus_main(self) -> None:
        focused = self.screen.focused
        if focused is None or self not in focused.ancestors:
            self.query_one(HeatMap).focus()

    def reload(self) -> None:
        self._fetch()

    def action_export_calendar(self) -> None:
        from riskreg.ui.dialogs.export_calendar import open_export_dialog

        open_export_dialog(self.app)

    def action_write_report(self) -> None:
        from riskreg.ui.dialogs.write_report import open_risk_analysis_dialog

        open_risk_analysis_dialog(self.app)

    def action_sign(self) -> None:
        from riskreg.ui.screens.risk_analysis import open_sign_dialog

        open_sign_dialog(self.app)

    def action_changes(self) -> None:
        from riskreg.ui.screens.risk_analysis import open_changes

        open_changes(self.app)

    def action_review(self) -> None:
        from riskreg.ui.screens.risk_analysis import open_review

        open_review(self.app)

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def _fetch(self) -> None:
        from riskreg.services.dashboard import build_home

        register = self.riskreg.register
        try:
            board = build_home(register.db, register.today())
        except Exception as error:  # noqa: BLE001 (shown to the user)
            self.post_message(LoadFailed(f"dashboard: {error}"))
            return
        self.app.call_from_thread(self.show_board, board)

    @on(LoadFailed)
    def _failed(self, event: LoadFailed) -> None:
        event.stop()
        self.notify(event.problem, title="Could not load", severity="error", markup=False)

    def show_board(self, board: Any) -> None:
        self.board = board
        palette = self.riskreg.palette
        self.query_one(OpenIncidentsPanel).update(board, palette)
        for panel in self.query_one("#panels").children:
            panel.update(board, palette)  # type: ignore[attr-defined]
        self.query_one("#summary", Static).update(self._summary(board))

    def _summary(self, board: Any) -> Text:
        if board.empty:
            return Text("The register is empty: ctrl+p → “Load the starter register”, "
                        "or press 2 and n to add your first tool.")
        needs = board.need_action
        practice = f"{plain(board.practice_name)} · " if board.practice_name else ""
        # What needs action before the count of hazards: at 80 columns the line's end is cut.
        text = Text(f"{practice}{board.today:%A} {board.today.isoformat()} · ")
        palette = self.riskreg.palette
        text.append(f"{needs:,} need action" if needs else "nothing needs action",
                    palette["error" if needs else "success"])
        text.append(f" · {plural(board.hazards, 'current hazard')}")
        return text

    @on(HeatMap.CellSelected)
    def _cell(self, event: HeatMap.CellSelected) -> None:
        event.stop()
        self.post_message(ShowHazardsInCell(event.likelihood, event.impact, event.level))
