"""The encrypted register's passphrase, asked before it opens (`riskreg --encrypted`).

The dialog hands each try to the app, which opens the database in its worker; a wrong passphrase
comes back here as a message beside the field, to try again. Escape quits without opening.
A new encrypted register (no file yet) asks for the passphrase twice.

The passphrase lives only in memory, wrapped in `Secret` so that no repr (a worker's description,
a traceback's locals, a log line) can show it; the field is cleared after each try.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class Secret:
    """A passphrase that never shows itself: `reveal()` is the only way to the text."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def reveal(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return "Secret(***)"

    __str__ = __repr__


NEW_ABOUT = (
    "A new encrypted register will be created at {path}. Choose a passphrase and keep it in "
    "your password manager: riskreg never stores it, and nobody can recover it. Without it, "
    "the register cannot be opened."
)
ABOUT = (
    "{path} is encrypted. Type its passphrase to open it. riskreg never stores it and cannot "
    "recover it: a forgotten passphrase means the register cannot be opened."
)


def is_new(path: Path) -> bool:
    """No register there yet: opening with a passphrase creates an encrypted one."""
    try:
        return not path.exists() or (path.is_file() and path.stat().st_size == 0)
    except OSError:
        return False


class PassphraseDialog(ModalScreen[bool]):
    """Dismissed with True once the register opened (or failed for another reason, which the
    app then shows); False when the user gave up (escape)."""

    DEFAULT_CSS = """
    PassphraseDialog {
        align: center middle;
        & > Vertical {
            width: 72;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: thick $primary;
            background: $surface;
            padding: 0 1;
        }
        #passphrase-heading { text-style: bold; margin-bottom: 1; }
        #passphrase-about { color: $text-muted; margin-bottom: 1; }
        .row { height: auto; margin-bottom: 1; }
        .label { width: 12; color: $text-muted; }
        Input { width: 1fr; }
        #passphrase-problem { color: $text-error; height: auto; display: none; margin-bottom: 1; }
        #passphrase-problem.-on { display: block; }
        #passphrase-buttons { height: auto; align-horizontal: right; }
        Button { margin-left: 2; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "give_up", "Quit", id="passphrase-quit",
                tooltip="Quit without opening the register"),
    ]

    def __init__(self, path: Path, attempt: Callable[[Secret], None], *,
                 new: bool | None = None) -> None:
        super().__init__()
        self.path = path
        self.attempt = attempt
        """Called with each passphrase to try; the app answers with `opened` or `wrong`."""
        self.new = is_new(path) if new is None else new
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            heading = "New encrypted register" if self.new else "Encrypted register"
            yield Static(heading, id="passphrase-heading")
            about = NEW_ABOUT if self.new else ABOUT
            yield Static(about.format(path=self.path), id="passphrase-about", markup=False)
            with Horizontal(classes="row"):
                yield Static("Passphrase", classes="label")
                yield Input(id="passphrase", password=True, compact=True)
            if self.new:
                with Horizontal(classes="row"):
                    yield Static("Repeat it", classes="label")
                    yield Input(id="passphrase-again", password=True, compact=True)
            yield Static("", id="passphrase-problem", markup=False)
            with Horizontal(id="passphrase-buttons"):
                yield Button("Quit (esc)", id="passphrase-give-up", compact=True)
                yield Button("Create (enter)" if self.new else "Open (enter)",
                             id="passphrase-open", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    def problem(self, text: str) -> None:
        shown = self.query_one("#passphrase-problem", Static)
        shown.update(text)
        shown.set_class(bool(text), "-on")

    def _clear(self) -> None:
        for field in self.query(Input):
            field.value = ""

    def action_open(self) -> None:
        if self.busy:
            return
        first = self.query_one("#passphrase", Input)
        if not first.value:
            self.problem("Type the passphrase (escape quits).")
            first.focus()
            return
        if self.new:
            again = self.query_one("#passphrase-again", Input)
            if not again.value:
                self.problem("Type the passphrase a second time, to be sure of it.")
                again.focus()
                return
            if again.value != first.value:
                self._clear()
                self.problem("The two passphrases differ; type them again.")
                first.focus()
                return
        secret = Secret(first.value)
        self._clear()
        self.busy = True
        self.problem("")
        button = self.query_one("#passphrase-open", Button)
        button.disabled = True
        button.label = "Creating…" if self.new else "Opening…"
        self.attempt(secret)

    def wrong(self, text: str) -> None:
        """The passphrase did not open the register: say so, and let the user try again."""
        self.busy = False
        button = self.query_one("#passphrase-open", Button)
        button.disabled = False
        button.label = "Open (enter)"
        self.problem(f"{text[0].upper()}{text[1:]}. Try again, or press escape to quit.")
        self.query_one("#passphrase", Input).focus()

    def action_give_up(self) -> None:
        if not self.busy:
            self._clear()
            self.dismiss(False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "passphrase" and self.new \
                and not self.query_one("#passphrase-again", Input).value:
            self.query_one("#passphrase-again", Input).focus()
            return
        self.action_open()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "passphrase-open":
            self.action_open()
        else:
            self.action_give_up()
