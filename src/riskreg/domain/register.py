"""The register's vocabulary: the values a status or decision can take, with their labels.

Stored as the values (left), shown as the labels (right). The catalog's own vocabulary (tool
categories, BAA statuses, safeguard categories, requirement, treatment) is in domain/catalog.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

HAZARD_STATUSES = {
    "open": "Open",
    "mitigating": "Being mitigated",
    "accepted": "Accepted",
    "closed": "Closed",
}

SAFEGUARD_STATUSES = {
    "planned": "Planned",
    "in_progress": "In progress",
    "in_place": "In place",
    "verified": "Verified",
    "not_applicable": "Not applicable",
}

CONSENT_DECISIONS = {
    "consented": "Consented",
    "declined": "Declined",
    "pending": "Not yet answered",
}

# The seven-item vendor checklist (DESIGN.md), in the order a practitioner asks the vendor.
VENDOR_CHECKLIST = {
    "check_designed_for_mental_health": "Designed for mental health care",
    "check_explains_hipaa": "Explains how it complies with HIPAA",
    "check_explains_data_use": "Explains how client data is used",
    "check_states_training_use": "States whether data trains its models",
    "check_no_training_on_client_data": "Client data is not used for training",
    "check_no_sale_or_sharing": "Does not sell or share client data",
    "check_signs_baa": "Signs a Business Associate Agreement",
}


def baa_gap(handles_phi: bool, baa_status: str, baa_expires_on, today) -> str:
    """Why a tool's BAA falls short, or "" when it does not (164.308(b)(1), 164.502(e)).

    A tool that handles PHI needs a signed BAA that has not expired.
    """
    if not handles_phi:
        return ""
    if baa_status != "signed":
        return {
            "missing": "handles PHI without a BAA",
            "requested": "handles PHI; BAA requested, not signed",
            "expired": "handles PHI; BAA expired",
            "not_needed": "handles PHI but marked as not needing a BAA",
        }.get(baa_status, "handles PHI without a signed BAA")
    if baa_expires_on is not None and baa_expires_on < today:
        return f"handles PHI; BAA expired on {baa_expires_on.isoformat()}"
    return ""


def review_now_text(reason: str, tool_name: str | None) -> str:
    """Why a hazard needs a review before its date, or "" (DESIGN.md: a linked tool's BAA lapsed
    or is missing while it handles PHI, or an incident was linked). `tool_name` is the first (by
    name) active linked tool that handles PHI without a signed, current BAA, if any."""
    if reason:
        return reason
    if tool_name:
        return f"linked tool {tool_name!r} handles PHI without a signed, current BAA"
    return ""


def review_recorded_text(hazard: dict[str, Any]) -> str:
    """What the practitioner is told once a review is recorded (`hazard` as it is after it),
    saying why a hazard still flagged stays so (finding 23: it stayed "Review now" with no word:
    a review clears the reason it was flagged for, not a linked tool's missing BAA)."""
    text = f"Review recorded; next review {hazard['next_review_on']}."
    if hazard.get("review_now"):
        text += (f" The hazard stays flagged for review because {hazard['review_now']}: the flag "
                 "goes once that tool's BAA is signed (or it no longer receives client data).")
    if hazard.get("current_note"):
        text += f" Its current risk: {hazard['current_note']}."
    return text


def hazard_derived(record: dict[str, Any], today: date) -> dict[str, Any]:
    """A hazard's inherent and target levels and whether its review is overdue."""
    from riskreg.domain.review import is_overdue
    from riskreg.domain.scoring import level

    return {
        "level": level(record["score"]).value,
        "target_level": level(record["target_score"]).value,
        "overdue": is_overdue(record["next_review_on"], today),
    }


def tool_derived(record: dict[str, Any], today: date) -> dict[str, Any]:
    """A tool's BAA gap."""
    return {"baa_gap": baa_gap(record["handles_phi"], record["baa_status"],
                               record["baa_expires_on"], today)}


def safeguard_derived(record: dict[str, Any], today: date) -> dict[str, Any]:
    """Whether a safeguard is overdue: planned or in progress past its due day, or past its
    next verification."""
    from riskreg.domain.catalog import proposed_rule_of
    from riskreg.domain.review import is_overdue

    return {"overdue": bool(
        record["status"] in ("planned", "in_progress") and is_overdue(record["due_on"], today)
    ) or is_overdue(record["next_verification_on"], today),
        "proposed_rule": proposed_rule_of(record.get("catalog_key"))}
