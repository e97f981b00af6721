"""What every dialog and editing screen shares: the frame, the problem line, saving off the UI
thread, and the one question asked before unsaved changes are left behind.

- `Editor` is the part any screen that edits something mixes in (the record form, the practice
  settings, the review dialog, the incident wizard): `run_save` calls the services in a thread
  and shows the outcome; `dirty` says whether there is typing to lose; `ask_unsaved` asks Save /
  Discard / Keep editing; `save_then` saves and goes on (the app's quit uses it).
- `Dialog` is a modal `Editor` with the frame and the problem line.

Saves run in a thread (`asyncio.to_thread`, awaited by a worker of the screen), never on the UI
thread: with another window holding the database's write lock a save waits up to the busy
timeout (10 s), and the screen must go on answering keys meanwhile. The error dispatch
(ValidationError to its field, ConflictError to the reload question, any other UserError to the
problem line) exists here once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from riskreg.errors import sentence

T = TypeVar("T")
R = TypeVar("R")

SLOW_SAVE = 0.5
"""Seconds after which a save still running says that it is waiting for the register."""

BUSY = ("Not saved: the register is busy (another riskreg window or another program is "
        "writing to it). What you typed is still here; try again in a moment.")

CHECK_AFTER = 0.4
"""Seconds without typing after which the field being typed in is checked (every form)."""

SAVE = "save"
DISCARD = "discard"
KEEP = "keep"


class UnsavedQuestion(ModalScreen[str]):
    """Unsaved changes: Save, Discard or Keep editing (escape). Answers SAVE, DISCARD or KEEP."""

    DEFAULT_CSS = """
    UnsavedQuestion {
        align: center middle;
        & > Vertical {
            width: 70;
            max-width: 100%;
            height: auto;
            border: thick $warning;
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
        Binding("escape", f"answer('{KEEP}')", "Keep editing", id="unsaved-keep"),
        Binding("d", f"answer('{DISCARD}')", "Discard", id="unsaved-discard"),
        Binding("s,ctrl+s", f"answer('{SAVE}')", "Save", id="unsaved-save", priority=True),
        Binding("left,right", "switch", show=False),
    ]

    def __init__(self, message: str, *, title: str = "Unsaved changes") -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, id="title", markup=False)
            yield Static(self.message, id="message", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Keep editing (esc)", id=KEEP, compact=True)
                yield Button("Discard (d)", id=DISCARD, compact=True, variant="error")
                yield Button("Save (s)", id=SAVE, compact=True, variant="primary")

    def on_mount(self) -> None:
        self.query_one(f"#{SAVE}", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or KEEP)

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)

    def action_switch(self) -> None:
        self.focus_next(Button)


class Editor:
    """Mixed into a Screen that edits something. Subclasses give `dirty`, `action_save` (which
    ends in `run_save`, or shows a problem, or closes when there is nothing to save),
    `close_editor` (leave without saving), `show_problem`, and `editable` (what is made
    read-only while a save runs, so nothing typed meanwhile is lost)."""

    unsaved_message: ClassVar[str] = "This form has changes that are not saved yet."

    saving: bool = False
    """A save is running (its thread has not answered yet): the save key does nothing."""
    _then: list[Callable[[], Any]] | None = None
    """What `save_then` asked to do once the running save has landed."""
    _refocus: Any = None

    @property
    def dirty(self) -> bool:
        """There is typing that leaving would lose."""
        return False

    def action_save(self) -> None:
        raise NotImplementedError

    def close_editor(self) -> None:
        """Leave without saving (the answer Discard)."""
        raise NotImplementedError

    def show_problem(self, field: str, problem: str) -> None:
        """Show a problem beside its field, or above the fields for "" or an unknown field."""
        raise NotImplementedError

    def conflict(self, message: str) -> None:
        """The record changed elsewhere since it was read: offer to reload."""
        self.show_problem("", sentence(message))

    def editable(self) -> list[Any]:
        """The widgets made read-only while a save runs."""
        return []

    # -- saving off the UI thread --------------------------------------------------------------

    def run_save(self, call: Callable[[], R], done: Callable[[R], Any]) -> None:
        """Run `call` (a service call: no widget is read in it) in a thread; then, on the UI
        thread, `done(result)`, or the problem it raised shown where it belongs. Meanwhile the
        fields are read-only: the values saved are the ones shown."""
        if self.saving:
            return
        self._busy(True)
        self.run_worker(self._save(call, done), group="save",  # type: ignore[attr-defined]
                        exit_on_error=False)

    async def _save(self, call: Callable[[], R], done: Callable[[R], Any]) -> None:
        from riskreg.errors import UserError

        slow = self.set_timer(SLOW_SAVE, self._waiting)  # type: ignore[attr-defined]
        try:
            try:
                result = await asyncio.to_thread(call)
            finally:
                slow.stop()
                self._busy(False)
        except UserError as error:
            self._after_save.clear()
            self.show_error(error)
            return
        except Exception as error:  # noqa: BLE001 (a bug: said plainly, the typing kept)
            self._after_save.clear()
            self.show_problem("", f"Not saved: something went wrong ({type(error).__name__}: "
                              f"{error}). What you typed is still here; try again, or copy it "
                              "out first.")
            return
        if isinstance(self, ModalScreen):
            self.uncover()
        done(result)
        then, self._after_save[:] = list(self._after_save), []
        for step in then:
            step()

    def uncover(self) -> None:
        """Close what was opened over this screen while its save ran (the palette, a choice
        list, help), so that closing this screen closes this screen."""
        app = self.app  # type: ignore[attr-defined]
        while self in app.screen_stack and app.screen is not self and \
                not isinstance(app.screen, Editor):
            app.pop_screen()

    def show_error(self, error: Exception) -> None:
        """Where a problem from the services belongs: its field, the reload question, the top."""
        from riskreg.errors import ConflictError, DatabaseBusy, ValidationError

        if isinstance(error, ValidationError):
            self.show_problem(error.field, sentence(error.problem))
        elif isinstance(error, ConflictError):
            self.conflict(str(error))
        elif isinstance(error, DatabaseBusy):
            self.show_problem("", BUSY)
        else:
            self.show_problem("", sentence(str(error)))

    @property
    def _after_save(self) -> list[Callable[[], Any]]:
        if self._then is None:
            self._then = []
        return self._then

    def _busy(self, busy: bool) -> None:
        self.saving = busy
        if busy:
            self._refocus = self.focused  # type: ignore[attr-defined]
        for widget in self.editable():
            widget.disabled = busy
        if not busy and self._refocus is not None and self._refocus.is_attached:
            self._refocus.focus()
        self.show_saving(busy, waiting=False)
        self.refresh_bindings()  # type: ignore[attr-defined]

    def _waiting(self) -> None:
        if self.saving:
            self.show_saving(True, waiting=True)

    def show_saving(self, saving: bool, *, waiting: bool) -> None:
        """Say that a save is running (`waiting`: for a long while, the register is busy)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save" and self.saving:
            return None  # shown disabled in the footer
        return super().check_action(action, parameters)  # type: ignore[misc]

    def save_then(self, then: Callable[[], Any]) -> None:
        """Save, and once the save has landed, `then()`; with a save already running, `then()`
        once it has landed. A save refused (a problem shown, a question asked) drops `then`:
        the user stays with the problem."""
        self._after_save.append(then)
        if self.saving:
            return
        self.action_save()
        if not self.saving:  # nothing is running: refused at once, or nothing to save
            steps, self._after_save[:] = list(self._after_save), []
            if not self.dirty:
                for step in steps:
                    step()

    # -- leaving -------------------------------------------------------------------------------

    def ask_unsaved(self, leave: Callable[[], Any], message: str | None = None) -> None:
        """Ask Save / Discard / Keep editing; Save saves and then leaves, Discard leaves."""
        def answered(answer: str | None) -> None:
            if answer == SAVE:
                self.save_then(leave)
            elif answer == DISCARD:
                leave()

        self.app.push_screen(  # type: ignore[attr-defined]
            UnsavedQuestion(message or self.unsaved_message), answered)

    def leave(self) -> None:
        """Escape: close, asking first when there are unsaved changes."""
        if self.saving:
            self.notify("Saving… one moment.", timeout=2)  # type: ignore[attr-defined]
        elif self.dirty:
            self.ask_unsaved(self.close_editor)
        else:
            self.close_editor()


def open_after_read(app: Any, read: Callable[[], R], then: Callable[[R], Any], *,
                    what: str = "") -> None:
    """`read()` (service calls only) in a thread, then `then(result)` on the UI thread to open a
    dialog, unless the user has moved on meanwhile (another screen, another area): a dialog
    must not open over something it is not about. One at a time: a newer one replaces it."""
    from riskreg.errors import UserError

    screen = app.screen
    main = getattr(app, "main_screen", None)
    area = getattr(main, "area_shown", None)

    async def run() -> None:
        try:
            result = await asyncio.to_thread(read)
        except UserError as error:
            app.notify(sentence(str(error)), title=what, severity="error", markup=False)
            return
        except Exception as error:  # noqa: BLE001 (a bug: said plainly, never a traceback)
            app.notify(f"Could not read the register ({type(error).__name__}: {error}).",
                       title=what, severity="error", markup=False)
            return
        if app.screen is not screen or getattr(main, "area_shown", None) != area:
            return  # moved on
        then(result)

    app.run_worker(run(), group="open-dialog", exclusive=True, exit_on_error=False)


class Dialog(Editor, ModalScreen[T]):
    """A modal editor in the shared frame. Compose the content inside `Vertical(id="frame")`
    and yield `self.problem_line()` where problems go; set the frame's width in the subclass."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        & > #frame {
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: thick $primary;
            background: $surface;
            padding: 0 1;
        }
        .problem { color: $text-error; height: auto; display: none; }
        .problem.-on { display: block; }
        .buttons { height: auto; align-horizontal: right; margin-top: 1; }
        .buttons Button { margin-left: 2; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog-cancel"),
    ]

    def problem_line(self) -> Static:
        return Static("", id="problem", classes="problem", markup=False)

    def problem(self, text: str) -> None:
        """Show (or, with "", hide) the problem line above the buttons."""
        line = self.query_one("#problem", Static)
        line.update(text)
        line.set_class(bool(text), "-on")

    def problem_shown(self) -> str:
        """The problem line's text, or "" (for tests)."""
        line = self.query_one("#problem", Static)
        return str(line.content) if line.has_class("-on") else ""

    def close_editor(self) -> None:
        # After Save in the unsaved-changes question, the save has closed the dialog already:
        # dismiss() would then close whatever screen is on top instead.
        if self in self.app.screen_stack and self.app.screen is self:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.leave()
