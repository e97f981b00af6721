"""The dashboard's read model: what in the register needs attention, counted and listed in SQL.

One call, one read transaction, a bounded number of rows however large the register is: the
heat maps are GROUP BY counts and each list is a LIMITed query beside its COUNT.

"Current" hazards are those neither archived nor closed: a closed hazard no longer scores on
the heat map and is not due for review.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from riskreg.domain.register import baa_gap, review_now_text
from riskreg.domain.review import days_until
from riskreg.services.agenda import Agenda
from riskreg.services.current import current_cells
from riskreg.services.review_now import baa_gap_clause, review_now_tool
from riskreg.storage.database import Database
from riskreg.storage.models import Hazard, Safeguard, Tool

if TYPE_CHECKING:
    from riskreg.services.incidents.record import IncidentRow

REVIEW_DUE_WITHIN_DAYS = 30
"""Hazards whose review falls within this many days are listed as due soon."""

BAA_EXPIRY_WINDOW_DAYS = 60
"""Signed BAAs expiring within this many days are listed, so renewal starts in time."""

LIST_LIMIT = 50
"""Rows per dashboard list; the section's total says how many there are in all."""

Heat = dict[tuple[int, int], int]
"""Hazard counts per (likelihood, impact) cell of the 5x5 map."""


@dataclass(frozen=True)
class Item:
    """One line of a dashboard list, naming the record it opens."""

    kind: str
    public_id: str
    title: str
    detail: str
    """Why it is listed, in words ("overdue by 12 days", "handles PHI without a BAA")."""
    due: date | None = None
    tag: str = ""
    """The reason in a few characters, for a narrow list ("12d late", "no BAA")."""


@dataclass(frozen=True)
class Section:
    items: tuple[Item, ...]
    total: int
    """How many records belong in the section (the items are the first LIST_LIMIT)."""


@dataclass(frozen=True)
class Dashboard:
    today: date
    hazards: int
    """Current hazards (not archived, not closed): what the heat maps count."""
    heat_inherent: Heat
    heat_current: Heat
    heat_target: Heat
    reviews_overdue: Section
    reviews_due: Section
    review_now: Section
    baa_gaps: Section
    baas_expiring: Section
    safeguards_overdue: Section
    empty: bool
    """Nothing at all in the register yet (no owner, tool, hazard or safeguard)."""
    ai_flags: Section = Section((), 0)
    """What the AI rules (data/ai_rules.json) forbid or find missing, on tools and consents."""
    practice_name: str = ""
    """From the practice settings, so the dashboard says whose register it is."""
    agenda: Agenda | None = None
    """What is due soon, across everything (`build_home` fills it; reports do not need it)."""
    open_incidents: tuple[IncidentRow, ...] = ()
    """Incidents that still owe a notice, soonest first (`build_home` fills it)."""

    @property
    def need_action(self) -> int:
        """What the summary counts: the register's lists that need action now, and every
        incident that still owes a notice (a breach is the most urgent thing there is)."""
        return (self.review_now.total + self.reviews_overdue.total + self.baa_gaps.total
                + self.safeguards_overdue.total + self.ai_flags.total + len(self.open_incidents))


def build_dashboard(
    db: Database, today: date, *, review_within_days: int = REVIEW_DUE_WITHIN_DAYS,
    limit: int = LIST_LIMIT,
) -> Dashboard:
    """Everything the dashboard shows, as of `today`."""
    with db.reading() as session:
        heat_inherent = _heat(session, Hazard.likelihood, Hazard.impact)
        heat_target = _heat(session, Hazard.target_likelihood, Hazard.target_impact)
        hazards = sum(heat_inherent.values())
        return Dashboard(
            today=today,
            hazards=hazards,
            heat_inherent=heat_inherent,
            heat_current=_heat_current(session),
            heat_target=heat_target,
            reviews_overdue=_reviews(session, today, limit, overdue=True),
            reviews_due=_reviews(session, today, limit, within=review_within_days),
            review_now=_review_now(session, today, limit),
            baa_gaps=_baa_gaps(session, today, limit),
            baas_expiring=_baas_expiring(session, today, limit),
            safeguards_overdue=_safeguards_overdue(session, today, limit),
            empty=hazards == 0 and _register_empty(session),
            ai_flags=_ai_flags(session, today, limit),
            practice_name=_practice_name(session),
        )


AGENDA_DAYS = 7
"""The dashboard's agenda looks this many days ahead ("Due in the next 7 days")."""


def build_home(db: Database, today: date, *, agenda_days: int = AGENDA_DAYS) -> Dashboard:
    """The dashboard screen's model: `build_dashboard`, plus the agenda and the incidents that
    still owe a notice (each read by its own service, so their rules stay there)."""
    from riskreg.services.agenda import build_agenda

    board = build_dashboard(db, today)
    try:
        from riskreg.services.incidents import IncidentService
    except ImportError:  # the breach workflow is not installed in this build
        owing: tuple[IncidentRow, ...] = ()
    else:
        owing = tuple(IncidentService(db, today=lambda: today).open_deadlines())
    return replace(board, agenda=build_agenda(db, today, agenda_days), open_incidents=owing)


def _practice_name(session: Session) -> str:
    from riskreg.storage.models import PracticeSettings

    name = session.exec(
        select(PracticeSettings.practice_name)
        .where(col(PracticeSettings.archived_at).is_(None))
        .order_by(col(PracticeSettings.id))
    ).first()
    return name or ""


def _current_hazard() -> tuple[Any, ...]:
    return (col(Hazard.archived_at).is_(None), col(Hazard.status) != "closed")


def _heat(session: Session, likelihood: Any, impact: Any) -> Heat:
    rows = session.exec(
        select(likelihood, impact, func.count()).where(*_current_hazard()).group_by(likelihood, impact)
    )
    return {(l_, i_): n for l_, i_, n in rows}


def _heat_current(session: Session) -> Heat:
    return dict(Counter(current_cells(session, *_current_hazard()).values()))


def _section(session: Session, stmt: Any, limit: int, item: Any) -> Section:
    total = session.exec(select(func.count()).select_from(stmt.order_by(None).subquery())).one()
    return Section(tuple(item(row) for row in session.exec(stmt.limit(limit))), total)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _reviews(
    session: Session, today: date, limit: int, *, overdue: bool = False, within: int = 0
) -> Section:
    stmt = select(Hazard).where(*_current_hazard(), col(Hazard.next_review_on).is_not(None))
    if overdue:
        stmt = stmt.where(col(Hazard.next_review_on) < today)
    else:
        stmt = stmt.where(
            col(Hazard.next_review_on) >= today,
            col(Hazard.next_review_on) <= today + timedelta(days=within),
        )
    stmt = stmt.order_by(col(Hazard.next_review_on), col(Hazard.id))

    def item(hazard: Hazard) -> Item:
        left = days_until(hazard.next_review_on, today)
        if left < 0:
            detail, tag = f"review overdue by {_days(-left)}", f"{-left}d late"
        elif left == 0:
            detail, tag = "review due today", "today"
        else:
            detail, tag = f"review due in {_days(left)}", f"in {left}d"
        return Item("hazard", hazard.public_id, hazard.title, detail, hazard.next_review_on, tag)

    return _section(session, stmt, limit, item)


def _review_now(session: Session, today: date, limit: int) -> Section:
    tool = review_now_tool(today).label("gap_tool")
    stmt = (
        select(Hazard, tool)
        .where(*_current_hazard())
        .where((col(Hazard.review_now_reason) != "") | tool.is_not(None))
        .order_by(col(Hazard.score).desc(), col(Hazard.title), col(Hazard.id))
    )

    def item(row: Any) -> Item:
        hazard, tool_name = row
        return Item("hazard", hazard.public_id, hazard.title,
                    review_now_text(hazard.review_now_reason, tool_name), hazard.next_review_on,
                    "flagged" if hazard.review_now_reason else "BAA gap")

    return _section(session, stmt, limit, item)


def _baa_gaps(session: Session, today: date, limit: int) -> Section:
    stmt = (
        select(Tool)
        .where(col(Tool.archived_at).is_(None), baa_gap_clause(today))
        .order_by(col(Tool.name), col(Tool.id))
    )

    def item(tool: Tool) -> Item:
        tag = {"missing": "no BAA", "requested": "requested", "not_needed": "unmarked"}.get(
            tool.baa_status, "expired")
        return Item("tool", tool.public_id, tool.name,
                    baa_gap(tool.handles_phi, tool.baa_status, tool.baa_expires_on, today),
                    tool.baa_expires_on, tag)

    return _section(session, stmt, limit, item)


def _baas_expiring(session: Session, today: date, limit: int) -> Section:
    stmt = (
        select(Tool)
        .where(
            col(Tool.archived_at).is_(None),
            col(Tool.baa_status) == "signed",
            col(Tool.baa_expires_on) >= today,
            col(Tool.baa_expires_on) <= today + timedelta(days=BAA_EXPIRY_WINDOW_DAYS),
        )
        .order_by(col(Tool.baa_expires_on), col(Tool.id))
    )

    def item(tool: Tool) -> Item:
        left = days_until(tool.baa_expires_on, today)
        when = "today" if left == 0 else f"in {_days(left)}"
        return Item("tool", tool.public_id, tool.name,
                    f"BAA expires {when} ({tool.baa_expires_on.isoformat()})", tool.baa_expires_on,
                    "today" if left == 0 else f"in {left}d")

    return _section(session, stmt, limit, item)


def _safeguards_overdue(session: Session, today: date, limit: int) -> Section:
    unfinished = col(Safeguard.status).in_(("planned", "in_progress"))
    late = (unfinished & (col(Safeguard.due_on) < today)) | (
        (col(Safeguard.status) != "not_applicable") & (col(Safeguard.next_verification_on) < today)
    )
    # The date that made it overdue: the due date while unfinished, else the verification date.
    stmt = (
        select(Safeguard)
        .where(col(Safeguard.archived_at).is_(None), late)
        .order_by(func.coalesce(Safeguard.due_on, Safeguard.next_verification_on), col(Safeguard.id))
    )

    def item(safeguard: Safeguard) -> Item:
        if (safeguard.status in ("planned", "in_progress") and safeguard.due_on is not None
                and safeguard.due_on < today):
            due = safeguard.due_on
            what = "due"
        else:
            due = safeguard.next_verification_on
            what = "verification due"
        late_by = -days_until(due, today)
        return Item("safeguard", safeguard.public_id, safeguard.title,
                    f"{what} {due.isoformat()}, {_days(late_by)} ago", due, f"{late_by}d late")

    return _section(session, stmt, limit, item)


def _ai_flags(session: Session, today: date, limit: int) -> Section:
    from riskreg.services.ai_flags import all_flags

    found = all_flags(session, today)
    tags = {"forbids": "bars", "requires": "missing", "verify": "check"}
    items = tuple(Item(f.kind, f.public_id, f.title, f.flag.words, None,
                       f"{f.flag.state} {tags[f.flag.effect]}") for f in found[:limit])
    return Section(items, len(found))


def _register_empty(session: Session) -> bool:
    from riskreg.storage.models import Owner

    for model in (Owner, Tool, Hazard, Safeguard):
        found = session.exec(select(model.id).where(col(model.archived_at).is_(None)).limit(1)).first()
        if found is not None:
            return False
    return True
