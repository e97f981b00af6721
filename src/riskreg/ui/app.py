"""The riskreg app, and `make_app`: the one factory the CLI, the tests and the screenshot script
share, so tests drive exactly the app users get.

Start-up paints the first frame before anything slow: the services and storage (SQLModel and
SQLAlchemy: most of a second of imports) are loaded, and the database opened (and migrated, if it
is not at the newest schema), in a thread worker that posts `RegisterReady` or `DatabaseFailed`
back, then takes the day's backup copy while the first rows load.

Python's cyclic garbage collector is paused from the app's start until that worker has opened the
register, and what exists then is frozen until the app closes (`riskreg.collector`): start-up
makes about 150,000 long-lived objects and almost no cyclic garbage.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from riskreg.collector import StartUp
from riskreg.ui.key_order import queue_own_binding, run_binding_on_arrival
from riskreg.ui.messages import (
    DatabaseFailed,
    OpenRecord,
    RecordAction,
    RegisterChanged,
    RegisterReady,
)
from riskreg.ui.render import Palette
from riskreg.ui.screens.main import MainScreen

if TYPE_CHECKING:
    from collections.abc import Iterable

    from riskreg.services.bundle import Services
    from riskreg.services.incidents.record import IncidentRow
    from riskreg.services.register import RegisterService
    from riskreg.ui.dialogs.passphrase import Secret
    from riskreg.ui.record_actions import RecordActions

Clock = Callable[[], date]


def records_provider() -> type:
    """The palette's "go to a record" provider, imported when the palette first opens."""
    from riskreg.ui.commands import RecordsProvider

    return RecordsProvider


class RiskRegApp(App[None]):
    """A living HIPAA risk register for a solo practice."""

    CSS_PATH = "app.tcss"
    TITLE = "riskreg"
    COMMANDS = App.COMMANDS | {records_provider}
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key, by where it applies"),
        # A dialog is modal (the app's other keys stop at it) and its fields take `?` as text,
        # so F1 is a priority key: help opens from a form, the wizard or a question too.
        Binding("f1", "help", "Help", show=False, priority=True,
                tooltip="Also from a form, the wizard or a question; F1 again closes it"),
        # Tab moves the focus before the next key is routed (finding 15). Keys that arrive in
        # one read (a fast typist, a paste into a terminal without bracketed paste) are all
        # forwarded to the field focused when each is taken from the app's queue; Textual's own
        # Tab binding runs only once the Tab has bubbled back up to the app, after the letters
        # that followed it were already given to the field it was leaving. A priority binding
        # runs at once, before the app takes the next key. (No description: help's own line
        # for tab says it in the user's words.)
        Binding("tab", "focus_next", show=False, priority=True),
        Binding("shift+tab", "focus_previous", show=False, priority=True),
    ]

    def __init__(self, db_path: str | Path, today: Clock, *, area: str | None = None,
                 encrypted: bool = False, passphrase: str | None = None,
                 ask_before_creating: bool = False) -> None:
        super().__init__()
        from riskreg.storage.target import looks_like_url

        self.server_url = str(db_path) if looks_like_url(str(db_path)) else None
        """The register is on a database server (PostgreSQL): no file, no first-page reader."""
        self.db_path = Path(db_path)
        self.ask_before_creating = ask_before_creating
        """Nothing is at `db_path` and it is not the default location: ask before making a
        register there (a mistyped --db would otherwise open an empty register)."""
        self.encrypted = encrypted or passphrase is not None
        """The database is encrypted (SQLCipher): opened with a passphrase, asked if not given."""
        self._secret: Secret | None = None
        """The passphrase to try next, only until the database is open (then forgotten)."""
        if passphrase:
            from riskreg.ui.dialogs.passphrase import Secret

            self._secret = Secret(passphrase)
        self.today = today
        """The clock: what day it is (fixed in tests and screenshots)."""
        self.initial_area = area
        self.services: Services | None = None
        """The open register's services (`services.bundle`), once the database is open."""
        self.register_empty = False
        self.problem: str | None = None
        """Why the app could not start (the database), printed by the CLI on exit."""
        self._record_actions: RecordActions | None = None
        self.open_incidents: list[IncidentRow] = []
        """The open incidents (read in a thread when the register opens and after each change
        to an incident) for the command palette's "Resume" commands."""
        self._palette: Palette | None = None
        self.change_poll_seconds = 3.0
        """How often the register is asked whether another window changed it (ui/change_poll)."""
        self.main_screen = MainScreen(area)
        self._collector = StartUp()
        """The collector, paused while the register opens (see the module's docstring)."""

    # -- start-up ------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return self.main_screen

    def on_load(self) -> None:
        self._collector.pause()

    async def on_event(self, event: events.Event) -> None:
        # Keys typed in one burst act in the order typed (ui/key_order).
        if isinstance(event, events.Key) and not event.is_forwarded:
            if queue_own_binding(self, event):
                return
            if await run_binding_on_arrival(self, event):
                return
        await super().on_event(event)

    def on_unmount(self) -> None:
        self._collector.done()  # the app's objects can be collected again
        if self.register is not None:
            # Closing the last connection checkpoints the write-ahead log into the database
            # file and removes it: the file alone then holds everything (a copy made with a
            # file manager is complete). Not left to the interpreter's exit, which skips it.
            self.register.db.close()

    def on_mount(self) -> None:
        self._remembered_theme()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.ask_before_creating and not os.path.lexists(self.db_path):
            self.call_after_refresh(self._ask_to_create)
            return
        self._start()

    def _ask_to_create(self) -> None:
        from riskreg.ui.dialogs.confirm import ConfirmDialog

        self.push_screen(ConfirmDialog(
            "No register here",
            f"There is no register at {self.db_path}.\n\nCheck the path if you expected your "
            "register. Create a new, empty register there?",
            yes="Create", no="Quit", default_yes=False), self._create_answered)

    def _create_answered(self, create: bool | None) -> None:
        if create:
            self._start()
        else:
            self.problem = f"there is no register at {self.db_path}; nothing was created"
            self.exit(return_code=1)

    def _start(self) -> None:
        if self.encrypted and self._secret is None:
            # The prompt waits for the user: collect as usual meanwhile.
            self.call_after_refresh(self._collector.resume)
            self.call_after_refresh(self._ask_passphrase)
        else:
            self.call_after_refresh(self._first_rows_then_open)

    def _first_rows_then_open(self) -> None:
        """After the first frame: when it shows a register table, that table's first rows (read
        in a few milliseconds, see `first_page`), and once they are painted the register's
        opening, whose imports would otherwise take turns with that paint and slow it down."""
        from riskreg.ui.widgets.register_area import RegisterArea

        area = self.main_screen.active_area
        if isinstance(area, RegisterArea):
            area.show_first_page()
            self.call_after_refresh(self._open_register)
        else:
            self._open_register()

    def _ask_passphrase(self) -> None:
        from riskreg.ui.dialogs.passphrase import PassphraseDialog

        self.push_screen(PassphraseDialog(self.db_path, self._try_passphrase),
                         self._passphrase_done)

    def _try_passphrase(self, secret: Secret) -> None:
        self._secret = secret
        self._open_register()

    def _passphrase_done(self, opened: bool | None) -> None:
        if not opened:
            self.problem = "no passphrase given; the encrypted register was not opened"
            self.exit(return_code=1)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open_register(self) -> None:
        # The passphrase is read here, never passed as the worker's argument: a worker's
        # description shows its arguments.
        from riskreg.errors import DatabaseDamaged, UserError, WrongPassphrase

        secret, self._secret = self._secret, None
        self._collector.pause()
        try:
            try:
                from riskreg.services.bundle import Services
                from riskreg.storage.database import open_database

                if self.server_url is not None:
                    from riskreg.storage.backend import backend_for

                    db = backend_for(self.server_url).open(create=True)
                else:
                    db = open_database(self.db_path,
                                       passphrase=secret.reveal() if secret else None)
                # Damage a later read or save finds, in whichever worker: the error screen.
                db.on_damaged = lambda error: self.post_message(
                    DatabaseFailed(str(error), damaged=True))
                services = Services(db, today=self.today)
                empty = services.register.is_empty()
                token = services.changes.token()  # others' changes are seen from here on
                import riskreg.services.dashboard  # warm: the first view needs it
                import riskreg.ui.loaders  # noqa: F401
            except WrongPassphrase as error:
                self.post_message(DatabaseFailed(str(error), wrong_passphrase=True))
                return
            except UserError as error:
                self.post_message(DatabaseFailed(str(error),
                                                 damaged=isinstance(error, DatabaseDamaged)))
                return
            except Exception as error:  # noqa: BLE001 (a bug, still said plainly, never a traceback)
                self.post_message(DatabaseFailed(f"cannot open {self.db_path}: "
                                                 f"{type(error).__name__}: {error}"))
                return
            self.call_from_thread(self._register_opened, services, db.notices, token)
            self.post_message(RegisterReady(empty))
            self._collector.resume()
            if db.existed:
                # The day's backup copy (a copy of the whole file, once a day) is taken while the
                # first rows load and show, not before: SQLite copies with the GIL released. Here,
                # in the worker, so the passphrase it needs is never kept beyond this call.
                self._daily_backup(db.path, secret.reveal() if secret else None)
        finally:
            self._collector.resume()
            del secret

    def _daily_backup(self, path: Path, passphrase: str | None) -> None:
        from datetime import UTC, datetime

        from riskreg.errors import DatabaseDamaged
        from riskreg.storage.database import take_daily_backup

        try:
            notices = take_daily_backup(path, datetime.now(UTC), passphrase)
        except DatabaseDamaged as error:
            self.post_message(DatabaseFailed(str(error), damaged=True))
            return
        except Exception as error:  # noqa: BLE001 (never stops the app; said plainly)
            notices = [f"Today's backup copy could not be made: {type(error).__name__}: {error}"]
        for notice in notices:
            self.notify(notice, markup=False, timeout=8)  # posts a message: safe from a thread

    @property
    def register(self) -> RegisterService | None:
        """The register's service, once the database is open."""
        return self.services.register if self.services is not None else None

    def _register_opened(self, services: Services, notices: list[str], token: Any) -> None:
        from riskreg.ui.change_poll import ChangePoll

        self.services = services
        ChangePoll(self, services.changes, self.change_poll_seconds).start(token)
        self._read_open_incidents()
        self._close_passphrase_dialog()
        for notice in notices:
            self.notify(notice, markup=False, timeout=8)

    @on(RegisterReady)
    def _when_register_ready(self, event: RegisterReady) -> None:
        self.register_empty = event.empty
        if event.empty:
            from riskreg.ui.dialogs.welcome import WelcomeDialog

            self.main_screen.register_ready()
            self.push_screen(WelcomeDialog(), self._welcomed)
            return
        self.main_screen.register_ready()

    def _welcomed(self, choice: str | None) -> None:
        if choice == "starter":
            self.load_starter()
        else:
            self.show_area("tools")

    def load_starter(self) -> None:
        self.notify("Loading the starter register…", timeout=2)
        self._load_starter()

    @work(thread=True, exclusive=True, group="starter", exit_on_error=False)
    def _load_starter(self) -> None:
        from riskreg.errors import UserError

        try:
            from riskreg.services.starter import load_starter

            counts = load_starter(self.register)
        except (UserError, ImportError, ValueError) as error:
            self.call_from_thread(self.notify, f"Starter register not loaded: {error}",
                                  severity="error", markup=False)
            return
        self.call_from_thread(self._starter_loaded, counts)

    def _starter_loaded(self, counts: dict[str, int]) -> None:
        from riskreg.ui.render import plural

        made = ", ".join(plural(n, kind.removesuffix("s"), kind) for kind, n in counts.items())
        self.notify(f"Starter register loaded: {made}.", timeout=5, markup=False)
        self.register_empty = False
        self.register_changed("all")
        self.show_area("dashboard")

    def _close_passphrase_dialog(self) -> None:
        from riskreg.ui.dialogs.passphrase import PassphraseDialog

        if isinstance(self.screen, PassphraseDialog):
            self.screen.dismiss(True)

    @on(DatabaseFailed)
    def _failed(self, event: DatabaseFailed) -> None:
        from riskreg.ui.dialogs.error import ErrorScreen
        from riskreg.ui.dialogs.passphrase import PassphraseDialog

        if event.wrong_passphrase and isinstance(self.screen, PassphraseDialog):
            self.screen.wrong(event.problem)
            return
        if self.problem:  # several workers may meet the same damage: one error screen
            return
        self._close_passphrase_dialog()
        self.problem = event.problem
        title = "The register file is damaged" if event.damaged else "Cannot open the register"
        self.push_screen(ErrorScreen(title, event.problem), lambda _: self.exit(return_code=1))

    # -- what the parts share ------------------------------------------------------------------

    def first_page(self, kind: str, limit: int) -> list[dict[str, Any]] | None:
        """A register table's first rows while the register is still opening, or None.

        Read on the spot with the plain sqlite3 module (`storage.first_page`: about 10 ms on
        10,000 hazards), so that a table shown in the app's first second has rows in it: the
        services need most of a second more to load. Never for an encrypted database (the
        passphrase is for the services alone)."""
        if self.register is not None or self.encrypted or self.server_url is not None:
            return None
        from riskreg.storage.first_page import read_first_page

        return read_first_page(self.db_path, kind, self.today(), limit)

    @property
    def record_actions(self) -> RecordActions:
        if self._record_actions is None:
            from riskreg.ui.record_actions import RecordActions

            self._record_actions = RecordActions(self)
        return self._record_actions

    @property
    def palette(self) -> Palette:
        """Rich styles from the current theme's variables (for text built in code)."""
        if self._palette is None:
            self._palette = Palette(self.theme_variables)
        return self._palette

    def _remembered_theme(self) -> None:
        """The theme chosen last time, unless $TEXTUAL_THEME names one for this run."""
        from riskreg import preferences

        name = preferences.theme()
        if name and not os.environ.get("TEXTUAL_THEME") and name in self.available_themes:
            self.theme = name

    def _theme_changed(self, theme: Any) -> None:
        from riskreg import preferences

        self._palette = None
        problem = preferences.remember_theme(theme.name)
        if problem:
            self.notify(problem, severity="warning", markup=False)
        self.register_changed("all")

    @on(RecordAction)
    def _record_action(self, event: RecordAction) -> None:
        """What a table, a record's screen or the palette asked to do to a record."""
        event.stop()
        self.record_actions.run(event)

    @on(RegisterChanged)
    def _register_written(self, event: RegisterChanged) -> None:
        self.register_changed(event.kind)

    def register_changed(self, kind: str) -> None:
        """Something was written: reload whatever shows the register."""
        if kind != "all":
            self.register_empty = False
        if kind in ("incident", "all"):
            self._read_open_incidents()
        from riskreg.ui.screens.record import RecordScreen

        self.main_screen.register_changed(kind)
        for screen in self.screen_stack:
            if isinstance(screen, RecordScreen):
                screen.reload()

    @work(thread=True, exclusive=True, group="open-incidents", exit_on_error=False)
    def _read_open_incidents(self) -> None:
        from riskreg.errors import UserError
        services = self.services
        if services is None:
            return
        try:
            rows = services.incidents.list(include_closed=False)
        except UserError:
            return
        self.call_from_thread(setattr, self, "open_incidents", rows)

    def current_record(self) -> tuple[str, dict[str, Any]] | None:
        """The record the user is on: the record screen's, else the table's highlighted row."""
        for screen in reversed(self.screen_stack):
            current = getattr(screen, "current", None)
            if current is not None and not screen.is_modal:
                return current()
        return None

    # -- navigation ----------------------------------------------------------------------------

    def show_area(self, area_id: str) -> None:
        while self.screen is not self.main_screen and len(self.screen_stack) > 1:
            self.pop_screen()
        self.main_screen.show_area(area_id)

    def open_record(self, kind: str, public_id: str) -> None:
        from riskreg.ui.screens.record import RecordScreen

        if self.register is None:
            self.notify("The register is still opening.", severity="warning")
            return
        self.push_screen(RecordScreen(kind, public_id))

    @on(OpenRecord)
    def _open(self, event: OpenRecord) -> None:
        self.open_record(event.kind, event.public_id)

    def toggle_archived(self) -> None:
        from riskreg.ui.widgets.register_area import RegisterArea

        area = self.main_screen.active_area
        if isinstance(area, RegisterArea):
            area.action_toggle_archived()
        else:
            self.notify("Archived records are shown in a register table (press 2-6 first).")

    async def toggle_heat_map(self) -> None:
        from riskreg.ui.widgets.heatmap import HeatMap

        # Built (and mounted) first: from another area the dashboard may not have been shown.
        dashboard = await self.main_screen.built_area("dashboard")
        self.show_area("dashboard")
        dashboard.query_one(HeatMap).action_toggle()

    # -- quitting ------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """ctrl+q and the palette's Quit: with unsaved typing in a form, a dialog or the
        incident wizard, ask Save / Discard / Keep editing first (as escape there does)."""
        self.quit_asking()

    def quit_asking(self, saved: frozenset[Screen] = frozenset()) -> None:
        """Quit, unless an editor (the topmost first) holds unsaved changes: then ask. Save
        saves it and asks about the next one; Discard quits without saving what is left."""
        from riskreg.ui.dialogs.base import DISCARD, SAVE, Editor, UnsavedQuestion

        if isinstance(self.screen, UnsavedQuestion):
            return  # already asking
        editors = [s for s in reversed(self.screen_stack) if isinstance(s, Editor)
                   and s not in saved and (s.dirty or s.saving)]
        if not editors:
            self.exit()
            return
        editor = editors[0]
        if editor.saving:
            # A save is running: it cannot be taken back, so there is nothing to ask. Quit (or
            # ask about the next editor) once it has landed; if it is refused, stay with it.
            self.notify("Saving… quitting once the save has landed.", timeout=3)
            editor.save_then(lambda: self.quit_asking(saved | {editor}))
            return
        others = len(editors) - 1
        message = editor.unsaved_message + (
            f" {others} more {'window has' if others == 1 else 'windows have'} unsaved changes "
            "too." if others else "") + "\n\nSave before quitting?"

        def answered(answer: str | None) -> None:
            if answer == SAVE:
                while self.screen is not editor and len(self.screen_stack) > 1:
                    self.pop_screen()  # what covers it holds nothing unsaved (asked top-down)
                editor.save_then(lambda: self.quit_asking(saved | {editor}))
            elif answer == DISCARD:
                self.exit()

        self.push_screen(UnsavedQuestion(message, title="Quit riskreg?"), answered)

    def action_help(self) -> None:
        from riskreg.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)  # F1 (a priority key) again: the help's own close
        else:
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from riskreg.ui.commands import action_commands

        yield from action_commands(self)
        yield from super().get_system_commands(screen)


def make_app(db_path: str | Path, today: date | Clock | None = None, *,
             area: str | None = None, encrypted: bool = False,
             passphrase: str | None = None, ask_before_creating: bool = False) -> RiskRegApp:
    """The app on the database at `db_path`. `today` fixes the clock (a date, or a callable
    returning one); `area` is the area shown first (default: the dashboard). An `encrypted`
    database is opened with `passphrase` (from $RISKREG_PASSPHRASE, say) or, without one, with
    the passphrase the app asks for before opening it. With `ask_before_creating`, a missing
    file is created only once the user says so."""
    if today is None:
        clock: Clock = date.today
    elif isinstance(today, date):
        fixed = today

        def clock() -> date:
            return fixed
    else:
        clock = today
    return RiskRegApp(db_path, clock, area=area, encrypted=encrypted, passphrase=passphrase,
                      ask_before_creating=ask_before_creating)
