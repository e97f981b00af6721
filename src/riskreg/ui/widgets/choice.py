"""A compact pick-one field for forms: one line, one widget.

A `Select` builds its whole drop-down list when it is mounted, and a form has many of them;
this shows only the chosen label, steps through the options with ←/→, and builds the full list
only when asked (enter or a click).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
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

HEADING: Any = object()
"""The value of an option that is only a heading over those that follow it (in the full list:
never chosen, and skipped by ←/→)."""


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
        if value is BLANK and not self.allow_blank and self._choosable():
            value = self.options[self._choosable()[0]][1]
        self.set_reactive(Choice.value, value)
        if self.is_mounted:
            self.refresh()

    def _choosable(self) -> list[int]:
        """The index of each option that can be chosen (not a heading)."""
        return [n for n, (_, v) in enumerate(self.options) if v is not HEADING]

    def validate_value(self, value: Any) -> Any:
        if value is not HEADING and any(v == value for _, v in self.options):
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
        choosable = self._choosable()
        if choosable:
            here = choosable.index(self._index()) if self._index() in choosable else 0
            self.value = self.options[choosable[(here + step) % len(choosable)]][1]

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
    """The full list of a Choice's options, over the form (which stays in sight behind it).
    Typing finds: the list keeps the options with a word starting with what was typed, shown
    above it;
    backspace takes a letter back, escape clears it (and, with nothing typed, leaves the list
    as it was). Enter picks. Each option is one line, a long one cut at a word, so that ↓ moves
    one option a line."""

    DEFAULT_CSS = """
    ChoiceList {
        align: center middle;
        & > Vertical {
            width: 72;
            max-width: 100%;
            height: auto;
            max-height: 80%;
            border: round $primary;
            background: $surface;
        }
        OptionList {
            height: auto; max-height: 100%; border: none; scrollbar-size-vertical: 1;
            &:focus { border: none; }
        }
        #choice-find { height: 1; padding: 0 1; color: $text-muted; }
        #choice-find.-typed { color: $text; text-style: bold; }
        #choice-keys { height: 1; color: $text-muted; padding: 0 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Cancel", show=False),
        Binding("backspace", "unfind", show=False),
    ]

    FRAME = 72
    """The list's width (its DEFAULT_CSS), for cutting long options to one line."""
    AROUND = 5
    """Cells of a line that are not the option: the border (2), the list's padding (2) and
    its scroll bar (1)."""

    def __init__(self, options: Sequence[tuple[str | Text, Any]], index: int) -> None:
        super().__init__()
        self.options = options
        self.index = index
        self.typed = ""
        self._shown: list[int] = []
        """The index in `options` of each option listed now (a heading: -1)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(FIND_HINT, id="choice-find", markup=False)
            yield OptionList()
            yield Static("enter chooses · escape cancels", id="choice-keys")

    def on_mount(self) -> None:
        self._show()
        self.query_one(OptionList).focus()

    def on_resize(self) -> None:
        self._show()

    def _show(self) -> None:
        """List the options that hold what was typed, one line each, the chosen one (or else
        the first found) highlighted."""
        width = min(self.FRAME, self.size.width or self.app.size.width) - self.AROUND
        found = [n for n, (label, value) in enumerate(self.options)
                 if value is not HEADING and _finds(label, self.typed)]
        self._shown, rows = [], []
        for n, (label, value) in enumerate(self.options):
            if value is HEADING:
                # A heading only over options still listed after it, before the next heading.
                after = next((m for m in found if m > n), None)
                following = next((m for m, (_, v) in enumerate(self.options)
                                  if m > n and v is HEADING), len(self.options))
                if after is None or after > following:
                    continue
                rows.append(Option(_one_line(label, width), disabled=True))
                self._shown.append(-1)
            elif n in found:
                rows.append(Option(_one_line(label, width)))
                self._shown.append(n)
        options = self.query_one(OptionList)
        options.set_options(rows)
        if found:
            options.highlighted = self._shown.index(self._best(found))
        find = self.query_one("#choice-find", Static)
        if self.typed:
            find.update(f"Find: {self.typed}" + ("" if found else "  (nothing found)"))
        else:
            find.update(FIND_HINT)
        find.set_class(bool(self.typed), "-typed")

    def _best(self, found: list[int]) -> int:
        """The option to highlight among those found: one whose label is what was typed, or
        has it as a whole word ("no" is "No", not "Not answered" listed above it), then the
        one chosen now, then the first."""
        typed = self.typed.strip().casefold()
        labels = {n: _plain(self.options[n][0]).casefold() for n in found}
        whole = [n for n in found if labels[n] == typed]
        word = [n for n in found if typed in re.findall(r"\w+", labels[n])]
        if typed and (whole or word):
            return (whole or word)[0]
        return self.index if self.index in found else found[0]

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character is not None:
            event.stop()
            event.prevent_default()
            self.typed += event.character
            self._show()

    def action_unfind(self) -> None:
        if self.typed:
            self.typed = self.typed[:-1]
            self._show()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._shown[event.option_index])

    def action_leave(self) -> None:
        if self.typed:
            self.typed = ""
            self._show()
        else:
            self.dismiss(None)


FIND_HINT = "type to find"


def _plain(label: str | Text) -> str:
    return label.plain if isinstance(label, Text) else label


def _finds(label: str | Text, typed: str) -> bool:
    """Whether each word typed starts a word of the label (in any case): "wi" finds "Wi-Fi
    router", "sc ai" finds "AI scribe"."""
    words = re.findall(r"\w+", _plain(label).casefold())
    return all(any(w.startswith(part) for w in words)
               for part in re.findall(r"\w+", typed.casefold()))


def _one_line(label: str | Text, width: int) -> Text:
    """The label on one line of `width` cells: a longer one cut at a word, with "…"."""
    from riskreg.domain.calendar_event import cut_at_word

    text = label.copy() if isinstance(label, Text) else Text(label)
    if width > 0 and text.cell_len > width:
        text = Text(cut_at_word(text.plain, width), style=text.style)
    text.no_wrap = True
    text.overflow = "ellipsis"  # a single word wider than the list
    return text
