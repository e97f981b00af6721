"""First run: the register is empty. Load the starter register, or start empty."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

INTRO = (
    "This register is empty.\n\n"
    "The starter register fills it with the AI tools and other systems a solo practice "
    "usually has, the hazards they bring (scored, with review dates) and the safeguards that "
    "answer them, each with its Security Rule citation, linked together and owned by you. "
    "Edit, archive or add to it from there.\n\n"
    "Or start empty and add your own tools, hazards and safeguards."
)


class WelcomeDialog(ModalScreen[str]):
    """Dismisses with "starter" or "empty"."""

    DEFAULT_CSS = """
    WelcomeDialog {
        align: center middle;
        & > Vertical {
            width: 72;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: thick $primary;
            background: $surface;
            padding: 1 2;
        }
        #welcome-title { text-style: bold; color: $text-primary; margin-bottom: 1; }
        #buttons { height: auto; margin-top: 1; align-horizontal: right; }
        Button { margin-left: 2; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "choose('starter')", "Load the starter register", id="welcome-starter"),
        Binding("e", "choose('empty')", "Start empty", id="welcome-empty"),
        Binding("escape", "choose('empty')", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Welcome to riskreg", id="welcome-title")
            yield Static(INTRO, markup=False)
            with Horizontal(id="buttons"):
                yield Button("Start empty (e)", id="empty", compact=True)
                yield Button("Load the starter register (s)", id="starter", variant="primary",
                             compact=True)

    def on_mount(self) -> None:
        self.query_one("#starter").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "empty")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
