"""Read models: register records as plain dicts, the shape the CLI prints and the TUI shows.

Internal integer ids never leave the services; records are named by their public id, and an
owner or tool reference by the other record's public id plus its name for display.

The shapes are declared as TypedDicts, as `services/incidents/record.py` declares an
incident's: at run time they are plain dicts, so `list --json`, the tests and the first-page
reader see what they saw, and a renamed key is a type error for every reader that names the
shape. Two layers per kind: `<Kind>Fields` is what `to_record` makes of a stored row (its
fields and what is derived from them: how a record's links show it), `<Kind>Record` what the
register service returns for a kind (with the record it refers to, and a hazard's current risk
and review-now flag).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict

from riskreg.domain.kinds import HIDDEN, KINDS
from riskreg.services.kinds import KIND_OF_MODEL
from riskreg.storage.models import Tracked


class TrackedFields(TypedDict):
    """What every register record has (`storage.models.Tracked`, less the internal id)."""

    public_id: str
    created_at: datetime
    updated_at: datetime
    revision: int
    """Bumped by every change; an update names the one it read (`ConflictError` otherwise)."""
    archived_at: datetime | None


class OwnerRecord(TrackedFields):
    name: str
    role: str
    contact: str
    notes: str


class OwnerRef(TypedDict):
    """A record's owner as records show it: the owner's name ("" for none) and public id."""

    owner: str
    owner_public_id: str | None


class ToolFields(TrackedFields):
    name: str
    vendor: str
    category: str
    handles_phi: bool
    baa_status: str
    baa_signed_on: date | None
    baa_expires_on: date | None
    baa_location: str
    check_designed_for_mental_health: bool | None
    check_explains_hipaa: bool | None
    check_explains_data_use: bool | None
    check_states_training_use: bool | None
    check_no_training_on_client_data: bool | None
    check_no_sale_or_sharing: bool | None
    check_signs_baa: bool | None
    """The vendor checklist (`domain.register.VENDOR_CHECKLIST`); None: not yet checked."""
    notes: str
    catalog_key: str | None
    ai_use: str
    records_sessions: bool | None
    detects_emotions: bool | None
    clinical_decisions: bool | None
    clinician_reviews_output: bool | None
    mfa_enabled: bool | None
    encrypted_at_rest: bool | None
    encrypted_in_transit: bool | None
    restore_priority: int | None
    restore_target_hours: int | None
    ba_verification_received_on: date | None
    ba_verification_due_on: date | None
    """The AI and security fields (`domain.ai_fields`); None: not answered."""
    baa_gap: str
    """Derived: why its BAA falls short, or ""."""


class ToolRecord(ToolFields, OwnerRef):
    ai_flags: list[str]
    """Read with it: what the AI rules forbid or find missing (`services/ai_flags`)."""


class HazardFields(TrackedFields):
    title: str
    description: str
    threat_source: str
    vulnerability: str
    likelihood: int
    impact: int
    target_likelihood: int
    target_impact: int
    current_assessed_likelihood: int | None
    current_assessed_impact: int | None
    current_assessed_on: date | None
    score: int
    target_score: int
    treatment: str
    acceptance_rationale: str
    acceptance_expires_on: date | None
    status: str
    review_cadence_months: int
    last_reviewed_on: date | None
    next_review_on: date | None
    review_now_reason: str
    catalog_key: str | None
    level: str
    """Derived: the inherent score's level ("High")."""
    target_level: str
    overdue: bool
    """Derived: its next review is past."""


class HazardRecord(HazardFields, OwnerRef):
    current_likelihood: int
    """The current risk (`domain.current_risk.current_fields`): the standing assessment's, or
    the inherent risk's."""
    current_impact: int
    current_score: int
    current_level: str
    current_from: date | None
    """The day of the current assessment that stands, or None (inherent risk)."""
    safeguards_in_place: int
    safeguards_counted: int
    current_note: str
    review_now: str
    """Why it needs a review before its date, or "" (`domain.register.review_now_text`)."""


class SafeguardFields(TrackedFields):
    title: str
    description: str
    category: str
    citation: str
    requirement: str
    decision_note: str
    status: str
    due_on: date | None
    evidence: str
    verification_cadence_months: int
    last_verified_on: date | None
    next_verification_on: date | None
    lapsed_on: date | None
    catalog_key: str | None
    overdue: bool
    """Derived: planned or in progress past its due day, or past its next verification."""
    proposed_rule: str
    """Derived: what the Security Rule NPRM would change for its catalog entry ("": nothing);
    a proposal, shown as such, never as required."""


class SafeguardRecord(SafeguardFields, OwnerRef):
    pass


class ConsentRecord(TrackedFields):
    client_code: str
    disclosed_on: date
    decision: str
    written: bool
    alternative_offered: str
    notes: str
    purpose_disclosed: str
    consent_method: str
    revoked_on: date | None
    sessions_recorded: bool | None
    client_state: str
    ai_flags: list[str]
    """Read with it: what the AI rules find missing (`services/ai_flags`)."""
    tool: str
    """The tool's name ("" for none); its public id is `tool_public_id`."""
    tool_public_id: str | None


RegisterRecord = OwnerRecord | ToolRecord | HazardRecord | SafeguardRecord | ConsentRecord
"""A record of any register kind, as the register service returns it."""

LinkedRecord = ToolFields | HazardFields | SafeguardFields
"""A record at the other end of a link (`RegisterService.linked`): its own fields and the
derived ones, without its owner."""


class HistoryEvent(TypedDict):
    """One audit event about a record (`RegisterService.history`)."""

    at: datetime
    action: str
    changes: str
    """The audit log's JSON of {field: [before, after]}."""
    actor: str
    """Who made the change (storage/actors.py)."""
    linked: tuple[str, str] | None
    """For a link or unlink: (the other record's kind, its name)."""


class ReviewRecord(TypedDict):
    """One review of a hazard (`RegisterService.reviews`), newest first."""

    public_id: str
    created_at: datetime
    updated_at: datetime
    revision: int
    archived_at: datetime | None
    reviewed_on: date
    notes: str
    likelihood: int
    impact: int
    current_likelihood: int | None
    current_impact: int | None
    target_likelihood: int
    target_impact: int
    next_review_on: date
    recorded_at: datetime | None
    """When its audit event was written."""
    before: dict[str, int]
    """The scores it changed, as they were before."""


class SuggestedSafeguard(TypedDict):
    """A starter-catalog safeguard for a hazard (`RegisterService.suggested_safeguards`)."""

    catalog_key: str
    title: str
    citation: str
    category: str
    proposed_rule: str
    """What the Security Rule NPRM would change ("": nothing): shown as a proposed rule."""
    public_id: str | None
    """The register's safeguard made from it, if there is one."""
    archived: bool
    linked: bool


def to_record(row: Tracked, today: date, refs: dict[str, Any] | None = None) -> dict[str, Any]:
    """A record's fields plus what is derived from them (level, overdue, BAA gap)."""
    record = row.model_dump(exclude=HIDDEN)
    record.update(refs or {})
    kind = KIND_OF_MODEL.get(type(row))
    if kind is not None:
        record.update(KINDS[kind].derived_fields(record, today))
    return record
