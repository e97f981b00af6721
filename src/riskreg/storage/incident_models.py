"""The breach workflow's tables (SQLModel): an incident and what has its own lifecycle under it.

An incident row holds the answers of the steps that are answered once (intake, PHI, safe harbor,
exceptions, the four factors, determination, scope, notice content, close-out). Things that come
and go on their own (residents per state, law-enforcement statements, hazard links, notices sent,
drafts written) are child tables, each `Tracked`: a public id, a revision, archived instead of
deleted (164.530(j)). Changing a child also moves its incident's revision, so a second window
holding the incident sees the conflict.

Small structured answers (the three exception answers, the four factor ratings, the kinds of PHI)
are JSON columns: they are read and written only as a whole, together with their step.

No `from __future__ import annotations` here: SQLModel needs the real annotations.
"""

from datetime import date
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field

from riskreg.storage.models import Tracked


class Incident(Tracked, table=True):
    """A suspected breach, from intake to close-out. Named outside the app by `reference` only."""

    __table_args__ = (UniqueConstraint("year", "sequence"),)

    reference: str = Field(max_length=20, unique=True, index=True)
    """INC-YYYY-NNN: the discovery year and a sequence within that year."""
    year: int
    sequence: int
    status: str = Field(default="open", max_length=10, index=True)
    step: str = Field(default="phi", max_length=20)
    """The step to resume at (see domain/incident_steps.py); "closed" once closed."""

    # 1. Intake. The title is short and shown in lists; neither it nor the description may name
    # a client (the UI reminds). The description never leaves the app in file names or logs.
    title: str = Field(max_length=120)
    description: str = Field(default="")
    breach_type: str = Field(default="", max_length=30)
    """The HHS portal's type of breach (domain.incident_steps.BREACH_TYPES); "" not answered."""
    occurred_on: date | None = None
    occurred_until: date | None = None
    discovered_on: date = Field(index=True)
    discovered_by: str = Field(default="", max_length=200)
    ba_involved: bool = Field(default=False)
    ba_tool_id: int | None = Field(default=None, foreign_key="tool.id", index=True)
    ba_discovered_on: date | None = None
    ba_is_agent: bool = Field(default=True)
    """RULES.md: default to the agent reading unless the user documents otherwise."""

    # 2. PHI involved?
    phi_involved: bool | None = None
    phi_reason: str = Field(default="")
    phi_types: list[str] = Field(default_factory=list, sa_type=JSON)
    use_permitted: bool | None = None
    """Was the use or disclosure one the Privacy Rule permits (164.502, 164.512) or an incidental
    one (164.502(a)(1)(iii))? True ends HIPAA's analysis: not a breach. None: not answered (every
    incident recorded before migration 0005)."""
    permitted_basis: str = Field(default="")
    """Which permission, and why: the record of a "permitted" answer."""

    # 3. Secured? (the safe harbor)
    secured_by: str | None = Field(default=None, max_length=20)
    secured_basis: str = Field(default="")
    key_compromised: bool | None = None
    encryption_in_force: bool | None = None
    """For encryption: did it protect the data at the moment of the incident (device off or
    locked; not ransomware on a running, unlocked machine)? None: not answered (before 0005)."""

    # 4. Exceptions: {exception id: applies}
    exceptions: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    exceptions_notes: str = Field(default="")

    # 5. The four factors: {factor id: {"rating": low|medium|high, "notes": str}}
    factors: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)

    # 6. Determination (the practitioner's; 164.414(b))
    determination: str | None = Field(default=None, max_length=40)
    determination_exception: str | None = Field(default=None, max_length=40)
    determination_rationale: str = Field(default="")
    decided_on: date | None = None

    # 7. Scope (residents per state are in incident_resident)
    affected: int | None = None
    insufficient_contact: int = Field(default=0)
    deceased_with_kin: int = Field(default=0)
    part2: bool = Field(default=False)
    """Part 2 records were involved: kept in step with `part2_affected` > 0."""
    part2_affected: int = Field(default=0)
    """How many of the affected had 42 CFR Part 2 (substance use disorder) records involved: the
    separate Part 2 report counts them (42 CFR 2.16). Migration 0005 gives an incident recorded
    with Part 2 records its total affected, the count the plan used until then."""
    urgent: bool = Field(default=False)

    # 10. Notice content for the drafts (164.404(c)(1)(C)-(E))
    notice_steps: str = Field(default="")
    """What individuals should do to protect themselves."""
    notice_actions: str = Field(default="")
    """What the practice is doing to investigate, mitigate and prevent recurrence."""
    contact_toll_free: str = Field(default="", max_length=40)
    contact_email: str = Field(default="", max_length=200)
    contact_website: str = Field(default="", max_length=300)
    contact_postal: str = Field(default="", max_length=500)

    # 12. Close-out
    lessons_learned: str = Field(default="")
    closed_on: date | None = None


class IncidentResident(Tracked, table=True):
    """How many affected people live in one state, and when the state's clock starts if it counts
    from "determination" rather than discovery (RULES.md state overlays; default: discovery)."""

    __tablename__ = "incident_resident"
    __table_args__ = (UniqueConstraint("incident_id", "state"),)

    incident_id: int = Field(foreign_key="incident.id", index=True)
    state: str = Field(max_length=2)
    count: int
    determined_on: date | None = None


class IncidentStatement(Tracked, table=True):
    """A law-enforcement statement asking the practice to delay notice (164.412)."""

    __tablename__ = "incident_statement"

    incident_id: int = Field(foreign_key="incident.id", index=True)
    kind: str = Field(max_length=10)
    """oral or written"""
    statement_on: date
    days: int | None = None
    """The delay a written statement specifies; None for an oral one (at most 30 days)."""
    official: str = Field(default="", max_length=200)
    agency: str = Field(default="", max_length=200)
    notes: str = Field(default="")


class IncidentHazard(Tracked, table=True):
    """An incident relates to a hazard of the register (linking flags it for review)."""

    __tablename__ = "incident_hazard"
    __table_args__ = (UniqueConstraint("incident_id", "hazard_id"),)

    incident_id: int = Field(foreign_key="incident.id", index=True)
    hazard_id: int = Field(foreign_key="hazard.id", index=True)


class NoticeSent(Tracked, table=True):
    """Proof that a notice went out (164.414(b)): for which obligation, when, how, to how many."""

    __tablename__ = "notice_sent"

    incident_id: int = Field(foreign_key="incident.id", index=True)
    obligation_id: str = Field(max_length=40)
    """The deadline engine's obligation id: individuals, media:FL, hhs, state:CO..."""
    sent_on: date
    method: str = Field(max_length=20)
    count: int | None = None
    reference: str = Field(default="", max_length=200)
    """E.g. the HHS portal's confirmation number, a mailing batch, the outlet's name."""
    notes: str = Field(default="")


class NoticeDraft(Tracked, table=True):
    """A draft notice written to disk for the practitioner to finish (named by reference only)."""

    __tablename__ = "notice_draft"

    incident_id: int = Field(foreign_key="incident.id", index=True)
    kind: str = Field(max_length=40)
    path: str = Field(max_length=1000)
    written_on: date

