"""The yearly risk analysis in the app (issue 23): "Sign the risk analysis…" (a dialog: who,
a note, the statement signed, what the year's review has left), "Changes since last sign-off"
(a screen, grouped) and "Start the DATE review" (the checklist). Reached from the dashboard
(keys g, c and v) and the command palette. Every read and write runs in a thread."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, Static

from riskreg.domain.calendar_event import cut_at_word
from riskreg.services.annual_review import SETTLES
from riskreg.ui.context import AppContext, riskreg_of
from riskreg.ui.dialogs.base import Dialog, open_after_read
from riskreg.ui.messages import LoadFailed
from riskreg.ui.widgets.key_footer import KeyFooter

RECORD_WIDTH = 28
"""The record column of the changes view (a title cut at a word), so the change fits at 80."""


class SignDialog(Dialog["dict[str, Any] | None"]):
    """Who signs, a note, the statement they sign, and what the year's review has left."""

    DEFAULT_CSS = """
    SignDialog {
        & > #frame { width: 76; }
        #heading { text-style: bold; margin-bottom: 1; }
        #statement { margin-bottom: 1; }
        #left { color: $text-warning; margin-bottom: 1; }
        .row { height: auto; }
        .label { width: 10; color: $text-muted; }
        Input { width: 1fr; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Sign", id="sign-save", priority=True),
        Binding("escape", "cancel", "Cancel", id="sign-cancel"),
    ]

    unsaved_message = "The risk analysis is not signed yet."

    def __init__(self, statement: str, left: list[str], practitioner: str, sign: Any) -> None:
        super().__init__()
        self.statement = statement
        self.left = left
        self.practitioner = practitioner
        self.sign = sign

    def compose(self) -> ComposeResult:
        with Vertical(id="frame"):
            yield Static("Sign the risk analysis", id="heading")
            yield Static(f"You sign: “{self.statement}”", id="statement", markup=False)
            if self.left:
                yield Static("The year's review is not finished:\n" + "\n".join(
                    f"  • {line}" for line in self.left), id="left", markup=False)
            with Horizontal(classes="row"):
                yield Static("Name", classes="label")
                yield Input(self.practitioner, id="sign-by", compact=True, max_length=200)
            with Horizontal(classes="row"):
                yield Static("Note", classes="label")
                yield Input("", id="sign-note", compact=True, placeholder="optional")
            yield self.problem_line()
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button("Sign (ctrl+s)", id="save", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#sign-by").focus()

    @property
    def dirty(self) -> bool:
        return self.query_one("#sign-by", Input).value != self.practitioner or bool(
            self.query_one("#sign-note", Input).value.strip())

    def show_problem(self, field: str, problem: str) -> None:  # noqa: ARG002 (Editor's)
        self.problem(problem)

    def action_save(self) -> None:
        if self.saving:
            return
        by = self.query_one("#sign-by", Input).value
        note = self.query_one("#sign-note", Input).value
        self.run_save(lambda: self.sign(by, note), self.dismiss)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()


def open_sign_dialog(app: App) -> None:
    riskreg = riskreg_of(app)
    services = riskreg.services
    if services is None:
        return
    ra, review = services.risk_analysis, services.annual_review

    def read() -> tuple[str, list[str], str]:
        from riskreg.services.risk_analysis import statement_for

        progress = review.progress()
        left = [] if progress is None or not progress.left else [
            f"{len(progress.left)} items left", *progress.lines()]
        return statement_for(riskreg.today()), left, services.settings.get()["practitioner"]

    def opened(found: tuple[str, list[str], str]) -> None:
        def done(signed: dict[str, Any] | None) -> None:
            if signed:
                app.notify(f"Signed the risk analysis of {signed['signed_on']} "
                           f"(SHA-256 {signed['sha256'][:16]}).", title="Risk analysis",
                           markup=False)
                for screen in app.screen_stack:
                    if isinstance(screen, _ListScreen):
                        screen.reload()

        app.push_screen(SignDialog(*found, sign=lambda by, note: ra.sign(by, note)), done)

    open_after_read(app, read, opened, what="Sign the risk analysis")


class _ListScreen(Screen[None]):
    """A heading, a table and the footer: the changes and the review's checklist."""

    DEFAULT_CSS = """
    _ListScreen {
        #heading { height: auto; padding: 0 1; text-style: bold; }
        #about { height: auto; padding: 0 1; color: $text-muted; }
        DataTable { height: 1fr; }
    }
    """

    @property
    def riskreg(self) -> AppContext:
        return riskreg_of(self.app)

    def compose(self) -> ComposeResult:
        yield Static("", id="heading", markup=False)
        yield Static("", id="about", markup=False)
        yield DataTable(id="list", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.reload()

    def reload(self) -> None:
        self._fetch()

    @work(thread=True, exclusive=True, group="risk-analysis", exit_on_error=False)
    def _fetch(self) -> None:
        try:
            result = self.load()
        except Exception as error:  # noqa: BLE001 (shown to the user)
            self.post_message(LoadFailed(str(error)))
            return
        self.app.call_from_thread(self.show, result)

    def load(self) -> Any:
        raise NotImplementedError

    def show(self, result: Any) -> None:
        raise NotImplementedError

    @on(LoadFailed)
    def _failed(self, event: LoadFailed) -> None:
        self.query_one("#heading", Static).update(event.problem)

    def action_back(self) -> None:
        self.dismiss(None)


class ChangesScreen(_ListScreen):
    """What changed since the last sign-off, grouped (hazards, tools and BAAs, safeguards,
    incidents in the period, every other field)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="changes-back"),
        Binding("g", "sign", "Sign…", id="changes-sign"),
    ]

    def load(self) -> Any:
        services = self.riskreg.services
        if services is None or services.risk_analysis.last() is None:
            return None
        return services.risk_analysis.changes()

    def show(self, changes: Any) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns("Record", "Change")
        heading = self.query_one("#heading", Static)
        about = self.query_one("#about", Static)
        if changes is None:
            heading.update("Changes since last sign-off")
            about.update("No risk analysis has been signed yet: press g to sign it as it "
                         "stands; the next time, this lists what changed since.")
            return
        heading.update(f"Changes since the analysis signed on {changes.since}")
        about.update(f"From {changes.since_label} to {changes.until_label}: "
                     f"{len(changes.lines)} changes. Records are matched by their permanent id.")
        if not changes.lines:
            table.add_row(Text(""), Text("Nothing changed since."))
        group = None
        for n, line in enumerate(changes.lines):
            if line.group != group:
                group = line.group
                table.add_row(Text(group, style="bold"), Text(""), key=f"group-{n}")
            # The record first, cut at a word, so the change fits beside it at 80 columns.
            table.add_row(Text(f"  {cut_at_word(line.title, RECORD_WIDTH)}"), Text(line.what),
                          key=f"line-{n}")

    def action_sign(self) -> None:
        open_sign_dialog(self.app)


def open_changes(app: App) -> None:
    app.push_screen(ChangesScreen())


class ReasonDialog(Dialog["str | None"]):
    """Why a hazard is carried forward unchanged (required), or a note for a confirmation."""

    DEFAULT_CSS = """
    ReasonDialog {
        & > #frame { width: 70; }
        #heading { text-style: bold; margin-bottom: 1; }
        Input { width: 1fr; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="reason-cancel"),
    ]

    def __init__(self, heading: str, required: bool) -> None:
        super().__init__()
        self.heading = heading
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(id="frame"):
            yield Static(self.heading, id="heading", markup=False)
            yield Input("", id="reason", compact=True,
                        placeholder="why (required)" if self.required else "note (optional)")
            yield self.problem_line()

    def on_mount(self) -> None:
        self.query_one("#reason").focus()

    @property
    def dirty(self) -> bool:
        return bool(self.query_one("#reason", Input).value.strip())

    def action_save(self) -> None:
        value = self.query_one("#reason", Input).value
        if self.required and not value.strip():
            self.problem("Give the reason it is carried forward unchanged.")
            return
        self.dismiss(value)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()


CONFIRMED = {"tool": "its BAA and vendor checklist", "safeguard": "its addressable decision"}
"""What confirming a record's checklist item confirms, by its kind."""


class ReviewScreen(_ListScreen):
    """The year's review: each item due, done or not; keys settle the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="review-back"),
        Binding("f", "carry", "Carry forward", id="review-carry"),
        Binding("o", "confirm", "Confirm", id="review-confirm"),
        Binding("enter", "open", "Open", id="review-open"),
        Binding("g", "sign", "Sign…", id="review-sign"),
    ]

    items: list[Any] = []

    def load(self) -> Any:
        services = self.riskreg.services
        if services is None:
            return None
        review = services.annual_review
        return review.progress() or review.start()

    def show(self, progress: Any) -> None:
        if progress is None:
            return
        self.items = progress.items
        self.query_one("#heading", Static).update(
            f"The {progress.started_on.year} review, started {progress.started_on}")
        self.query_one("#about", Static).update(
            " · ".join(progress.lines()) + ". f carries a hazard forward, o confirms a tool or "
            "safeguard, enter opens a hazard to mark it reviewed.")
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_columns("", "Kind", "Record", "Status")
        for item in self.items:
            table.add_row(Text("✓" if item.done else "☐"), Text(item.kind), Text(item.title),
                          Text(item.how), key=item.public_id)
        if self.items:
            table.move_cursor(row=min(row, len(self.items) - 1))

    def _current(self) -> Any:
        table = self.query_one(DataTable)
        if not self.items or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    def _settle(self, item: Any, outcome: str, reason: str) -> None:
        services = self.riskreg.services
        if services is None:
            return

        async def run() -> None:
            import asyncio

            from riskreg.errors import UserError, sentence

            try:
                progress = await asyncio.to_thread(
                    services.annual_review.settle, item.kind, item.public_id, outcome, reason)
            except UserError as error:
                self.notify(sentence(str(error)), severity="error", markup=False)
                return
            self.show(progress)

        self.run_worker(run(), group="review-settle", exclusive=True, exit_on_error=False)

    def action_carry(self) -> None:
        item = self._current()
        if item is None or item.kind not in SETTLES["carried_forward"]:
            self.notify("Carry forward is for a hazard; confirm a tool or safeguard with o.",
                        markup=False)
            return

        def answered(reason: str | None) -> None:
            if reason:
                self._settle(item, "carried_forward", reason)

        self.app.push_screen(ReasonDialog(f"Carry forward unchanged: {item.title}", True),
                             answered)

    def action_confirm(self) -> None:
        item = self._current()
        if item is None or item.kind not in SETTLES["confirmed"]:
            self.notify("A hazard is reviewed (enter) or carried forward (f).", markup=False)
            return
        what = CONFIRMED.get(item.kind, "it")

        def answered(reason: str | None) -> None:
            if reason is not None:
                self._settle(item, "confirmed", reason)

        self.app.push_screen(ReasonDialog(f"Confirm {what}: {item.title}", False), answered)

    def action_open(self) -> None:
        item = self._current()
        if item is not None:
            self.riskreg.open_record(item.kind, item.public_id)

    def action_sign(self) -> None:
        open_sign_dialog(self.app)

    def on_screen_resume(self) -> None:
        self.reload()  # back from a record (a hazard marked reviewed there)


def open_review(app: App) -> None:
    app.push_screen(ReviewScreen())
