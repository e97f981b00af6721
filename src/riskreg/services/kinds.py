"""Each kind of register record on the database side, in one place: its table, the columns the
type-to-filter box searches and a list may be sorted by, the record it refers to, what makes
one overdue, what a write works out (scores, next dates) and what a read adds (a hazard's
review-now flag), and the link tables joining kinds. `RegisterService` looks a kind up here
instead of branching on its name; the names are `domain/kinds.py`'s. (Each kind's input model stays in `validation.INPUTS`, which this
module would otherwise import and be imported by.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col

from riskreg.domain.kinds import KINDS as NAMES
from riskreg.domain.kinds import KindNames
from riskreg.domain.review import next_due
from riskreg.domain.scoring import score
from riskreg.errors import ValidationError
from riskreg.services.ai_flags import add_consent_flags, add_tool_flags
from riskreg.services.review_now import add_review_now, lapse
from riskreg.storage.models import (
    Consent,
    Hazard,
    HazardSafeguard,
    HazardTool,
    Owner,
    Safeguard,
    Tool,
    Tracked,
)

Prepare = Callable[[dict[str, Any], Any, date], dict[str, Any]]
"""(validated values, the stored record or None for a new one, today) -> the values with the
fields derived from them."""
Updated = Callable[[Session, Any, dict[str, Any], date], dict[str, Any]]
"""(session, the stored record, its new values, today) -> more values that follow from the
change (written with it)."""
Annotate = Callable[[Session, list[dict[str, Any]], list[int], date], None]
"""(session, records read, their internal ids, today): adds what the stored fields alone do not
say, for the whole page at once."""


def _hazard_overdue(today: date) -> Any:
    return col(Hazard.next_review_on) < today


def _safeguard_overdue(today: date) -> Any:
    return or_(
        (col(Safeguard.due_on) < today) & col(Safeguard.status).in_(("planned", "in_progress")),
        col(Safeguard.next_verification_on) < today,
    )


def _tool_overdue(today: date) -> Any:
    return col(Tool.baa_expires_on) < today


def _prepare_hazard(values: dict[str, Any], existing: Any, today: date) -> dict[str, Any]:
    """Scores from likelihood and impact; the next review from the cadence, again when the
    cadence or the last review moved and the next date was left as it was."""
    values["score"] = score(values["likelihood"], values["impact"])
    values["target_score"] = score(values["target_likelihood"], values["target_impact"])
    anchor_moved = existing is not None and (
        existing.review_cadence_months != values["review_cadence_months"]
        or existing.last_reviewed_on != values["last_reviewed_on"]
    )
    kept_old_date = existing is not None and values["next_review_on"] == existing.next_review_on
    if values["next_review_on"] is None or (anchor_moved and kept_old_date):
        anchor = values["last_reviewed_on"] or today
        values["next_review_on"] = next_due(anchor, values["review_cadence_months"])
    return values


def _prepare_safeguard(values: dict[str, Any], _existing: Any, _today: date) -> dict[str, Any]:
    """The next verification from the last one and the cadence."""
    last = values.get("last_verified_on")
    values["next_verification_on"] = (
        next_due(last, values["verification_cadence_months"]) if last else None
    )
    return values


def _safeguard_updated(session: Session, safeguard: Any, values: dict[str, Any],
                       today: date) -> dict[str, Any]:
    """A safeguard no longer in effect lapses (`review_now.lapse`)."""
    return lapse(session, safeguard, values["status"], today)


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
    prepare: Prepare | None = None
    """The fields a create or an update works out from the others (scores, next dates)."""
    updated: Updated | None = None
    """What else an update changes (a safeguard that stops being in place lapses)."""
    annotate: Annotate | None = None
    """What a read adds to the records (a hazard's review-now flag and current risk)."""

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


    def prepared(self, values: dict[str, Any], existing: Any, today: date) -> dict[str, Any]:
        values = dict(values)
        return self.prepare(values, existing, today) if self.prepare is not None else values

    def after_update(self, session: Session, obj: Any, values: dict[str, Any],
                     today: date) -> dict[str, Any]:
        return self.updated(session, obj, values, today) if self.updated is not None else {}

    def add_to_records(self, session: Session, records: list[dict[str, Any]], ids: list[int],
                       today: date) -> None:
        if self.annotate is not None:
            self.annotate(session, records, ids, today)


@dataclass(frozen=True)
class LinkTable:
    """A table of links between two kinds of record: its rows hold `<kind>_id` for each end."""

    model: Any
    ends: tuple[str, str]

    def column(self, kind: str) -> Any:
        """The link table's column holding the id of the record of `kind` at one end."""
        return getattr(self.model, f"{kind}_id")

    def other(self, kind: str) -> str:
        """The kind at the end that is not `kind`."""
        first, second = self.ends
        return second if kind == first else first


LINKS: tuple[LinkTable, ...] = (
    LinkTable(HazardTool, ("hazard", "tool")),
    LinkTable(HazardSafeguard, ("hazard", "safeguard")),
)
"""The register's link tables, in the order a record's links are shown (a hazard's tools, then
its safeguards). Every link has a hazard at one end: `RegisterService.link` takes it first."""


def links_of_kind(kind: str) -> list[tuple[LinkTable, str]]:
    """The link tables with `kind` at one end, each with the kind at its other end."""
    return [(table, table.other(kind)) for table in LINKS if kind in table.ends]


def link_table(kind: str, other_kind: str) -> LinkTable:
    """The table linking records of `kind` to `other_kind`; ValidationError if there is none."""
    for table, other in links_of_kind(kind):
        if other == other_kind:
            return table
    others = " and ".join(NAMES[o].plural for _, o in links_of_kind(kind))
    raise ValidationError("link", f"a {kind} links to {others}, not {other_kind}")


REFERENCED: dict[str, type[Tracked]] = {"owner": Owner, "tool": Tool}
"""The kinds another kind may refer to, by the reference's field name."""

KIND: dict[str, RecordKind] = {k.kind: k for k in (
    RecordKind(NAMES["owner"], Owner, ("name", "role", "contact"),
               ("name", "role", "contact", "updated_at")),
    RecordKind(NAMES["tool"], Tool, ("name", "vendor", "category", "baa_status", "notes"),
               ("name", "vendor", "category", "handles_phi", "baa_status", "baa_expires_on",
                "owner"), _tool_overdue, annotate=add_tool_flags),
    RecordKind(NAMES["hazard"], Hazard,
               ("title", "description", "threat_source", "vulnerability", "status", "treatment"),
               ("title", "score", "current_score", "target_score", "treatment", "status",
                "next_review_on", "last_reviewed_on", "owner"), _hazard_overdue,
               prepare=_prepare_hazard, annotate=add_review_now),
    RecordKind(NAMES["safeguard"], Safeguard,
               ("title", "description", "citation", "category", "status", "evidence"),
               ("title", "category", "citation", "requirement", "status", "due_on",
                "next_verification_on", "owner"), _safeguard_overdue,
               prepare=_prepare_safeguard, updated=_safeguard_updated),
    RecordKind(NAMES["consent"], Consent, ("client_code", "decision", "alternative_offered"),
               ("client_code", "disclosed_on", "decision", "written", "tool"),
               annotate=add_consent_flags),
)}

KIND_OF_MODEL: dict[type[Tracked], str] = {k.model: name for name, k in KIND.items()}


def record_kind(kind: str) -> RecordKind:
    try:
        return KIND[kind]
    except KeyError:
        raise ValidationError("kind", f"{kind!r} is not one of: {', '.join(KIND)}") from None
