"""Hazards' current risk as the services read it: the linked safeguards' statuses and lapses,
one query for a page of hazards, handed to the domain's rule (domain/current_risk.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, exists
from sqlmodel import Session, col, select

from riskreg.domain.current_risk import LinkedSafeguard, current_fields
from riskreg.storage.chunks import slices
from riskreg.storage.models import Hazard, HazardSafeguard, Safeguard


def linked_safeguards(session: Session, ids: list[int]) -> dict[int, list[LinkedSafeguard]]:
    """The active safeguards linked (by an active link) to each of the hazards `ids`."""
    found: dict[int, list[LinkedSafeguard]] = {i: [] for i in ids}
    for part in slices(session, ids):  # a register larger than SQLite's variable limit (D17)
        rows = session.exec(
            select(HazardSafeguard.hazard_id, Safeguard.status, Safeguard.lapsed_on)
            .join(Safeguard, col(Safeguard.id) == HazardSafeguard.safeguard_id)
            .where(col(HazardSafeguard.hazard_id).in_(part),
                   col(HazardSafeguard.archived_at).is_(None),
                   col(Safeguard.archived_at).is_(None))
        )
        for hazard_id, status, lapsed_on in rows:
            found[hazard_id].append(LinkedSafeguard(status, lapsed_on))
    return found


def add_current(session: Session, records: list[dict[str, Any]], ids: list[int]) -> None:
    """Add each hazard record's current risk and how many of its safeguards are in place."""
    linked = linked_safeguards(session, ids)
    for record, hazard_id in zip(records, ids, strict=True):
        record.update(current_fields(record, linked[hazard_id]))


def current_cells(session: Session, *where: Any) -> dict[int, tuple[int, int]]:
    """Every active hazard's (matching `where`) current (likelihood, impact), by id: for the heat
    map and its cells.
    Current is derived, so it is worked out here rather than grouped in SQL (a solo practice's
    register holds dozens of hazards, not thousands)."""
    hazards = session.exec(select(Hazard).where(col(Hazard.archived_at).is_(None), *where)).all()
    ids = [h.id for h in hazards]
    records = [h.model_dump() for h in hazards]
    add_current(session, records, ids)
    return {i: (r["current_likelihood"], r["current_impact"]) for i, r in zip(ids, records, strict=True)}


def current_score_clause() -> Any:
    """A hazard's current score as SQL, so the hazards table can sort by it: the rule of
    domain/current_risk.py (the assessed score while no linked safeguard lapsed after the
    assessment's day, else the inherent score); a test checks the two agree."""
    lapsed_since = exists().where(
        HazardSafeguard.hazard_id == Hazard.id, col(HazardSafeguard.archived_at).is_(None),
        col(Safeguard.id) == HazardSafeguard.safeguard_id, col(Safeguard.archived_at).is_(None),
        col(Safeguard.lapsed_on) > col(Hazard.current_assessed_on),
    )
    stands = and_(col(Hazard.current_assessed_on).is_not(None), ~lapsed_since)
    return case((stands, col(Hazard.current_assessed_likelihood)
                 * col(Hazard.current_assessed_impact)), else_=col(Hazard.score))
