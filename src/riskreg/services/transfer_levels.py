"""The three risk levels in a JSON export: what the export adds, and how older exports read.

A hazard row carries its stored fields (the `target_*` scores, the current assessment) and, for a
reader of the file, its current risk as riskreg works it out (`current_likelihood`,
`current_impact`, `current_score`, `current_level`: domain/current_risk.py). Those four are
derived, so an import drops them and works them out again. An export made before the three
levels (schema 0002 and older) names the target `residual_*`: it is read as the target, as the
migration 0003 did for the database.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from riskreg.services.current import add_current
from riskreg.storage.models import Hazard

DERIVED = {"hazard": ("current_likelihood", "current_impact", "current_score", "current_level")}
"""Fields an export adds to a table's rows that are not stored."""

RENAMED = {
    "hazard": {"residual_likelihood": "target_likelihood", "residual_impact": "target_impact",
               "residual_score": "target_score"},
    "review": {"residual_likelihood": "target_likelihood", "residual_impact": "target_impact"},
}
"""Older exports' field names, and the names they have now (migration 0003)."""


def add_current_levels(session: Session, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Add each exported hazard row's current risk (DERIVED)."""
    hazards = session.exec(select(Hazard).order_by(col(Hazard.id))).all()
    records = [h.model_dump() for h in hazards]
    add_current(session, records, [h.id for h in hazards])
    current = {r["public_id"]: r for r in records}
    for row in tables.get("hazard", []):
        record = current[row["public_id"]]
        row.update({key: record[key] for key in DERIVED["hazard"]})


def read_levels(document: Any) -> Any:
    """The document with older field names renamed and derived fields dropped (in place; a
    document that is not an export's shape is left for the checks to name what is wrong)."""
    tables = document.get("tables") if isinstance(document, dict) else None
    if not isinstance(tables, dict):
        return document
    for name, rows in tables.items():
        if not isinstance(rows, list):
            continue
        for row in rows:
            if not isinstance(row, dict):
                continue
            for old, new in RENAMED.get(name, {}).items():
                if old in row and new not in row:
                    row[new] = row.pop(old)
            for key in DERIVED.get(name, ()):
                row.pop(key, None)
    return document
