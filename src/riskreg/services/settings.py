"""The practice settings: who the practice is, its home state, its internal notification target,
the calendar alarms and when the whole risk analysis was last reviewed.

One row (`PracticeSettings`); until it is first saved, the defaults apply and there is no row.
Both the CLI (`riskreg settings`) and the TUI ("Practice settings…") call this. A change is
validated first (the first problem raises ValidationError naming the field; nothing is written),
then written in one transaction together with its audit event, and checked against the revision
the caller read, so two windows never silently overwrite each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from riskreg.errors import ConflictError, ValidationError
from riskreg.services.validation import SettingsInput, validate_settings
from riskreg.storage.database import Database

ENTITY = "practice_settings"
"""The audit log's name for the settings row (its table)."""

FIELDS: tuple[str, ...] = tuple(SettingsInput.model_fields)

LABELS: dict[str, str] = {
    "practice_name": "Practice name",
    "practitioner": "Practitioner",
    "home_state": "Home state",
    "internal_target_days": "Internal target (days before due)",
    "alarm_days": "Calendar alarms (days before)",
    "risk_analysis_reviewed_on": "Risk analysis last reviewed",
    "risk_analysis_cadence_months": "Risk analysis cadence (months)",
    "federal_assistance": "Receives federal financial assistance",
    "part2_records": "Holds Part 2 records",
}

def defaults() -> dict[str, Any]:
    return SettingsInput().model_dump()


@dataclass(frozen=True)
class Saved:
    """What `update` did: the settings now, and the fields changed as {field: [old, new]}."""

    settings: dict[str, Any]
    changed: dict[str, list[Any]]


@dataclass
class SettingsService:
    db: Database
    today: Callable[[], date] = field(default=date.today)
    """The clock, injected so tests can fix it (a review date may not be in the future)."""

    def get(self) -> dict[str, Any]:
        """The settings (the defaults when none were saved yet), with `public_id` (None before the
        first save), `revision` (0 before the first save) and `next_risk_analysis_review_on`."""
        with self.db.reading() as session:
            return _as_dict(_current(session))

    def update(self, changes: dict[str, Any], expected_revision: int | None) -> Saved:
        """Apply `changes` (any of FIELDS) to the settings read at `expected_revision` (0: read
        before any were saved); ConflictError if they changed since. `expected_revision=None`
        applies the changes to whatever is stored now (the CLI's single-field edits)."""
        with self.db.writing() as session:
            return self.update_in(session, changes, expected_revision)

    def update_in(self, session: Any, changes: dict[str, Any],
                  expected_revision: int | None) -> Saved:
        """`update` inside the caller's write transaction (signing the risk analysis records
        its day as the last review of the whole analysis, in the sign-off's transaction)."""
        from riskreg.storage import audit, revisions
        from riskreg.storage.models import PracticeSettings, utcnow

        audit.actor_of(session)  # who is named now makes the change, a change of name too
        row = _current(session)
        revision = row.revision if row is not None else 0
        if expected_revision is not None and (expected_revision != revision or (
                row is not None and not revisions.claim(session, row, revision))):
            raise ConflictError(
                "the practice settings were changed elsewhere since you opened them "
                f"(revision {expected_revision}, now {revision}); reload to see the changes"
            )
        before = _values(row)
        values = self.clean({**before, **changes}, before)
        changed = audit.diff(before, values)
        if not changed:
            return Saved(_as_dict(row), {})
        if row is None:
            row = PracticeSettings(**values)
            session.add(row)
            session.flush()
            audit.record(session, ENTITY, row.public_id, "create", audit.diff({}, values))
        else:
            for key, value in values.items():
                setattr(row, key, value)
            row.revision += 1
            row.updated_at = utcnow()
            session.add(row)
            session.flush()
            audit.record(session, ENTITY, row.public_id, "update", changed)
        return Saved(_as_dict(row), changed)

    def clean(self, data: dict[str, Any], before: dict[str, Any] | None = None) -> dict[str, Any]:
        """Validate settings without writing them: the cleaned values, or ValidationError naming
        the first bad field. A review date may not be in the future (unless it is the one
        already stored)."""
        values = validate_settings(data)
        reviewed = values["risk_analysis_reviewed_on"]
        kept = before is not None and before.get("risk_analysis_reviewed_on") == reviewed
        if reviewed is not None and not kept and reviewed > self.today():
            raise ValidationError(
                "risk_analysis_reviewed_on",
                f"{reviewed.isoformat()} is in the future (today is {self.today().isoformat()}); "
                "give the date the review was done",
            )
        return values


def _current(session: Any) -> Any:
    """The settings row in use (the first one not archived), or None."""
    from sqlmodel import col, select

    from riskreg.storage.models import PracticeSettings

    return session.exec(
        select(PracticeSettings)
        .where(col(PracticeSettings.archived_at).is_(None))
        .order_by(col(PracticeSettings.id))
    ).first()


def _values(row: Any) -> dict[str, Any]:
    if row is None:
        return defaults()
    return {key: getattr(row, key) for key in FIELDS}


def _as_dict(row: Any) -> dict[str, Any]:
    from riskreg.domain.review import next_due

    settings = _values(row)
    reviewed = settings["risk_analysis_reviewed_on"]
    cadence = settings["risk_analysis_cadence_months"]
    settings["next_risk_analysis_review_on"] = (
        next_due(reviewed, cadence) if reviewed is not None and cadence >= 1 else None
    )
    settings["public_id"] = row.public_id if row is not None else None
    settings["revision"] = row.revision if row is not None else 0
    settings["updated_at"] = row.updated_at if row is not None else None
    return settings
