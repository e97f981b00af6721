"""Steps 7-9: who was affected and where, law-enforcement holds, the deadline plan."""

from __future__ import annotations

import re
from typing import Any

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from riskreg.domain.incident_steps import STATEMENT_KINDS
from riskreg.domain.text import plural
from riskreg.services.incident_inputs import StatementInput, max_length
from riskreg.ui.incidents.form import checkbox, choice, date_input, long_input, row, text_input
from riskreg.ui.incidents.panel import StepPanel
from riskreg.ui.incidents.plan_view import plan_renderable
from riskreg.ui.render import plain

_PAIR = re.compile(r"\s*([A-Za-z]{2})\s*[=:]\s*([^\s,;]+)\s*")


def pairs(text: str, field: str) -> dict[str, str]:
    """"FL=560, GA=80" -> {"FL": "560", "GA": "80"}; anything else is a problem for `field`."""
    from riskreg.errors import ValidationError

    out: dict[str, str] = {}
    for chunk in re.split(r"[,;\n]+", text or ""):
        if not chunk.strip():
            continue
        match = _PAIR.fullmatch(chunk)
        if not match:
            raise ValidationError(field, f"{chunk.strip()!r} is not in the form XX=value, e.g. FL=560")
        code = match.group(1).upper()
        if code in out:
            raise ValidationError(field, f"{code} is given twice")
        out[code] = match.group(2)
    return out


class ScopePanel(StepPanel):
    step_id = "scope"
    fields = ("affected", "residents", "determined", "insufficient_contact", "deceased_with_kin",
              "part2_affected", "urgent")

    def body(self) -> ComposeResult:
        yield Static("Who must be told depends on how many people were affected and where they "
                     "live. Count people, never name them. State laws apply whatever HIPAA's "
                     "determination: record the scope after a safe harbor, an exception or a "
                     "low-probability finding too, or before you decide (a state clock of 30 days "
                     "may already be running).", classes="guidance", markup=False)
        yield row("Affected in total", text_input("affected", "number of people", 9), "affected",
                  required=True)
        yield row("By state", text_input("residents", "e.g. FL=560, GA=80"), "residents",
                  "residents per state or territory (2-letter code); media notice above 500 in one "
                  "state (164.406)")
        yield row("State determination", text_input("determined", "e.g. TX=2026-10-20"),
                  "determined", "only for states counting from the date you determined the breach, "
                  "when that differs from discovery")
        yield row("No current address", text_input("insufficient_contact", "0", 9),
                  "insufficient_contact", "people you cannot reach by mail: substitute notice "
                  "(164.404(d)(2))")
        yield row("Deceased, next of kin known", text_input("deceased_with_kin", "0", 9),
                  "deceased_with_kin", "their next of kin or representative is told (164.404(d)(1)(ii))")
        yield row("With Part 2 records", text_input("part2_affected", "0", 9), "part2_affected",
                  "how many of them had substance use disorder treatment records (42 CFR Part 2) "
                  "involved: the separate Part 2 report counts them (42 CFR 2.16)")
        yield row("Urgent", checkbox("urgent", "possible imminent misuse: also telephone people"),
                  "urgent")

    def value_of(self, record: dict[str, Any], name: str) -> Any:
        if name == "residents":
            return ", ".join(f"{k}={v}" for k, v in (record.get("residents") or {}).items())
        if name == "determined":
            return ", ".join(f"{k}={v}" for k, v in (record.get("determined") or {}).items())
        if name in ("insufficient_contact", "deceased_with_kin", "part2_affected") and record.get(
                "affected") is None:
            return ""
        return super().value_of(record, name)

    def save(self, service: Any) -> dict[str, Any]:
        data = self.values()
        data["residents"] = pairs(data["residents"], "residents")
        data["determined"] = pairs(data["determined"], "determined")
        for name in ("insufficient_contact", "deceased_with_kin", "part2_affected"):
            data[name] = data[name] or "0"
        return service.save_scope(self.ref, data, self.revision)


class LawEnforcementPanel(StepPanel):
    step_id = "law_enforcement"
    fields = ("kind", "statement_on", "days", "official", "agency", "notes")
    save_label = "Add / continue"

    def body(self) -> ComposeResult:
        yield Static("Has a law-enforcement official told you that notice now would impede a "
                     "criminal investigation or damage national security? Record each statement; "
                     "if none, just continue (ctrl+s). (45 CFR 164.412)", classes="guidance",
                     markup=False)
        yield Static("", id="statements")
        yield Static("Record a statement", classes="subhead", markup=False)
        yield row("Kind", choice("kind", [(v, k) for k, v in STATEMENT_KINDS.items()]), "kind",
                  required=True)
        yield row("Date of the statement", date_input("statement_on"), "statement_on", required=True)
        yield row("Delay asked (days)", text_input("days", "written statements only", 4), "days")
        yield row("Official", text_input("official", "name and title",
                                          max_length(StatementInput, "official")), "official",
                  "required for an oral statement (164.412(b))")
        agency = text_input("agency", "", max_length(StatementInput, "agency"))
        yield row("Agency", agency, "agency", required=True)
        yield row("Notes", long_input("notes"), "notes")
        with Horizontal(classes="buttons"):
            yield Button("Add statement", id="add-statement", compact=True, variant="primary")
            yield Button("Withdraw the last statement", id="withdraw-statement", compact=True)

    def value_of(self, record: dict[str, Any], name: str) -> Any:  # noqa: ARG002 (StepPanel's)
        return None  # the form is for a new statement

    def after_fill(self, record: dict[str, Any] | None) -> None:
        statements = (record or {}).get("statements") or []
        text = Text()
        if not statements:
            text.append("No statement recorded.", self.wizard.riskreg.palette["muted"])
        for s in statements:
            period = f", asks {plural(s['days'], 'day')}" if s["days"] else ", at most 30 days"
            who = ", ".join(plain(p) for p in (s["official"], s["agency"]) if p)
            text.append(f"• {s['kind']} statement of {s['statement_on']}{period} ({who})\n")
        self.query_one("#statements", Static).update(text)
        self.query_one("#withdraw-statement").display = bool(statements)

    def save(self, service: Any) -> dict[str, Any]:
        if self.dirty:
            return service.add_statement(self.ref, self.values(), self.revision)
        return service.complete_step(self.ref, self.step_id, self.revision)

    @on(Button.Pressed, "#add-statement")
    def _add(self) -> None:
        self.wizard.run_save_step(lambda service: service.add_statement(self.ref, self.values(),
                                                                   self.revision), stay=True)

    @on(Button.Pressed, "#withdraw-statement")
    def _withdraw(self) -> None:
        """Withdrawing is asked first, naming the statement in words; Keep is the default."""
        from riskreg.ui.dialogs.confirm import ConfirmDialog

        statements = (self.record or {}).get("statements") or []
        if not statements:
            return
        statement = statements[-1]
        last = statement["public_id"]

        def answered(yes: bool | None) -> None:
            if yes:
                self.wizard.run_save_step(lambda service: service.withdraw_statement(
                    self.ref, last, self.revision), stay=True)

        self.app.push_screen(ConfirmDialog("Withdraw a statement",
                                           withdraw_statement_question(statement),
                                           yes="Withdraw", no="Keep", danger=True,
                                           default_yes=False), answered)


def withdraw_statement_question(statement: dict[str, Any]) -> str:
    """The question asked before a recorded law-enforcement statement is withdrawn, in words."""
    who = ", ".join(plain(p) for p in (statement.get("official"), statement.get("agency")) if p)
    by = f" from {who}" if who else ""
    return (f"Withdraw the {statement.get('kind')} statement of {statement.get('statement_on')}"
            f"{by}? It stays in the history, marked withdrawn.")


class PlanPanel(StepPanel):
    step_id = "plan"
    save_label = "Continue"

    def body(self) -> ComposeResult:
        yield Static("", id="plan")
        with Horizontal(classes="buttons"):
            yield Button("Export to calendar", id="export-plan", compact=True)

    def after_fill(self, record: dict[str, Any] | None) -> None:
        plan_widget = self.query_one("#plan", Static)
        plan = self.wizard.plan
        palette = self.wizard.riskreg.palette
        state_only = bool((record or {}).get("state_analysis_only"))
        if plan is None:
            problem = (record or {}).get("plan_problem") or "Record the scope first."
            if state_only and not (record or {}).get("plan_problem"):
                problem = ("HIPAA requires no notice on your determination, but state laws may "
                           "still: record the scope (step 7, where the affected people live) to "
                           "see the state rows. Verify with counsel.")
            plan_widget.update(Text(f"No plan yet: {problem}"))
            return
        body = plan_renderable(plan, record["obligations"], self.wizard.today(), palette)
        if state_only and plan.warnings:
            # The plan's first warning says why only state rows are listed: shown first too.
            body = Group(Text(plan.warnings[0], style=palette["warning"]), Text(""), body)
        plan_widget.update(body)

    def save(self, service: Any) -> dict[str, Any]:
        return service.complete_step(self.ref, self.step_id, self.revision)

    @on(Button.Pressed, "#export-plan")
    def _export(self) -> None:
        try:
            from riskreg.ui.dialogs.export_calendar import open_export_dialog
        except ImportError:
            self.notify("Calendar export is not available in this build.", severity="warning")
            return
        open_export_dialog(self.app, incident=self.ref)
