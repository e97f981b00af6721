"""The year's review, guided (issue 23 item 3): a checklist of everything due since the review
was started, and how far it has come.

What is due, and what settles it:
- each hazard (not archived, not closed): a review recorded on or after the day the review was
  started (`Review`, as "Mark reviewed" records it), or carried forward with a reason (a check);
- each tool (not archived): its BAA and vendor checklist confirmed (a check);
- each addressable safeguard (not archived): its documented decision re-confirmed (a check).

The review that is open is the newest not yet ended by a sign-off; signing the risk analysis
ends it (`close_open_review`). Every write is audited like any record's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from riskreg.errors import BadInput, NotFound, ValidationError
from riskreg.services.messages import text_problem
from riskreg.storage import audit
from riskreg.storage.database import Database
from riskreg.storage.models import Hazard, Review, Safeguard, Tool, utcnow
from riskreg.storage.signoff_models import AnnualReview, AnnualReviewCheck, RiskAnalysisSnapshot

OUTCOMES = {"carried_forward": "carried forward", "confirmed": "confirmed"}
SETTLES = {"carried_forward": ("hazard",), "confirmed": ("tool", "safeguard")}
"""The kinds of record each outcome settles (a hazard is settled by a review, or carried
forward; a tool's and a safeguard's item are confirmed)."""
_OWN = ("id", "public_id", "created_at", "updated_at", "revision", "archived_at")


@dataclass(frozen=True)
class Item:
    kind: str
    """"hazard", "tool" or "safeguard"."""
    public_id: str
    title: str
    done: bool
    how: str
    """How it was settled ("reviewed 2026-12-03", "carried forward: ..."), or what is due."""


@dataclass(frozen=True)
class Progress:
    started_on: date
    public_id: str
    items: list[Item]

    def of(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]

    @property
    def left(self) -> list[Item]:
        return [i for i in self.items if not i.done]

    def lines(self) -> list[str]:
        since = self.started_on.isoformat()
        words = (("hazard", "hazards reviewed or carried forward"),
                 ("tool", "tools' BAAs and checklists confirmed"),
                 ("safeguard", "addressable safeguards' decisions re-confirmed"))
        return [f"{sum(i.done for i in self.of(k))} of {len(self.of(k))} {w} since {since}"
                for k, w in words]

    def as_json(self) -> dict[str, Any]:
        return {"started_on": self.started_on.isoformat(), "public_id": self.public_id,
                "progress": self.lines(), "left": len(self.left),
                "items": [{"kind": i.kind, "public_id": i.public_id, "title": i.title,
                           "done": i.done, "how": i.how} for i in self.items]}


@dataclass
class AnnualReviewService:
    db: Database
    today: Callable[[], date] = field(default=date.today)

    def start(self, on: date | None = None) -> Progress:
        """Start the year's review (one at a time: an open review is kept, not replaced)."""
        day = on or self.today()
        if day > self.today():
            raise ValidationError("on", "a review cannot start in the future")
        with self.db.writing() as session:
            if _open(session) is not None:
                raise BadInput("a review is already under way: sign the risk analysis to end it "
                               "(riskreg risk-analysis review shows what is left)")
            review = AnnualReview(started_on=day)
            session.add(review)
            session.flush()
            audit.record(session, "annual_review", review.public_id, "create",
                         audit.diff({}, review.model_dump(exclude=set(_OWN))))
        return self.progress()

    def progress(self) -> Progress | None:
        """The open review's checklist, or None when no review is under way."""
        with self.db.reading() as session:
            review = _open(session)
            return None if review is None else _progress(session, review)

    def settle(self, kind: str, public_id: str, outcome: str, reason: str = "") -> Progress:
        """Record a checklist item: a hazard carried forward (a reason is required) or a tool's
        or safeguard's item confirmed."""
        if outcome not in OUTCOMES:
            raise BadInput(f"{outcome!r} is not one of {', '.join(OUTCOMES)}")
        reason = reason.strip()
        problem = text_problem(reason, "reason")
        if problem:
            raise ValidationError("reason", problem)
        if outcome == "carried_forward" and not reason:
            raise ValidationError("reason", "carrying a hazard forward needs a reason")
        with self.db.writing() as session:
            review = _open(session)
            if review is None:
                raise NotFound("no review is under way: start one first "
                               "(riskreg risk-analysis review --start)")
            subject = _subject(session, kind, public_id)
            if kind not in SETTLES[outcome]:
                raise BadInput("only a hazard is carried forward (or reviewed); a tool's or a "
                               "safeguard's item is confirmed")
            check = AnnualReviewCheck(annual_review_id=review.id, subject_kind=kind,
                                      subject=subject.public_id, outcome=outcome, reason=reason,
                                      checked_on=self.today())
            session.add(check)
            session.flush()
            audit.record(session, "annual_review_check", check.public_id, "create",
                         audit.diff({}, check.model_dump(exclude=set(_OWN))))
            return _progress(session, review)


def close_open_review(session: Session, snapshot: RiskAnalysisSnapshot) -> None:
    """A sign-off ends the review under way (in the sign-off's transaction)."""
    review = _open(session)
    if review is None:
        return
    review.snapshot_id = snapshot.id
    review.revision += 1
    review.updated_at = utcnow()
    session.add(review)
    session.flush()
    audit.record(session, "annual_review", review.public_id, "update",
                 {"snapshot_id": [None, snapshot.id]})


def _open(session: Session) -> AnnualReview | None:
    return session.exec(select(AnnualReview).where(
        col(AnnualReview.snapshot_id).is_(None), col(AnnualReview.archived_at).is_(None))
        .order_by(col(AnnualReview.id).desc())).first()


_MODELS = {"hazard": Hazard, "tool": Tool, "safeguard": Safeguard}


def _subject(session: Session, kind: str, public_id: str) -> Any:
    model = _MODELS.get(kind)
    if model is None:
        raise BadInput(f"{kind!r} is not a hazard, tool or safeguard")
    found = session.exec(select(model).where(
        col(model.public_id).startswith(public_id.strip().lower()))).all()
    if len(public_id.strip()) < 8 or len(found) != 1:
        raise NotFound(f"no {kind} has the id {public_id!r} (8 or more characters of it)")
    return found[0]


def _progress(session: Session, review: AnnualReview) -> Progress:
    checks: dict[tuple[str, str], AnnualReviewCheck] = {}
    for check in session.exec(select(AnnualReviewCheck).where(
            AnnualReviewCheck.annual_review_id == review.id).order_by(col(AnnualReviewCheck.id))):
        checks[(check.subject_kind, check.subject)] = check
    reviewed = dict(session.exec(
        select(Review.hazard_id, Review.reviewed_on)
        .where(Review.reviewed_on >= review.started_on, col(Review.archived_at).is_(None))
        .order_by(col(Review.reviewed_on))).all())
    items: list[Item] = []
    for hazard in _active(session, Hazard, Hazard.title):
        if hazard.status == "closed":
            continue
        check = checks.get(("hazard", hazard.public_id))
        if hazard.id in reviewed:
            items.append(Item("hazard", hazard.public_id, hazard.title, True,
                              f"reviewed {reviewed[hazard.id].isoformat()}"))
        elif check is not None:
            items.append(Item("hazard", hazard.public_id, hazard.title, True,
                              f"carried forward {check.checked_on.isoformat()}: {check.reason}"))
        else:
            items.append(Item("hazard", hazard.public_id, hazard.title, False,
                              "to review, or carry forward with a reason"))
    for tool in _active(session, Tool, Tool.name):
        items.append(_confirmed(checks, "tool", tool.public_id, tool.name,
                                "BAA and vendor checklist to confirm"))
    for guard in _active(session, Safeguard, Safeguard.title):
        if guard.requirement == "addressable":
            items.append(_confirmed(checks, "safeguard", guard.public_id, guard.title,
                                    "addressable decision to re-confirm"))
    return Progress(review.started_on, review.public_id, items)


def _confirmed(checks: dict[tuple[str, str], AnnualReviewCheck], kind: str, public_id: str,
               title: str, due: str) -> Item:
    check = checks.get((kind, public_id))
    if check is None:
        return Item(kind, public_id, title, False, due)
    how = f"confirmed {check.checked_on.isoformat()}" + (f": {check.reason}" if check.reason
                                                          else "")
    return Item(kind, public_id, title, True, how)


def _active(session: Session, model: Any, order: Any) -> list[Any]:
    return list(session.exec(select(model).where(col(model.archived_at).is_(None))
                             .order_by(col(order), col(model.id))))
