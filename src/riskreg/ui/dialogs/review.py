"""Mark a hazard reviewed: the date (today unless changed) and what the review found."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

Record = Callable[[date, str], dict[str, Any]]
"""record(reviewed_on, notes) -> the hazard after the review; raises UserError."""


class ReviewDialog(ModalScreen["dict[str, Any] | None"]):
    DEFAULT_CSS = """
    ReviewDialog {
        align: center middle;
        & > Vertical {
            width: 72;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: thick $primary;
            background: $surface;
            padding: 0 1;
        }
        #heading { text-style: bold; margin-bottom: 1; }
        #about { color: $text-muted; margin-bottom: 1; }
        .row { height: auto; }
        .label { width: 12; color: $text-muted; }
        #reviewed-on { width: 14; }
        #notes { height: 5; border: none; padding: 0; }
        #review-problem { color: $text-error; height: auto; display: none; }
        #review-problem.-on { display: block; }
        #buttons { height: auto; align-horizontal: right; margin-top: 1; }
        Button { margin-left: 2; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Record review", id="review-save", priority=True),
        Binding("escape", "cancel", "Cancel", id="review-cancel"),
    ]

    def __init__(self, hazard: dict[str, Any], today: date, record: Record) -> None:
        super().__init__()
        self.hazard = hazard
        self.today = today
        self.record_review = record

    def compose(self) -> ComposeResult:
        h = self.hazard
        with Vertical():
            yield Static(f"Mark reviewed: {h['title']}", id="heading", markup=False)
            yield Static(
                f"Scores now: inherent {h['likelihood']}×{h['impact']} ({h['level']}), residual "
                f"{h['residual_likelihood']}×{h['residual_impact']} ({h['residual_level']}); "
                f"they are recorded with the review. The next review is set "
                f"{h['review_cadence_months']} months after the review date.",
                id="about", markup=False,
            )
            with Horizontal(classes="row"):
                yield Static("Reviewed on", classes="label")
                yield Input(self.today.isoformat(), id="reviewed-on", compact=True, max_length=10,
                            placeholder="YYYY-MM-DD")
            with Horizontal(classes="row"):
                yield Static("Notes", classes="label")
                yield TextArea("", id="notes", compact=True, tab_behavior="focus",
                               placeholder="what was checked, what changed")
            yield Static("", id="review-problem", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button("Record review (ctrl+s)", id="save", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#notes").focus()

    def problem(self, text: str) -> None:
        shown = self.query_one("#review-problem", Static)
        shown.update(text)
        shown.set_class(bool(text), "-on")

    def action_save(self) -> None:
        from riskreg.domain.dates import parse_date
        from riskreg.errors import UserError, ValidationError

        try:
            reviewed_on = parse_date(self.query_one("#reviewed-on", Input).value, "review date")
        except ValueError as error:
            self.problem(str(error))
            self.query_one("#reviewed-on").focus()
            return
        try:
            hazard = self.record_review(reviewed_on, self.query_one("#notes", TextArea).text)
        except ValidationError as error:
            self.problem(error.problem)
            return
        except UserError as error:
            self.problem(str(error))
            return
        self.dismiss(hazard)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
