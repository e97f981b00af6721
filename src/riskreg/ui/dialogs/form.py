"""The form to add or edit a record: ctrl+s saves, escape cancels (asking Save / Discard / Keep
editing when there are unsaved changes). Fields are checked as the user types: a problem shows
beside its field a moment after typing stops (at once on leaving the field) and goes the moment
its cause is gone. A record changed elsewhere since the form opened is never overwritten: the form
says so and offers to reload it. The save itself runs in a thread (see `dialogs.base`).

Every field's problem line is built with the form and only shown or hidden: a widget is never
mounted under an id that a widget still being removed may hold (Textual removes asynchronously;
that was the DuplicateIds crash of a second save).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Static, TextArea

from riskreg.ui.dialogs.base import CHECK_AFTER, Dialog
from riskreg.ui.dialogs.confirm import changed_elsewhere, reload_if_yes
from riskreg.ui.dialogs.fields import DEFAULTS, FORMS, Field, Section, all_fields
from riskreg.ui.kinds import KINDS
from riskreg.ui.render import plain
from riskreg.ui.widgets.choice import BLANK, Choice
from riskreg.ui.widgets.field_input import FieldInput
from riskreg.ui.widgets.field_text import FieldText

FIRST_SECTIONS = 2
"""Sections built for the form's first frame; the others follow straight after."""

CHECK = (("Yes", "yes"), ("No", "no"), ("Not checked yet", "unknown"))
CHECK_VALUES = {"yes": True, "no": False, "unknown": None}

Save = Callable[[dict[str, Any], dict[str, Any], "int | None"], dict[str, Any]]
"""save(all values, changed values, revision read) -> the saved record; raises UserError.
Called in a thread: it must not touch a widget."""


class RecordForm(Dialog["dict[str, Any] | None"]):
    DEFAULT_CSS = """
    RecordForm {
        & > #frame { width: 100; height: 100%; max-height: 44; }
        #heading { text-style: bold; height: auto; max-height: 2; }
        #fields { height: 1fr; scrollbar-size-vertical: 1; }
        #grid {
            grid-size: 2;
            grid-columns: 24 1fr;
            grid-rows: auto;
            grid-gutter: 0 1;
            height: auto;
        }
        .section {
            column-span: 2;
            height: 2;
            content-align: left bottom;
            text-style: bold;
            color: $text-primary;
        }
        /* A label longer than its column wraps onto a second line rather than being cut
           ("Signs a Business" for "Signs a Business Associate Agreement"). */
        .field-label { color: $text-muted; height: auto; }
        .field-label.-required { color: $text; }
        .field-label.-invalid { color: $text-error; }
        Input { width: 1fr; }
        TextArea { height: 3; border: none; padding: 0; background: $boost; }
        /* Without a label a checkbox is only its button; Textual still pads an empty label
           and, with ellipsis, drew the button "▐X…". */
        Checkbox { border: none; padding: 0; text-overflow: clip; }
        .field-error {
            column-span: 2; padding-left: 25; color: $text-error; height: auto; display: none;
        }
        .field-error.-on { display: block; }
        #form-keys { height: auto; color: $text-muted; }
    }
    """

    AUTO_FOCUS = "#grid > *"
    """The first field. Textual's default ("*") focuses the scrolling container first, and each
    focus change there restyles every widget inside it (~20-40 ms a time)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form-save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
    ]

    unsaved_message = "This record has changes that are not saved yet."

    def __init__(self, kind: str, record: dict[str, Any] | None, *, save: Save,
                 reload: Callable[[], dict[str, Any]] | None = None,
                 owners: list[tuple[Any, str]] = (), tools: list[tuple[Any, str]] = (),
                 defaults: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.spec = KINDS[kind]
        self._widgets: dict[str, Widget] = {}
        """Each field's widget, by field name (mounted or still waiting in `_later`)."""
        self._errors: dict[str, Static] = {}
        """Each field's problem line, shown (class -on) only when it has a problem."""
        self._labels: dict[str, Static] = {}
        # The sections shown only while their rule holds, with their rows' widgets.
        self._conditional: list[tuple[Section, list[Widget]]] = []
        self._shown: dict[str, str] = {}
        """The problems shown now, by field."""
        self._later: list[Widget] = []
        self._built = False
        self._styled_with: tuple[Any, ...] | None = None
        self._touched: set[str] = set()
        """Fields typed in or shown wrong since the form opened: the ones checked as typed."""
        self._check_timer: Timer | None = None
        self._set_up(record, save, reload, owners, tools, defaults)

    def _set_up(self, record: dict[str, Any] | None, save: Save,
                reload: Callable[[], dict[str, Any]] | None, owners: Any, tools: Any,
                defaults: dict[str, Any] | None) -> None:
        """Everything that belongs to one opening of the form (see `reuse`)."""
        self.record = record
        self.revision: int | None = record["revision"] if record else None
        self.save_record = save
        self.reload_record = reload
        self.owners = list(owners)
        self.tools = list(tools)
        self.defaults = {**DEFAULTS[self.kind], **(defaults or {})}
        self.initial: dict[str, Any] = {}
        self.saving = False
        self._touched = set()
        self._found_before: dict[str, str] | None = None
        """The problems the last check that showed new ones found (None: not checked yet): a
        problem not among them, on a field not typed in, comes from a rule across fields."""

    @property
    def reusable(self) -> bool:
        """Built and closed: `reuse` can show it again."""
        return self._built and self.is_mounted and self not in self.app.screen_stack

    def reuse(self, record: dict[str, Any] | None, *, save: Save,
              reload: Callable[[], dict[str, Any]] | None = None,
              owners: list[tuple[Any, str]] = (), tools: list[tuple[Any, str]] = (),
              defaults: dict[str, Any] | None = None) -> None:
        """Make this closed form what a new RecordForm(kind, record, ...) would be, before it is
        pushed again. Building the form's ~60 widgets and styling them is most of the time it
        takes to open (a few hundred ms); putting other values into built widgets is a few ms.
        Everything one opening leaves behind is reset: values (long texts without their undo
        history), choices' options (owners and tools come and go), problems, heading, the
        saving flag, the values the unsaved-changes check compares with, focus and scroll."""
        self._set_up(record, save, reload, owners, tools, defaults)
        self._mount_rest()
        self.clear_problems()
        self.query_one("#heading", Static).update(self._heading())
        shown = record or self.defaults
        for field in all_fields(self.kind):
            value = _value(shown, field)
            options, chosen, _blank = self._choice(field, value)
            _reset(self._widgets[field.name], value, options, chosen)
        self._show_sections()
        self.initial = self.values()
        self.query_one("#fields", VerticalScroll).scroll_home(animate=False, immediate=True)
        # A fresh focus on the first field, as a new form has (an Input selects its text when
        # it gains focus); at once, not later as focus() would: pushing the form would focus it
        # first anyway (AUTO_FOCUS).
        self.set_focus(None)
        self.set_focus(self._widgets[all_fields(self.kind)[0].name], scroll_visible=False)

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # One grid of label | field | problem line (shown only when there is a problem), one
        # widget each. The first sections are built for the first frame, the rest right
        # after it (see `_mount_rest`), so the form opens fast.
        shown = self.record or self.defaults
        with Vertical(id="frame"):
            yield Static(self._heading(), id="heading", markup=False)
            yield self.problem_line()
            with VerticalScroll(id="fields"), Grid(id="grid"):
                for n, section in enumerate(FORMS[self.kind]):
                    row: list[Widget] = [Static(section.title, classes="section", markup=False)]
                    for field in section.fields:
                        label = Static(field.label + (" *" if field.required else ""),
                                       id=f"label-{field.name}", markup=False,
                                       classes="field-label" + (" -required" if field.required
                                                                else ""))
                        if field.help:
                            label.tooltip = field.help
                        widget = self._widget(field, _value(shown, field))
                        self._widgets[field.name] = widget
                        error = Static("", id=f"err-{field.name}", classes="field-error",
                                       markup=False)
                        self._errors[field.name] = error
                        self._labels[field.name] = label
                        row += [label, widget, error]
                    if section.applies is not None:
                        self._conditional.append((section, row))
                    if n < FIRST_SECTIONS:
                        yield from row
                    else:
                        self._later += row
            yield Static("ctrl+s save · esc cancel · tab next · ←/→ or enter choose · "
                         "* required", id="form-keys", markup=False)

    def _mount_rest(self) -> None:
        """Mount the sections kept back from the first frame (at once when a save or a problem
        needs them)."""
        if self._later:
            later, self._later = self._later, []
            self.query_one("#grid").mount_all(later)

    def _heading(self) -> str:
        if self.record is None:
            return f"New {self.spec.singular}"
        return f"Edit {self.spec.singular}: {self.spec.title_of(self.record)}"

    def _choice(self, field: Field, value: Any) -> tuple[Any, Any, str | None]:
        """(options, value, blank label) of a field shown as a Choice; options None if not."""
        if field.type in ("choice", "score"):
            return field.options, _known(field.options, value), None
        if field.type == "assessed":
            return field.options, _known(field.options, value), "(not assessed)"
        if field.type == "check":
            return CHECK, {True: "yes", False: "no"}.get(value, "unknown"), None
        if field.type in ("owner", "tool"):
            options = self.owners if field.type == "owner" else self.tools
            return options, _known(options, value), f"(no {field.type})"
        return None, value, None

    def _widget(self, field: Field, value: Any) -> Widget:
        wid = f"f-{field.name}"
        options, chosen, blank = self._choice(field, value)
        if options is not None:
            return Choice(options, chosen, id=wid, blank=blank)
        if field.type == "long":
            return FieldText(plain(value), id=wid, soft_wrap=True, tab_behavior="focus",
                             compact=True, show_line_numbers=False, highlight_cursor_line=False,
                             placeholder=field.help)
        if field.type == "bool":
            return Checkbox("", bool(value), id=wid, compact=True)
        if field.type == "months":
            return FieldInput(plain(value), id=wid, type="integer", compact=True, max_length=3)
        if field.type == "date":
            return FieldInput(plain(value), id=wid, placeholder=field.help or "YYYY-MM-DD",
                         compact=True, max_length=10)
        return FieldInput(plain(value), id=wid, compact=True, placeholder=field.help)

    def _show_sections(self) -> None:
        """Show each conditional section only while its rule holds for the values as typed."""
        if not self._conditional:
            return
        values = self.values()
        for section, row in self._conditional:
            shown = section.applies(values)
            for widget in row:
                if widget.has_class("field-error"):
                    # Its own rule shows it with a problem; hidden, it stays hidden.
                    if shown:
                        widget.styles.clear_rule("display")
                    else:
                        widget.display = False
                else:
                    widget.display = shown

    def on_mount(self) -> None:
        self._show_sections()
        self.initial = self.values()
        first = all_fields(self.kind)[0]
        self._widgets[first.name].focus()
        self._built = True
        self.call_after_refresh(self._mount_rest)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler, which restyles every widget of the form when the
        # event asks (push_screen always does): 20-30 ms, a quarter of a reused form's opening.
        # A widget's style depends on the stylesheet, the app's classes and pseudo-classes, and
        # its own and its ancestors' classes and states; a change to the last restyles it at
        # once, shown or not. So when the first two are what they were the last time the form
        # was shown, the restyle would change nothing.
        app = self.app
        key = (app.stylesheet, app.stylesheet.rules, app.classes, app.pseudo_classes)
        if key == self._styled_with:
            event.refresh_styles = False
        self._styled_with = key

    # -- values --------------------------------------------------------------------------------

    def fill(self, record: dict[str, Any]) -> None:
        """Put a record's values in the widgets."""
        self._mount_rest()
        for field in all_fields(self.kind):
            _set(self._widgets[field.name], field, _value(record, field))

    def values(self) -> dict[str, Any]:
        """The widgets' values, in the shape the services take (dates as typed)."""
        return {f.name: _get(self._widgets[f.name], f) for f in all_fields(self.kind)}

    def changes(self) -> dict[str, Any]:
        now = self.values()
        return {k: v for k, v in now.items() if self.initial.get(k) != v}

    @property
    def dirty(self) -> bool:
        return bool(self.changes())

    # -- problems ------------------------------------------------------------------------------

    def clear_problems(self) -> None:
        for field in list(self._shown):
            self._mark(field, None)
        self.problem("")

    def _mark(self, field: str, problem: str | None) -> None:
        """Show (or clear) a problem under a field: its line exists from the start."""
        if self._shown.get(field, "") == (problem or "") or field not in self._errors:
            return
        self._mount_rest()
        error = self._errors[field]
        error.update(problem or "")
        error.set_class(bool(problem), "-on")
        self._labels[field].set_class(bool(problem), "-invalid")
        if problem:
            self._shown[field] = problem
        else:
            self._shown.pop(field, None)

    def show_problem(self, field: str, problem: str) -> None:
        """Show a problem beside its field (or above the form when no field is named)."""
        names = {f.name for f in all_fields(self.kind)}
        if field in names:
            self._touched.add(field)
            self._mark(field, problem)
            widget = self._widgets[field]
            widget.focus()
            self.call_after_refresh(widget.scroll_visible, animate=False)
        else:
            self.problem(f"{field}: {problem}" if field else problem)

    def problem_text(self, field: str) -> str:
        """The problem shown beside a field, or ""."""
        return self._shown.get(field, "")

    # -- checked as typed ----------------------------------------------------------------------

    def _field_of(self, widget: Widget | None) -> str | None:
        name = ((widget.id if widget is not None else None) or "").removeprefix("f-")
        return name if name in self._widgets else None

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(Choice.Changed)
    def _typed(self, event: Any) -> None:
        name = self._field_of(event.control)
        if name is None or not self._built or self.saving:
            return
        if _get(self._widgets[name], _field(self.kind, name)) != self.initial.get(name):
            self._touched.add(name)
        self._show_sections()
        # A problem whose cause is gone goes at once; a new one waits until typing stops, so a
        # half-typed date is not called wrong.
        self._check(show=set())
        if self._check_timer is not None:
            self._check_timer.stop()
        self._check_timer = self.set_timer(CHECK_AFTER, lambda: self._check(show={name}))

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        name = self._field_of(event.input)
        if name is not None and name in self._touched and self.is_attached and not self.saving:
            self._check(show={name})

    def _check(self, show: set[str]) -> None:
        """Check the whole form (in memory, no database): clear every problem shown that is no
        longer there, update those still there, and show new ones for the fields in `show`."""
        if not self.is_attached or self.saving:
            return
        from riskreg.services.field_problems import problems

        today = self._today()
        found = problems(self.kind, self.values(), today)
        caused: set[str] = set()
        if show:
            # A rule across fields (an addressable safeguard put in place: its decision note)
            # names a field not typed in: it is shown as soon as the change that broke it.
            before = self._found_before
            if before is None:
                before = problems(self.kind, self.initial, today)
            self._found_before = found
            caused = {name for name, problem in found.items()
                      if name not in show and before.get(name) != problem}
            self._touched |= caused
        for field in all_fields(self.kind):
            name = field.name
            shown = self.problem_text(name)
            problem = found.get(name)
            if problem and name in self._touched and (shown or name in show or name in caused):
                if problem != shown:
                    self._mark(name, problem)
            elif shown:
                self._mark(name, None)

    def _today(self) -> Any:
        """Today by the app's clock (the rules on dates a save checks), None outside the app."""
        today = getattr(self.app, "today", None)
        return today() if callable(today) else None

    # -- saving and leaving --------------------------------------------------------------------

    def action_save(self) -> None:
        if self.saving:
            return
        if self._check_timer is not None:
            self._check_timer.stop()
        self.clear_problems()
        changes = self.changes()
        if self.record is not None and not changes:
            self.dismiss(None)
            self.notify("No changes to save.", timeout=3)
            return
        values, revision = self.values(), self.revision
        self.run_save(lambda: self.save_record(values, changes, revision), self._saved)

    def _saved(self, saved: dict[str, Any]) -> None:
        self.dismiss(saved)

    def editable(self) -> list[Any]:
        return [self.query_one("#fields")]

    def show_saving(self, saving: bool, *, waiting: bool) -> None:
        if saving:
            self.problem("Waiting for the register: another window is saving…" if waiting
                         else "Saving…")
        elif self.problem_shown().startswith(("Saving", "Waiting")):
            self.problem("")

    def conflict(self, message: str) -> None:
        self.app.push_screen(
            changed_elsewhere(message, "the saved version and discards your edits in this form"),
            reload_if_yes(self.reload))

    def reload(self) -> None:
        if self.reload_record is None:
            return
        self.run_save(self.reload_record, self._reloaded)

    def _reloaded(self, record: dict[str, Any]) -> None:
        self.record = record
        self.revision = record["revision"]
        self.clear_problems()
        self.fill(record)
        self.query_one("#heading", Static).update(self._heading())
        self.initial = self.values()
        self._touched = set()
        self._found_before = None
        self.notify("Reloaded the saved version.", timeout=3)


def _field(kind: str, name: str) -> Field:
    return next(f for f in all_fields(kind) if f.name == name)


def _value(record: dict[str, Any], field: Field) -> Any:
    if field.type in ("owner", "tool"):
        return record.get(f"{field.name}_public_id", record.get(field.name))
    return record.get(field.name)


def _known(options: Any, value: Any) -> Any:
    """The value if it is one of the options, else nothing (the choice's default)."""
    return value if any(v == value for _, v in options) else BLANK


def _set(widget: Widget, field: Field, value: Any) -> None:
    if isinstance(widget, TextArea):
        if widget.text != plain(value):
            widget.load_text(plain(value))
    elif isinstance(widget, Checkbox):
        widget.value = bool(value)
    elif isinstance(widget, Choice):
        if field.type == "check":
            value = {True: "yes", False: "no"}.get(value, "unknown")
        if _known(widget.options, value) is not BLANK or widget.allow_blank:
            widget.value = _known(widget.options, value)
    elif isinstance(widget, Input):
        widget.value = plain(value)


def _reset(widget: Widget, value: Any, options: Any, chosen: Any) -> None:
    """Put a value in a widget as if it had just been built with it (a Choice: with these
    options, this one chosen)."""
    if isinstance(widget, Choice):
        widget.set_options(options, chosen)
    elif isinstance(widget, TextArea):
        widget.load_text(plain(value))  # always: it also forgets the undo history
    elif isinstance(widget, Checkbox):
        widget.value = bool(value)
    elif isinstance(widget, Input):
        widget.value = plain(value)
        widget.cursor_position = len(widget.value)  # where a new Input has it
        if isinstance(widget, FieldInput):
            widget.show_start()  # and showing its start, as a new one does


def _get(widget: Widget, field: Field) -> Any:
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Checkbox):
        return widget.value
    if isinstance(widget, Choice):
        if field.type == "check":
            return CHECK_VALUES.get(widget.value)
        return widget.value
    if isinstance(widget, Input):
        text = widget.value
        if field.type == "months":
            # ASCII digits only: str.isdigit() also accepts '²', which int() refuses.
            digits = text.strip()
            return int(digits) if digits.isascii() and digits.isdigit() else text
        return text
    raise TypeError(widget)
