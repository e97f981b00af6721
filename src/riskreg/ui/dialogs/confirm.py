"""A yes/no question. Escape (or n) answers no."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmDialog(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
        & > Vertical {
            width: 64;
            max-width: 100%;
            height: auto;
            border: thick $primary;
            background: $surface;
            padding: 1 2;
        }
        #title { text-style: bold; margin-bottom: 1; }
        #message { margin-bottom: 1; }
        #buttons { height: auto; align-horizontal: right; }
        Button { margin-left: 2; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", "Cancel", id="confirm-no"),
        Binding("n", "answer(False)", show=False),
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("left,right", "switch", show=False),
    ]

    def __init__(self, title: str, message: str, *, yes: str = "Yes", no: str = "Cancel",
                 danger: bool = False, default_yes: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes, self.no = yes, no
        self.danger = danger
        self.default_yes = default_yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, id="title", markup=False)
            yield Static(self.message, id="message", markup=False)
            with Horizontal(id="buttons"):
                yield Button(f"{self.no} (esc)", id="no", compact=True)
                yield Button(f"{self.yes} (y)", id="yes", compact=True,
                             variant="error" if self.danger else "primary")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.default_yes else "#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_switch(self) -> None:
        self.focus_next(Button)


def changed_elsewhere(message: str, what: str) -> ConfirmDialog:
    """The question a form asks when its record was saved in another window since it opened:
    reload (losing the edits made here) or keep editing (saving stays refused until a reload).
    `message` is the ConflictError's text; `what` names the saved thing and where the edits are,
    e.g. "the saved version and discards your edits in this form"."""
    return ConfirmDialog(
        "Changed elsewhere",
        f"{message[0].upper()}{message[1:]}.\n\nReload shows {what}. Keep editing lets you copy "
        "them first; saving again will still be refused until you reload.",
        yes="Reload", no="Keep editing",
    )


def reload_if_yes(reload: Callable[[], None]) -> Callable[[bool | None], None]:
    """A callback for `changed_elsewhere` that reloads when the answer is yes."""
    def answered(yes: bool | None) -> None:
        if yes:
            reload()

    return answered
