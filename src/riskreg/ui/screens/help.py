"""Every key, by where it applies. Built from the bindings themselves, so it cannot drift."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

EXTRA = {
    "Everywhere": [("ctrl+p", "Command palette: every action, and go to any record"),
                   ("ctrl+q", "Quit"), ("tab / shift+tab", "Next / previous part of the screen")],
    "Dashboard": [("enter", "Open the highlighted item's record"),
                  ("up / down", "Move in a list; in the heat map, move between cells")],
    "Register tables": [("click a header", "Sort by that column (again: reverse)"),
                        ("up / down / pgup / pgdn", "Move; more rows load as you reach the end")],
    "Forms": [("tab / shift+tab", "Next / previous field"),
              ("enter or space", "Open a choice list")],
    "Link picker": [("space / enter", "Tick (link) or untick (unlink) the highlighted record")],
}


def _groups() -> list[tuple[str, list[Binding]]]:
    from riskreg.ui.app import RiskRegApp
    from riskreg.ui.dialogs.confirm import ConfirmDialog
    from riskreg.ui.dialogs.form import RecordForm
    from riskreg.ui.dialogs.picker import LinkPicker
    from riskreg.ui.dialogs.review import ReviewDialog
    from riskreg.ui.screens.main import MainScreen
    from riskreg.ui.screens.record import RecordScreen
    from riskreg.ui.widgets.heatmap import HeatMap
    from riskreg.ui.widgets.register_area import RegisterArea

    def of(cls: type) -> list[Binding]:
        return [b for b in cls.BINDINGS if isinstance(b, Binding)]

    return [
        ("Everywhere", of(RiskRegApp) + of(MainScreen)),
        ("Dashboard", of(HeatMap)),
        ("Register tables", of(RegisterArea)),
        ("A record in full", of(RecordScreen)),
        ("Forms", of(RecordForm)),
        ("Link picker", of(LinkPicker)),
        ("Mark reviewed", of(ReviewDialog)),
        ("Questions", of(ConfirmDialog)),
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
        Binding("escape,q,question_mark", "close", "Close", id="help-close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Keys", id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(self.keys_text(), id="help-keys", markup=False)
            yield Static("escape closes · ctrl+p finds any action by name", id="help-close")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def keys_text(self) -> Text:
        out = Text(end="")
        for group, bindings in _groups():
            out.append(f"\n{group}\n", "bold")
            seen: set[tuple[str, str]] = set()
            rows: list[tuple[str, str]] = []
            for binding in bindings:
                description = binding.description or binding.tooltip
                if not description:
                    continue
                keys = " / ".join(self.app.get_key_display(Binding(k, binding.action))
                                  for k in binding.key.split(","))
                if (keys, description) in seen:
                    continue
                seen.add((keys, description))
                tip = f" ({binding.tooltip})" if binding.tooltip and binding.description else ""
                rows.append((keys, description + tip))
            rows += EXTRA.get(group, [])
            for keys, description in rows:
                out.append(f"  {keys:<24}", "bold")
                out.append(f"{description}\n")
        return out

    def action_close(self) -> None:
        self.dismiss(None)
