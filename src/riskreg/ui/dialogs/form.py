"""The form to add or edit a record: ctrl+s saves, escape cancels (asking first when there are
unsaved changes). A problem is shown beside the field it concerns; a record changed elsewhere
since the form opened is never overwritten: the form says so and offers to reload it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, Static, TextArea
from textual.widgets.select import InvalidSelectValueError

from riskreg.ui.dialogs.confirm import ConfirmDialog
from riskreg.ui.dialogs.fields import DEFAULTS, FORMS, Field, all_fields
from riskreg.ui.kinds import KINDS
from riskreg.ui.render import plain

CHECK = (("Yes", "yes"), ("No", "no"), ("Not checked yet", "unknown"))
CHECK_VALUES = {"yes": True, "no": False, "unknown": None}

Save = Callable[[dict[str, Any], dict[str, Any], "int | None"], dict[str, Any]]
"""save(all values, changed values, revision read) -> the saved record; raises UserError."""


class RecordForm(ModalScreen["dict[str, Any] | None"]):
    DEFAULT_CSS = """
    RecordForm {
        align: center middle;
        #form {
            width: 100;
            max-width: 100%;
            height: 100%;
            max-height: 44;
            border: thick $primary;
            border-title-color: $text;
            background: $surface;
            padding: 0 1;
        }
        #heading { text-style: bold; height: auto; max-height: 2; }
        #form-problem { color: $text-error; display: none; height: auto; }
        #form-problem.-on { display: block; }
        #fields { height: 1fr; scrollbar-size-vertical: 1; }
        .section {
            text-style: bold;
            color: $text-primary;
            margin-top: 1;
            border-bottom: solid $panel-lighten-2;
            height: 2;
        }
        .row { height: auto; }
        .field-label { width: 24; padding-right: 1; color: $text-muted; }
        .field-label.-required { color: $text; }
        .field-input { width: 1fr; height: auto; }
        .field-input Input, .field-input Select { width: 1fr; }
        .field-input TextArea { height: 3; border: none; padding: 0; }
        .field-input Checkbox { border: none; padding: 0; }
        .field-error { color: $text-error; display: none; height: auto; }
        .field-error.-on { display: block; }
        .field-help { color: $text-muted; text-style: italic; height: auto; }
        .row.-invalid .field-label { color: $text-error; }
        #form-keys { height: 1; color: $text-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form-save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
    ]

    def __init__(self, kind: str, record: dict[str, Any] | None, *, save: Save,
                 reload: Callable[[], dict[str, Any]] | None = None,
                 owners: list[tuple[str, str]] = (), tools: list[tuple[str, str]] = (),
                 defaults: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.spec = KINDS[kind]
        self.record = record
        self.revision: int | None = record["revision"] if record else None
        self.save_record = save
        self.reload_record = reload
        self.owners = list(owners)
        self.tools = list(tools)
        self.defaults = {**DEFAULTS[kind], **(defaults or {})}
        self.initial: dict[str, Any] = {}
        self.saving = False

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(self._heading(), id="heading", markup=False)
            yield Static("", id="form-problem", markup=False)
            with VerticalScroll(id="fields"):
                for section in FORMS[self.kind]:
                    yield Static(section.title, classes="section", markup=False)
                    for field in section.fields:
                        with Horizontal(classes="row", id=f"row-{field.name}"):
                            yield Static(field.label + (" *" if field.required else ""),
                                         classes="field-label" + (" -required" if field.required
                                                                  else ""), markup=False)
                            with Vertical(classes="field-input"):
                                yield self._widget(field)
                                yield Static("", classes="field-error", id=f"err-{field.name}",
                                             markup=False)
                                if field.help:
                                    yield Static(field.help, classes="field-help", markup=False)
            yield Static("ctrl+s save · escape cancel · tab next field · * required",
                         id="form-keys", markup=False)

    def _heading(self) -> str:
        if self.record is None:
            return f"New {self.spec.singular}"
        return f"Edit {self.spec.singular}: {self.spec.title_of(self.record)}"

    def _widget(self, field: Field) -> Widget:
        wid = f"f-{field.name}"
        if field.type == "long":
            # Built with its text: a TextArea filled before it has a size does not wrap it.
            return TextArea(plain(_value(self.record or self.defaults, field)), id=wid,
                            soft_wrap=True, tab_behavior="focus", compact=True,
                            show_line_numbers=False, highlight_cursor_line=False)
        if field.type in ("choice", "score"):
            return Select(field.options, id=wid, allow_blank=False, compact=True)
        if field.type == "check":
            return Select(CHECK, id=wid, allow_blank=False, compact=True)
        if field.type == "owner":
            return Select(self.owners, id=wid, prompt="(no owner)", compact=True)
        if field.type == "tool":
            return Select(self.tools, id=wid, prompt="(no tool)", compact=True)
        if field.type == "bool":
            return Checkbox("", id=wid, compact=True)
        if field.type == "months":
            return Input(id=wid, type="integer", compact=True, max_length=3)
        if field.type == "date":
            return Input(id=wid, placeholder="YYYY-MM-DD", compact=True, max_length=10)
        return Input(id=wid, compact=True)

    def on_mount(self) -> None:
        self.border_title = None
        self.fill(self.record or self.defaults)
        self._remember_initial()
        first = all_fields(self.kind)[0]
        self.query_one(f"#f-{first.name}").focus()

    def _remember_initial(self) -> None:
        self.initial = self.values()

    # -- values --------------------------------------------------------------------------------

    def fill(self, record: dict[str, Any]) -> None:
        """Put a record's values in the widgets."""
        for field in all_fields(self.kind):
            widget = self.query_one(f"#f-{field.name}")
            _set(widget, field, _value(record, field))

    def values(self) -> dict[str, Any]:
        """The widgets' values, in the shape the services take (dates as typed)."""
        return {f.name: _get(self.query_one(f"#f-{f.name}"), f) for f in all_fields(self.kind)}

    def changes(self) -> dict[str, Any]:
        now = self.values()
        return {k: v for k, v in now.items() if self.initial.get(k) != v}

    @property
    def dirty(self) -> bool:
        return bool(self.changes())

    # -- problems ------------------------------------------------------------------------------

    def clear_problems(self) -> None:
        for error in self.query(".field-error"):
            error.remove_class("-on")
        for row in self.query(".row.-invalid"):
            row.remove_class("-invalid")
        self.query_one("#form-problem").remove_class("-on")

    def show_problem(self, field: str, problem: str) -> None:
        """Show a problem beside its field (or above the form when no field is named)."""
        names = {f.name for f in all_fields(self.kind)}
        if field in names:
            error = self.query_one(f"#err-{field}", Static)
            error.update(problem)
            error.add_class("-on")
            self.query_one(f"#row-{field}").add_class("-invalid")
            widget = self.query_one(f"#f-{field}")
            widget.focus()
            self.call_after_refresh(widget.scroll_visible, animate=False)
        else:
            top = self.query_one("#form-problem", Static)
            top.update(f"{field}: {problem}" if field else problem)
            top.add_class("-on")

    def problem_text(self, field: str) -> str:
        """The problem shown beside a field, or "" (for tests)."""
        error = self.query_one(f"#err-{field}", Static)
        return str(error.content) if error.has_class("-on") else ""

    @on(Input.Blurred)
    def _check_date(self, event: Input.Blurred) -> None:
        """Dates are checked as soon as the field is left, not only at save."""
        name = (event.input.id or "").removeprefix("f-")
        field = next((f for f in all_fields(self.kind) if f.name == name), None)
        if field is None or field.type != "date":
            return
        from riskreg.domain.dates import parse_date

        error = self.query_one(f"#err-{name}", Static)
        row = self.query_one(f"#row-{name}")
        value = event.value.strip()
        try:
            if value:
                parse_date(value, field.label.lower())
        except ValueError as problem:
            error.update(str(problem))
            error.add_class("-on")
            row.add_class("-invalid")
        else:
            error.remove_class("-on")
            row.remove_class("-invalid")

    # -- saving and leaving --------------------------------------------------------------------

    def action_save(self) -> None:
        from riskreg.errors import ConflictError, UserError, ValidationError

        if self.saving:
            return
        self.clear_problems()
        changes = self.changes()
        if self.record is not None and not changes:
            self.dismiss(None)
            self.notify("No changes to save.", timeout=3)
            return
        try:
            saved = self.save_record(self.values(), changes, self.revision)
        except ValidationError as error:
            self.show_problem(error.field, error.problem)
            return
        except ConflictError as error:
            self._conflict(str(error))
            return
        except UserError as error:
            self.show_problem("", str(error))
            return
        self.saving = True
        self.dismiss(saved)

    def _conflict(self, message: str) -> None:
        def answered(reload: bool | None) -> None:
            if reload:
                self.reload()

        self.app.push_screen(ConfirmDialog(
            "Changed elsewhere",
            f"{message[0].upper()}{message[1:]}.\n\nReload shows the saved version and discards "
            "your edits in this form. Keep editing lets you copy them first; saving again will "
            "still be refused until you reload.",
            yes="Reload", no="Keep editing",
        ), answered)

    def reload(self) -> None:
        if self.reload_record is None:
            return
        from riskreg.errors import UserError

        try:
            record = self.reload_record()
        except UserError as error:
            self.show_problem("", str(error))
            return
        self.record = record
        self.revision = record["revision"]
        self.clear_problems()
        self.fill(record)
        self.query_one("#heading", Static).update(self._heading())
        self.call_after_refresh(self._remember_initial)
        self.notify("Reloaded the saved version.", timeout=3)

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog(
            "Discard changes?", f"This {self.spec.singular} has unsaved changes.",
            yes="Discard", no="Keep editing", danger=True, default_yes=False,
        ), answered)


def _value(record: dict[str, Any], field: Field) -> Any:
    if field.type in ("owner", "tool"):
        return record.get(f"{field.name}_public_id", record.get(field.name))
    return record.get(field.name)


def _set(widget: Widget, field: Field, value: Any) -> None:
    if isinstance(widget, TextArea):
        if widget.text != plain(value):
            widget.load_text(plain(value))
    elif isinstance(widget, Checkbox):
        widget.value = bool(value)
    elif isinstance(widget, Select):
        if field.type == "check":
            value = {True: "yes", False: "no"}.get(value, "unknown")
        if value in (None, ""):
            if field.type in ("owner", "tool"):
                widget.clear()
            return
        try:
            widget.value = value
        except InvalidSelectValueError:
            pass  # not one of the options: leave the default
    elif isinstance(widget, Input):
        widget.value = plain(value)


def _get(widget: Widget, field: Field) -> Any:
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Checkbox):
        return widget.value
    if isinstance(widget, Select):
        value = widget.value
        if field.type == "check":
            return CHECK_VALUES.get(value)  # type: ignore[arg-type]
        return None if value is Select.NULL else value
    if isinstance(widget, Input):
        text = widget.value
        if field.type == "months":
            return int(text) if text.strip().isdigit() else text
        return text
    raise TypeError(widget)
