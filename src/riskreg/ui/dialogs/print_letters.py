"""Print letters… (the incident's Notices step; issue 21): the recipients file and the letters'
file, the checks' result shown before anything is written, then the letters.

The first Write (ctrl+s) reads and checks the recipients file in a thread and shows what it
found (the count per state, rows left out by number, the scope's differences); the second
writes the letters. Changing either path goes back to checking. The names never reach the
screen: only counts and row numbers do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from riskreg.ui.render import plain
from riskreg.ui.widgets.field_input import FieldInput

WRITE_LABEL = "Check (ctrl+s)"


class PrintLettersDialog(ModalScreen["Path | None"]):
    DEFAULT_CSS = """
    PrintLettersDialog {
        align: center middle;
        & > Vertical {
            width: 84; max-width: 100%; height: auto; max-height: 100%;
            border: thick $primary; background: $surface; padding: 0 1;
        }
        #letters-heading { text-style: bold; margin-bottom: 1; }
        #letters-about { color: $text-muted; margin-bottom: 1; }
        .row { height: auto; margin-bottom: 1; }
        .label { width: 12; color: $text-muted; }
        FieldInput { width: 1fr; }
        #letters-checks { height: auto; margin-bottom: 1; }
        #letters-problem { color: $text-error; height: auto; display: none; margin-bottom: 1; }
        #letters-problem.-on { display: block; }
        #letters-buttons { height: auto; align-horizontal: right; }
        Button { margin-left: 2; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "write", "Check / write", id="letters-write", priority=True),
        Binding("escape", "cancel", "Cancel", id="letters-cancel"),
    ]

    def __init__(self, db: Any, ref: str, today: Any, *, recipients: str, out: str) -> None:
        super().__init__()
        self.db, self.ref, self.today = db, ref, today
        self.recipients, self.out = recipients, out
        self.checked: Any = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Print letters for {plain(self.ref)}", id="letters-heading",
                         markup=False)
            yield Static("One letter per person in the recipients file (a CSV exported from "
                         "your EHR: name and address columns), one per printed page, for a "
                         "windowed #10 envelope. The names go from that file to the letters "
                         "only; riskreg keeps the count and the file's fingerprint. Delete both "
                         "files once mailed, or keep them in an encrypted folder.",
                         id="letters-about", markup=False)
            with Horizontal(classes="row"):
                yield Static("Recipients", classes="label")
                yield FieldInput(self.recipients, id="letters-recipients", compact=True)
            with Horizontal(classes="row"):
                yield Static("Letters", classes="label")
                yield FieldInput(self.out, id="letters-out", compact=True)
            yield Static("", id="letters-checks", markup=False)
            yield Static("", id="letters-problem", markup=False)
            with Horizontal(id="letters-buttons"):
                yield Button("Cancel (esc)", id="letters-cancel", compact=True)
                yield Button(WRITE_LABEL, id="letters-write", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#letters-recipients", Input).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#letters-{name}", Input).value.strip()

    def problem(self, text: str) -> None:
        shown = self.query_one("#letters-problem", Static)
        shown.update(text)
        shown.set_class(bool(text), "-on")

    def _button(self, label: str, disabled: bool = False) -> None:
        button = self.query_one("#letters-write", Button)
        button.label, button.disabled = label, disabled

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.checked is not None and not self.busy:
            self.checked = None
            self.query_one("#letters-checks", Static).update("")
            self._button(WRITE_LABEL)

    def action_write(self) -> None:
        if self.busy:
            return
        recipients, out = self._value("recipients"), self._value("out")
        if not recipients or not out:
            self.problem("Give the recipients file (CSV) and the letters' file (.html or .md).")
            return
        self.problem("")
        self.busy = True
        if self.checked is None:
            self._button("Checking…", True)
            self._check(Path(recipients).expanduser())
        else:
            self._button("Writing…", True)
            self._write(Path(out).expanduser())

    @work(thread=True, exclusive=True, group="print-letters", exit_on_error=False)
    def _check(self, recipients: Path) -> None:
        from riskreg.services.letters.service import LettersService

        try:
            checked = LettersService(self.db, today=lambda: self.today).check(self.ref, recipients)
        except Exception as error:  # noqa: BLE001 (said in the dialog, never a traceback)
            self.app.call_from_thread(self._failed, _said(error), WRITE_LABEL)
            return
        self.app.call_from_thread(self._checked, checked)

    def _checked(self, checked: Any) -> None:
        self.busy = False
        self.checked = checked
        lines = [checked.summary()] + [f"• {w}" for w in checked.warnings]
        self.query_one("#letters-checks", Static).update("\n".join(lines))
        self._button(f"Write {checked.count:,} letter{'s' if checked.count != 1 else ''} "
                     "(ctrl+s)")

    @work(thread=True, exclusive=True, group="print-letters", exit_on_error=False)
    def _write(self, out: Path) -> None:
        from riskreg.services.letters.service import LettersService, letters_format

        try:
            written = LettersService(self.db, today=lambda: self.today).write(
                self.checked, out, letters_format(out, None))
        except Exception as error:  # noqa: BLE001
            self.app.call_from_thread(self._failed, _said(error), self.query_one(
                "#letters-write", Button).label)
            return
        self.app.call_from_thread(self._done, written)

    def _failed(self, text: str, label: Any) -> None:
        self.busy = False
        self._button(str(label).replace("Writing…", WRITE_LABEL).replace("Checking…",
                                                                          WRITE_LABEL))
        self.problem(text)

    def _done(self, written: Any) -> None:
        self.app.notify(f"{written.count:,} letters written to {written.path}. Delete the "
                        "recipients file and the letters once mailed.",
                        title="Letters written", markup=False, timeout=10)
        self.dismiss(written.path)

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "letters-write":
            self.action_write()
        else:
            self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_write()


def _said(error: Exception) -> str:
    from riskreg.errors import UserError

    if isinstance(error, UserError):
        return str(error)
    return f"The letters failed: {type(error).__name__}: {error}"


def open_print_letters(app: App, ref: str) -> None:
    """The dialog for incident `ref`; the files default to the home folder."""
    register = getattr(app, "register", None)
    if register is None:
        app.notify("The register is still opening.", severity="warning")
        return
    app.push_screen(PrintLettersDialog(
        register.db, ref, app.today(),  # type: ignore[attr-defined]
        recipients="~/recipients.csv", out=f"~/{ref}-letters.html"))
