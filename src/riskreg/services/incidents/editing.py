"""The rules every step's save shares: one write transaction on the incident read at the
caller's revision (refused if it moved, if it is closed, or if the step is not reached), the
step's preconditions, and the update with its audit event that moves the wizard on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlmodel import Session, select

from riskreg.domain import incident_steps as steps
from riskreg.domain.determination import (
    Choice,
)
from riskreg.errors import ConflictError, NotFound, ValidationError
from riskreg.services.incidents.facts import next_after
from riskreg.storage import audit, revisions
from riskreg.storage.database import Database
from riskreg.storage.incident_models import (
    Incident,
)
from riskreg.storage.models import (
    utcnow,
)


@contextmanager
def editing(
    db: Database, ref: str, step_id: str | None, expected_revision: int, allow_closed: bool = False
) -> Iterator[tuple[Session, Incident]]:
    """A write transaction on one incident read at `expected_revision`: refused if it moved
    (ConflictError), if it is closed, or if `step_id` has not been reached yet."""
    with db.writing() as session:
        inc = find_incident(session, ref)
        check_revision(inc, expected_revision, session)
        if inc.status == "closed" and not allow_closed:
            raise ValidationError("status", f"{inc.reference} is closed; reopen it to change it")
        if step_id is not None and steps.index(step_id) > steps.index(inc.step):
            raise ValidationError(
                "step", f"{inc.reference} is at '{steps.title(inc.step)}': finish that step first"
            )
        yield session, inc


def check_intake_dates(values: dict[str, Any], today: date) -> None:
    if values["discovered_on"] > today:
        raise ValidationError("discovered_on", "discovery cannot be in the future")
    if values["occurred_on"] and values["occurred_on"] > today:
        raise ValidationError("occurred_on", "it cannot have happened in the future")
    if values["ba_discovered_on"] and values["ba_discovered_on"] > today:
        raise ValidationError("ba_discovered_on", "discovery cannot be in the future")


def require_phi(inc: Incident) -> None:
    if not inc.phi_involved:
        raise ValidationError(
            "phi_involved", "this step applies only when PHI was involved (step 2)"
        )
    if inc.determination == Choice.NOT_A_BREACH_PERMITTED.value:
        raise ValidationError(
            "use_permitted", "this step applies only to a use or disclosure the Privacy Rule "
            "does not permit (step 2)"
        )


def require_notification(inc: Incident) -> None:
    if inc.determination != Choice.NOTIFICATION_REQUIRED.value:
        raise ValidationError(
            "determination",
            "notices, scope and law-enforcement holds apply once you determine that "
            "notification is required",
        )


def require_scope(inc: Incident) -> None:
    """The scope is recorded once PHI was involved, whatever HIPAA's determination may be, except
    where HIPAA's analysis ended before any breach (no PHI, a permitted use or disclosure)."""
    if not inc.phi_involved:
        raise ValidationError(
            "phi_involved", "the scope applies only when PHI was involved (step 2)"
        )
    if inc.determination not in (None, Choice.NOTIFICATION_REQUIRED.value,
                                 *steps.STATE_ANALYSIS_CHOICES):
        raise ValidationError(
            "determination",
            f"the scope does not apply: {steps.CHOICE_LABELS[inc.determination]}",
        )


def require_plan_steps(inc: Incident, step_id: str) -> None:
    """The plan and its tracking apply once notification is required, and for the state rows
    after a safe harbor, an exception or a low-probability finding; holds and the HIPAA notices
    only once notification is required."""
    if step_id in steps.WITH_STATE_ANALYSIS and inc.determination in steps.STATE_ANALYSIS_CHOICES:
        return
    require_notification(inc)


def update(
    session: Session, inc: Incident, values: dict[str, Any], step_id: str | None
) -> None:
    """Apply one step's answers and move `step`: to the step that follows when the answers
    change the path from here, otherwise to the later of where it was and what follows."""
    before = state_of(inc)
    path_before = next_after(inc, step_id) if step_id else None
    for key, value in values.items():
        setattr(inc, key, value)
    if step_id is not None:
        path_after = next_after(inc, step_id)
        branch_changed = path_before != path_after and steps.index(inc.step) > steps.index(step_id)
        inc.step = path_after if branch_changed else steps.later(inc.step, path_after)
    commit(session, inc, before, "update")


def commit(session: Session, inc: Incident, before: dict[str, Any], action: str) -> None:
    changed = audit.diff(before, state_of(inc))
    if not changed and action == "update":
        return
    inc.revision += 1
    inc.updated_at = utcnow()
    session.add(inc)
    session.flush()
    audit.record(session, "incident", inc.public_id, action, changed)


def touch(session: Session, inc: Incident) -> None:
    """A child changed: move the incident's revision so other windows see it."""
    inc.revision += 1
    inc.updated_at = utcnow()
    session.add(inc)
    session.flush()


def parse_day(text: str, field_name: str) -> date:
    from riskreg.domain.dates import parse_date

    try:
        return parse_date(text, field_name)
    except ValueError as error:
        raise ValidationError(field_name, str(error)) from None


def find_incident(session: Session, ref: str) -> Incident:
    """An incident by its reference (any case) or public id."""
    key = (ref or "").strip()
    inc = session.exec(
        select(Incident).where(
            (Incident.reference == key.upper()) | (Incident.public_id == key)
        )
    ).first()
    if inc is None:
        raise NotFound(f"no incident {key}")
    return inc


def check_revision(inc: Incident, expected: int, session: Session | None = None) -> None:
    """ConflictError if the incident moved since it was read at `expected`; in a write
    transaction (`session`) by one atomic UPDATE ... WHERE revision = :expected."""
    if inc.revision == expected and (session is None or revisions.claim(session, inc, expected)):
        return
    now = inc.revision if inc.revision != expected or session is None else \
        revisions.current(session, inc)
    raise ConflictError(
        f"{inc.reference} was changed elsewhere since you opened it "
        f"(revision {expected}, now {now}); reload to see the changes"
    )


def state_of(inc: Incident) -> dict[str, Any]:
    return inc.model_dump(exclude={"id", "updated_at", "revision", "created_at", "public_id"})


def trial_copy(inc: Incident, values: dict[str, Any]) -> Incident:
    data = inc.model_dump()
    data.update(values)
    return Incident.model_construct(**data)
