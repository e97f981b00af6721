"""The practice settings: name, practitioner, home state, internal target, calendar alarms and the
last review of the whole risk analysis. ctrl+s saves, escape cancels (asking Save / Discard / Keep
editing when something was changed). Each field is checked as it is typed (a moment after typing
stops, at once on leaving it); a bad value is shown beside its field and nothing is saved;
settings changed in another window since the dialog opened are never overwritten: the dialog says
so and offers to reload them. Reading and saving run in a thread (see `dialogs.base`).

`open_settings_dialog(app)` is the entry point (the command palette: "Practice settings…").
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.actions import SkipAction
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Input, Static

from riskreg.ui.dialogs.base import CHECK_AFTER, Dialog, open_after_read
from riskreg.ui.dialogs.confirm import changed_elsewhere, reload_if_yes
from riskreg.ui.messages import RegisterChanged
from riskreg.ui.render import plain
from riskreg.ui.widgets.field_input import FieldInput

# field, label, input width (0: the rest of the row), the most characters, hint
ROWS: tuple[tuple[str, str, int, int, str], ...] = (
    ("practice_name", "Practice name", 0, 200, ""),
    ("practitioner", "Practitioner", 0, 200, ""),
    ("home_state", "Home state", 6, 2, "2-letter code, e.g. CA"),
    ("internal_target_days", "Internal target", 6, 2, "days before each legal due date (0-59)"),
    ("alarm_days", "Calendar alarms", 14, 40, "days before, e.g. 14,7,1, or none"),
    ("risk_analysis_reviewed_on", "Risk analysis reviewed", 12, 10, "YYYY-MM-DD"),
    ("risk_analysis_cadence_months", "Review it every", 6, 2, "months (1-36)"),
    ("federal_assistance", "Federal assistance", 6, 3,
     "yes if you bill Medicare or Medicaid (Section 1557)"),
    ("part2_records", "Holds Part 2 records", 6, 3, "yes for 42 CFR Part 2 (SUD) records"),
)
FIELDS = tuple(row[0] for row in ROWS)
LABEL = {row[0]: row[1] for row in ROWS}


def as_text(value: Any) -> str:
    """A stored value as it is typed (a control character shown escaped, as everywhere)."""
    return plain(value)


class SettingsDialog(Dialog["dict[str, Any] | None"]):
    DEFAULT_CSS = """
    SettingsDialog {
        & > #frame { width: 80; }
        #heading { text-style: bold; }
        #about { color: $text-muted; margin-bottom: 1; }
        #settings-fields { height: auto; max-height: 1fr; scrollbar-size-vertical: 1; }
        .row { height: auto; }
        .label { width: 24; color: $text-muted; }
        .label.-invalid { color: $text-error; }
        .row Input { width: 1fr; }
        .hint { color: $text-muted; width: 1fr; padding-left: 1; }
        .field-error { color: $text-error; padding-left: 24; height: auto; display: none; }
        .field-error.-on { display: block; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="settings-save", priority=True),
        Binding("escape", "cancel", "Cancel (asks first if changed)", id="settings-cancel"),
        # A priority key, so the focus has moved before the next key typed is routed (an Input's
        # Submitted message would come after the letters that followed enter: finding 15).
        Binding("enter", "next_field", show=False, priority=True),
    ]

    AUTO_FOCUS = "#s-practice_name"

    unsaved_message = "The practice settings have changes that are not saved yet."

    def __init__(self, service: Any, settings: dict[str, Any]) -> None:
        """`service` is a `SettingsService`; `settings` what its `get` returned."""
        super().__init__()
        self.service = service
        self.settings = settings
        self.initial = {f: as_text(settings[f]) for f in FIELDS}
        self.saving = False
        self._check_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="frame"):
            yield Static("Practice settings", id="heading")
            yield Static(
                "Printed on the risk analysis and the notices; the incident plan, the calendar "
                "alarms and the yearly risk analysis review event come from here.",
                id="about", markup=False,
            )
            with VerticalScroll(id="settings-fields"):
                for field, label, width, most, hint in ROWS:
                    with Horizontal(classes="row"):
                        yield Static(label, id=f"label-{field}", classes="label", markup=False)
                        box = FieldInput(self.initial[field], id=f"s-{field}", compact=True,
                                    max_length=most)
                        if width:
                            box.styles.width = width
                        yield box
                        if hint:
                            yield Static(self._hint(field, hint), id=f"hint-{field}",
                                         classes="hint", markup=False)
                    yield Static("", id=f"err-{field}", classes="field-error", markup=False)
            yield self.problem_line()
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)

    def _hint(self, field: str, hint: str) -> str:
        due = self.settings.get("next_risk_analysis_review_on")
        if field == "risk_analysis_reviewed_on" and due is not None:
            return f"{hint}; next review {due.isoformat()}"
        return hint

    # -- values and problems -------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        return {f: self.query_one(f"#s-{f}", Input).value for f in FIELDS}

    def changes(self) -> dict[str, str]:
        return {f: v for f, v in self.values().items() if v.strip() != self.initial[f].strip()}

    @property
    def dirty(self) -> bool:
        return bool(self.changes())

    def mark(self, field: str, problem: str | None) -> None:
        """Show (or clear) a problem under a field."""
        error = self.query_one(f"#err-{field}", Static)
        error.update(problem or "")
        error.set_class(bool(problem), "-on")
        self.query_one(f"#label-{field}").set_class(bool(problem), "-invalid")

    def problem_text(self, field: str) -> str:
        """The problem shown beside a field, or "" (for tests)."""
        error = self.query_one(f"#err-{field}", Static)
        return str(error.content) if error.has_class("-on") else ""

    def show_problem(self, field: str, problem: str) -> None:
        if field in FIELDS:
            self.mark(field, problem)
            box = self.query_one(f"#s-{field}", Input)
            box.focus()
            self.call_after_refresh(box.scroll_visible, animate=False)
        else:
            self.problem(f"{field}: {problem}" if field else problem)

    def clear_problems(self) -> None:
        for field in FIELDS:
            self.mark(field, None)
        self.problem("")

    def _problem_of(self, field: str, value: str) -> str | None:
        """The problem with one field's value (checked in memory: no database), or None."""
        from riskreg.errors import ValidationError

        try:
            self.service.clean({field: value}, before={field: self.settings[field]})
        except ValidationError as error:
            return error.problem if error.field == field else None
        return None

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        """A problem whose cause is gone goes at once; a new one shows once typing stops."""
        field = (event.input.id or "").removeprefix("s-")
        if field not in FIELDS or not self.is_attached or self.saving:
            return
        if self.problem_text(field) and self._problem_of(field, event.value) is None:
            self.mark(field, None)
        if self._check_timer is not None:
            self._check_timer.stop()
        if event.value.strip() != self.initial[field].strip():
            self._check_timer = self.set_timer(CHECK_AFTER, lambda: self._check_field(field))

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        field = (event.input.id or "").removeprefix("s-")
        if field in FIELDS and event.value.strip() != self.initial[field].strip():
            self._check_field(field)

    def _check_field(self, field: str) -> None:
        if not self.is_attached or self.saving:
            return
        self.mark(field, self._problem_of(field, self.query_one(f"#s-{field}", Input).value))

    # -- saving and leaving --------------------------------------------------------------------

    def action_save(self) -> None:
        if self.saving:
            return
        if self._check_timer is not None:
            self._check_timer.stop()
        self.clear_problems()
        changes = self.changes()
        if not changes:
            self.dismiss(None)
            self.notify("No changes to save.", timeout=3)
            return
        revision = self.settings["revision"]
        self.run_save(lambda: self.service.update(changes, revision), self._saved)

    def _saved(self, saved: Any) -> None:
        names = ", ".join(LABEL[f].lower() for f in saved.changed) or "nothing changed"
        self.app.notify(f"Practice settings saved: {names}.", title="Practice settings",
                        markup=False, timeout=6)
        # The dashboard names the practice and the internal target moves the incidents' dates:
        # whatever shows them reloads.
        self.app.post_message(RegisterChanged("settings"))
        self.dismiss(saved.settings)

    def editable(self) -> list[Any]:
        return [self.query_one("#settings-fields")]

    def show_saving(self, saving: bool, *, waiting: bool) -> None:
        button = self.query_one("#save", Button)
        button.disabled = saving
        button.label = ("Waiting for the register…" if waiting else "Saving…") if saving \
            else "Save (ctrl+s)"

    def conflict(self, message: str) -> None:
        self.app.push_screen(
            changed_elsewhere(message, "the saved settings and discards your edits here"),
            reload_if_yes(self.reload))

    def reload(self) -> None:
        self.run_save(self.service.get, self._reloaded)

    def _reloaded(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.initial = {f: as_text(settings[f]) for f in FIELDS}
        self.clear_problems()
        for field, hint in ((r[0], r[4]) for r in ROWS):
            self.query_one(f"#s-{field}", Input).value = self.initial[field]
            if hint:
                self.query_one(f"#hint-{field}", Static).update(self._hint(field, hint))
        self.notify("Reloaded the saved settings.", timeout=3)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_next_field(self) -> None:
        """Enter in a field moves to the next field (ctrl+s saves); on a button it presses it."""
        if not isinstance(self.focused, Input):
            raise SkipAction()
        self.focus_next()


def open_settings_dialog(app: App) -> None:
    """Push the dialog on `app` (a RiskRegApp: its `services`), once the settings have been
    read in a thread."""
    services = getattr(app, "services", None)
    if services is None:
        app.notify("The register is still opening.", severity="warning")
        return
    service = services.settings
    open_after_read(app, service.get, lambda settings: app.push_screen(
        SettingsDialog(service, settings)), what="Practice settings")
