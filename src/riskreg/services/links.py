"""The register's links, read in bulk: which tools and safeguards each hazard is linked to.

One query per kind of link for the whole register, for the reports and the spreadsheet export,
which show every hazard with its links (the register service reads one record's links at a time).
Also the link rows of one record, archived ones included, for its history: a link's audit
events are about the link row, not about either record (finding 22: a record's history left
out the tools and safeguards linked to it).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from riskreg.services.kinds import KIND, LINKS, LinkTable
from riskreg.storage.incident_models import Incident, IncidentHazard
from riskreg.storage.models import Hazard, HazardSafeguard, HazardTool, Safeguard, Tool

LinkRow = tuple[str, str, str]
"""(the link row's public id, the other record's kind, its name) for one link of a record."""


def hazard_links(session: Session) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """{hazard public id: {"tools": [(public id, name)], "safeguards": [(public id, title)]}} for
    the active links between records that are not archived, sorted by name."""
    out: dict[str, dict[str, list[tuple[str, str]]]] = {}
    tools = session.exec(
        select(Hazard.public_id, Tool.public_id, Tool.name)
        .join(HazardTool, HazardTool.hazard_id == Hazard.id)
        .join(Tool, HazardTool.tool_id == Tool.id)
        .where(col(HazardTool.archived_at).is_(None), col(Tool.archived_at).is_(None))
        .order_by(col(Tool.name), col(Tool.id))
    )
    for hazard_id, public_id, name in tools:
        out.setdefault(hazard_id, empty_links())["tools"].append((public_id, name))
    safeguards = session.exec(
        select(Hazard.public_id, Safeguard.public_id, Safeguard.title)
        .join(HazardSafeguard, HazardSafeguard.hazard_id == Hazard.id)
        .join(Safeguard, HazardSafeguard.safeguard_id == Safeguard.id)
        .where(col(HazardSafeguard.archived_at).is_(None), col(Safeguard.archived_at).is_(None))
        .order_by(col(Safeguard.title), col(Safeguard.id))
    )
    for hazard_id, public_id, title in safeguards:
        out.setdefault(hazard_id, empty_links())["safeguards"].append((public_id, title))
    return out


def empty_links() -> dict[str, list[tuple[str, str]]]:
    return {"tools": [], "safeguards": []}


INCIDENT_LINK = LinkTable(IncidentHazard, ("incident", "hazard"))
"""Incidents linked to hazards: not a register link (the incident's screen makes it), but part
of a hazard's history."""


def _named_by() -> dict[str, tuple[Any, tuple[Any, ...]]]:
    """Each kind at a link's end: its table and the columns naming one of its records."""
    ends: dict[str, tuple[Any, tuple[Any, ...]]] = {
        kind: (spec.model, (getattr(spec.model, spec.names.title_field),))
        for kind, spec in KIND.items()}
    ends["incident"] = (Incident, (Incident.reference, Incident.title))
    return ends


def links_of(session: Session, kind: str, obj: Any) -> list[LinkRow]:
    """Every link row that ever joined the record `obj` (of `kind`) to another, unlinked ones
    included, with the record at its other end: a hazard's tools, safeguards and incidents, a
    tool's or a safeguard's hazards."""
    named_by = _named_by()
    rows: list[LinkRow] = []
    for table in (*LINKS, INCIDENT_LINK):
        if kind not in table.ends:
            continue
        other = table.other(kind)
        model, names = named_by[other]
        for pid, *name in session.exec(
                select(table.model.public_id, *names).join(model, table.column(other) == model.id)
                .where(table.column(kind) == obj.id)):
            rows.append((pid, other, name[0] if len(name) == 1 else " ".join(map(str, name)).strip()))
    return rows
