"""The register's events: each hazard's next review and risk acceptance, each safeguard's due
and verification dates, each BAA's expiry, the yearly review of the risk analysis."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from riskreg.domain.calendar_event import (
    CalendarEvent,
    date_field,
    is_archived,
    make_event,
    months_text,
    named_summary,
    stamp_of,
)

# -- the register -------------------------------------------------------------------------------


REVIEW_CITATION = "45 CFR 164.308(a)(1)(ii)(B), 164.316(b)(2)(iii)"


def hazard_events(hazard: Mapping[str, Any], today: date) -> list[CalendarEvent]:
    """A hazard's next review, and the expiry of its risk acceptance (group "reviews")."""
    out: list[CalendarEvent] = []
    stamp = stamp_of(hazard)
    pid = hazard["public_id"]
    title = hazard["title"]
    ended = "ARCHIVED" if is_archived(hazard) else ("CLOSED" if hazard.get("status") == "closed"
                                                   else None)
    review_on = date_field(hazard, "next_review_on")
    if review_on is not None:
        cadence = int(hazard.get("review_cadence_months") or 12)
        last = date_field(hazard, "last_reviewed_on")
        source = (
            f"last reviewed {last.isoformat()} + review cadence {months_text(cadence)}"
            if last
            else f"set in the register (review cadence {months_text(cadence)})"
        )
        description = (
            f"Review of this hazard in the risk register is due {review_on.isoformat()}: "
            f"{source}. Risk management is ongoing ({REVIEW_CITATION}). Mark it reviewed in "
            f"riskreg and the next review date follows from the review's date."
        )
        summary, description = named_summary("Review hazard", title, description)
        out.append(make_event(
            public_id=pid, kind="review", day=review_on, summary=summary,
            description=description, stamp=stamp, group="reviews", today=today,
            ended=ended, past_label="OVERDUE",
            what="Review hazard", record_kind="hazard", record_name=title,
        ))
    expires_on = date_field(hazard, "acceptance_expires_on")
    if expires_on is not None:
        no_longer = hazard.get("treatment") != "accept"
        description = (
            f"The documented acceptance of this risk expires {expires_on.isoformat()} (the expiry "
            f"recorded with the acceptance's rationale in the register). Review the risk and "
            f"renew the acceptance or choose another treatment ({REVIEW_CITATION})."
        )
        summary, description = named_summary("Risk acceptance expires", title, description)
        out.append(make_event(
            public_id=pid, kind="acceptance", day=expires_on,
            summary=summary, description=description, stamp=stamp,
            group="reviews", today=today,
            ended=ended or ("DONE" if no_longer else None), past_label="EXPIRED",
            what="Risk acceptance expires", record_kind="hazard", record_name=title,
        ))
    return out


def safeguard_events(safeguard: Mapping[str, Any], today: date) -> list[CalendarEvent]:
    """A safeguard's due date (while planned or in progress) and its next verification."""
    out: list[CalendarEvent] = []
    stamp = stamp_of(safeguard)
    pid = safeguard["public_id"]
    title = safeguard["title"]
    status = safeguard.get("status") or "planned"
    citation = safeguard.get("citation") or ""
    cite = f" ({citation})" if citation else ""
    archived = "ARCHIVED" if is_archived(safeguard) else None
    not_applicable = "DONE" if status == "not_applicable" else None
    due_on = date_field(safeguard, "due_on")
    if due_on is not None:
        finished = "DONE" if status not in ("planned", "in_progress") else None
        description = (
            f"Due date set in the register for putting this safeguard in place{cite}; status "
            f"now: {status.replace('_', ' ')}."
        )
        summary, description = named_summary("Safeguard due", title, description)
        out.append(make_event(
            public_id=pid, kind="due", day=due_on, summary=summary,
            description=description, stamp=stamp, group="safeguards", today=today,
            ended=archived or finished, past_label="OVERDUE",
            what="Safeguard due", record_kind="safeguard", record_name=title,
        ))
    verify_on = date_field(safeguard, "next_verification_on")
    if verify_on is not None:
        cadence = int(safeguard.get("verification_cadence_months") or 12)
        last = date_field(safeguard, "last_verified_on")
        source = (
            f"last verified {last.isoformat()} + verification cadence {months_text(cadence)}"
            if last
            else f"verification cadence {months_text(cadence)}"
        )
        description = (
            f"Verify that this safeguard still works{cite}: {source}. Evaluation is periodic "
            f"(45 CFR 164.308(a)(8))."
        )
        summary, description = named_summary("Verify safeguard", title, description)
        out.append(make_event(
            public_id=pid, kind="verification", day=verify_on,
            summary=summary, description=description, stamp=stamp,
            group="safeguards", today=today, ended=archived or not_applicable,
            past_label="OVERDUE",
            what="Verify safeguard", record_kind="safeguard", record_name=title,
        ))
    return out


def baa_events(tool: Mapping[str, Any], today: date) -> list[CalendarEvent]:
    """A tool's BAA expiry date (45 CFR 164.308(b)(1), 164.504(e))."""
    expires_on = date_field(tool, "baa_expires_on")
    if expires_on is None:
        return []
    name = tool["name"]
    signed = date_field(tool, "baa_signed_on")
    signed_text = f" (signed {signed.isoformat()})" if signed else ""
    phi = (
        " It handles PHI: without a signed, current BAA it must not be used with client data."
        if tool.get("handles_phi", True)
        else ""
    )
    description = (
        f"The business associate agreement with this tool's vendor{signed_text} expires "
        f"{expires_on.isoformat()}, as recorded in the register.{phi} Renew it before then "
        f"(45 CFR 164.308(b)(1), 164.504(e))."
    )
    summary, description = named_summary("BAA expires", name, description)
    return [make_event(
        public_id=tool["public_id"], kind="baa-expiry", day=expires_on,
        summary=summary, description=description, stamp=stamp_of(tool),
        group="baa", today=today, ended="ARCHIVED" if is_archived(tool) else None,
        past_label="EXPIRED",
        what="BAA expires", record_kind="tool", record_name=name,
    )]


def ba_verification_events(tool: Mapping[str, Any], today: date) -> list[CalendarEvent]:
    """The business associate's next yearly written verification of its safeguards (proposed
    Security Rule, 90 FR 898, 2025-01-06: not law; recorded as the practice's own diligence)."""
    due_on = date_field(tool, "ba_verification_due_on")
    if due_on is None:
        return []
    name = tool["name"]
    received = date_field(tool, "ba_verification_received_on")
    last = f" The last one was received {received.isoformat()}." if received else ""
    description = (
        f"Ask this tool's vendor (the business associate) for its yearly written verification "
        f"that its technical safeguards are in place, due {due_on.isoformat()}.{last} The yearly "
        f"verification is in the proposed Security Rule (90 FR 898, 2025-01-06), not yet law."
    )
    summary, description = named_summary("BA verification due", name, description)
    return [make_event(
        public_id=tool["public_id"], kind="ba-verification", day=due_on,
        summary=summary, description=description, stamp=stamp_of(tool),
        group="baa", today=today, ended="ARCHIVED" if is_archived(tool) else None,
        past_label="OVERDUE",
        what="BA verification due", record_kind="tool", record_name=name,
    )]


def risk_analysis_events(settings: Mapping[str, Any] | None, today: date) -> list[CalendarEvent]:
    """The yearly (or per cadence) review of the whole risk analysis (164.308(a)(1)(ii)(A)).

    Needs the date of the last review in the practice settings; without one there is no date.
    """
    if not settings:
        return []
    reviewed = date_field(settings, "risk_analysis_reviewed_on")
    if reviewed is None:
        return []
    cadence = int(settings.get("risk_analysis_cadence_months") or 12)
    due = reviewed + relativedelta(months=cadence)
    description = (
        f"Review the whole risk analysis and register: last reviewed {reviewed.isoformat()} + "
        f"{months_text(cadence)} (45 CFR 164.308(a)(1)(ii)(A); 164.316(b)(2)(iii): review "
        f"documentation periodically). It must cover the AI tools that touch client data."
    )
    return [make_event(
        public_id=settings["public_id"], kind="risk-analysis", day=due,
        summary="Risk analysis review (whole register)", description=description,
        stamp=stamp_of(settings), group="reviews", today=today, ended=None, past_label="OVERDUE",
        what="Review the whole risk analysis", record_kind="settings",
        record_name="Practice settings",
    )]
