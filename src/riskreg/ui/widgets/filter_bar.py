"""The line above a table: the filter box and what is shown ("12 of 40 hazards")."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static


class FilterBar(Horizontal):
    """Typing filters the table as you type; escape goes back to the table."""

    DEFAULT_CSS = """
    FilterBar {
        height: 1;
        #filter {
            width: 1fr;
            min-width: 16;
        }
        #shown {
            width: auto;
            max-width: 60%;
            padding: 0 1;
            color: $text-muted;
        }
        #shown.-limited { color: $text-warning; }
        #scope {
            width: auto;
            padding: 0 1;
            background: $warning-muted;
            color: $text-warning;
            display: none;
        }
        #scope.-on { display: block; }
    }
    """

    def __init__(self, placeholder: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Static("", id="scope", markup=False)
        yield Input(placeholder=self.placeholder, id="filter", compact=True, select_on_focus=False)
        yield Static("", id="shown", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#filter", Input)

    def set_shown(self, text: str, limited: bool = False) -> None:
        shown = self.query_one("#shown", Static)
        shown.update(text)
        shown.set_class(limited, "-limited")

    def set_scope(self, text: str) -> None:
        """A chip before the filter naming what narrows the table besides the text."""
        scope = self.query_one("#scope", Static)
        scope.update(text)
        scope.set_class(bool(text), "-on")
