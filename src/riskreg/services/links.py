"""The register's links, read in bulk: which tools and safeguards each hazard is linked to.

One query per kind of link for the whole register, for the reports and the spreadsheet export,
which show every hazard with its links (the register service reads one record's links at a time).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from riskreg.storage.models import Hazard, HazardSafeguard, HazardTool, Safeguard, Tool


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
