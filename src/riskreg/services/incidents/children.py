"""The incident's children (hazard links, residents per state, law-enforcement statements,
notices sent): found, linked, replaced and archived, each change with its audit event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from riskreg.errors import NotFound, ValidationError
from riskreg.storage import audit
from riskreg.storage.incident_models import (
    Incident,
    IncidentHazard,
    IncidentResident,
    IncidentStatement,
    NoticeSent,
)
from riskreg.storage.models import (
    Hazard,
    HazardTool,
    Tool,
    Tracked,
    utcnow,
)


def add_link(session: Session, inc: Incident, hazard: Hazard, new_id: Callable[[], str]) -> None:
    """Link a hazard and flag it for review now (DESIGN.md: linking an incident to a hazard
    flags it), each with its audit event."""
    link = session.exec(
        select(IncidentHazard).where(
            IncidentHazard.incident_id == inc.id, IncidentHazard.hazard_id == hazard.id
        )
    ).first()
    if link is not None and link.archived_at is None:
        return
    if link is None:
        link = IncidentHazard(public_id=new_id(), incident_id=inc.id, hazard_id=hazard.id)
    else:
        link.archived_at = None
        link.revision += 1
        link.updated_at = utcnow()
    session.add(link)
    session.flush()
    audit.record(session, "incident_hazard", link.public_id, "link",
                 {"incident": [None, inc.reference], "hazard": [None, hazard.public_id]})
    reason = f"incident {inc.reference} linked"
    if hazard.review_now_reason != reason:
        before = hazard.review_now_reason
        hazard.review_now_reason = reason
        hazard.revision += 1
        hazard.updated_at = utcnow()
        session.add(hazard)
        session.flush()
        audit.record(session, "hazard", hazard.public_id, "update",
                     {"review_now_reason": [before, reason]})


def archive_link(session: Session, link: IncidentHazard) -> None:
    hazard = session.get(Hazard, link.hazard_id)
    archive_row(session, "incident_hazard", link, "unlink",
             {"hazard": [hazard.public_id if hazard else None, None]})


def replace_residents(
    session: Session, inc: Incident, residents: dict[str, int], determined: dict[str, date],
    new_id: Callable[[], str],
) -> None:
    rows = {
        r.state: r
        for r in session.exec(select(IncidentResident).where(IncidentResident.incident_id == inc.id))
    }
    for code, row in rows.items():
        if code not in residents and row.archived_at is None:
            archive_row(session, "incident_resident", row)
    for code, count in residents.items():
        row = rows.get(code)
        values = {"count": count, "determined_on": determined.get(code)}
        if row is None:
            row = IncidentResident(
                public_id=new_id(), incident_id=inc.id, state=code, **values
            )
            session.add(row)
            session.flush()
            audit.record(session, "incident_resident", row.public_id, "create",
                         {"incident": [None, inc.reference], "state": [None, code],
                          **audit.diff({}, values)})
            continue
        before = {"count": row.count, "determined_on": row.determined_on,
                  "archived_at": row.archived_at}
        row.count, row.determined_on, row.archived_at = count, values["determined_on"], None
        changed = audit.diff(before, {**values, "archived_at": None})
        if changed:
            row.revision += 1
            row.updated_at = utcnow()
            session.add(row)
            session.flush()
            audit.record(session, "incident_resident", row.public_id, "update",
                         {"state": [code, code], **changed})


def tool_id(session: Session, public_id: str | None) -> int | None:
    if not public_id:
        return None
    tool = session.exec(select(Tool).where(Tool.public_id == public_id)).first()
    if tool is None:
        raise ValidationError("ba_tool", f"no tool with id {public_id}")
    return tool.id


def find_hazard(session: Session, public_id: str) -> Hazard:
    hazard = session.exec(select(Hazard).where(Hazard.public_id == public_id)).first()
    if hazard is None:
        raise ValidationError("hazards", f"no hazard with id {public_id}")
    return hazard


def active_links(session: Session, inc: Incident) -> list[IncidentHazard]:
    return list(session.exec(
        select(IncidentHazard).where(
            IncidentHazard.incident_id == inc.id, col(IncidentHazard.archived_at).is_(None)
        )
    ))


def find_child(session: Session, model: type[Tracked], inc: Incident, public_id: str, what: str) -> Any:
    row = session.exec(
        select(model).where(model.public_id == public_id, model.incident_id == inc.id)
    ).first()
    if row is None:
        raise NotFound(f"{inc.reference} has no {what} {public_id}")
    return row


def archive_row(session: Session, entity: str, row: Any, action: str = "archive",
             extra: dict[str, Any] | None = None) -> None:
    if row.archived_at is not None:
        return
    row.archived_at = utcnow()
    row.revision += 1
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    audit.record(session, entity, row.public_id, action,
                 {"archived_at": [None, row.archived_at], **(extra or {})})


def tool_categories(session: Session, inc: Incident, ba_tool: Tool | None) -> list[str]:
    """The categories of the tools where the information was: the business associate's tool when
    one is named, else the tools of the linked hazards (the HHS portal asks for the location)."""
    if ba_tool is not None:
        return [ba_tool.category]
    found = session.exec(
        select(Tool.category).join(HazardTool, HazardTool.tool_id == Tool.id)
        .join(IncidentHazard, IncidentHazard.hazard_id == HazardTool.hazard_id)
        .where(IncidentHazard.incident_id == inc.id, col(IncidentHazard.archived_at).is_(None),
               col(HazardTool.archived_at).is_(None), col(Tool.archived_at).is_(None))
        .order_by(col(Tool.name))
    ).all()
    return list(dict.fromkeys(found))


def residents_of(session: Session, inc: Incident) -> tuple[dict[str, int], dict[str, date]]:
    rows = session.exec(
        select(IncidentResident).where(
            IncidentResident.incident_id == inc.id, col(IncidentResident.archived_at).is_(None)
        ).order_by(col(IncidentResident.state))
    )
    residents, determined = {}, {}
    for row in rows:
        residents[row.state] = row.count
        if row.determined_on:
            determined[row.state] = row.determined_on
    return residents, determined


def statements_of(session: Session, inc: Incident) -> list[IncidentStatement]:
    return list(session.exec(
        select(IncidentStatement).where(
            IncidentStatement.incident_id == inc.id, col(IncidentStatement.archived_at).is_(None)
        ).order_by(col(IncidentStatement.statement_on), col(IncidentStatement.id))
    ))


def notices_of(session: Session, inc: Incident) -> list[NoticeSent]:
    return list(session.exec(
        select(NoticeSent).where(
            NoticeSent.incident_id == inc.id, col(NoticeSent.archived_at).is_(None)
        ).order_by(col(NoticeSent.sent_on), col(NoticeSent.id))
    ))
