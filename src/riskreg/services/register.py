"""Register use cases: create, update, archive, restore, list, link, review.

Both the CLI and the TUI call these; each capability has this one implementation. Every change
is validated first, written in one transaction together with its audit event, and checked
against the revision the caller read, so two windows never silently overwrite each other.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from riskreg.domain.review import next_due
from riskreg.errors import ConflictError, NotFound, ValidationError
from riskreg.services.kinds import KIND, REFERENCED, link_table, links_of_kind, record_kind
from riskreg.services.messages import text_problem
from riskreg.services.records import (
    HazardRecord,
    HistoryEvent,
    LinkedRecord,
    RegisterRecord,
    ReviewRecord,
    SafeguardRecord,
    SuggestedSafeguard,
    to_record,
)
from riskreg.services.register_query import (
    ListQuery,
    Page,
    cell_clause,
    escape_like,
    order_by,
    overdue_clause,
)
from riskreg.services.validation import dated_problem, validate
from riskreg.storage import audit, revisions
from riskreg.storage.database import Database
from riskreg.storage.models import (
    Hazard,
    HazardSafeguard,
    Review,
    Safeguard,
    Tracked,
    utcnow,
)

REVIEW_FIELDS = frozenset({"reviewed_on", "notes", "likelihood", "impact", "current_likelihood",
                           "current_impact", "target_likelihood", "target_impact",
                           "next_review_on"})
"""What a review's audit event records (the hazard is named by its public id beside them)."""

REVIEW_SCORES = ("likelihood", "impact", "current_likelihood", "current_impact",
                 "target_likelihood", "target_impact")
"""The scores a review may change, as a hazard's record and a review both name them."""

@dataclass
class RegisterService:
    """(Its `list` method hides the builtin in the class's own annotations: they say
    `builtins.list`.)"""

    db: Database
    today: Callable[[], date] = field(default=date.today)
    """The clock, injected so tests and screenshots can fix it."""

    # -- reading -------------------------------------------------------------------------------

    def list(self, kind: str, query: ListQuery = ListQuery()) -> Page:
        model = record_kind(kind).model
        today = self.today()
        with self.db.reading() as session:
            stmt, ref = self._matching(session, kind, query, today)
            total = self._count(session, stmt) if query.count else -1
            stmt = stmt.order_by(*order_by(kind, model, ref, query)).offset(query.offset)
            if query.limit is not None:
                stmt = stmt.limit(query.limit)
            rows: list[dict[str, Any]] = []
            ids = []
            for row in session.exec(stmt):
                obj, other = (row if ref is not None else (row, None))
                rows.append(to_record(obj, today, KIND[kind].refs(other)))
                ids.append(obj.id)
            KIND[kind].add_to_records(session, rows, ids, today)
        return Page(cast("list[RegisterRecord]", rows), total)

    def count_matching(self, kind: str, query: ListQuery = ListQuery()) -> int:
        """How many records `list` would find for `query` (all windows together)."""
        with self.db.reading() as session:
            return self._count(session, self._matching(session, kind, query, self.today())[0])

    def _matching(self, session: Session, kind: str, query: ListQuery, today: date) -> Any:
        """The SELECT of the records a query matches (unsorted, unpaged), and the joined model."""
        spec = record_kind(kind)
        model = spec.model
        stmt = select(model)
        ref = spec.reference_model
        if ref is not None:
            stmt = select(model, ref).outerjoin(ref, spec.foreign_key() == ref.id)
        stmt = stmt.where(
            col(model.archived_at).is_not(None) if query.archived else col(model.archived_at).is_(None)
        )
        if query.text.strip():
            needle = f"%{escape_like(query.text.strip())}%"
            # SQLite's LIKE already ignores ASCII case, as its lower() does (both ASCII only),
            # so plain LIKE matches exactly what ILIKE's lower(x) LIKE lower(y) would, faster.
            sqlite = session.get_bind().dialect.name == "sqlite"
            stmt = stmt.where(or_(*(
                getattr(model, c).like(needle, escape="\\") if sqlite
                else getattr(model, c).ilike(needle, escape="\\")
                for c in spec.searched
            )))
        if query.overdue:
            stmt = stmt.where(overdue_clause(kind, today))
        if query.cell is not None:
            stmt = stmt.where(*cell_clause(session, kind, query.cell, query.level))
        return stmt, ref

    @staticmethod
    def _count(session: Session, stmt: Any) -> int:
        return session.exec(select(func.count()).select_from(stmt.subquery())).one()

    def get(self, kind: str, public_id: str) -> RegisterRecord:
        with self.db.reading() as session:
            obj = _find(session, kind, public_id)
            return cast("RegisterRecord", self._record(session, kind, obj))

    def count(self, kind: str) -> int:
        model = record_kind(kind).model
        with self.db.reading() as session:
            return session.exec(
                select(func.count()).select_from(model).where(col(model.archived_at).is_(None))
            ).one()

    def is_empty(self) -> bool:
        return all(self.count(kind) == 0 for kind in ("owner", "tool", "hazard", "safeguard"))

    def history(self, public_id: str, kind: str | None = None) -> builtins.list[HistoryEvent]:
        """The audit events about one record, oldest first. Given the record's `kind`, its links
        and unlinks too (logged about the link row), each with `linked`: (the other record's
        kind, its name)."""
        from riskreg.services.links import links_of

        with self.db.reading() as session:
            events = [(e, None) for e in audit.history(session, public_id)]
            if kind is not None:
                for link_id, other_kind, name in links_of(session, kind, _find(session, kind, public_id)):
                    events += [(e, (other_kind, name)) for e in audit.history(session, link_id)
                               if e.action in ("link", "unlink")]
            events.sort(key=lambda pair: pair[0].id)
            return [
                HistoryEvent(at=e.at, action=e.action, changes=e.changes, actor=e.actor,
                             linked=linked)
                for e, linked in events
            ]

    # -- writing -------------------------------------------------------------------------------

    def create(self, kind: str, data: dict[str, Any]) -> RegisterRecord:
        with self.db.writing() as session:
            obj = self.create_in(session, kind, data)
            return cast("RegisterRecord", self._record(session, kind, obj))

    def create_in(
        self, session: Session, kind: str, data: dict[str, Any], public_id: str | None = None
    ) -> Any:
        """Create a record inside the caller's write transaction (bulk loads: one transaction).

        `public_id` keeps a record's permanent id when it comes from elsewhere (an import, a
        seeded demo); otherwise a new UUID is drawn.
        """
        values = _resolve_refs(session, self._prepare(kind, validate(kind, data)))
        obj = record_kind(kind).model(**values, **({"public_id": public_id} if public_id else {}))
        session.add(obj)
        session.flush()
        audit.record(session, kind, obj.public_id, "create", audit.diff({}, values))
        return obj

    def update(
        self, kind: str, public_id: str, changes: dict[str, Any], expected_revision: int
    ) -> RegisterRecord:
        """Apply `changes` to a record read at `expected_revision`; ConflictError if it moved."""
        with self.db.writing() as session:
            obj = _find(session, kind, public_id)
            _check_revision(session, kind, obj, expected_revision)
            self._update_in(session, kind, obj, changes)
            return cast("RegisterRecord", self._record(session, kind, obj))

    def _update_in(self, session: Session, kind: str, obj: Any, changes: dict[str, Any], *,
                   also: dict[str, Any] | None = None) -> None:
        """Apply `changes` to `obj` inside the caller's write transaction: validated as the
        record's form is, derived fields worked out again, one audited update if anything moved.
        `also` sets fields no form edits (a review clears the hazard's review-now reason)."""
        current = {k: v for k, v in to_record(obj, self.today(), _refs_of(session, kind, obj)).items()}
        editable = set(validate_fields(kind))
        merged = {k: current.get(_ref_key(k), current.get(k)) for k in editable}
        merged.update(changes)
        values = self._prepare(kind, validate(kind, merged), obj)
        values = _resolve_refs(session, values)
        before = obj.model_dump()
        values.update(KIND[kind].after_update(session, obj, values, self.today()))
        for key, value in {**values, **(also or {})}.items():
            setattr(obj, key, value)
        changed = audit.diff(before, obj.model_dump(exclude={"updated_at", "revision"}))
        if changed:
            obj.revision += 1
            obj.updated_at = utcnow()
            session.add(obj)
            session.flush()
            audit.record(session, kind, obj.public_id, "update", changed)

    def archive(self, kind: str, public_id: str) -> RegisterRecord:
        """Archive instead of delete: the record is kept (164.530(j)) and can be restored."""
        return self._set_archived(kind, public_id, archived=True)

    def restore(self, kind: str, public_id: str) -> RegisterRecord:
        return self._set_archived(kind, public_id, archived=False)

    def _set_archived(self, kind: str, public_id: str, archived: bool) -> RegisterRecord:
        with self.db.writing() as session:
            obj = _find(session, kind, public_id)
            if (obj.archived_at is not None) == archived:
                return cast("RegisterRecord", self._record(session, kind, obj))
            before = obj.archived_at
            obj.archived_at = utcnow() if archived else None
            obj.revision += 1
            obj.updated_at = utcnow()
            session.add(obj)
            session.flush()
            audit.record(
                session, kind, obj.public_id, "archive" if archived else "restore",
                {"archived_at": [before, obj.archived_at]},
            )
            return cast("RegisterRecord", self._record(session, kind, obj))

    def _record(self, session: Session, kind: str, obj: Any) -> dict[str, Any]:
        """One record as the services return it (hazards with their `review_now` flag): a
        `RegisterRecord` of `kind`, still a plain dict here for the service's own reading."""
        record = to_record(obj, self.today(), _refs_of(session, kind, obj))
        KIND[kind].add_to_records(session, [record], [obj.id], self.today())
        return record

    def _prepare(self, kind: str, values: dict[str, Any], existing: Tracked | None = None) -> dict[str, Any]:
        """Derived fields: scores, the next review and verification dates (the kind's), once
        its dates pass the checks against today (which the form shows as they are typed)."""
        dated = dated_problem(kind, values, self.today())
        if dated is not None:
            raise dated
        return KIND[kind].prepared(values, existing, self.today())

    # -- links ---------------------------------------------------------------------------------

    def link(self, hazard_id: str, other_kind: str, other_id: str) -> None:
        """Attach a tool or safeguard to a hazard (restoring an archived link if there is one)."""
        with self.db.writing() as session:
            self.link_in(
                session, _find(session, "hazard", hazard_id), other_kind,
                _find(session, other_kind, other_id),
            )

    def link_in(self, session: Session, hazard: Hazard, other_kind: str, other: Any) -> None:
        table = link_table("hazard", other_kind)
        link_model = table.model
        existing = session.exec(
            select(link_model).where(
                table.column("hazard") == hazard.id, table.column(other_kind) == other.id
            )
        ).first()
        if existing is not None and existing.archived_at is None:
            return
        if existing is None:
            existing = link_model(hazard_id=hazard.id, **{f"{other_kind}_id": other.id})
        else:
            existing.archived_at = None
            existing.revision += 1
            existing.updated_at = utcnow()
        session.add(existing)
        session.flush()
        audit.record(
            session, f"hazard_{other_kind}", existing.public_id, "link",
            {"hazard": [None, hazard.public_id], other_kind: [None, other.public_id]},
        )

    def unlink(self, hazard_id: str, other_kind: str, other_id: str) -> None:
        table = link_table("hazard", other_kind)
        with self.db.writing() as session:
            hazard = _find(session, "hazard", hazard_id)
            other = _find(session, other_kind, other_id)
            existing = session.exec(
                select(table.model).where(
                    table.column("hazard") == hazard.id,
                    table.column(other_kind) == other.id,
                    col(table.model.archived_at).is_(None),
                )
            ).first()
            if existing is None:
                return
            existing.archived_at = utcnow()
            existing.revision += 1
            existing.updated_at = utcnow()
            session.add(existing)
            session.flush()
            audit.record(
                session, f"hazard_{other_kind}", existing.public_id, "unlink",
                {"hazard": [hazard.public_id, None], other_kind: [other.public_id, None]},
            )

    def linked(self, kind: str, public_id: str) -> dict[str, builtins.list[LinkedRecord]]:
        """The records linked to one record: for a hazard its tools and safeguards; for a tool or
        safeguard, its hazards."""
        today = self.today()
        with self.db.reading() as session:
            obj = _find(session, kind, public_id)
            linked: dict[str, list[LinkedRecord]] = {}
            for table, other in links_of_kind(kind):
                spec = KIND[other]
                model = spec.model
                linked[other] = [cast("LinkedRecord", to_record(o, today)) for o in session.exec(
                    select(model).join(table.model, table.column(other) == model.id)
                    .where(table.column(kind) == obj.id, col(table.model.archived_at).is_(None))
                    .order_by(col(getattr(model, spec.names.title_field)))
                )]
            return linked

    # -- reviews -------------------------------------------------------------------------------

    def mark_reviewed(
        self, hazard_id: str, reviewed_on: date, notes: str, expected_revision: int,
        scores: dict[str, int] | None = None,
    ) -> HazardRecord:
        """Record a review of a hazard (date, notes, the scores it leaves) and set the next one
        from its cadence (164.308(a)(1)(ii)(B): risk management is ongoing; 164.316(b)(2)(iii):
        review).

        `scores` re-scores the hazard as the review found it (REVIEW_SCORES: inherent, current
        and target likelihood and impact); a current score other than the one standing is a new
        current assessment dated the review's day. The hazard's change and the review are one
        transaction; the review's audit event keeps each score it changed as [before, after]."""
        if reviewed_on > self.today():
            raise ValidationError("reviewed_on", "a review cannot be dated in the future")
        problem = text_problem(notes, "notes")
        if problem:
            raise ValidationError("notes", problem)
        with self.db.writing() as session:
            hazard = _find(session, "hazard", hazard_id)
            _check_revision(session, "hazard", hazard, expected_revision)
            following = next_due(reviewed_on, hazard.review_cadence_months)
            then = self._record(session, "hazard", hazard)
            before = {k: then[k] for k in REVIEW_SCORES}
            after = {**before, **{k: v for k, v in (scores or {}).items() if k in REVIEW_SCORES}}
            changes: dict[str, Any] = {
                k: after[k] for k in ("likelihood", "impact", "target_likelihood", "target_impact")
            }
            changes.update(last_reviewed_on=reviewed_on, next_review_on=following)
            if (after["current_likelihood"], after["current_impact"]) != (
                    before["current_likelihood"], before["current_impact"]):
                changes.update(current_assessed_likelihood=after["current_likelihood"],
                               current_assessed_impact=after["current_impact"],
                               current_assessed_on=reviewed_on)
            self._update_in(session, "hazard", hazard, changes, also={"review_now_reason": ""})
            now = self._record(session, "hazard", hazard)
            review = Review(
                hazard_id=hazard.id, reviewed_on=reviewed_on, notes=notes.strip(),
                likelihood=hazard.likelihood, impact=hazard.impact,
                current_likelihood=now["current_likelihood"], current_impact=now["current_impact"],
                target_likelihood=hazard.target_likelihood,
                target_impact=hazard.target_impact, next_review_on=following,
            )
            session.add(review)
            session.flush()
            # Every field of the review, its scores included, so that `audit verify` can tell the
            # review as stored from the one recorded; a score the review changed keeps its value
            # before as the old one (the full view shows "before → after" from it).
            fields = audit.diff({}, review.model_dump(include=REVIEW_FIELDS))
            for key, pair in fields.items():
                if key in before and before[key] != pair[1]:
                    pair[0] = before[key]
            audit.record(session, "review", review.public_id, "create",
                         {"hazard": [None, hazard.public_id], **fields})
            return cast("HazardRecord", now)

    # -- the starter catalog's suggestions -------------------------------------------------------

    def suggested_safeguards(self, hazard_id: str) -> builtins.list[SuggestedSafeguard]:
        """The starter catalog's safeguards for a hazard created from the catalog, each with the
        register's safeguard made from it (if any) and whether it is linked to the hazard.

        A hazard not from the catalog, or a catalog that cannot be read, suggests nothing.
        """
        with self.db.reading() as session:
            hazard = _find(session, "hazard", hazard_id)
            from riskreg.services.ai_flags import practice_facts

            settings = practice_facts(session).settings
            templates = tuple(t for t in _catalog_safeguards_for(hazard.catalog_key)
                              if t.applies(settings))
            if not templates:
                return []
            keys = [t.key for t in templates]
            existing = {
                s.catalog_key: s
                for s in session.exec(
                    select(Safeguard).where(col(Safeguard.catalog_key).in_(keys))
                    .order_by(col(Safeguard.archived_at).is_not(None), col(Safeguard.id))
                )
            }
            linked = set(session.exec(
                select(HazardSafeguard.safeguard_id).where(
                    HazardSafeguard.hazard_id == hazard.id,
                    col(HazardSafeguard.archived_at).is_(None),
                )
            ))
            suggestions = []
            for template in templates:
                safeguard = existing.get(template.key)
                suggestions.append(SuggestedSafeguard(
                    catalog_key=template.key,
                    title=template.title,
                    citation=template.citation,
                    category=template.category,
                    proposed_rule=template.proposed_rule,
                    public_id=safeguard.public_id if safeguard else None,
                    archived=bool(safeguard and safeguard.archived_at is not None),
                    linked=bool(safeguard and safeguard.id in linked),
                ))
            return suggestions

    def adopt_safeguard(self, hazard_id: str, catalog_key: str) -> SafeguardRecord:
        """Link a suggested safeguard to a hazard, first adding it to the register from the
        starter catalog if it is not there yet (one transaction, both audited)."""
        from riskreg.domain.catalog import load_catalog

        try:
            template = load_catalog().safeguard(catalog_key)
        except (KeyError, ValueError, OSError) as error:
            raise NotFound(f"the starter catalog has no safeguard {catalog_key!r} ({error})") from None
        with self.db.writing() as session:
            hazard = _find(session, "hazard", hazard_id)
            safeguard = session.exec(
                select(Safeguard).where(Safeguard.catalog_key == catalog_key)
                .order_by(col(Safeguard.archived_at).is_not(None), col(Safeguard.id))
            ).first()
            if safeguard is None:
                safeguard = self.create_in(session, "safeguard", safeguard_from_template(template))
            self.link_in(session, hazard, "safeguard", safeguard)
            return cast("SafeguardRecord", self._record(session, "safeguard", safeguard))

    def reviews(self, hazard_id: str) -> builtins.list[ReviewRecord]:
        with self.db.reading() as session:
            hazard = _find(session, "hazard", hazard_id)
            rows = session.exec(
                select(Review).where(Review.hazard_id == hazard.id)
                .order_by(col(Review.reviewed_on).desc(), col(Review.id).desc())
            )
            out = []
            for row in rows:
                review = row.model_dump(exclude={"id", "hazard_id"})
                review.update(_review_logged(session, row.public_id))
                out.append(cast("ReviewRecord", review))
            return out


# -- helpers -----------------------------------------------------------------------------------


def _review_logged(session: Session, public_id: str) -> dict[str, Any]:
    """What a review's audit event adds to it: when it was recorded (`recorded_at`) and, for each
    score it changed, the score before (`before`: {field: old}; empty for a review that changed
    none, or one recorded before reviews could re-score)."""
    for event in audit.history(session, public_id):
        if event.action != "create":
            continue
        fields = audit.parse_changes(event.changes) or {}
        before = {k: pair[0] for k, pair in fields.items()
                  if k in REVIEW_SCORES and isinstance(pair, list) and pair[0] is not None}
        return {"recorded_at": event.at, "before": before}
    return {"recorded_at": None, "before": {}}


def safeguard_from_template(template: Any) -> dict[str, Any]:
    """A new safeguard's fields from a starter-catalog template, as planned (so an addressable
    one's decision can still be documented later, as the starter register does)."""
    return {
        "title": template.title,
        "description": template.description,
        "category": template.category,
        "citation": template.citation,
        "requirement": template.requirement,
        "status": "planned",
        "verification_cadence_months": template.verification_cadence_months,
        "catalog_key": template.key,
    }


def _catalog_safeguards_for(hazard_key: str | None) -> tuple[Any, ...]:
    if not hazard_key:
        return ()
    from riskreg.domain.catalog import load_catalog

    try:
        return load_catalog().safeguards_for(hazard_key)
    except (KeyError, ValueError, OSError):
        return ()


def validate_fields(kind: str) -> tuple[str, ...]:
    from riskreg.services.validation import INPUTS

    return tuple(INPUTS[kind].model_fields)


def _find(session: Session, kind: str, public_id: str) -> Any:
    model = record_kind(kind).model
    obj = session.exec(select(model).where(model.public_id == public_id)).first()
    if obj is None:
        raise NotFound(f"no {kind} with id {public_id}")
    return obj


def _check_revision(session: Session, kind: str, obj: Tracked, expected: int) -> None:
    """ConflictError if the record moved since it was read at `expected`: checked by one atomic
    UPDATE ... WHERE revision = :expected (storage/revisions.py), which also holds its row."""
    if obj.revision == expected and revisions.claim(session, obj, expected):
        return
    now = revisions.current(session, obj) if obj.revision == expected else obj.revision
    raise ConflictError(
        f"this {kind} was changed elsewhere since you opened it "
        f"(revision {expected}, now {now}); reload to see the changes"
    )


def _refs_of(session: Session, kind: str, obj: Any) -> dict[str, Any]:
    """The record `obj` refers to (its owner, a consent's tool), as records show it."""
    spec = KIND[kind]
    ref = spec.reference_model
    if ref is None:
        return {}
    key = getattr(obj, spec.names.reference_column or "")
    return spec.refs(session.get(ref, key) if key is not None else None)


def _ref_key(field_name: str) -> str:
    """In records a reference is shown by name; its public id is under `<name>_public_id`."""
    return f"{field_name}_public_id" if field_name in REFERENCED else field_name


def _resolve_refs(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Replace `owner`/`tool` public ids with the foreign keys the tables hold."""
    values = dict(values)
    for name, model in REFERENCED.items():
        if name not in values:
            continue
        ref = values.pop(name)
        if ref in (None, ""):
            values[f"{name}_id"] = None
            continue
        target = session.exec(select(model).where(model.public_id == ref)).first()
        if target is None:
            raise ValidationError(name, f"no {name} with id {ref}")
        values[f"{name}_id"] = target.id
    return values
