"""The base of every step panel: its title and guidance, its fields, its problems, saving."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from riskreg.domain import incident_steps as steps
from riskreg.ui.incidents.form import FORM_CSS, get_value, key, set_value

if TYPE_CHECKING:
    from riskreg.ui.incidents.screen import IncidentScreen


class StepPanel(VerticalScroll):
    """One step of the wizard. Subclasses list their `fields` (the service's field names),
    compose them in `body`, and call the service in `save`."""

    DEFAULT_CSS = "StepPanel { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; " + FORM_CSS + " }"

    step_id: ClassVar[str] = ""
    fields: ClassVar[tuple[str, ...]] = ()
    save_label: ClassVar[str] = "Save and continue"
    """What ctrl+s does here, for the footer hint."""

    def __init__(self, wizard: IncidentScreen) -> None:
        super().__init__(id=f"panel-{self.step_id}", classes="step-panel")
        self.wizard = wizard
        self.snapshot: dict[str, Any] = {}

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
        self.after_fill(record)
        self.call_after_refresh(self.remember)

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
        return {name: get_value(self.widget(name)) for name in self.fields}

    @property
    def dirty(self) -> bool:
        return bool(self.fields) and self.values() != self.snapshot

    def save(self, service: Any) -> dict[str, Any] | None:
        """Write this step through the service; return the saved incident (None: nothing to do)."""
        raise NotImplementedError

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
        top = self.query_one(f"#problem-{self.step_id}", Static)
        top.update(f"{field.replace('_', ' ')}: {problem}" if field else problem)
        top.add_class("-on")
        self.call_after_refresh(self.scroll_home, animate=False)

    def problem_text(self, field: str) -> str:
        """The problem shown beside a field (or at the top for ""), for tests."""
        node = self.query_one(f"#err-{key(field)}" if field else f"#problem-{self.step_id}", Static)
        return str(node.content) if node.has_class("-on") else ""

    def focus_first(self) -> None:
        for name in self.fields:
            widget = self.widget(name)
            if widget.focusable:
                widget.focus()
                return
        self.focus()
