"""The risk analysis report's sections on its periodic review (issue 23): "Changes since the
analysis signed on DATE" and "Review history, last 12 months", both citing element 9 of OCR's
Guidance on Risk Analysis Requirements under the HIPAA Security Rule (periodic review and
update).

The review history is read from the audit log: each sign-off of the risk analysis (who signed,
when, how much changed since the sign-off before) and each hazard review recorded (when, the
hazard, the scores it changed). riskreg has one user: a hazard's review is the practitioner's
(settings), a sign-off names who signed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlmodel import col, select

from riskreg.services.reports.doc import Para, Section, Table
from riskreg.services.risk_analysis import ENTITY, SIGN_ACTION, Changes, RiskAnalysisService
from riskreg.storage.database import Database
from riskreg.storage.models import AuditEvent, Hazard, Review

ELEMENT_9 = (
    "OCR's Guidance on Risk Analysis Requirements under the HIPAA Security Rule, element 9: "
    "periodic review and update of the risk analysis (45 CFR 164.308(a)(1)(ii)(A), "
    "164.316(b)(2)(iii))."
)
SCORE_WORDS = {"likelihood": "inherent likelihood", "impact": "inherent impact",
               "current_likelihood": "current likelihood", "current_impact": "current impact",
               "target_likelihood": "target likelihood", "target_impact": "target impact"}


@dataclass(frozen=True)
class ReviewFacts:
    changes: Changes | None
    history: list[list[str]] = field(default_factory=list)
    """Rows: when, who, what was reviewed, what changed."""


def gather_review(db: Database, today: date, practitioner: str) -> ReviewFacts:
    service = RiskAnalysisService(db, today=lambda: today)
    changes = service.changes() if service.last() is not None else None
    since = today - relativedelta(months=12)
    rows: list[tuple[str, list[str]]] = []
    with db.reading() as session:
        titles = dict(session.exec(select(Review.public_id, Hazard.title)
                                   .join(Hazard, Review.hazard_id == Hazard.id)).all())
        events = session.exec(select(AuditEvent).where(
            col(AuditEvent.at) >= datetime.combine(since, time(), UTC),
            col(AuditEvent.action).in_([SIGN_ACTION, "create"]),
            col(AuditEvent.entity).in_([ENTITY, "review"])).order_by(col(AuditEvent.id)))
        for event in events:
            fields = json.loads(event.changes)
            if event.entity == ENTITY:
                day = fields.get("signed_on", [None, ""])[1]
                rows.append((day, [day, fields.get("signed_by", [None, ""])[1],
                                   "the whole risk analysis, signed",
                                   f"SHA-256 {fields.get('sha256', [None, ''])[1][:16]}"]))
            else:
                day = fields.get("reviewed_on", [None, ""])[1]
                moved = [f"{SCORE_WORDS[k]} {old} -> {new}" for k, (old, new) in fields.items()
                         if k in SCORE_WORDS and old is not None and old != new]
                rows.append((day, [day, practitioner or "the practitioner",
                                   f"hazard: {titles.get(event.public_id, event.public_id)}",
                                   "; ".join(moved) or "scores unchanged"]))
    signed = [r for r in rows if r[1][2].startswith("the whole")]
    for n, (_, row) in enumerate(signed):
        later = _changes_between(service, signed, n)
        if later is not None:
            row[3] += f"; {later} since the sign-off before"
    return ReviewFacts(changes, [row for _, row in sorted(rows, key=lambda r: r[0],
                                                          reverse=True)])


def _changes_between(service: RiskAnalysisService, signed: list, n: int) -> str | None:
    if n == 0:
        return None
    try:
        between = service.changes(signed[n - 1][1][0], signed[n][1][0])
    except Exception:  # noqa: BLE001 (two sign-offs on one day: the count is left out)
        return None
    return f"{len(between.lines)} changes"


def sections(facts: ReviewFacts, number: int) -> list[Section]:
    return [_changes(facts, number), _history(facts, number + 1)]


def _changes(facts: ReviewFacts, number: int) -> Section:
    if facts.changes is None:
        return Section("changes", f"{number}. Changes since the last signed analysis", [
            Para("No risk analysis has been signed in riskreg yet: sign it once reviewed "
                 "(riskreg risk-analysis sign), and the next report lists what changed since."),
            Para(ELEMENT_9, "muted"),
        ])
    ch = facts.changes
    rows: list[list[Any]] = [[ln.group, ln.title, ln.what] for ln in ch.lines]
    return Section("changes", f"{number}. Changes since the analysis signed on {ch.since}", [
        Para(f"What changed from {ch.since_label} to {ch.until_label}. Records are matched by "
             "their permanent id; a record changed when any of its fields' values differs "
             "(bookkeeping such as revision and last-updated times is not compared)."),
        Table(["Area", "Record", "Change"], rows, empty="Nothing changed since."),
        Para(ELEMENT_9, "muted"),
    ])


def _history(facts: ReviewFacts, number: int) -> Section:
    return Section("review-history-12", f"{number}. Review history, last 12 months", [
        Para("Each review recorded in the last 12 months, from the audit log: the sign-offs of "
             "the whole analysis and each hazard's review, who, when and what changed. "
             + ELEMENT_9),
        Table(["When", "Who", "What was reviewed", "What changed"], facts.history,
              empty="No review recorded in the last 12 months."),
    ])
