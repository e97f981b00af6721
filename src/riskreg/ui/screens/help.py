"""Every key, by where it applies. Built from the bindings themselves, so it cannot drift."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

# Written in the footer's notation (^p, ⏎, ↑), the one get_key_display gives the bindings below.
EXTRA = {
    "Everywhere": [("^p", "Command palette: every action, and go to any record"),
                   ("^q", "Quit (asks first when something typed is not saved)"),
                   ("tab / shift+tab", "Next / previous part of the screen"),
                   ("← / →", "On the area bar (top line): previous / next area")],
    "Dashboard": [("⏎", "In a list: open the highlighted item's record"),
                  ("↑ / ↓", "Move in a list; in the heat map, move between cells")],
    "Register tables": [("click a header", "Sort by that column (again: reverse)"),
                        ("↑ ↓ pgup pgdn", "Move; more rows load as you reach the end"),
                        # Not a key, but the tables give ⚑ no other legend (see kinds._flagged).
                        ("⚑ (mark)", "Needs action now: a hazard due for review, a tool that "
                                     "handles client data with no signed BAA, a safeguard past "
                                     "its due date")],
    "Forms": [("tab / shift+tab", "Next / previous field"),
              ("⏎ or space", "Open a choice list")],
    "Link picker": [("space / ⏎", "Tick (link) or untick (unlink) the highlighted record")],
    "Practice settings": [("^p", "Open them: “Practice settings…” in the command palette"),
                          ("⏎", "Next field")],
}

# One key bound to several actions, of which only one applies at a time (the footer shows that
# one): help lists the key once, saying what it does in each case.
SHARED_KEY = {
    ("Dashboard", "t"): "Heat map: inherent / current / target risk (each press shows the next)",
    ("Register tables", "a"): "Archive (Restore in the archived view)",
    ("A record in full", "a"): "Archive (Restore when the record is archived)",
}


def _groups(app_bindings: list[BindingType]) -> list[tuple[str, list[Binding]]]:
    """The bindings of each place, the app's own (`app_bindings`, read from the running app:
    ui/app imports this module, so this one does not import ui/app) first."""
    from riskreg.ui.dialogs.base import UnsavedQuestion
    from riskreg.ui.dialogs.confirm import ConfirmDialog
    from riskreg.ui.dialogs.form import RecordForm
    from riskreg.ui.dialogs.picker import LinkPicker
    from riskreg.ui.dialogs.review import ReviewDialog
    from riskreg.ui.dialogs.settings import SettingsDialog
    from riskreg.ui.incidents.area import IncidentsArea
    from riskreg.ui.incidents.screen import IncidentScreen
    from riskreg.ui.screens.main import MainScreen
    from riskreg.ui.screens.record import RecordScreen
    from riskreg.ui.screens.risk_analysis import ChangesScreen, ReviewScreen, SignDialog
    from riskreg.ui.widgets.dashboard import DashboardArea
    from riskreg.ui.widgets.heatmap import HeatMap
    from riskreg.ui.widgets.register_area import RegisterArea

    def of(cls: type) -> list[Binding]:
        return [b for b in cls.BINDINGS if isinstance(b, Binding)]

    return [
        ("Everywhere", [b for b in app_bindings if isinstance(b, Binding)] + of(MainScreen)),
        ("Dashboard", of(DashboardArea) + of(HeatMap)),
        ("Register tables", of(RegisterArea)),
        ("A record in full", of(RecordScreen)),
        ("Incidents", of(IncidentsArea)),
        ("An incident", of(IncidentScreen)),
        ("Forms", of(RecordForm)),
        ("Link picker", of(LinkPicker)),
        ("Mark reviewed", of(ReviewDialog)),
        ("Changes since last sign-off", of(ChangesScreen)),
        ("The year's review", of(ReviewScreen)),
        ("Sign the risk analysis", of(SignDialog)),
        ("Practice settings", of(SettingsDialog)),
        ("Questions", of(ConfirmDialog)),
        ("Unsaved changes", of(UnsavedQuestion)),
    ]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > Vertical {
            width: 80;
            max-width: 100%;
            height: 100%;
            max-height: 46;
            border: thick $primary;
            background: $surface;
            padding: 0 1;
        }
        #help-title { text-style: bold; height: 1; }
        #help-scroll { height: 1fr; }
        #help-close { height: 1; color: $text-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help-close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Keys", id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(self.keys_text(), id="help-keys", markup=False)
            yield Static("esc closes · ^p finds any action by name", id="help-close")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def keys_text(self) -> Group:
        from riskreg.ui.areas import AREAS

        parts: list[Any] = []
        area_keys = {a.key for a in AREAS}
        for group, bindings in _groups(self.app.BINDINGS):
            parts.append(Text(f"\n{group}", style="bold"))
            grid = Table.grid(padding=(0, 2))
            grid.add_column(width=16, style="bold", no_wrap=True)
            grid.add_column(ratio=1)
            rows: dict[str, str] = {}
            if group == "Everywhere":
                rows[f"{AREAS[0].key} … {AREAS[-1].key}"] = (
                    "Go to an area: " + ", ".join(a.title for a in AREAS))
            for binding in bindings:
                description = binding.description or binding.tooltip
                if not description or (group == "Everywhere" and binding.key in area_keys):
                    continue
                keys = " / ".join(self.app.get_key_display(Binding(k, binding.action))
                                  for k in binding.key.split(","))
                if binding.tooltip and binding.description:
                    description += ": " + binding.tooltip[0].lower() + binding.tooltip[1:]
                if rows.get(keys) == description:
                    continue
                if keys in rows:
                    rows[keys] = SHARED_KEY.get((group, binding.key),
                                                f"{rows[keys]} / {description}")
                    continue
                rows[keys] = description
            for keys, description in rows.items():
                grid.add_row(keys, Text(description))
            for keys, description in EXTRA.get(group, []):
                grid.add_row(keys, Text(description))
            parts.append(grid)
        return Group(*parts)

    @property
    def text(self) -> str:
        """Everything listed, as plain text (for tests)."""
        from riskreg.ui.detail import plain_text

        return plain_text(self.keys_text(), width=100)

    def action_close(self) -> None:
        self.dismiss(None)
