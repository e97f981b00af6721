"""Why a hazard needs review now, worked out in SQL: a linked tool handling PHI without a signed,
current BAA, an incident linked, a safeguard lapsed; and the lapse itself (a safeguard leaving
"in place" or "verified" flags the hazards it answers)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from riskreg.domain.current_risk import IN_EFFECT
from riskreg.domain.register import review_now_text
from riskreg.services.current import add_current
from riskreg.storage import audit
from riskreg.storage.chunks import slices
from riskreg.storage.models import (
    Hazard,
    HazardSafeguard,
    HazardTool,
    Safeguard,
    Tool,
    utcnow,
)


def baa_gap_clause(today: date) -> Any:
    """SQL for `domain.register.baa_gap`: the tool handles PHI without a signed, unexpired BAA."""
    return (col(Tool.handles_phi).is_(True)) & or_(
        col(Tool.baa_status) != "signed",
        col(Tool.baa_expires_on).is_not(None) & (col(Tool.baa_expires_on) < today),
    )


def review_now_tool(today: date) -> Any:
    """A correlated subquery: the first (by name) active tool linked to the outer Hazard row that
    handles PHI without a signed, unexpired BAA, or NULL when there is none."""
    return (
        select(Tool.name)
        .join(HazardTool, HazardTool.tool_id == Tool.id)
        .where(
            HazardTool.hazard_id == Hazard.id,
            col(HazardTool.archived_at).is_(None),
            col(Tool.archived_at).is_(None),
            baa_gap_clause(today),
        )
        .order_by(col(Tool.name))
        .limit(1)
        .correlate(Hazard)
        .scalar_subquery()
    )


def add_review_now(
    session: Session, records: list[dict[str, Any]], ids: list[int], today: date
) -> None:
    """Set each hazard record's `review_now` and its current risk (one query each for the whole
    page)."""
    if not ids:
        return
    add_current(session, records, ids)
    names: dict[int, Any] = {}
    # `review_now_tool` binds a few values of its own (a BAA status, today) besides the ids.
    for part in slices(session, ids, others=8):
        names.update(session.exec(
            select(Hazard.id, review_now_tool(today)).where(col(Hazard.id).in_(part))
        ).all())
    for record, hazard_id in zip(records, ids, strict=True):
        record["review_now"] = review_now_text(record.get("review_now_reason", ""), names.get(hazard_id))


def lapse(session: Session, safeguard: Safeguard, status: str, today: date) -> dict[str, Any]:
    """A safeguard that stops being in place or verified lapses today: its `lapsed_on` is set (a
    current assessment made before it no longer stands, domain/current_risk.py) and every hazard
    it is linked to is flagged for review (each change audited)."""
    if safeguard.status not in IN_EFFECT or status in IN_EFFECT:
        return {}
    reason = f"safeguard {safeguard.title!r} is no longer in place (since {today.isoformat()})"
    hazards = session.exec(
        select(Hazard).join(HazardSafeguard, col(HazardSafeguard.hazard_id) == Hazard.id)
        .where(HazardSafeguard.safeguard_id == safeguard.id,
               col(HazardSafeguard.archived_at).is_(None), col(Hazard.archived_at).is_(None))
    )
    for hazard in hazards:
        if hazard.review_now_reason != reason:
            audit.record(session, "hazard", hazard.public_id, "update",
                         {"review_now_reason": [hazard.review_now_reason, reason]})
            hazard.review_now_reason = reason
            hazard.revision += 1
            hazard.updated_at = utcnow()
            session.add(hazard)
    return {"lapsed_on": today}
