"""One incident, step by step: the steps on the left (done, current, skipped, not yet), the step's
panel on the right, and ctrl+s to save it and move on. Every step is saved as it is completed, so
the practitioner can leave at any step and resume there later; leaving a step with answers not
saved yet (another step, escape, quitting the app) asks Save / Discard / Keep editing first.

The incident, its plan and the register's tools, hazards and owners the steps offer are read in
a thread, and each step is saved in one (`dialogs.base.Editor.run_save`): the screen answers keys
while another window holds the database's write lock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import MountError
from textual.widgets import ContentSwitcher, OptionList, Static
from textual.widgets.option_list import Option

from riskreg.domain import incident_steps as steps
from riskreg.ui.context import AppContext, riskreg_of
from riskreg.ui.dialogs.base import Editor
from riskreg.ui.incidents.decision_panels import (
    DeterminationPanel,
    ExceptionsPanel,
    FactorsPanel,
    IntakePanel,
    PhiPanel,
    SecuredPanel,
)
from riskreg.ui.incidents.notice_panels import CloseoutPanel, NoticesPanel, TrackingPanel
from riskreg.ui.incidents.panel import StepPanel
from riskreg.ui.incidents.plan_panels import LawEnforcementPanel, PlanPanel, ScopePanel
from riskreg.ui.incidents.plan_view import NOT_LEGAL_ADVICE, days_tone, days_words
from riskreg.ui.messages import RegisterChanged
from riskreg.ui.render import plain
from riskreg.ui.widgets.key_footer import KeyFooter

PANELS: tuple[type[StepPanel], ...] = (
    IntakePanel, PhiPanel, SecuredPanel, ExceptionsPanel, FactorsPanel, DeterminationPanel,
    ScopePanel, LawEnforcementPanel, PlanPanel, NoticesPanel, TrackingPanel, CloseoutPanel,
)
PANEL_OF = {panel.step_id: panel for panel in PANELS}

def applies(step_id: str, record: dict[str, Any] | None) -> bool:
    """Whether a step applies to this incident (the rule is the domain's); unknown yet counts
    as applying."""
    if record is None:
        return True
    return steps.applies(step_id, phi_involved=record.get("phi_involved"),
                         determination=record.get("determination"))


def early_scope(step_id: str, record: dict[str, Any] | None) -> bool:
    """The scope can be recorded once PHI was involved, before the determination: a state clock
    may already be running (issue 19; the service takes it then)."""
    return (step_id == "scope" and record is not None and bool(record.get("phi_involved"))
            and record.get("determination") is None)


def state_steps_open(step_id: str, record: dict[str, Any] | None) -> bool:
    """After a safe harbor, an exception or a low-probability finding, the scope and what follows
    from it are not done until the scope is recorded (state duties do not depend on HIPAA's
    determination)."""
    return (record is not None and step_id in steps.WITH_STATE_ANALYSIS
            and bool(record.get("state_analysis_only")) and record.get("affected") is None)


def skipped(step_id: str, record: dict[str, Any]) -> bool:
    """A step the path went past without needing it (still open to fill in)."""
    return steps.skipped(step_id,
                         presumption=(record.get("presumption") or {}).get("outcome"),
                         exceptions_recorded=bool(record.get("exceptions")),
                         factors_recorded=bool(record.get("factors")))


class IncidentScreen(Editor, Screen[None]):
    """The breach workflow for one incident (or a new one when `ref` is None)."""

    DEFAULT_CSS = """
    IncidentScreen {
        #incident-head { height: auto; max-height: 2; padding: 0 1; background: $primary-muted; }
        #incident-body { height: 1fr; }
        #rail {
            width: 24;
            height: 1fr;
            border-right: vkey $panel-lighten-2;
        }
        #rail-head { height: 1; padding: 0; text-style: bold; color: $text-muted; }
        #steps {
            height: 1fr;
            border: none;
            padding: 0;
            background: transparent;
            text-wrap: nowrap;
            text-overflow: clip;
        }
        #step-panels { width: 1fr; height: 1fr; }
        #not-legal-advice { height: auto; padding: 0 1; color: $text-muted; }
    }
    /* Narrow terminals: the step list shows its marks and numbers under its "Steps" heading,
       and opens up when focused. From 96 columns (HORIZONTAL_BREAKPOINTS) it is always open: the
       panel keeps about the width it has at 80 columns with the rail closed. */
    IncidentScreen.-narrow #rail { width: 6; }
    IncidentScreen.-narrow #rail:focus-within { width: 24; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save / continue", id="incident-save", priority=True,
                tooltip="Save this step and go to the next one"),
        Binding("escape", "back", "Back", id="incident-back", tooltip="Back to the incidents"),
        Binding("ctrl+o", "steps", "Steps", id="incident-steps",
                tooltip="Move to the list of steps (enter opens one)"),
        Binding("ctrl+r", "dossier", "Dossier", id="incident-screen-dossier",
                tooltip="Write this incident's dossier as HTML or Markdown"),
    ]

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-narrow"),
                                                                       (96, "-rail-open")]
    """The step rail is closed to its marks and numbers below 96 columns (open, it takes 24)."""

    unsaved_message = "This step has answers that are not saved yet."

    def __init__(self, ref: str | None) -> None:
        super().__init__(classes="incident-screen")
        self.ref = ref
        self.record: dict[str, Any] | None = None
        self.plan: Any = None
        self.tools: list[tuple[Text, str]] = []
        self.hazards: list[tuple[str, str]] = []
        self.owners: list[tuple[Text, str]] = []
        self.shown: str = "intake"
        self.loaded = False
        """The first read has landed (until then no step is shown and nothing can be saved)."""

    @property
    def riskreg(self) -> AppContext:
        return riskreg_of(self.app)

    @property
    def service(self) -> Any:
        return self.riskreg.services.incidents

    def today(self) -> date:
        return self.riskreg.today()

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("Reading the incident…" if self.ref else "New incident", id="incident-head",
                     markup=False)
        with Horizontal(id="incident-body"):
            with Vertical(id="rail"):
                # Without a heading, the closed rail's numbers read as line numbers.
                yield Static("Steps", id="rail-head", markup=False)
                yield OptionList(id="steps")
            # Panels are mounted when first shown: all twelve at once is ~700 widgets.
            yield ContentSwitcher(id="step-panels")
        yield Static(NOT_LEGAL_ADVICE, id="not-legal-advice", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.run_worker(self._load(), group="incident-load", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        """The first read: the register's choices, and the incident with its plan."""
        import asyncio

        from riskreg.errors import UserError

        register, service, ref = self.riskreg.register, self.service, self.ref

        def read() -> tuple[Any, ...]:
            from riskreg.services.register import ListQuery

            def rows(kind: str) -> list[dict[str, Any]]:
                return cast("list[dict[str, Any]]", register.list(kind, ListQuery(limit=None)).rows)

            return rows("tool"), rows("hazard"), rows("owner"), _read(service, ref)

        try:
            tools, hazards, owners, (record, plan, problem) = await asyncio.to_thread(read)
        except UserError as error:
            self.notify(str(error), severity="error", markup=False)
            self.dismiss()
            return
        self.tools = [(Text(plain(t["name"])), t["public_id"]) for t in tools]
        self.hazards = [(plain(h["title"]), h["public_id"]) for h in hazards]
        self.owners = [(Text(plain(o["name"])), o["public_id"]) for o in owners]
        self._apply(record, plan, problem)
        self.loaded = True
        self.show_step("intake" if self.record is None else self.resume_step, force=True)

    @property
    def resume_step(self) -> str:
        step = (self.record or {}).get("step", "intake")
        return "closeout" if step == steps.CLOSED else step

    def reload(self, then: Callable[[], Any] | None = None) -> None:
        """Read the incident again (after a write elsewhere), in a thread; then `then()`."""
        import asyncio

        service, ref = self.service, self.ref

        async def run() -> None:
            self._apply(*await asyncio.to_thread(_read, service, ref))
            if then is not None:
                then()

        self.run_worker(run(), group="incident-load", exclusive=True, exit_on_error=False)

    def _apply(self, record: dict[str, Any] | None, plan: Any, problem: str | None) -> None:
        """Show what `_read` read."""
        if problem is not None:
            self.plan = None
            if self.record is None:
                self.notify(problem, severity="error", markup=False)
        elif record is not None:
            self.record, self.plan = record, plan
        self._show_head()
        self._show_steps()

    def _show_head(self) -> None:
        palette = self.riskreg.palette
        record = self.record
        if record is None:
            head = Text("New incident · record what happened; nothing is saved until ctrl+s",
                        style=palette["bold"])
        else:
            head = Text.assemble((plain(record["reference"]), palette["bold"]), " · ",
                                 Text(plain(record["title"])), " · ")
            head.append(_status_words(record) + (f" · {record['determination_label']}"
                                            if record.get("determination_label") else ""))
            nxt = record.get("next_deadline")
            if nxt:
                days = nxt["days_left"]
                head.append(f" · next: {nxt['name']} {nxt['due']} ")
                head.append(f"({days_words(days)})", palette[days_tone(days)])
                if nxt.get("tentative") and not record.get("determination"):
                    head.append(" if it is a breach", palette["muted"])
        self.query_one("#incident-head", Static).update(head)

    def _show_steps(self) -> None:
        palette = self.riskreg.palette
        record = self.record
        current = steps.index(self.resume_step if record else "intake")
        options = []
        for n, step in enumerate(steps.STEPS):
            reachable = (n <= current or early_scope(step.id, record)) and applies(step.id,
                                                                                  record)
            if record is not None and record.get("status") == "closed":
                reachable = applies(step.id, record)
            if record is not None and (not applies(step.id, record) or skipped(step.id, record)):
                mark, tone = "–", "muted"
            elif state_steps_open(step.id, record):
                mark, tone = " ", "warning"  # the state analysis: not recorded yet
            elif n < current or (record and record.get("status") == "closed"):
                mark, tone = "✓", "success"
            elif n == current:
                mark, tone = "▸", "primary"
            else:
                mark, tone = " ", "muted"
            label = Text.assemble((f"{mark} ", palette[tone]), f"{n + 1:>2} {step.title}")
            if not reachable:
                label.stylize(palette["muted"])
            options.append(Option(label, id=step.id, disabled=not reachable))
        steps_list = self.query_one("#steps", OptionList)
        steps_list.set_options(options)
        steps_list.highlighted = steps.index(self.shown)

    # -- moving between steps ------------------------------------------------------------------

    @property
    def panel(self) -> StepPanel | None:
        """The panel shown (None until the first one is mounted)."""
        found = self.query(f"#panel-{self.shown}")
        return found.first(StepPanel) if found else None

    def show_step(self, step_id: str, *, force: bool = False, refocus: bool = True) -> None:
        """Show a step's panel, filled from the record (asking first about unsaved changes),
        from its top with its first field focused (`refocus`; else the focus stays put)."""
        panel = self.panel
        if self.saving and not force:
            self.notify("Saving… one moment.", timeout=2)
            return
        if not force and step_id != self.shown and panel is not None and panel.dirty:
            self.ask_unsaved(lambda: self.show_step(step_id, force=True))
            return
        self._show(step_id, refocus)

    @work(exclusive=True, group="incident-step", exit_on_error=False)
    async def _show(self, step_id: str, refocus: bool = True) -> None:
        if self not in self.app.screen_stack:
            return
        switcher = self.query_one("#step-panels", ContentSwitcher)
        found = switcher.query(f"#panel-{step_id}")
        if found:
            panel = found.first(StepPanel)
        else:
            panel = PANEL_OF[step_id](self)
            try:
                await switcher.mount(panel)
            except MountError:
                return  # the screen is closing (a save, then quitting)
        if self not in self.app.screen_stack or not panel.is_mounted:
            return  # the screen was closed meanwhile (a save, then leaving)
        self.shown = step_id
        switcher.current = panel.id
        panel.clear_problems()
        panel.fill(self.record)
        self.query_one("#steps", OptionList).highlighted = steps.index(step_id)
        if refocus:
            panel.scroll_home(animate=False)
            self.call_after_refresh(panel.focus_first)
        else:
            self.call_after_refresh(panel.keep_focus)

    @on(OptionList.OptionSelected, "#steps")
    def _step_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if not event.option.id:
            return
        panel = self.panel
        if event.option.id == self.shown and panel is not None and not self.saving:
            # The step already shown: back to it as it is, typing kept (issue 17: filling it
            # again from the record threw away what was not saved yet, without asking).
            self._back_to_panel(panel)
            return
        self.show_step(event.option.id)

    _focus_before_steps: Any = None
    """The step's widget that had the focus when ctrl+o moved it to the list of steps."""

    def action_steps(self) -> None:
        focused = self.focused
        panel = self.panel
        if focused is not None and panel is not None and panel in focused.ancestors:
            self._focus_before_steps = focused
        self.query_one("#steps", OptionList).focus()

    def _back_to_panel(self, panel: StepPanel) -> None:
        """The focus back where it was in the step before ctrl+o (else its first field)."""
        before, self._focus_before_steps = self._focus_before_steps, None
        if before is not None and panel in before.ancestors and before in self.focus_chain:
            before.focus()
        else:
            panel.focus_first()

    def action_dossier(self) -> None:
        from riskreg.ui.dialogs.write_report import open_dossier_dialog

        open_dossier_dialog(self.app, self.ref)

    def action_back(self) -> None:
        self.leave()

    @property
    def dirty(self) -> bool:
        return self.panel is not None and self.panel.dirty

    def close_editor(self) -> None:
        self.dismiss()

    # -- saving --------------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.panel is not None:
            self.run_save_step(self.panel.save)

    def run_save_step(self, write: Callable[[Any], dict[str, Any] | None], *,
                      stay: bool = False) -> None:
        """Call the service in a thread (the panel's values read first, here); show a problem
        beside its field, a conflict as a choice to reload; after a write, show the step the
        incident is at now (or stay on this one)."""
        panel = self.panel
        if self.riskreg.register is None or panel is None or not self.loaded or self.saving:
            return
        panel.clear_problems()
        panel.freeze()
        self._saving_panel = panel
        service = self.service

        def call() -> tuple[dict[str, Any] | None, Any]:
            saved = write(service)
            if saved is None:
                return None, None
            return saved, _read(service, saved["reference"])

        def done(result: tuple[dict[str, Any] | None, Any]) -> None:
            self._saving_panel = None
            saved, read = result
            if saved is None:
                return
            self.ref = saved["reference"]
            self._apply(*read)
            self.app.post_message(RegisterChanged("incident"))
            target = panel.step_id if stay else self.resume_step
            if not stay and panel.step_id == "scope" and saved.get("state_analysis_only"):
                target = "plan"  # HIPAA requires no notice: the state rows are in the plan
            # A button that keeps to its step (Write drafts, Record notice sent) keeps the
            # focus: sent back to the first field, a second enter typed into it instead.
            self.show_step(target, force=True, refocus=not stay)
            if not stay:
                where = steps.title(target)
                self.notify(f"Saved. {'Now: ' + where if target != panel.step_id else ''}".strip(),
                            timeout=3, markup=False)

        self.run_save(call, done)

    _saving_panel: StepPanel | None = None
    """The panel whose values the running save took (the one thawed when it ends)."""

    def editable(self) -> list[Any]:
        return [self._saving_panel] if self._saving_panel is not None else []

    def show_saving(self, saving: bool, *, waiting: bool) -> None:
        if not saving and self._saving_panel is not None:
            self._saving_panel.thaw()
        if saving and waiting:
            self.notify("Waiting for the register: another riskreg window or another program "
                        "is writing to it…", timeout=3)

    def show_problem(self, field: str, problem: str) -> None:
        if self.panel is not None:
            self.panel.show_problem(field, problem)
        else:
            self.notify(problem, severity="error", markup=False)

    def conflict(self, message: str) -> None:
        from riskreg.ui.dialogs.confirm import ConfirmDialog

        def answered(reload: bool | None) -> None:
            if reload:
                self.reload(then=lambda: self.show_step(self.shown, force=True))

        self.app.push_screen(ConfirmDialog(
            "Changed elsewhere",
            f"{message[0].upper()}{message[1:]}.\n\nReload shows the saved version; your "
            "answers on this step are discarded.",
            yes="Reload", no="Keep editing",
        ), answered)


def _status_words(record: dict[str, Any]) -> str:
    """"open", "closed", or "closed, notices still owed": closing never hides a notice."""
    if record["status"] == "closed" and record.get("outstanding"):
        return "closed, notices still owed"
    return record["status"]


def _read(service: Any, ref: str | None) -> tuple[dict[str, Any] | None, Any, str | None]:
    """(incident, plan, None), or (None, None, the problem); in a thread."""
    from riskreg.errors import UserError

    if ref is None:
        return None, None, None
    try:
        return service.get(ref), service.plan(ref), None
    except UserError as error:
        return None, None, str(error)
