"""Write a report from the app: the risk analysis, or one incident's dossier (issue 7).

Same pattern as the calendar export: choose the file (the format follows its extension, or the
HTML / Markdown choice, which sets the extension), the report is read and written in a thread
worker, and the dialog closes with a notification naming the file. A problem (a wrong
extension, a folder, a folder that does not exist, no permission) is shown in the dialog and
nothing is written: the service renders the whole report first and writes it atomically.

`open_risk_analysis_dialog(app)` serves the dashboard and the palette;
`open_dossier_dialog(app, ref)` the Incidents area, an incident's screen and the palette.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from riskreg.ui.render import plain
from riskreg.ui.widgets.field_input import FieldInput

# The extensions the reports service accepts (services/reports FORMATS), kept here so the
# dialog does not import the services (and SQLModel) before it is needed.
FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}
EXTENSION = {"html": ".html", "md": ".md"}

Write = Callable[[Path], str]
"""write(path) -> what to tell the user once written; raises UserError with a message."""


def format_of(text: str) -> str | None:
    """'html' or 'md' from a file name's extension, None for anything else."""
    return FORMATS.get(Path(text.strip()).suffix.lower())


def check_path(text: str) -> str | None:
    """Why the file cannot be a report (None when it can): said in the dialog, before any
    reading or writing."""
    if not text.strip():
        return "Give the file to write, e.g. ~/risk-analysis.html"
    path = Path(text.strip()).expanduser()
    if path.is_dir():
        return f"{path} is a folder: give a file name in it, e.g. {path / 'report.html'}"
    if format_of(text) is None:
        suffix = path.suffix or "no extension"
        return f"{path.name} has {suffix}: a report is an .html or .md file"
    return None


class WriteReportDialog(ModalScreen["Path | None"]):
    DEFAULT_CSS = """
    WriteReportDialog {
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
        #report-heading { text-style: bold; margin-bottom: 1; }
        #report-about { color: $text-muted; margin-bottom: 1; }
        .row { height: auto; margin-bottom: 1; }
        .label { width: 10; color: $text-muted; }
        #report-path { width: 1fr; }
        #report-format { border: none; padding: 0; height: auto; width: auto; layout: horizontal; }
        #report-format RadioButton { margin-right: 2; }
        .hint { color: $text-muted; width: 1fr; padding-left: 1; }
        #report-problem { color: $text-error; height: auto; display: none; margin-bottom: 1; }
        #report-problem.-on { display: block; }
        #report-buttons { height: auto; align-horizontal: right; }
        Button { margin-left: 2; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "write", "Write", id="report-write", priority=True,
                tooltip="Write the report to the file"),
        Binding("escape", "cancel", "Cancel", id="report-cancel"),
    ]

    def __init__(self, write: Write, *, heading: str, about: str, path: str) -> None:
        super().__init__()
        self.write = write
        self.heading = heading
        self.about = about
        self.path = path
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, id="report-heading", markup=False)
            yield Static(self.about, id="report-about", markup=False)
            with Horizontal(classes="row"):
                yield Static("Format", classes="label")
                kind = format_of(self.path) or "html"
                with RadioSet(id="report-format", compact=True):
                    yield RadioButton("HTML (prints cleanly)", kind == "html", id="format-html",
                                      compact=True)
                    yield RadioButton("Markdown", kind == "md", id="format-md", compact=True)
            with Horizontal(classes="row"):
                yield Static("File", classes="label")
                yield FieldInput(self.path, id="report-path", compact=True)
            yield Static("", id="report-problem", markup=False)
            with Horizontal(id="report-buttons"):
                yield Button("Cancel (esc)", id="report-cancel", compact=True)
                yield Button("Write (ctrl+s)", id="report-write", variant="primary",
                             compact=True)

    def on_mount(self) -> None:
        self.query_one("#report-path", Input).focus()

    @property
    def path_input(self) -> Input:
        return self.query_one("#report-path", Input)

    def problem(self, text: str) -> None:
        shown = self.query_one("#report-problem", Static)
        shown.update(text)
        shown.set_class(bool(text), "-on")

    # -- the format and the extension follow each other ----------------------------------------

    @on(RadioSet.Changed, "#report-format")
    def _format_chosen(self, event: RadioSet.Changed) -> None:
        event.stop()
        chosen = "md" if event.pressed.id == "format-md" else "html"
        text = self.path_input.value.strip()
        if not text or format_of(text) == chosen:
            return
        path = Path(text)
        if path.suffix.lower() in FORMATS or not path.suffix:
            self.path_input.value = str(path.with_suffix(EXTENSION[chosen])) \
                if path.name else text
            self.problem("")

    @on(Input.Changed, "#report-path")
    def _path_changed(self, event: Input.Changed) -> None:
        kind = format_of(event.value)
        if kind is not None:
            button = self.query_one(f"#format-{kind}", RadioButton)
            if not button.value:
                button.value = True

    # -- writing -------------------------------------------------------------------------------

    def action_write(self) -> None:
        if self.busy:
            return
        text = self.path_input.value.strip()
        why = check_path(text)
        if why:
            self.problem(why)
            self.path_input.focus()
            return
        self.problem("")
        self.busy = True
        button = self.query_one("#report-write", Button)
        button.disabled = True
        button.label = "Writing…"
        self._run(Path(text).expanduser())

    @work(thread=True, exclusive=True, group="write-report", exit_on_error=False)
    def _run(self, path: Path) -> None:
        from riskreg.errors import UserError

        try:
            said = self.write(path)
        except UserError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        except Exception as error:  # noqa: BLE001 (said plainly in the dialog, never a traceback)
            self.app.call_from_thread(self._failed,
                                      f"The report failed: {type(error).__name__}: {error}")
            return
        self.app.call_from_thread(self._done, path, said)

    def _failed(self, text: str) -> None:
        self.busy = False
        button = self.query_one("#report-write", Button)
        button.disabled = False
        button.label = "Write (ctrl+s)"
        self.problem(text)
        self.path_input.focus()

    def _done(self, path: Path, said: str) -> None:
        self.app.notify(said, title="Report written", markup=False, timeout=8)
        self.dismiss(path)

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "report-write":
            self.action_write()
        else:
            self.action_cancel()

    @on(Input.Submitted, "#report-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_write()


def _register(app: App):
    register = getattr(app, "register", None)
    if register is None:
        app.notify("The register is still opening.", severity="warning")
    return register


def _about(app: App, text: str) -> str:
    if getattr(app, "encrypted", False):
        text += (" The register is encrypted; the report is not: keep it on an encrypted disk "
                 "or folder.")
    return text


def open_risk_analysis_dialog(app: App) -> None:
    """Choose where to write the risk analysis as of today (45 CFR 164.308(a)(1)(ii)(A))."""
    register = _register(app)
    if register is None:
        return
    db, today = register.db, app.today()  # type: ignore[attr-defined]

    def write(path: Path) -> str:
        from riskreg.services.reports import write_risk_analysis

        written = write_risk_analysis(db, path, today)
        return f"Risk analysis as of {today.isoformat()} written to {written}"

    app.push_screen(WriteReportDialog(
        write,
        heading="Write the risk analysis",
        about=_about(app, "The documented risk analysis as of today: scope, method, the tools "
                     "with their BAAs, every hazard scored at three levels (inherent, current with the "
                     "safeguards in place, target once the planned ones are), the "
                     "safeguards with their evidence, reviews, open items and the heat maps. "
                     "Readable by you only (mode 600); keep it six years."),
        path=f"~/riskreg-risk-analysis-{today.isoformat()}.html",
    ))


def open_dossier_dialog(app: App, ref: str | None) -> None:
    """Choose where to write one incident's dossier (164.414(b): the burden of proof)."""
    register = _register(app)
    if register is None:
        return
    if not ref:
        app.notify("Save the incident's first step before writing its dossier.",
                   severity="warning")
        return
    db, today = register.db, app.today()  # type: ignore[attr-defined]

    def write(path: Path) -> str:
        from riskreg.services.reports import write_incident_report

        written, reference = write_incident_report(db, ref, path, today)
        return f"Incident dossier for {reference} written to {written}"

    app.push_screen(WriteReportDialog(
        write,
        heading=f"Write {plain(ref)}'s dossier",
        about=_about(app, "The incident's timeline, facts, determination with the four factors "
                     "and the rationale, obligations with due and sent dates, holds, the notices "
                     "as sent and its audit trail. Readable by you only (mode 600). Not legal "
                     "advice."),
        path=f"~/riskreg-{ref}-dossier.html",
    ))
