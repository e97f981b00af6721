"""The signed risk analysis and the year's guided review (issue 23).

`RiskAnalysisSnapshot`: the whole register as it stood when the practitioner signed the risk
analysis, frozen (canonical JSON in `body`, its SHA-256 in `sha256`), with the audit chain's head
at that moment, who signed, when, and the statement they signed. The app never edits or deletes
a snapshot; the "sign" audit event carries every field but the body (whose hash it carries), so
`riskreg audit verify` names a snapshot changed afterwards.

`AnnualReview` is one year's review, from the day it was started until the sign-off that ends
it; `AnnualReviewCheck` is one item of its checklist that is not a hazard review of its own: a
hazard carried forward with a reason, a tool's BAA and vendor checklist confirmed, an
addressable safeguard's decision re-confirmed. A check names its record by kind and public id.

No `from __future__ import annotations` here: SQLModel needs the real annotations.
"""

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column
from sqlmodel import Field

from riskreg.storage.models import Tracked
from riskreg.storage.types import UTCDateTime


class RiskAnalysisSnapshot(Tracked, table=True):
    """A signed, read-only copy of the register (see the module's docstring)."""

    __tablename__ = "risk_analysis_snapshot"

    signed_on: date = Field(index=True)
    signed_at: datetime = Field(sa_type=UTCDateTime)
    signed_by: str = Field(max_length=200)
    note: str = Field(default="")
    statement: str = Field(default="")
    body: Any = Field(default=None, sa_column=Column(JSON, nullable=False))
    sha256: str = Field(max_length=64)
    audit_seq: int = Field(default=0)
    audit_hash: str = Field(default="", max_length=64)


class AnnualReview(Tracked, table=True):
    """One year's review of the whole risk analysis: started on a day, ended by a sign-off."""

    __tablename__ = "annual_review"

    started_on: date = Field(index=True)
    snapshot_id: Optional[int] = Field(default=None, foreign_key="risk_analysis_snapshot.id",
                                       index=True)


class AnnualReviewCheck(Tracked, table=True):
    """One checklist item of a year's review, recorded (see the module's docstring)."""

    __tablename__ = "annual_review_check"

    annual_review_id: int = Field(foreign_key="annual_review.id", index=True)
    subject_kind: str = Field(max_length=20)
    subject: str = Field(max_length=36, index=True)
    outcome: str = Field(max_length=20)
    reason: str = Field(default="")
    checked_on: date
