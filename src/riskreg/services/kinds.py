"""Each kind of register record on the database side, in one place: its table, the columns the
type-to-filter box searches and a list may be sorted by, the record it refers to, and what makes
one overdue. `RegisterService` looks a kind up here instead of branching on its name; the names
are `domain/kinds.py`'s. (Each kind's input model stays in `validation.INPUTS`, which this
module would otherwise import and be imported by.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_
from sqlmodel import col

from riskreg.domain.kinds import KINDS as NAMES
from riskreg.domain.kinds import KindNames
from riskreg.errors import ValidationError
from riskreg.storage.models import Consent, Hazard, Owner, Safeguard, Tool, Tracked


def _hazard_overdue(today: date) -> Any:
    return col(Hazard.next_review_on) < today


def _safeguard_overdue(today: date) -> Any:
    return or_(
        (col(Safeguard.due_on) < today) & col(Safeguard.status).in_(("planned", "in_progress")),
        col(Safeguard.next_verification_on) < today,
    )


def _tool_overdue(today: date) -> Any:
    return col(Tool.baa_expires_on) < today


@dataclass(frozen=True)
class RecordKind:
    names: KindNames
    model: type[Tracked]
    searched: tuple[str, ...]
    """Columns the type-to-filter box searches."""
    sortable: tuple[str, ...]
    """Columns a list may be sorted by; the first is the default (`names.default_sort`)."""
    overdue: Callable[[date], Any] | None = None
    """The SQL condition of an overdue record, for kinds with due dates."""

    def __post_init__(self) -> None:
        if self.sortable[0] != self.names.default_sort:
            raise ValueError(f"{self.names.kind}: the default sort must be sortable, first")

    @property
    def kind(self) -> str:
        return self.names.kind

    @property
    def reference_model(self) -> type[Tracked] | None:
        return REFERENCED[self.names.reference] if self.names.reference else None

    def foreign_key(self) -> Any:
        """The column holding the referenced record's id (owner_id, tool_id)."""
        return getattr(self.model, self.names.reference_column or "")

    def refs(self, other: Tracked | None) -> dict[str, Any]:
        """The referenced record as records show it: its name, and its public id under
        `<reference>_public_id`."""
        name = self.names.reference
        if name is None:
            return {}
        return {name: getattr(other, "name", "") if other else "",
                f"{name}_public_id": other.public_id if other else None}


REFERENCED: dict[str, type[Tracked]] = {"owner": Owner, "tool": Tool}
"""The kinds another kind may refer to, by the reference's field name."""

KIND: dict[str, RecordKind] = {k.kind: k for k in (
    RecordKind(NAMES["owner"], Owner, ("name", "role", "contact"),
               ("name", "role", "contact", "updated_at")),
    RecordKind(NAMES["tool"], Tool, ("name", "vendor", "category", "baa_status", "notes"),
               ("name", "vendor", "category", "handles_phi", "baa_status", "baa_expires_on",
                "owner"), _tool_overdue),
    RecordKind(NAMES["hazard"], Hazard,
               ("title", "description", "threat_source", "vulnerability", "status", "treatment"),
               ("title", "score", "current_score", "target_score", "treatment", "status",
                "next_review_on", "last_reviewed_on", "owner"), _hazard_overdue),
    RecordKind(NAMES["safeguard"], Safeguard,
               ("title", "description", "citation", "category", "status", "evidence"),
               ("title", "category", "citation", "requirement", "status", "due_on",
                "next_verification_on", "owner"), _safeguard_overdue),
    RecordKind(NAMES["consent"], Consent, ("client_code", "decision", "alternative_offered"),
               ("client_code", "disclosed_on", "decision", "written", "tool")),
)}

KIND_OF_MODEL: dict[type[Tracked], str] = {k.model: name for name, k in KIND.items()}


def record_kind(kind: str) -> RecordKind:
    try:
        return KIND[kind]
    except KeyError:
        raise ValidationError("kind", f"{kind!r} is not one of: {', '.join(KIND)}") from None
