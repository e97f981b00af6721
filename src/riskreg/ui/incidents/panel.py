"""The base of every step panel: its title and guidance, its fields, its problems, saving."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar, Protocol

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Checkbox, Input, SelectionList, Static, TextArea

from riskreg.domain import incident_steps as steps
from riskreg.errors import sentence
from riskreg.ui.context import AppContext
from riskreg.ui.dialogs.base import CHECK_AFTER
from riskreg.ui.incidents.form import DATE_PLACEHOLDER, FORM_CSS, get_value, key, set_value
from riskreg.ui.widgets.choice import Choice


class Wizard(Protocol):
    """What a step panel may ask of the incident screen that holds it (the screen imports
    every panel, so a panel reads this rather than importing the screen)."""

    record: dict[str, Any] | None
    """The incident as last read (None for a new one, until its first save)."""
    plan: Any
    """Its notification plan (`domain.deadlines`), None until the facts allow one."""
    tools: list[tuple[Any, str]]
    hazards: list[tuple[str, str]]
    owners: list[tuple[Any, str]]
    """(label, public id) for the choices a panel offers."""

    @property
    def riskreg(self) -> AppContext: ...

    @property
    def service(self) -> Any: ...

    def today(self) -> date: ...

    def reload(self, then: Callable[[], Any] | None = None) -> None: ...

    def run_save_step(self, write: Callable[[Any], dict[str, Any] | None], *,
                      stay: bool = False) -> None: ...


class StepPanel(VerticalScroll):
    """One step of the wizard. Subclasses list their `fields` (the service's field names),
    compose them in `body`, and call the service in `save`."""

    DEFAULT_CSS = "StepPanel { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; " + FORM_CSS + " }"

    step_id: ClassVar[str] = ""
    fields: ClassVar[tuple[str, ...]] = ()
    save_label: ClassVar[str] = "Save and continue"
    """What ctrl+s does here, for the footer hint."""
    check_input: ClassVar[Any] = None
    """The step's input model (`services.incident_inputs`) when the panel's values are its
    fields as they are: a problem shown beside a field then goes as soon as a change to another
    field takes its cause away (see `_clear_gone`)."""

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(id=f"panel-{self.step_id}", classes="step-panel")
        self.wizard = wizard
        self.snapshot: dict[str, Any] | None = None
        """The answers as shown once filled (taken a refresh after `fill`, when the choice
        widgets hold what they show); None until then, when nothing can have been typed."""
        self._frozen: dict[str, Any] | None = None
        """The values as they were when a save started (see `freeze`)."""
        self._check_timer: Timer | None = None
        self._unreadable: set[str] = set()
        """Date fields whose problem the check as typed put there (and takes away)."""

    @property
    def record(self) -> dict[str, Any] | None:
        return self.wizard.record

    @property
    def ref(self) -> str:
        return self.wizard.record["reference"] if self.wizard.record else ""

    @property
    def revision(self) -> int:
        return self.wizard.record["revision"] if self.wizard.record else 0

    def compose(self) -> ComposeResult:
        step = steps.step(self.step_id)
        number = steps.index(self.step_id) + 1
        yield Static(f"Step {number} of {len(steps.STEPS)} · {step.title}", classes="step-title",
                     markup=False)
        yield Static("", classes="panel-problem", id=f"problem-{self.step_id}", markup=False)
        yield Static("", classes="closed-note", id=f"closed-{self.step_id}", markup=False)
        yield from self.body()

    def body(self) -> ComposeResult:
        yield from ()

    # -- values --------------------------------------------------------------------------------

    def widget(self, name: str) -> Widget:
        return self.query_one(f"#f-{key(name)}")

    def fill(self, record: dict[str, Any] | None) -> None:
        """Show the record's answers (or the defaults for a new incident)."""
        for name in self.fields:
            set_value(self.widget(name), self.value_of(record or {}, name))
        self._show_closed(record)
        self.after_fill(record)
        self.call_after_refresh(self.remember)

    def _show_closed(self, record: dict[str, Any] | None) -> None:
        """A closed incident says so at the top of every step, before anything is typed: the
        service refuses every change until it is reopened (new-user run, item 2)."""
        note = self.query_one(f"#closed-{self.step_id}", Static)
        closed = bool(record) and record.get("status") == "closed"
        note.display = closed
        if closed:
            where = ("below" if self.step_id == "closeout" else
                     f"on step {steps.index('closeout') + 1}, {steps.title('closeout')}")
            note.update(f"{record['reference']} is closed: nothing on this step can be "
                        f"changed or recorded. Reopen it {where} to change it.")

    def after_fill(self, record: dict[str, Any] | None) -> None:
        """Anything shown besides the fields (presumptions, tables)."""

    def remember(self) -> None:
        self.snapshot = self.values()

    def value_of(self, record: dict[str, Any], name: str) -> Any:
        value: Any = record
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    def values(self) -> dict[str, Any]:
        if self._frozen is not None:
            return dict(self._frozen)
        return {name: get_value(self.widget(name)) for name in self.fields}

    def freeze(self) -> None:
        """Read the widgets now, on the UI thread: until `thaw`, `values` (and `dirty`, and
        `save`, which runs in a thread and must not touch a widget) use these values."""
        self._frozen = None
        self._frozen = self.values()

    def thaw(self) -> None:
        self._frozen = None

    @property
    def dirty(self) -> bool:
        # Before the snapshot a quick step change (or a quit) saw every answer as "typed" and
        # asked to save a step no one had touched.
        return bool(self.fields) and self.snapshot is not None and self.values() != self.snapshot

    def save(self, service: Any) -> dict[str, Any] | None:
        """Write this step through the service; return the saved incident (None: nothing to do)."""
        raise NotImplementedError

    # -- checked as typed ----------------------------------------------------------------------

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Choice.Changed)
    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged)
    def _typed(self, event: Any) -> None:
        """A problem shown beside a field goes the moment the field changes (the value it was
        about is gone; saving checks the new one). A date is checked once typing stops."""
        widget = event.control
        fragment = (widget.id or "").removeprefix("f-")
        if not fragment or self._frozen is not None:
            return
        error = self.query(f"#err-{fragment}")
        if error and error.first().has_class("-on"):
            self._mark(fragment, None)
        self._clear_gone()
        if isinstance(widget, Input) and widget.placeholder == DATE_PLACEHOLDER:
            if self._check_timer is not None:
                self._check_timer.stop()
            self._check_timer = self.set_timer(CHECK_AFTER, lambda: self._check_date(widget))

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        if event.input.placeholder == DATE_PLACEHOLDER and self._frozen is None:
            self._check_date(event.input)

    def _clear_gone(self) -> None:
        """Take away each problem a save showed whose cause the values no longer have (issue
        17: "Record whether the key or password was compromised" stayed after "Protected by"
        was changed to "Neither encrypted nor destroyed"). In memory, no database."""
        if self.check_input is None:
            return
        shown = [name for name in self.fields if key(name) not in self._unreadable
                 and (found := self.query(f"#err-{key(name)}")) and found.first().has_class("-on")]
        if not shown:
            return
        from riskreg.services.field_problems import step_problems

        problems, complete = step_problems(self.check_input, self.values())
        for name in shown:
            if name not in problems and complete:
                self._mark(key(name), None)

    def _check_date(self, widget: Input) -> None:
        from riskreg.domain.dates import parse_date

        if not self.is_attached or self._frozen is not None:
            return
        fragment = (widget.id or "").removeprefix("f-")
        text = widget.value.strip()
        try:
            if text:
                parse_date(text, "date")
        except ValueError as problem:
            self._mark(fragment, sentence(str(problem)))
            self._unreadable.add(fragment)
        else:
            if fragment in self._unreadable:
                self._mark(fragment, None)

    def _mark(self, fragment: str, problem: str | None) -> None:
        """Show (or clear) the problem line of the field whose id fragment this is."""
        found = self.query(f"#err-{fragment}")
        if not found:
            return
        if not problem:
            self._unreadable.discard(fragment)
        error = found.first(Static)
        error.update(problem or "")
        error.set_class(bool(problem), "-on")
        row = self.query(f"#row-{fragment}")
        if row:
            row.first().set_class(bool(problem), "-invalid")

    # -- problems ------------------------------------------------------------------------------

    def clear_problems(self) -> None:
        for error in self.query(".field-error.-on"):
            error.remove_class("-on")
        for invalid in self.query(".row.-invalid"):
            invalid.remove_class("-invalid")
        self.query_one(f"#problem-{self.step_id}").remove_class("-on")

    def show_problem(self, field: str, problem: str) -> None:
        """Beside its field when the panel has it, else at the top of the panel."""
        found = self.query(f"#err-{key(field)}")
        if found:
            error = found.first(Static)
            error.update(problem)
            error.add_class("-on")
            row = self.query(f"#row-{key(field)}")
            if row:
                row.first().add_class("-invalid")
            target = self.query(f"#f-{key(field)}")
            if target:
                target.first().focus()
            self.call_after_refresh(error.scroll_visible, animate=False)
            return
        # Not a field of this step ("status", "step"): the problem in words, without the
        # field's name, at the top of the step and, as the top may be out of view, in a toast.
        top = self.query_one(f"#problem-{self.step_id}", Static)
        top.update(sentence(problem))
        top.add_class("-on")
        self.notify(sentence(problem), severity="error", markup=False)
        self.call_after_refresh(self.scroll_home, animate=False)

    def problem_text(self, field: str) -> str:
        """The problem shown beside a field (or at the top for ""), for tests."""
        node = self.query_one(f"#err-{key(field)}" if field else f"#problem-{self.step_id}", Static)
        return str(node.content) if node.has_class("-on") else ""

    def focus_first(self) -> None:
        """The step's first field or button (as Tab would reach it) takes the focus, and the
        step shows from its top: its title in sight. Focusing scrolls to the field, which
        opened a step (Notices) with its title off the screen; a step that kept the focus
        on itself (Tracking) left enter doing nothing."""
        first = next((w for w in self.screen.focus_chain if self in w.ancestors), None)
        if first is None:
            self.focus(scroll_visible=False)
        else:
            first.focus(scroll_visible=False)
        self.scroll_home(animate=False, immediate=True)

    def keep_focus(self) -> None:
        """After a button's write that stays on this step: the focus stays on the button,
        unless the button is gone (Withdraw, with no notice left to withdraw)."""
        focused = self.screen.focused
        if focused is None or focused not in self.screen.focus_chain:
            self.focus_first()
