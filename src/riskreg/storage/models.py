"""The register's tables (SQLModel).

Every table but the audit log shares `Tracked`: a permanent UUID public id (used in exports,
imports and calendar UIDs), UTC-aware created/updated timestamps, a revision counter that guards
against lost updates between two windows, and archived_at instead of deletion (records are kept
at least six years, 45 CFR 164.530(j)).

Choice fields (category, status, treatment...) are plain strings validated by the services
against the value lists in `riskreg.domain`; storing values, not enum member names, keeps the
database readable by other tools and portable to PostgreSQL.

No `from __future__ import annotations` here: SQLModel needs the real annotations.
"""

import uuid
from datetime import UTC, date, datetime
from typing import Optional

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from riskreg.storage import naming  # noqa: F401  (the constraint names, before any table)
from riskreg.storage.types import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_public_id() -> str:
    return str(uuid.uuid4())


class Tracked(SQLModel):
    """Columns every register record carries."""

    id: Optional[int] = Field(default=None, primary_key=True)
    public_id: str = Field(default_factory=new_public_id, max_length=36, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revision: int = Field(default=1)
    archived_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, index=True)


class Owner(Tracked, table=True):
    """Who is responsible: the practitioner, a biller, an IT consultant, a vendor."""

    name: str = Field(max_length=200, index=True)
    role: str = Field(default="", max_length=200)
    contact: str = Field(default="", max_length=300)
    notes: str = Field(default="")


class Tool(Tracked, table=True):
    """An AI tool or other system that may touch client data, with its BAA and vendor checklist."""

    name: str = Field(max_length=200, index=True)
    vendor: str = Field(default="", max_length=200)
    category: str = Field(max_length=40)
    handles_phi: bool = Field(default=True)
    baa_status: str = Field(default="missing", max_length=20)
    baa_signed_on: Optional[date] = None
    baa_expires_on: Optional[date] = Field(default=None, index=True)
    baa_location: str = Field(default="", max_length=500)
    # The seven-item vendor checklist (None: not yet checked).
    check_designed_for_mental_health: Optional[bool] = None
    check_explains_hipaa: Optional[bool] = None
    check_explains_data_use: Optional[bool] = None
    check_states_training_use: Optional[bool] = None
    check_no_training_on_client_data: Optional[bool] = None
    check_no_sale_or_sharing: Optional[bool] = None
    check_signs_baa: Optional[bool] = None
    owner_id: Optional[int] = Field(default=None, foreign_key="owner.id", index=True)
    notes: str = Field(default="")
    catalog_key: Optional[str] = Field(default=None, max_length=80)
    # How it uses AI and what it does (the 2025-2026 state laws, domain/ai_rules.py), its
    # security checklist and restore order, the BA's yearly written verification (migration 0010).
    ai_use: str = Field(default="not_recorded", max_length=20)
    records_sessions: Optional[bool] = None
    detects_emotions: Optional[bool] = None
    clinical_decisions: Optional[bool] = None
    clinician_reviews_output: Optional[bool] = None
    mfa_enabled: Optional[bool] = None
    encrypted_at_rest: Optional[bool] = None
    encrypted_in_transit: Optional[bool] = None
    restore_priority: Optional[int] = None
    restore_target_hours: Optional[int] = None
    ba_verification_received_on: Optional[date] = None
    ba_verification_due_on: Optional[date] = Field(default=None, index=True)


class Hazard(Tracked, table=True):
    """What could go wrong, scored with no safeguards (inherent) and after the planned ones
    (target, a typed estimate); its current risk is derived (domain/current_risk.py) from the
    practitioner's current assessment, if one stands, and otherwise equals the inherent risk."""

    title: str = Field(max_length=300, index=True)
    description: str = Field(default="")
    threat_source: str = Field(default="", max_length=300)
    vulnerability: str = Field(default="", max_length=500)
    likelihood: int
    impact: int
    target_likelihood: int
    target_impact: int
    # The practitioner's current assessment (with the safeguards in effect that day), if any.
    current_assessed_likelihood: Optional[int] = None
    current_assessed_impact: Optional[int] = None
    current_assessed_on: Optional[date] = None
    # Denormalised scores so the register can sort and filter by them in SQL.
    score: int = Field(index=True)
    target_score: int = Field(index=True)
    treatment: str = Field(default="mitigate", max_length=20)
    acceptance_rationale: str = Field(default="")
    acceptance_expires_on: Optional[date] = None
    status: str = Field(default="open", max_length=20, index=True)
    owner_id: Optional[int] = Field(default=None, foreign_key="owner.id", index=True)
    review_cadence_months: int = Field(default=12)
    last_reviewed_on: Optional[date] = None
    next_review_on: Optional[date] = Field(default=None, index=True)
    # Set when something happened that calls for a review before its date (a BAA lapsed, an
    # incident was linked); cleared by the next review.
    review_now_reason: str = Field(default="")
    catalog_key: Optional[str] = Field(default=None, max_length=80)


class Safeguard(Tracked, table=True):
    """A measure against hazards, with its Security Rule citation."""

    title: str = Field(max_length=300, index=True)
    description: str = Field(default="")
    category: str = Field(max_length=20)
    citation: str = Field(default="", max_length=100)
    requirement: str = Field(default="required", max_length=20)
    decision_note: str = Field(default="")
    status: str = Field(default="planned", max_length=20, index=True)
    owner_id: Optional[int] = Field(default=None, foreign_key="owner.id", index=True)
    due_on: Optional[date] = Field(default=None, index=True)
    evidence: str = Field(default="")
    verification_cadence_months: int = Field(default=12)
    last_verified_on: Optional[date] = None
    next_verification_on: Optional[date] = Field(default=None, index=True)
    # The last day it stopped being in place or verified: a current assessment made before it no
    # longer stands (domain/current_risk.py). Set by the services, never typed.
    lapsed_on: Optional[date] = None
    catalog_key: Optional[str] = Field(default=None, max_length=80)


class HazardTool(Tracked, table=True):
    """A hazard concerns a tool. Unlinking archives the link, so the history stays."""

    __tablename__ = "hazard_tool"
    __table_args__ = (UniqueConstraint("hazard_id", "tool_id"),)

    hazard_id: int = Field(foreign_key="hazard.id", index=True)
    tool_id: int = Field(foreign_key="tool.id", index=True)


class HazardSafeguard(Tracked, table=True):
    """A safeguard answers a hazard."""

    __tablename__ = "hazard_safeguard"
    __table_args__ = (UniqueConstraint("hazard_id", "safeguard_id"),)

    hazard_id: int = Field(foreign_key="hazard.id", index=True)
    safeguard_id: int = Field(foreign_key="safeguard.id", index=True)


class Review(Tracked, table=True):
    """One review of a hazard: when, what was noted, and the scores at the time."""

    hazard_id: int = Field(foreign_key="hazard.id", index=True)
    reviewed_on: date
    notes: str = Field(default="")
    likelihood: int
    impact: int
    # The current risk that day (None in reviews recorded before the three levels).
    current_likelihood: Optional[int] = None
    current_impact: Optional[int] = None
    target_likelihood: int
    target_impact: int
    next_review_on: date


class Consent(Tracked, table=True):
    """AI consent log: per client code (never a name), when AI use was disclosed and the answer."""

    client_code: str = Field(max_length=40, index=True)
    tool_id: Optional[int] = Field(default=None, foreign_key="tool.id", index=True)
    disclosed_on: date
    decision: str = Field(default="consented", max_length=20)
    written: bool = Field(default=False)
    alternative_offered: str = Field(default="", max_length=500)
    notes: str = Field(default="")
    # What the state laws on AI in therapy ask of a consent (migration 0010): never a name.
    purpose_disclosed: str = Field(default="", max_length=500)
    consent_method: str = Field(default="not_recorded", max_length=20)
    revoked_on: Optional[date] = None
    sessions_recorded: Optional[bool] = None
    client_state: str = Field(default="", max_length=2)


class PracticeSettings(Tracked, table=True):
    """The practice's own settings (one row)."""

    __tablename__ = "practice_settings"

    practice_name: str = Field(default="", max_length=200)
    practitioner: str = Field(default="", max_length=200)
    home_state: str = Field(default="", max_length=2)
    internal_target_days: int = Field(default=15)
    alarm_days: str = Field(default="14,7,1", max_length=100)
    risk_analysis_reviewed_on: Optional[date] = None
    risk_analysis_cadence_months: int = Field(default=12)
    # Section 1557 (45 CFR 92.210) applies to recipients of federal financial assistance
    # (Medicare Part B counts); Part 2 items apply to a practice that holds Part 2 records.
    federal_assistance: bool = Field(default=False)
    part2_records: bool = Field(default=False)


class AuditEvent(SQLModel, table=True):
    """One append-only, hash-chained entry of the audit log (see storage/audit.py)."""

    __tablename__ = "audit_event"

    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime)
    entity: str = Field(max_length=40)
    public_id: str = Field(max_length=36, index=True)
    action: str = Field(max_length=20)
    changes: str = Field(default="{}")
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
    actor: str = Field(max_length=200)
    """Who made the change (storage/actors.py); older events: "unknown (before actors were
    recorded)", which their hash does not cover."""



class CalendarLedgerEntry(SQLModel, table=True):
    """What one calendar target (an .ics file or a vdir folder, by its resolved path) was last
    given for one UID: its content hash, SEQUENCE and DTSTAMP, and whether it was written
    cancelled (services/calendar_targets.py). Not register data: no public id, no revision,
    not in `export json` (a ledger names paths of this machine) and not audited; a database
    copy (backup, restore) keeps it, matching the register it came with."""

    __tablename__ = "calendar_ledger"
    __table_args__ = (UniqueConstraint("target", "uid"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    target: str = Field(index=True)
    kind: str = Field(max_length=10)
    uid: str = Field(max_length=300)
    content_hash: str = Field(max_length=64)
    sequence: int = Field(default=0)
    dtstamp: datetime = Field(sa_type=UTCDateTime)
    cancelled: bool = Field(default=False)
    day: date
    title: str = Field(default="")
    cancelled_on: Optional[date] = None
