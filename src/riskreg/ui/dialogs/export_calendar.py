"""Export deadlines to a calendar (.ics): what to export, alarms, reminder events, where.

The export runs in a thread worker (it reads the whole register); the dialog stays open with the
problem shown beside the buttons if the path cannot be written (nothing is written then), and
closes with a notification naming the file and the number of events when it worked.

`open_export_dialog(app)` is the one entry point for the dashboard, an incident's plan step and
the command palette; with `incident=` it exports that incident's deadlines only. The whole
export goes to the practice's feed by default (`CalendarService.feed_path`, the file a
calendar subscribes to); the dialog shows that path, and any other file can be typed instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from riskreg.domain.calendar_event import GROUP_LABELS, GROUPS, parse_alarm_days
from riskreg.ui.dialogs.base import open_after_read
from riskreg.ui.widgets.field_input import FieldInput

DEFAULT_PATH = "~/riskreg-deadlines.ics"

Export = Callable[[Path, dict[str, Any]], int]
"""export(path, options) -> events written, where options are `ExportOptions` fields; raises
UserError with a message for the user (an unwritable path, an unknown incident)."""


def default_path(incident: str | None = None) -> str:
    return f"~/riskreg-{incident}.ics" if incident else DEFAULT_PATH


class ExportCalendarDialog(ModalScreen["tuple[Path, int] | None"]):
    DEFAULT_CSS = """
    ExportCalendarDialog {
        align: center middle;
        & > Vertical {
            width: 76;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: thick $primary;
            background: $surface;
            padding: 0 1;
        }
        #heading { text-style: bold; margin-bottom: 1; }
        #about { color: $text-muted; margin-bottom: 1; }
        Checkbox { width: 100%; }
        .row { height: auto; margin-top: 1; }
        .label { width: 10; color: $text-muted; padding-top: 0; }
        #alarms { width: 16; }
        #path { width: 1fr; }
        .hint { color: $text-muted; width: 1fr; padding-left: 1; }
        #feed { margin-left: 10; height: auto; }
        #export-problem { color: $text-error; height: auto; display: none; margin-top: 1; }
        #export-problem.-on { display: block; }
        #buttons { height: auto; align-horizontal: right; margin-top: 1; }
        Button { margin-left: 2; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", "Export", id="export-calendar-save", priority=True),
        Binding("escape", "cancel", "Cancel", id="export-calendar-cancel"),
    ]

    def __init__(self, export: Export, *, incident: str | None = None, alarms: str = "14,7,1",
                 path: str | None = None, feed: str | None = None) -> None:
        super().__init__()
        self.export = export
        self.incident = incident
        self.alarms = alarms
        self.feed = None if incident else feed
        """The practice's feed: the default file of a whole export."""
        self.path = path or self.feed or default_path(incident)
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            if self.incident:
                yield Static(f"Export {self.incident}'s deadlines to a calendar", id="heading",
                             markup=False)
            else:
                yield Static("Export deadlines to a calendar", id="heading")
            yield Static(
                "An .ics file of all-day events for your calendar. Importing it again updates "
                "events in Evolution and khal, and in Thunderbird when subscribed to the file "
                "(not File > Import); Google keeps the old ones (see the README). Done ones "
                "show as [DONE]. Incident events carry only the reference, never the "
                "description or a name.",
                id="about", markup=False,
            )
            if not self.incident:
                for group in GROUPS:
                    yield Checkbox(GROUP_LABELS[group], True, id=f"group-{group}", compact=True)
            with Horizontal(classes="row"):
                yield Static("Alarms", classes="label")
                yield FieldInput(self.alarms, id="alarms", compact=True, max_length=40,
                            placeholder="none")
                yield Static("days before; the first is the most important",
                             classes="hint")
            yield Checkbox("Also separate reminder events (Google Calendar drops alarms)", False,
                           id="reminders", compact=True)
            with Horizontal(classes="row"):
                yield Static("File", classes="label")
                yield FieldInput(self.path, id="path", compact=True)
            if self.feed:
                yield Static(
                    f"The feed: {self.feed}. Subscribe your calendar to this file (Thunderbird: "
                    "New Calendar, On the Network); it follows every export. What is no longer "
                    "exported is sent as [REMOVED].", id="feed", classes="hint", markup=False)
            yield Static("", id="export-problem", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button("Export (ctrl+s)", id="export", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()
        self.initial = self.choices()

    initial: tuple[Any, ...] | None = None
    """What the dialog held when it opened (what escape compares with before asking)."""

    def choices(self) -> tuple[Any, ...]:
        """Everything the dialog lets one change, as it is now."""
        return (self.query_one("#alarms", Input).value, self.query_one("#path", Input).value,
                self.query_one("#reminders", Checkbox).value,
                tuple(box.value for box in self.query(Checkbox) if box.id != "reminders"))

    @property
    def dirty(self) -> bool:
        return self.initial is not None and self.choices() != self.initial

    def problem(self, text: str) -> None:
        shown = self.query_one("#export-problem", Static)
        shown.update(text)
        shown.set_class(bool(text), "-on")

    def options(self) -> dict[str, Any] | None:
        """The chosen options, or None (with the problem shown) when one is not valid."""
        try:
            alarm_days = parse_alarm_days(self.query_one("#alarms", Input).value)
        except ValueError as error:
            self.problem(f"Alarms: {error}")
            self.query_one("#alarms", Input).focus()
            return None
        if self.incident:
            groups: tuple[str, ...] = ("incidents",)
        else:
            groups = tuple(g for g in GROUPS if self.query_one(f"#group-{g}", Checkbox).value)
            if not groups:
                self.problem("Choose at least one kind of date to export.")
                return None
        return {
            "groups": groups,
            "alarm_days": alarm_days,
            "reminder_events": self.query_one("#reminders", Checkbox).value,
            "incident": self.incident,
        }

    def action_export(self) -> None:
        if self.busy:
            return
        options = self.options()
        if options is None:
            return
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.problem("Give the file to write, e.g. " + (self.feed or DEFAULT_PATH))
            self.query_one("#path", Input).focus()
            return
        self.problem("")
        self.busy = True
        self.query_one("#export", Button).disabled = True
        self.query_one("#export", Button).label = "Exporting…"
        self._run(Path(text).expanduser(), options)

    @work(thread=True, exclusive=True, group="export-calendar", exit_on_error=False)
    def _run(self, path: Path, options: dict[str, Any]) -> None:
        from riskreg.errors import UserError

        try:
            count = self.export(path, options)
        except UserError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        except Exception as error:  # noqa: BLE001 (said plainly in the dialog, never a traceback)
            self.app.call_from_thread(self._failed,
                                      f"Export failed: {type(error).__name__}: {error}")
            return
        self.app.call_from_thread(self._done, path, count)

    def _failed(self, text: str) -> None:
        self.busy = False
        self.initial = self.choices()  # tried: escape now closes without asking again
        button = self.query_one("#export", Button)
        button.disabled = False
        button.label = "Export (ctrl+s)"
        self.problem(text)

    def _done(self, path: Path, count: int) -> None:
        noun = "event" if count == 1 else "events"
        self.app.notify(f"{count} calendar {noun} written to {path}", title="Calendar export",
                        markup=False, timeout=8)
        self.dismiss((path, count))

    def action_cancel(self) -> None:
        """Close; with something changed (the alarms, the file...), ask first as every dialog
        does (issue 17: an edited Alarms field was thrown away without a word). Save exports
        with what was typed; Discard closes without exporting."""
        from riskreg.ui.dialogs.base import DISCARD, SAVE, UnsavedQuestion

        if self.busy:
            return
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(answer: str | None) -> None:
            if answer == SAVE:
                self.action_export()
            elif answer == DISCARD:
                self.dismiss(None)

        self.app.push_screen(UnsavedQuestion(
            "You changed this export and it has not been written yet. Save writes the file "
            "with your choices now; Discard closes without exporting.",
            title="Export not written"), answered)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            self.action_export()
        else:
            self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_export()


def open_export_dialog(app: App, incident: str | None = None) -> None:
    """Push the dialog on `app` (a RiskRegApp: its `services`). The alarms start from the
    practice settings, read in a thread first."""
    services = getattr(app, "services", None)
    if services is None:
        app.notify("The register is still opening.", severity="warning")
        return
    from riskreg.services.calendar import ExportOptions

    service = services.calendar

    def export(path: Path, options: dict[str, Any]) -> int:
        return service.export(path, ExportOptions(**options))

    def opened(days: Any) -> None:
        alarms = ",".join(str(n) for n in days)
        app.push_screen(ExportCalendarDialog(export, incident=incident, alarms=alarms,
                                             feed=str(service.feed_path())))

    open_after_read(app, lambda: service.alarm_days(ExportOptions(), service.settings()),
                    opened, what="Calendar export")
