"""An audit event's changes in the practitioner's words: "Types of information: name, date of
birth", "Step: Was PHI secured? → Exceptions", never the raw JSON or the field names.

The audit log keeps the exact changes (field name -> [old, new]) as JSON; the dossier (which goes
to counsel) and a record's history read them through `change_lines`. Values a user typed are
shown as typed; values the app chose from a list are shown by their label.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from riskreg.domain import incident_steps as steps
from riskreg.domain import vocabulary as words
from riskreg.domain.ai_fields import AI_USES, CONSENT_METHODS
from riskreg.domain.determination import EXCEPTIONS, FACTORS, factor_reading
from riskreg.domain.obligation_names import obligation_name, state_name

LABELS = {
    # incidents
    "reference": "Reference", "title": "Title", "description": "What happened",
    "status": "Status", "step": "Step", "occurred_on": "Occurred on",
    "occurred_until": "Occurred until", "discovered_on": "Discovered on",
    "discovered_by": "Discovered by", "ba_involved": "Business associate involved",
    "ba_tool_id": "Business associate", "ba_discovered_on": "Business associate's discovery",
    "ba_is_agent": "Business associate acts as the practice's agent",
    "phi_involved": "PHI involved", "phi_reason": "Why (PHI involved)",
    "phi_types": "Types of information", "secured_by": "Secured",
    "secured_basis": "Why (secured)", "key_compromised": "Key compromised",
    "encryption_in_force": "Encryption protected the data at the time",
    "use_permitted": "Use or disclosure permitted by the Privacy Rule",
    "permitted_basis": "Why (permitted)",
    "exceptions": "Exceptions", "exceptions_notes": "Facts that show the exception",
    "factors": "Risk assessment", "determination": "Determination",
    "determination_exception": "Exception that applies",
    "determination_rationale": "Rationale", "decided_on": "Decided on",
    "affected": "People affected", "insufficient_contact": "No current contact information",
    "deceased_with_kin": "Deceased, next of kin known", "part2": "Part 2 records",
    "part2_affected": "People with Part 2 records",
    "urgent": "Possible imminent misuse", "notice_steps": "What people can do",
    "notice_actions": "What the practice is doing", "contact_toll_free": "Toll-free number",
    "contact_email": "Contact email", "contact_website": "Contact website",
    "contact_postal": "Postal address", "lessons_learned": "Lessons learned",
    "closed_on": "Closed on",
    # an incident's children
    "incident": "Incident", "hazard": "Hazard", "tool": "Tool", "safeguard": "Safeguard",
    "state": "State", "count": "Number", "determined_on": "Determined on", "kind": "Kind",
    "statement_on": "Statement on", "days": "Delay asked (days)", "official": "Official",
    "agency": "Agency", "notes": "Notes", "obligation_id": "Obligation", "sent_on": "Sent on",
    "method": "Method", "path": "File", "written_on": "Written on",
    # the register
    "name": "Name", "vendor": "Vendor", "category": "Category", "handles_phi": "Vendor has PHI",
    "baa_status": "BAA", "baa_signed_on": "BAA signed", "baa_expires_on": "BAA expires",
    "baa_location": "Signed copy", "owner_id": "Owner", "owner": "Owner",
    "threat_source": "Threat source", "vulnerability": "Vulnerability",
    "likelihood": "Likelihood", "impact": "Impact", "score": "Score",
    "treatment": "Treatment", "acceptance_rationale": "Why the risk is accepted",
    "acceptance_expires_on": "Acceptance expires", "review_cadence_months": "Review every (months)",
    "last_reviewed_on": "Last reviewed", "next_review_on": "Next review",
    "review_now_reason": "Why it needs review now", "citation": "Citation",
    "requirement": "Requirement", "decision_note": "Decision", "due_on": "Due",
    "evidence": "Evidence", "verification_cadence_months": "Verify every (months)",
    "last_verified_on": "Last verified", "next_verification_on": "Next check",
    "role": "Role", "contact": "Contact", "client_code": "Client code",
    "disclosed_on": "Disclosed on", "decision": "Decision", "written": "Written consent",
    "alternative_offered": "Alternative offered", "reviewed_on": "Reviewed on",
    "current_likelihood": "Current likelihood", "current_impact": "Current impact",
    "current_assessed_on": "Current risk assessed on", "target_likelihood": "Target likelihood",
    "target_impact": "Target impact", "target_score": "Target score", "lapsed_on": "Lapsed on",
    "ai_use": "AI use", "records_sessions": "Records sessions",
    "detects_emotions": "Detects emotions", "clinical_decisions": "Clinical decisions",
    "clinician_reviews_output": "You review every output", "mfa_enabled": "MFA on",
    "encrypted_at_rest": "Encrypted at rest", "encrypted_in_transit": "Encrypted in transit",
    "restore_priority": "Restore priority", "restore_target_hours": "Restore target (hours)",
    "ba_verification_received_on": "BA verification received",
    "ba_verification_due_on": "BA verification due", "purpose_disclosed": "Purpose disclosed",
    "consent_method": "Consent given", "revoked_on": "Revoked on",
    "sessions_recorded": "Sessions recorded", "client_state": "Client's state",
}

CHOSEN = {
    "step": {s.id: s.title for s in steps.STEPS} | {steps.CLOSED: "Closed"},
    "determination": steps.CHOICE_LABELS,
    "determination_exception": {e.id: e.title for e in EXCEPTIONS},
    "secured_by": steps.SECURED_BY,
    "method": steps.NOTICE_METHODS,
    "baa_status": words.BAA_STATUSES,
    "category": words.TOOL_CATEGORIES | words.SAFEGUARD_CATEGORIES,
    "requirement": words.REQUIREMENTS,
    "treatment": words.TREATMENTS,
    "ai_use": AI_USES,
    "consent_method": CONSENT_METHODS,
}
"""Values chosen from a list, by field: the label the app showed for each."""

LINKED = {"ba_tool_id": "a tool in the register", "owner_id": "an owner in the register",
          "hazard": "a hazard in the register", "tool": "a tool in the register",
          "safeguard": "a safeguard in the register", "owner": "an owner in the register"}
"""Fields that point at another record (by id): named by its title when known."""

MAX_VALUE = 160
"""Characters of one value shown (the rest is in the database and the JSON export)."""


def _phi_types(value: list[str]) -> str:
    return ", ".join(steps.PHI_TYPES.get(t, t).lower() for t in value)


def _exceptions(value: Mapping[str, Any]) -> str:
    return "; ".join(f"{e.title}: {_yes(value[e.id])}" for e in EXCEPTIONS if e.id in value)


def _factors(value: Mapping[str, Any]) -> str:
    parts = []
    for f in FACTORS:
        rating = (value.get(f.id) or {}).get("rating")
        if rating:
            parts.append(f"{f.title}: {factor_reading(f.id, rating)}")
    return "; ".join(parts)


SHAPED: dict[str, Callable[[Any], str]] = {
    "phi_types": _phi_types,
    "exceptions": _exceptions,
    "factors": _factors,
    "obligation_id": obligation_name,
    "state": state_name,
    # A statement's kind is a word ("oral", "written"); a draft's is an id ("hhs", "media:CA").
    "kind": lambda kind: kind if kind in steps.STATEMENT_KINDS else steps.draft_kind_words(kind),
}


def _yes(value: Any) -> str:
    return "yes" if value else "no"


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def value_words(field: str, value: Any, names: Mapping[str, str] | None = None) -> str:
    """One value as the practitioner would say it; `names` gives titles for linked public ids."""
    if _empty(value):
        return "none"
    if isinstance(value, bool):
        return _yes(value)
    shaped = SHAPED.get(field)
    if shaped is not None:
        try:
            text = shaped(value)
        except (TypeError, AttributeError, ValueError, KeyError):
            text = ""
        if text:
            return _short(text)
    if field in LINKED:
        return _short((names or {}).get(str(value)) or LINKED[field])
    if isinstance(value, str):
        return _short(CHOSEN.get(field, {}).get(value) or value)
    if isinstance(value, int | float):
        return f"{value:,}" if isinstance(value, int) else str(value)
    if isinstance(value, list):
        return _short(", ".join(value_words(field, v, names) for v in value))
    return _short(json.dumps(value, ensure_ascii=False))  # an unexpected shape: kept exact


def field_label(field: str) -> str:
    from riskreg.storage.audit import RENAMED_FIELDS

    field = RENAMED_FIELDS.get(field, field)  # logged by an older riskreg as residual_...
    return LABELS.get(field) or field.replace("_", " ").capitalize()


def change_lines(changes: str, names: Mapping[str, str] | None = None) -> list[str]:
    """"Label: new" or "Label: old → new" for each change of an audit event (its JSON text)."""
    try:
        parsed = json.loads(changes)
    except (ValueError, TypeError):
        return [_short(str(changes))]
    if not isinstance(parsed, dict):
        return [_short(str(changes))]
    lines = []
    for field, pair in parsed.items():
        label = field_label(field)
        if isinstance(pair, list) and len(pair) == 2:
            old, new = pair
            new_text = value_words(field, new, names)
            lines.append(f"{label}: {new_text}" if _empty(old)
                         else f"{label}: {value_words(field, old, names)} → {new_text}")
        else:
            lines.append(f"{label}: {value_words(field, pair, names)}")
    return lines


ENTITIES = {
    "incident": "Incident", "incident_hazard": "Linked hazard",
    "incident_resident": "People affected in a state", "incident_statement":
    "Law-enforcement statement", "notice_sent": "Notice sent", "notice_draft": "Draft", "notice_letters": "Letters printed",
    "hazard": "Hazard", "tool": "Tool", "safeguard": "Safeguard", "owner": "Owner",
    "consent": "Consent", "review": "Review", "hazard_tool": "Linked tool",
    "hazard_safeguard": "Linked safeguard", "settings": "Practice settings",
}
ACTIONS = {"sign": "risk analysis signed", "create": "added", "update": "changed", "archive": "archived", "link": "linked",
           "unlink": "unlinked", "close": "closed", "reopen": "reopened", "review": "reviewed",
           "restore": "restored"}


def entity_words(entity: str) -> str:
    return ENTITIES.get(entity) or entity.replace("_", " ").capitalize()


def action_words(action: str) -> str:
    return ACTIONS.get(action) or action.replace("_", " ")


def _short(text: str) -> str:
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def link_words(action: str, other_kind: str, name: str) -> str:
    """A link in a record's history, from this record's side: "Linked to tool Scribe AI",
    "Unlinked from safeguard Full-disk encryption"."""
    verb = "Unlinked from" if action == "unlink" else "Linked to"
    return _short(f"{verb} {other_kind} {name}")
