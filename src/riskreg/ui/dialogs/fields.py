"""The fields of each record form: what widget, what label, what help.

The names are the services' field names, so a ValidationError's `field` finds its widget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from riskreg.domain import ai_fields as ai
from riskreg.domain import vocabulary as vocab
from riskreg.domain.register import (
    CONSENT_DECISIONS,
    HAZARD_STATUSES,
    SAFEGUARD_STATUSES,
    VENDOR_CHECKLIST,
)
from riskreg.domain.scoring import IMPACT_LABELS, LIKELIHOOD_LABELS


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str
    """text, long, choice, score, assessed (a score that may be blank), date, bool, check,
    months, owner, tool"""
    options: tuple[tuple[str, object], ...] = ()
    """(label, value) for choices and scores."""
    help: str = ""
    required: bool = False


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[Field, ...]
    applies: Callable[[dict[str, Any]], bool] | None = None
    """Shown only while this holds for the form's values (None: always shown)."""


def vendor_checklist_applies(values: dict[str, Any]) -> bool:
    """A vendor's questions, for a vendor that has client data or an AI tool; not for a laptop
    or paper (finding 8). The record screen shows the checklist by the same rule."""
    return bool(values.get("handles_phi")) or values.get("category") in vocab.AI_TOOL_CATEGORIES


def _choices(values: dict[str, str]) -> tuple[tuple[str, object], ...]:
    return tuple((label, value) for value, label in values.items())


def _scores(labels: dict[int, str]) -> tuple[tuple[str, object], ...]:
    return tuple((f"{n} {text}", n) for n, text in labels.items())


LIKELIHOOD = _scores(LIKELIHOOD_LABELS)
IMPACT = _scores(IMPACT_LABELS)

FORMS: dict[str, tuple[Section, ...]] = {
    "hazard": (
        Section("What could go wrong", (
            Field("title", "Title", "text", required=True),
            Field("description", "Description", "long"),
            Field("threat_source", "Threat source", "text", help="who or what could cause it"),
            Field("vulnerability", "Vulnerability", "text", help="the weakness it would exploit"),
        )),
        Section("Scores (1-5)", (
            Field("likelihood", "Likelihood", "score", LIKELIHOOD, required=True),
            Field("impact", "Impact", "score", IMPACT, required=True),
            Field("target_likelihood", "Target likelihood", "score", LIKELIHOOD,
                  help="once the planned safeguards are done", required=True),
            Field("target_impact", "Target impact", "score", IMPACT, required=True),
        )),
        Section("Current risk", (
            Field("current_assessed_likelihood", "Current likelihood", "assessed", LIKELIHOOD,
                  help="with the safeguards in place now; blank: current is the inherent risk"),
            Field("current_assessed_impact", "Current impact", "assessed", IMPACT),
            Field("current_assessed_on", "Current assessed on", "date",
                  help="YYYY-MM-DD; the day you judged it"),
        )),
        Section("Treatment and status", (
            Field("treatment", "Treatment", "choice", _choices(vocab.TREATMENTS)),
            Field("status", "Status", "choice", _choices(HAZARD_STATUSES)),
            Field("acceptance_rationale", "Acceptance rationale", "long",
                  help="needed when the risk is accepted"),
            Field("acceptance_expires_on", "Acceptance expires", "date",
                  help="YYYY-MM-DD; needed when the risk is accepted"),
            Field("owner", "Owner", "owner"),
        )),
        Section("Review", (
            Field("review_cadence_months", "Review every (months)", "months"),
            Field("last_reviewed_on", "Last reviewed", "date", help="YYYY-MM-DD"),
            Field("next_review_on", "Next review", "date",
                  help="YYYY-MM-DD; blank: computed from the cadence"),
        )),
    ),
    "tool": (
        Section("Tool or system", (
            Field("name", "Name", "text", required=True),
            Field("vendor", "Vendor", "text"),
            Field("category", "Category", "choice", _choices(vocab.TOOL_CATEGORIES), required=True),
            # What decides whether a BAA is needed (finding 8: "Handles PHI: No" on a laptop full
            # of notes read as false): an outside vendor receives the data, not the device.
            Field("handles_phi", "Vendor has client data", "bool",
                  help="An outside vendor stores, receives or can see client data (PHI), so a "
                       "Business Associate Agreement is needed"),
            Field("owner", "Owner", "owner"),
        )),
        Section("Business associate agreement", (
            Field("baa_status", "BAA status", "choice", _choices(vocab.BAA_STATUSES)),
            Field("baa_signed_on", "Signed on", "date", help="YYYY-MM-DD"),
            Field("baa_expires_on", "Expires on", "date", help="YYYY-MM-DD, after the signing date"),
            Field("baa_location", "Signed copy kept at", "text"),
        )),
        Section("Vendor checklist", tuple(
            Field(name, question, "check") for name, question in VENDOR_CHECKLIST.items()
        ), applies=vendor_checklist_applies),
        Section("AI use and security", (
            Field("ai_use", "How it uses AI", "choice", _choices(ai.AI_USES),
                  help="the classes of the state laws on AI in therapy (e.g. Illinois 225 ILCS 155)"),
            *(Field(name, question, "check") for name, question in ai.TOOL_QUESTIONS.items()),
            Field("restore_priority", "Restore priority", "text",
                  help="1, 2 or 3 (or high, medium, low)"),
            Field("restore_target_hours", "Restore within (hours)", "text", help="e.g. 72"),
            Field("ba_verification_received_on", "BA's yearly verification received", "date",
                  help="YYYY-MM-DD"),
            Field("ba_verification_due_on", "Next verification due", "date",
                  help="YYYY-MM-DD; blank: 12 months after the last"),
        )),
        Section("Notes", (Field("notes", "Notes", "long"),)),
    ),
    "safeguard": (
        Section("Safeguard", (
            Field("title", "Title", "text", required=True),
            Field("description", "Description", "long"),
            Field("category", "Category", "choice", _choices(vocab.SAFEGUARD_CATEGORIES),
                  required=True),
            Field("citation", "Citation", "text", help="e.g. 45 CFR 164.312(a)(2)(iv)"),
            Field("requirement", "Requirement", "choice", _choices(vocab.REQUIREMENTS)),
            Field("decision_note", "Decision (addressable)", "long",
                  help="what was decided and why; needed once an addressable one is under way"),
        )),
        Section("Status", (
            Field("status", "Status", "choice", _choices(SAFEGUARD_STATUSES)),
            Field("owner", "Owner", "owner"),
            Field("due_on", "Due", "date", help="YYYY-MM-DD"),
            Field("evidence", "Evidence", "long", help="where the proof is"),
            Field("verification_cadence_months", "Verify every (months)", "months"),
            Field("last_verified_on", "Last verified", "date", help="YYYY-MM-DD"),
        )),
    ),
    "owner": (
        Section("Owner", (
            Field("name", "Name", "text", required=True),
            Field("role", "Role", "text"),
            Field("contact", "Contact", "text"),
            Field("notes", "Notes", "long"),
        )),
    ),
    "consent": (
        Section("AI consent", (
            Field("client_code", "Client code", "text", required=True,
                  help="a code such as C-0042, never a name"),
            Field("tool", "AI tool", "tool"),
            Field("disclosed_on", "AI use disclosed on", "date", help="YYYY-MM-DD", required=True),
            Field("decision", "Decision", "choice", _choices(CONSENT_DECISIONS)),
            Field("written", "Consent in writing", "bool"),
            Field("alternative_offered", "Alternative offered", "text"),
            Field("purpose_disclosed", "Purpose disclosed in writing", "text",
                  help="the tool's specific purpose, as the client was told"),
            Field("consent_method", "Consent given", "choice", _choices(ai.CONSENT_METHODS)),
            Field("sessions_recorded", "Sessions recorded or transcribed", "check"),
            Field("client_state", "Client's state", "text", help="2-letter code, e.g. IL"),
            Field("revoked_on", "Revoked on", "date", help="YYYY-MM-DD; blank: not revoked"),
            Field("notes", "Notes", "long"),
        )),
    ),
}

DEFAULTS: dict[str, dict[str, object]] = {
    "hazard": {"likelihood": 3, "impact": 3, "target_likelihood": 2, "target_impact": 2,
               "treatment": "mitigate", "status": "open", "review_cadence_months": 12},
    "tool": {"category": "ai_scribe", "handles_phi": True, "baa_status": "missing",
             "ai_use": "not_recorded"},
    "safeguard": {"category": "administrative", "requirement": "required", "status": "planned",
                  "verification_cadence_months": 12},
    "owner": {},
    "consent": {"decision": "pending", "consent_method": "not_recorded"},
}


def all_fields(kind: str) -> tuple[Field, ...]:
    return tuple(f for section in FORMS[kind] for f in section.fields)
