"""What a register list asks for (`ListQuery`), what it gets (`Page`), and the SQL that answers
it: the filter text's LIKE, the overdue condition of each kind, a heat-map cell, the sort."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col

from riskreg.domain.current_risk import LEVELS
from riskreg.errors import ValidationError
from riskreg.services.current import current_cells, current_score_clause
from riskreg.services.kinds import KIND
from riskreg.services.records import RegisterRecord
from riskreg.storage.models import (
    Hazard,
    Tracked,
)


@dataclass(frozen=True)
class ListQuery:
    """What a table shows: filter text, sort, a page, archived or not, only overdue or not."""

    text: str = ""
    sort: str | None = None
    descending: bool = False
    offset: int = 0
    limit: int | None = 200
    archived: bool = False
    overdue: bool = False
    cell: tuple[int, int] | None = None
    """Hazards only: just those scored (likelihood, impact), e.g. one heat-map cell."""
    level: str = "inherent"
    """With `cell`: which scores to match, "inherent", "current" or "target" (LEVELS)."""
    count: bool = True
    """Count all the matches (Page.total); False skips that scan and leaves total at -1, for a
    caller that shows the rows first and counts afterwards (`count_matching`)."""


@dataclass(frozen=True)
class Page:
    rows: list[RegisterRecord]
    total: int
    """How many records match the filter (the rows are one window of them)."""


def overdue_clause(kind: str, today: date) -> Any:
    overdue = KIND[kind].overdue
    if overdue is None:
        raise ValidationError("overdue", f"{kind} records have no due dates")
    return overdue(today)


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def cell_clause(session: Session, kind: str, cell: tuple[int, int], level: str) -> tuple[Any, ...]:
    if not KIND[kind].names.reviewed:  # only reviewed records are scored
        raise ValidationError("cell", f"{kind} records have no likelihood and impact")
    if level not in LEVELS:
        raise ValidationError("level", f"{level!r} is not one of: {', '.join(LEVELS)}")
    likelihood, impact = cell
    if level == "current":
        ids = [i for i, scored in current_cells(session).items() if scored == cell]
        return (col(Hazard.id).in_(ids),)
    if level == "target":
        return (col(Hazard.target_likelihood) == likelihood, col(Hazard.target_impact) == impact)
    return (col(Hazard.likelihood) == likelihood, col(Hazard.impact) == impact)


def order_by(kind: str, model: type[Tracked], ref: Any, query: ListQuery) -> list[Any]:
    sortable = KIND[kind].sortable
    sort = query.sort or sortable[0]
    if sort not in sortable:
        raise ValidationError("sort", f"cannot sort {kind} records by {sort!r}; "
                              f"choose one of: {', '.join(sortable)}")
    if sort in ("owner", "tool") and ref is not None:
        column = ref.name
    elif sort == "current_score":
        column = current_score_clause()
        primary = column.desc() if query.descending else column.asc()
        return [primary, col(model.id)]
    else:
        column = getattr(model, sort)
    primary = col(column).desc() if query.descending else col(column).asc()
    # Empty values (dates, a missing owner) sort last either way; the id keeps paging stable
    # among equal values. A column that cannot be empty skips the "is empty" term, so SQLite
    # can walk its index and stop at the window's end instead of sorting every match.
    joined = ref.name if ref is not None else None
    if column is not joined and not getattr(model, sort).property.columns[0].nullable:
        return [primary, col(model.id)]
    return [col(column).is_(None), primary, col(model.id)]
