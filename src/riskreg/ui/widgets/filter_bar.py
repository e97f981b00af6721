"""The line above a table: the filter box and what is shown ("12 of 40 hazards")."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input, Static


class FilterInput(Input):
    """The filter box. Input sets its virtual size (the text's width) on every keystroke, and
    that reactive asks for a layout of the screen: a reflow, which also repaints the table's
    scrollbar on the next frame (5-10 ms with 10,000 hazards, while the filter's query runs).
    The box is one line that scrolls its text itself (from the virtual size, read as it is),
    so a repaint is enough."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0))

    BINDINGS: ClassVar[list[BindingType]] = [
        # One clear pair in the footer (new-user run, item 4): with a filter typed,
        # "⏎ Keep filter  esc Clear filter"; with none, enter and esc both go back to the table
        # and only "esc Back to the table" is shown (enter still works, unshown).
        Binding("enter", "keep_filter", "Keep filter", id="filter-submit"),
        Binding("enter", "submit", "Back to the table", id="filter-leave", show=False),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "keep_filter":
            return bool(self.value)
        return super().check_action(action, parameters)

    async def action_keep_filter(self) -> None:
        await self.action_submit()

    def on_input_changed(self, _event: Input.Changed) -> None:
        """The footer shows enter's key once there is a filter to keep (the message goes on
        to the area, which filters)."""
        self.refresh_bindings()


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
        yield FilterInput(placeholder=self.placeholder, id="filter", compact=True,
                          select_on_focus=False)
        yield Static("", id="shown", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#filter", Input)

    def set_shown(self, text: str, limited: bool = False, *, keep_width: bool = False) -> None:
        """Say what the table shows. With `keep_width` a shorter text is padded on the left to
        the width of the one shown (for the "… of" line while a count is on its way).

        The label's width follows its text (width: auto), so a change of width lays the whole
        screen out again, which also repaints the table's scrollbar (about 10 ms a keystroke
        with 10,000 hazards); a text of the same width is only repainted."""
        shown = self.query_one("#shown", Static)
        before = cell_len(str(shown.content))
        if keep_width and cell_len(text) < before:
            text = " " * (before - cell_len(text)) + text
        if text != str(shown.content):
            shown.update(text, layout=cell_len(text) != before)
        shown.set_class(limited, "-limited")

    def set_scope(self, text: str) -> None:
        """A chip before the filter naming what narrows the table besides the text."""
        scope = self.query_one("#scope", Static)
        scope.update(text)
        scope.set_class(bool(text), "-on")
