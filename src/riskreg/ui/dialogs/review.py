"""Mark a hazard reviewed: the date (today unless changed), what the review found, and the scores
it leaves (inherent, current and target, prefilled with today's; finding 23: the dialog showed
them and offered no way to change them). ctrl+s records it (in a thread, see `dialogs.base`);
escape asks Save / Discard / Keep editing when something was typed or changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static, TextArea

from riskreg.errors import sentence
from riskreg.ui.dialogs.base import Dialog
from riskreg.ui.dialogs.fields import IMPACT, LIKELIHOOD
from riskreg.ui.render import plain
from riskreg.ui.widgets.choice import Choice
from riskreg.ui.widgets.field_input import FieldInput

Record = Callable[[date, str, int, dict[str, int]], dict[str, Any]]
"""record(reviewed_on, notes, revision read, scores) -> the hazard after the review; raises
UserError. Called in a thread: it must not touch a widget."""

LEVELS = (("Inherent", ""), ("Current", "current_"), ("Target", "target_"))
"""The three scores a review may change (row label, the hazard record's field prefix)."""

PROBLEM_FIELDS = {"current_assessed_likelihood": "current_likelihood",
                  "current_assessed_impact": "current_impact"}
"""A current assessment's fields, as the services name them, to the score shown here."""


class ReviewDialog(Dialog["dict[str, Any] | None"]):
    DEFAULT_CSS = """
    ReviewDialog {
        & > #frame { width: 72; }
        #heading { text-style: bold; margin-bottom: 1; }
        #about { color: $text-muted; margin-bottom: 1; }
        .row { height: auto; }
        .label { width: 12; color: $text-muted; }
        .times { width: 3; content-align: center middle; color: $text-muted; }
        #review-scores { height: auto; }
        Choice { width: 20; }
        #reviewed-on { width: 14; }
        #notes { height: 5; border: none; padding: 0; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Record review", id="review-save", priority=True),
        Binding("escape", "cancel", "Cancel", id="review-cancel"),
    ]

    unsaved_message = "This review is not recorded yet."

    def __init__(self, hazard: dict[str, Any], today: date, record: Record, *,
                 reload: Callable[[], dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.hazard = hazard
        self.reload_hazard = reload
        self.today = today
        self.record_review = record

    def compose(self) -> ComposeResult:
        with Vertical(id="frame"):
            yield Static(f"Mark reviewed: {plain(self.hazard['title'])}", id="heading", markup=False)
            yield Static(self._about(), id="about", markup=False)
            with Horizontal(classes="row", id="review-fields"):
                yield Static("Reviewed on", classes="label")
                yield FieldInput(self.today.isoformat(), id="reviewed-on", compact=True, max_length=10,
                            placeholder="YYYY-MM-DD")
            with Vertical(id="review-scores"):
                for name, prefix in LEVELS:
                    with Horizontal(classes="row"):
                        yield Static(name, classes="label")
                        yield Choice(LIKELIHOOD, self.hazard[f"{prefix}likelihood"],
                                     id=f"s-{prefix}likelihood")
                        yield Static("×", classes="times")
                        yield Choice(IMPACT, self.hazard[f"{prefix}impact"], id=f"s-{prefix}impact")
            with Horizontal(classes="row", id="review-notes"):
                yield Static("Notes", classes="label")
                yield TextArea("", id="notes", compact=True, tab_behavior="focus",
                               placeholder="what was checked, what changed")
            yield self.problem_line()
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button("Record review (ctrl+s)", id="save", variant="primary", compact=True)

    def _about(self) -> str:
        h = self.hazard
        return (f"Scores now: inherent {h['likelihood']}×{h['impact']} ({h['level']}), current "
                f"{h['current_likelihood']}×{h['current_impact']} ({h['current_level']}), target "
                f"{h['target_likelihood']}×{h['target_impact']} ({h['target_level']}). Change "
                f"them below if the review found otherwise (←/→); a new current score is a "
                f"current assessment dated the review's day. The next review is set "
                f"{h['review_cadence_months']} months after the review date.")

    def scores(self) -> dict[str, int]:
        """The scores as chosen, named as the hazard's record names them."""
        return {f"{prefix}{part}": self.query_one(f"#s-{prefix}{part}", Choice).value
                for _, prefix in LEVELS for part in ("likelihood", "impact")}

    def _scores_then(self) -> dict[str, int]:
        return {key: self.hazard[key] for key in self.scores()}

    def editable(self) -> list[Any]:
        return [self.query_one("#review-fields"), self.query_one("#review-scores"),
                self.query_one("#review-notes")]

    def conflict(self, message: str) -> None:
        """The hazard was saved elsewhere since the dialog opened: reload it (the date, notes and
        scores changed here stay), then the review can be recorded against what is saved now."""
        from riskreg.ui.dialogs.confirm import changed_elsewhere, reload_if_yes

        if self.reload_hazard is None:
            super().conflict(message)
            return
        self.app.push_screen(changed_elsewhere(
            message, "the hazard as saved now and keeps the date, notes and scores changed here"),
            reload_if_yes(self.reload))

    def reload(self) -> None:
        if self.reload_hazard is not None:
            self.run_save(self.reload_hazard, self._reloaded)

    def _reloaded(self, hazard: dict[str, Any]) -> None:
        chosen, then = self.scores(), self._scores_then()
        self.hazard = hazard
        for key, value in chosen.items():
            # A score changed here stays as chosen; one left alone shows the hazard as saved now.
            self.query_one(f"#s-{key}", Choice).value = value if value != then[key] else hazard[key]
        self.query_one("#heading", Static).update(f"Mark reviewed: {plain(hazard['title'])}")
        self.query_one("#about", Static).update(self._about())
        self.problem("")
        self.notify("Reloaded the hazard as saved now; record the review again.", timeout=4)

    def on_mount(self) -> None:
        self.query_one("#notes").focus()

    @property
    def dirty(self) -> bool:
        return bool(self.query_one("#notes", TextArea).text.strip()) or \
            self.query_one("#reviewed-on", Input).value.strip() != self.today.isoformat() or \
            self.scores() != self._scores_then()

    def show_problem(self, field: str, problem: str) -> None:
        self.problem(problem)
        field = PROBLEM_FIELDS.get(field, field)
        if field == "reviewed_on":
            self.query_one("#reviewed-on").focus()
        elif field in self.scores():
            self.query_one(f"#s-{field}").focus()

    @on(Input.Changed, "#reviewed-on")
    def _date_typed(self, event: Input.Changed) -> None:
        """A problem with the date goes the moment the date reads."""
        from riskreg.domain.dates import parse_date

        if not self.problem_shown() or self.saving:
            return
        try:
            parse_date(event.value, "review date")
        except ValueError:
            return
        self.problem("")

    def action_save(self) -> None:
        from riskreg.domain.dates import parse_date

        if self.saving:
            return
        try:
            reviewed_on = parse_date(self.query_one("#reviewed-on", Input).value, "review date")
        except ValueError as error:
            self.show_problem("reviewed_on", sentence(str(error)))
            return
        self.problem("")
        notes, revision = self.query_one("#notes", TextArea).text, self.hazard["revision"]
        scores = self.scores()
        self.run_save(lambda: self.record_review(reviewed_on, notes, revision, scores),
                      self.dismiss)

    def show_saving(self, saving: bool, *, waiting: bool) -> None:
        button = self.query_one("#save", Button)
        button.disabled = saving
        button.label = ("Waiting for the register…" if waiting else "Recording…") if saving \
            else "Record review (ctrl+s)"

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
