"""The app's own rules for an imported practice settings row and the breach workflow's rows.

An imported value goes through exactly the models the app's settings dialog and incident steps
use (`validation.SettingsInput`, `incident_inputs`), so a file cannot hold what the app could not
have saved, and so cannot crash a later command (issue 16, D9): an unknown step, a determination
that is not one of the choices, factors that are not four rated answers. A step not answered yet
(its key answer still empty) is not checked. Rules that need "today" (no discovery in the
future) stay with the forms: an export is a record of its own day.

Each rule returns (field, problem) pairs, the field as the file names it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from riskreg.domain import incident_steps as steps
from riskreg.domain.determination import Determination
from riskreg.errors import ValidationError
from riskreg.services import incident_inputs as inputs
from riskreg.services.validation import SettingsInput, validate_settings

Found = list[tuple[str, str]]

REFERENCE = re.compile(r"INC-\d{4}-\d{3,}")
"""An incident's reference, which names its draft files: nothing a path could be made of."""

# Each step of an incident row: its model, the row's fields for the model's (file field: model
# field), and the answer whose absence means the step is not answered yet.
_INCIDENT_STEPS: tuple[tuple[type[inputs._Input], dict[str, str], str | None], ...] = (
    (inputs.IntakeInput, {k: k for k in ("title", "description", "breach_type", "occurred_on",
                                         "occurred_until",
                                         "discovered_on", "discovered_by", "ba_involved",
                                         "ba_tool", "ba_discovered_on", "ba_is_agent")}, None),
    (inputs.PhiInput, {k: k for k in ("phi_involved", "phi_reason", "phi_types",
                                      "use_permitted", "permitted_basis")},
     "phi_involved"),
    (inputs.SecuredInput, {k: k for k in ("secured_by", "secured_basis", "key_compromised",
                                          "encryption_in_force")},
     "secured_by"),
    (inputs.ExceptionsInput, {"exceptions": "exceptions", "exceptions_notes": "notes"},
     "exceptions"),
    (inputs.FactorsInput, {"factors": "factors"}, "factors"),
    (inputs.DeterminationInput, {"determination": "choice", "determination_rationale": "rationale",
                                 "decided_on": "decided_on",
                                 "determination_exception": "exception_id"}, "determination"),
    (inputs.ScopeInput, {k: k for k in ("affected", "insufficient_contact", "deceased_with_kin",
                                        "part2", "part2_affected", "urgent")}, "affected"),
    (inputs.NoticeContentInput, {k: k for k in ("notice_steps", "notice_actions",
                                                "contact_toll_free", "contact_email",
                                                "contact_website", "contact_postal")}, None),
    (inputs.CloseoutInput, {"lessons_learned": "lessons_learned"}, None),
)


def _answered(value: Any) -> bool:
    # An empty object is how an unanswered exceptions or factors step is stored; a wrong shape
    # (a list, a text) is an answer, and is checked.
    return value is not None and value != {}


def _step(model: type[inputs._Input], fields: dict[str, str], doc: dict[str, Any]) -> Found:
    data = {model_field: doc[key] for key, model_field in fields.items() if key in doc}
    if model is inputs.SecuredInput and data.get("encryption_in_force") is None:
        # Recorded before the app asked it (migration 0005): not answered, as the app holds it.
        data.pop("encryption_in_force", None)
        if data.get("secured_by") == "encryption" and data.get("key_compromised") is False:
            data["encryption_in_force"] = True
    try:
        inputs.check(model, data)
    except ValidationError as error:
        by_model = {model_field: key for key, model_field in fields.items()}
        head, _, rest = error.field.partition(".")
        key = by_model.get(head, head) + (f".{rest}" if rest else "")
        return [(key, error.problem.removesuffix("."))]
    return []


def incident(doc: dict[str, Any]) -> Found:
    """An incident row: every answered step as its form would take it, and where it stands."""
    found: Found = []
    if not REFERENCE.fullmatch(doc.get("reference") or ""):
        found.append(("reference", f"{doc.get('reference')!r} is not a reference such as "
                      "INC-2026-001"))
    if doc.get("status") not in steps.INCIDENT_STATUSES:
        found.append(("status", f"{doc.get('status')!r} is not open or closed"))
    step = doc.get("step")
    if step not in (*steps.STEP_IDS, steps.CLOSED):
        found.append(("step", f"{step!r} is not a step of the breach workflow "
                      f"({', '.join(steps.STEP_IDS)}, or closed)"))
    elif (step == steps.CLOSED) != (doc.get("status") == "closed"):
        found.append(("step", f"{step!r} does not agree with the status {doc.get('status')!r}"))
    for model, fields, key in _INCIDENT_STEPS:
        if key is None or _answered(doc.get(key)):
            found += _step(model, fields, doc)
    if doc.get("phi_involved") is None and doc.get("phi_types"):
        found.append(("phi_types", "lists kinds of information, but whether PHI was involved "
                      "is not answered"))
    if not found and doc.get("determination") is not None:
        found += _determination(doc)
    return found


def _determination(doc: dict[str, Any]) -> Found:
    """The recorded choice, as the domain takes it (a rationale; the exception it names)."""
    try:
        Determination(doc["determination"], doc.get("determination_rationale") or "",
                      None, doc.get("determination_exception"))
    except ValidationError as error:
        key = {"choice": "determination", "rationale": "determination_rationale",
               "exception_id": "determination_exception"}.get(error.field, error.field)
        return [(key, error.problem)]
    return []


def settings(doc: dict[str, Any]) -> Found:
    """The practice settings, as the settings dialog and `riskreg settings` take them."""
    data = {k: doc[k] for k in SettingsInput.model_fields if k in doc}
    try:
        validate_settings(data)
    except ValidationError as error:
        return [(error.field, error.problem.removesuffix("."))]
    return []


def _child(model: type[inputs._Input]) -> Callable[[dict[str, Any]], Found]:
    def rule(doc: dict[str, Any]) -> Found:
        return _step(model, {k: k for k in model.model_fields}, doc)

    return rule


def resident(doc: dict[str, Any]) -> Found:
    """One state's count of people affected: a state the deadline engine knows."""
    from riskreg.domain.state_rules import jurisdictions

    if doc.get("state") not in jurisdictions():
        return [("state", f"{doc.get('state')!r} is not the 2-letter code of a state or territory")]
    return []


RULES: dict[str, Callable[[dict[str, Any]], Found]] = {
    "practice_settings": settings,
    "incident": incident,
    "incident_resident": resident,
    "incident_statement": _child(inputs.StatementInput),
    "notice_sent": _child(inputs.NoticeSentInput),
}
