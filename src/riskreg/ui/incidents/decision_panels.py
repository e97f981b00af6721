"""Steps 1-6: what happened, then the decision path of 45 CFR 164.402.

The determination step shows what the rule presumes on the record (domain `presumption`); the
practitioner chooses, and must say why. Nothing here preselects a determination.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from riskreg.domain.determination import (
    ENCRYPTION_IN_FORCE,
    EXCEPTIONS,
    FACTORS,
    PERMITTED_STEP,
    PHI_STEP,
    SECURED_STEP,
    factor_options,
)
from riskreg.domain.incident_steps import BREACH_TYPES, CHOICE_LABELS, PHI_TYPES, SECURED_BY
from riskreg.services.incident_inputs import IntakeInput, SecuredInput, max_length
from riskreg.ui.incidents.form import (
    checkbox,
    choice,
    date_input,
    long_input,
    row,
    selection,
    text_input,
    yes_no,
)
from riskreg.ui.incidents.panel import StepPanel

NO_NAMES = ("Write what happened without client names or anything that identifies them: say "
            "\"a client\" or use client codes. The title is shown in lists; neither ever leaves the "
            "app (files and calendars carry the reference only).")

OUTCOMES = {
    "incomplete": "Not enough is recorded yet to say",
    "not_phi": "No PHI: the Breach Notification Rule does not apply",
    "permitted": "A permitted or incidental use or disclosure: not a breach",
    "safe_harbor": "Secured PHI (safe harbor): no duty to notify",
    "exception": "An exception applies: not a breach, if the facts hold",
    "low_probability_supported": "The assessment may support a low probability of compromise",
    "presumed_breach": "Presumed a breach: notify, unless the assessment shows otherwise",
}


class IntakePanel(StepPanel):
    step_id = "intake"
    fields = ("title", "description", "breach_type", "occurred_on", "occurred_until",
              "discovered_on",
              "discovered_by", "ba_involved", "ba_tool", "ba_discovered_on", "ba_is_agent",
              "hazards")

    def body(self) -> ComposeResult:
        yield Static(NO_NAMES, classes="reminder", markup=False)
        yield row("Short title", text_input("title", "e.g. Laptop stolen from the car",
                                           max_length(IntakeInput, "title")),
                  "title", required=True)
        yield row("What happened", long_input("description"), "description",
                  "in plain words; no client names")
        yield row("Type of breach", choice("breach_type",
                                           [(v, k) for k, v in BREACH_TYPES.items()],
                                           "Not answered"),
                  "breach_type", "as the HHS breach portal asks it")
        yield row("Happened on", date_input("occurred_on"), "occurred_on",
                  "the first day, if known")
        yield row("…until", date_input("occurred_until"), "occurred_until",
                  "the last day, if it went on for a while")
        yield row("Discovered on", date_input("discovered_on"), "discovered_on",
                  "the first day anyone at the practice knew, or should have known: the clock "
                  "starts here, not when the investigation ends (164.404(a)(2))", required=True)
        by = text_input("discovered_by", "", max_length(IntakeInput, "discovered_by"))
        yield row("Discovered by", by, "discovered_by")
        yield Static("Business associate", classes="subhead", markup=False)
        yield row("A business associate was involved", checkbox("ba_involved", "yes"), "ba_involved")
        yield row("Which one", choice("ba_tool", self.wizard.tools, "(choose the tool or vendor)"),
                  "ba_tool")
        yield row("Its own discovery", date_input("ba_discovered_on"), "ba_discovered_on",
                  "the day the business associate found out")
        yield row("Acts as your agent", checkbox("ba_is_agent", "yes"), "ba_is_agent",
                  "if so, its knowledge is yours: your clock starts on its discovery date. "
                  "Untick only if it is an independent contractor, and note why")
        yield Static("Related hazards", classes="subhead", markup=False)
        yield row("Hazards", selection("hazards", self.wizard.hazards), "hazards",
                  "the register's hazards this incident relates to; they are flagged for review")

    def value_of(self, record: dict[str, Any], name: str) -> Any:
        if not record:
            return {"discovered_on": self.wizard.today(), "ba_is_agent": True}.get(name)
        if name == "hazards":
            return [h["public_id"] for h in record.get("hazards", [])]
        return super().value_of(record, name)

    def save(self, service: Any) -> dict[str, Any]:
        data = self.values()
        if self.record is None:
            return service.create(data)
        return service.save_intake(self.ref, data, self.revision)


class PhiPanel(StepPanel):
    step_id = "phi"
    fields = ("phi_involved", "phi_reason", "phi_types", "use_permitted", "permitted_basis")

    def body(self) -> ComposeResult:
        yield Static(f"{PHI_STEP.title} ({PHI_STEP.citation})", classes="subhead", markup=False)
        yield Static(PHI_STEP.guidance, classes="guidance", markup=False)
        yield row("PHI involved", yes_no("phi_involved"), "phi_involved", required=True)
        yield row("Why you say so", long_input("phi_reason"), "phi_reason",
                  "required if no PHI was involved: the incident then ends here, documented")
        yield row("Kinds of information", selection("phi_types", [(v, k) for k, v in PHI_TYPES.items()]),
                  "phi_types", "what the notice must list (164.404(c)(1)(B))")
        yield Static(f"{PERMITTED_STEP.title} ({PERMITTED_STEP.citation})", classes="subhead",
                     markup=False)
        yield Static(PERMITTED_STEP.guidance, classes="guidance", markup=False)
        yield row("Permitted use or disclosure", yes_no("use_permitted"), "use_permitted",
                  "yes only if the Privacy Rule permits it or it was incidental: HIPAA's "
                  "analysis then ends, not a breach. No if it was not permitted (the usual "
                  "case: a loss, a theft, a wrong recipient)")
        yield row("Which permission", long_input("permitted_basis"), "permitted_basis",
                  "required if permitted: the section (164.506, 164.512...) or why it was "
                  "incidental despite reasonable safeguards")

    def save(self, service: Any) -> dict[str, Any]:
        return service.save_phi(self.ref, self.values(), self.revision)


class SecuredPanel(StepPanel):
    step_id = "secured"
    fields = ("secured_by", "secured_basis", "key_compromised", "encryption_in_force")
    check_input = SecuredInput

    def body(self) -> ComposeResult:
        yield Static(f"{SECURED_STEP.title}", classes="subhead", markup=False)
        yield Static(f"{SECURED_STEP.guidance} ({SECURED_STEP.citation})", classes="guidance",
                     markup=False)
        yield row("Protected by", choice("secured_by", [(v, k) for k, v in SECURED_BY.items()]),
                  "secured_by", required=True)
        yield row("Basis", long_input("secured_basis"), "secured_basis",
                  "which encryption or destruction method, and how you know it was in place")
        yield row("Key compromised", yes_no("key_compromised"), "key_compromised",
                  "for encryption: was the key or password also exposed?")
        yield row("Protected at the time", yes_no("encryption_in_force"), "encryption_in_force",
                  f"for encryption with the key safe: {ENCRYPTION_IN_FORCE}")

    def save(self, service: Any) -> dict[str, Any]:
        return service.save_secured(self.ref, self.values(), self.revision)


class ExceptionsPanel(StepPanel):
    step_id = "exceptions"
    fields = tuple(f"exceptions.{e.id}" for e in EXCEPTIONS) + ("exceptions_notes",)

    def body(self) -> ComposeResult:
        yield Static("Three situations are not a breach at all (45 CFR 164.402(1)). Answer each; "
                     "if one applies, write down the facts that show it.", classes="guidance",
                     markup=False)
        for exception in EXCEPTIONS:
            yield Static(f"{exception.title} ({exception.citation})", classes="subhead",
                         markup=False)
            yield Static(exception.explanation, classes="guidance", markup=False)
            yield row("Applies", yes_no(f"exceptions.{exception.id}"), f"exceptions.{exception.id}",
                      required=True)
        yield row("Facts that show it", long_input("exceptions_notes"), "notes",
                  "required when an exception applies")

    def save(self, service: Any) -> dict[str, Any]:
        values = self.values()
        data = {"exceptions": {e.id: values[f"exceptions.{e.id}"] for e in EXCEPTIONS},
                "notes": values["exceptions_notes"]}
        return service.save_exceptions(self.ref, data, self.revision)


class FactorsPanel(StepPanel):
    step_id = "factors"
    fields = tuple(n for f in FACTORS for n in (f"factors.{f.id}.rating", f"factors.{f.id}.notes"))

    def body(self) -> ComposeResult:
        yield Static("Unless an exception applies, an impermissible use or disclosure is presumed "
                     "to be a breach, unless this assessment shows a low probability that the PHI "
                     "has been compromised (45 CFR 164.402(2)). Rate each factor and say why.",
                     classes="guidance", markup=False)
        for factor in FACTORS:
            yield Static(f"{factor.title} ({factor.citation})", classes="subhead", markup=False)
            yield Static(factor.guidance, classes="guidance", markup=False)
            yield row("Rating", choice(f"factors.{factor.id}.rating", factor_options(factor.id)),
                      f"factors.{factor.id}.rating", required=True)
            yield row("Why", long_input(f"factors.{factor.id}.notes"), f"factors.{factor.id}.notes",
                      required=True)

    def save(self, service: Any) -> dict[str, Any]:
        values = self.values()
        data = {"factors": {f.id: {"rating": values[f"factors.{f.id}.rating"],
                                   "notes": values[f"factors.{f.id}.notes"]} for f in FACTORS}}
        return service.save_factors(self.ref, data, self.revision)


def presumption_text(record: dict[str, Any] | None, palette: Any) -> Text:
    """What 164.402 presumes on the record so far, why, and what is still missing."""
    found = (record or {}).get("presumption") or {"outcome": "incomplete", "reasons": [],
                                                  "missing": []}
    text = Text("What the rule presumes on your record so far: ", style=palette["bold"])
    text.append(OUTCOMES.get(found["outcome"], found["outcome"]),
                palette["error" if found["outcome"] == "presumed_breach" else "primary"])
    for reason in found["reasons"]:
        text.append(f"\n• {reason}")
    if found["missing"]:
        text.append("\nStill to record:", palette["warning"])
        for item in found["missing"][:6]:
            text.append(f"\n• {item['what']}")
    text.append("\nThe app never chooses for you: you decide, and your rationale is your "
                "record (45 CFR 164.414(b)).", palette["muted"])
    return text


class DeterminationPanel(StepPanel):
    step_id = "determination"
    fields = ("choice", "exception_id", "rationale", "decided_on")

    def body(self) -> ComposeResult:
        yield Static("", id="presumption")
        yield Static("", id="review-notes", classes="reminder")
        yield row("Your determination", choice("choice", [(v, k) for k, v in CHOICE_LABELS.items()],
                                               "Choose…"), "choice", required=True)
        yield row("Which exception", choice("exception_id", [(e.title, e.id) for e in EXCEPTIONS],
                                            "(only for an exception)"), "exception_id")
        yield row("Rationale", long_input("rationale"), "rationale",
                  "why, in your own words: the facts and the factors that decide it", required=True)
        yield row("Decided on", date_input("decided_on"), "decided_on")

    def value_of(self, record: dict[str, Any], name: str) -> Any:
        return {
            "choice": record.get("determination"),
            "exception_id": record.get("determination_exception"),
            "rationale": record.get("determination_rationale"),
            "decided_on": record.get("decided_on") or self.wizard.today(),
        }[name]

    def after_fill(self, record: dict[str, Any] | None) -> None:
        palette = self.wizard.riskreg.palette
        self.query_one("#presumption", Static).update(presumption_text(record, palette))
        notes = (record or {}).get("review_notes") or []
        self.query_one("#review-notes", Static).update(
            Text("\n".join(f"To address in your rationale: {n}" for n in notes)))
        self.query_one("#review-notes").display = bool(notes)

    def save(self, service: Any) -> dict[str, Any]:
        return service.save_determination(self.ref, self.values(), self.revision)
