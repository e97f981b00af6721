"""A compact pick-one field for forms: one line, one widget.

A `Select` builds its whole drop-down list when it is mounted, and a form has many of them;
this shows only the chosen label, steps through the options with ←/→, and builds the full list
only when asked (enter or a click).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

BLANK: Any = None
"""The value of "nothing chosen" when a choice allows it."""


class Choice(Widget, can_focus=True):
    DEFAULT_CSS = """
    Choice {
        height: 1;
        width: 1fr;
        background: $boost;
        padding: 0 1 0 0;
        &:focus { background: $primary 40%; }
        &.-blank { color: $text-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Previous", show=False),
        Binding("right", "step(1)", "Next", show=False),
        Binding("enter,space", "pick", "Choose", show=False),
    ]

    value: reactive[Any] = reactive(BLANK, init=False)

    class Changed(Message):
        def __init__(self, choice: Choice, value: Any) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> Choice:
            return self.choice

    def __init__(self, options: Sequence[tuple[str | Text, Any]], value: Any = BLANK, *,
                 blank: str | None = None, **kwargs: Any) -> None:
        """`blank`: the label of "nothing chosen", or None when a choice is required."""
        super().__init__(**kwargs)
        self._blank = blank
        self.allow_blank = blank is not None
        self.set_options(options, value)

    def set_options(self, options: Sequence[tuple[str | Text, Any]], value: Any = BLANK) -> None:
        """Replace the options and choose `value` among them, quietly (no Changed message):
        for a form shown again with another record."""
        self.options = list(options)
        if self._blank is not None:
            self.options.insert(0, (Text(self._blank, style="dim"), BLANK))
        if value is BLANK and not self.allow_blank and self.options:
            value = self.options[0][1]
        self.set_reactive(Choice.value, value)
        if self.is_mounted:
            self.refresh()

    def validate_value(self, value: Any) -> Any:
        if any(v == value for _, v in self.options):
            return value
        raise ValueError(f"{value!r} is not one of the options")

    def watch_value(self, value: Any) -> None:
        self.post_message(self.Changed(self, value))

    def _index(self) -> int:
        for n, (_, v) in enumerate(self.options):
            if v == self.value:
                return n
        return 0

    def render(self) -> Text:
        label = self.options[self._index()][0] if self.options else ""
        self.set_class(self.value is BLANK, "-blank")
        text = label.copy() if isinstance(label, Text) else Text(label)
        text.append("  ▾", "dim")
        text.no_wrap = True
        text.overflow = "ellipsis"
        return text

    def action_step(self, step: int) -> None:
        if self.options:
            self.value = self.options[(self._index() + step) % len(self.options)][1]

    def action_pick(self) -> None:
        def chosen(index: int | None) -> None:
            if index is not None:
                self.value = self.options[index][1]
            self.focus()

        self.app.push_screen(ChoiceList(self.options, self._index()), chosen)

    def on_click(self) -> None:
        self.focus()
        self.action_pick()


class ChoiceList(ModalScreen["int | None"]):
    """The full list of a Choice's options; enter picks, escape leaves it as it was."""

    DEFAULT_CSS = """
    ChoiceList {
        align: center middle;
        & > Vertical {
            width: 64;
            max-width: 100%;
            height: auto;
            max-height: 80%;
            border: round $primary;
            background: $surface;
        }
        OptionList { height: auto; max-height: 100%; border: none; &:focus { border: none; } }
        #choice-keys { height: 1; color: $text-muted; padding: 0 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "leave", "Cancel", show=False)]

    def __init__(self, options: Sequence[tuple[str | Text, Any]], index: int) -> None:
        super().__init__()
        self.options = options
        self.index = index

    def compose(self) -> ComposeResult:
        with Vertical():
            yield OptionList(*[
                Option(label if isinstance(label, Text) else Text(label)) for label, _ in self.options
            ])
            yield Static("enter chooses · escape cancels", id="choice-keys")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.index
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_index)

    def action_leave(self) -> None:
        self.dismiss(None)
