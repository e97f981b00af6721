"""The read model: an incident as the screens, the CLI and the reports read it (its plan,
the state of each obligation, the next notice due, the warnings), built in one session.

The shapes the screens and the CLI read by key are declared as TypedDicts (`IncidentRow`,
`NextDeadline`, `ObligationStatus`, `SentNotice`): at run time they are plain dicts, so
`--json` and the tests see what they saw, and a renamed key is a type error for every reader
that names the shape. `full_record` stays a dict: it is the stored incident's own fields plus
these."""

from __future__ import annotations

from datetime import date
from typing import Any, NotRequired, TypedDict

from dateutil.relativedelta import relativedelta
from sqlmodel import Session, col, select

from riskreg.domain import incident_steps as steps
from riskreg.domain.deadlines import Plan, compute_plan, individual_notice_due
from riskreg.domain.determination import (
    Choice,
    Determination,
    presumption,
    review_determination,
)
from riskreg.domain.holds import inside_hold, merged_periods
from riskreg.domain.obligation_names import obligation_name
from riskreg.domain.obligations import latest_day
from riskreg.domain.state_analysis import state_only, state_rows
from riskreg.domain.workdays import WEEKDAYS
from riskreg.errors import ValidationError
from riskreg.services.incidents.children import (
    notices_of,
    residents_of,
    statements_of,
    tool_categories,
)
from riskreg.services.incidents.facts import breach_facts, determination_facts, effective_discovered
from riskreg.storage.incident_models import (
    Incident,
    IncidentHazard,
    NoticeDraft,
    NoticeSent,
)
from riskreg.storage.models import (
    AuditEvent,
    Hazard,
    PracticeSettings,
    Tool,
    Tracked,
)

RETENTION_YEARS = 6
"""Documentation is kept six years (45 CFR 164.530(j))."""

DEFAULT_TARGET_DAYS = 15
"""The internal target for the notices, in days from discovery, unless the settings say."""


class NextDeadline(TypedDict):
    """The next notice an incident owes."""

    obligation: str
    """The deadline engine's obligation id (individuals, hhs, media:FL...)."""
    name: str
    who: str
    due: date
    days_left: int
    tentative: bool
    """No plan yet (no decision, or no count of the affected): the earliest clock already
    running, HIPAA's 60-day outer limit or a state's residents' clock."""
    owed: NotRequired[int]
    """How many notices are still owed (only once there is a plan), those with no fixed day
    included."""
    no_fixed_day: NotRequired[bool]
    """The law sets no day for it ("as soon as possible"): `due` is the latest day that still
    makes sense (`domain.obligations.latest_day`)."""


class IncidentRow(TypedDict):
    """An incident as the list, the dashboard and the palette show it."""

    reference: str
    public_id: str
    title: str
    status: str
    step: str
    step_title: str
    determination: str | None
    determination_label: str
    discovered_on: date
    closed_on: date | None
    next_deadline: NextDeadline | None
    still_owed: int
    revision: int


class SentNotice(TypedDict):
    """A notice recorded as sent for one obligation."""

    public_id: str
    sent_on: date
    method: str
    count: int | None
    reference: str
    inside_hold: bool


class ObligationStatus(TypedDict):
    """One obligation of the plan: its due dates, and whether it is done, due or late."""

    id: str
    name: str
    who: str
    due: date | None
    original_due: date | None
    tolling_due: date | None
    internal_target: date | None
    citation: str
    explanation: str
    track: str | None
    weekend: bool
    verify_with_counsel: bool
    weekday: str
    days_left: int | None
    latest_on: date | None
    """With no fixed day (`due` None): the latest day it is owed by (`latest_day`)."""
    sent: list[SentNotice]
    late_by: int
    state: str
    """done, open (no fixed day), late, due, or exempt (a state law exempting the practice)."""
    status: str
    """The state in words: "done 2026-11-20", "late by 3 days"..."""


def plan_of(session: Session, inc: Incident, today: date) -> Plan | None:
    """The deadline plan: every obligation once notification is required; only the state rows
    after a safe harbor, an exception or a low-probability finding (state duties do not depend on
    HIPAA's determination); None before a determination, after "not PHI" or a permitted use or
    disclosure, and while the number affected is not recorded."""
    if inc.affected is None or inc.determination not in (
        Choice.NOTIFICATION_REQUIRED.value, *steps.STATE_ANALYSIS_CHOICES
    ):
        return None
    plan = _computed(session, inc, today)
    if inc.determination == Choice.NOTIFICATION_REQUIRED.value:
        return plan
    return state_only(plan, steps.CHOICE_LABELS[inc.determination])


def _computed(session: Session, inc: Incident, today: date) -> Plan:
    residents, determined = residents_of(session, inc)
    facts = breach_facts(inc, residents, determined, statements_of(session, inc))
    return compute_plan(facts, today, settings_of(session).get("internal_target_days",
                                                                     DEFAULT_TARGET_DAYS))


class TentativeRow(TypedDict):
    """A clock already running before there is a plan (no determination yet, or a breach not yet
    scoped): HIPAA's outer limit, or a state row for the residents recorded."""

    obligation: str
    name: str
    who: str
    due: date
    citation: str
    explanation: str


def tentative_rows(session: Session, inc: Incident, today: date) -> list[TentativeRow]:
    """The clocks running before a plan: the individual notice's 60-day outer limit
    (164.404(b)), and for the residents recorded each dated state row, whose clock runs from
    discovery whatever HIPAA's determination will be. Empty once there is a plan, or where no
    notice can be owed."""
    if inc.determination not in (None, Choice.NOTIFICATION_REQUIRED.value) or inc.status != "open":
        return []
    if inc.determination is not None and inc.affected is not None:
        return []  # determined and scoped: the plan (`plan_of`) has the real dates
    start = effective_discovered(inc)
    due = individual_notice_due(start)
    undecided = inc.determination is None
    rows: list[TentativeRow] = [{
        "obligation": "individuals", "name": obligation_name("individuals"),
        "who": "affected individuals, if it is a breach" if undecided else "affected individuals",
        "due": due, "citation": "45 CFR 164.404(b)",
        "explanation": f"discovery {start} + 60 calendar days = {due}.",
    }]
    if inc.affected is not None and inc.phi_involved is not False:
        try:
            plan = _computed(session, inc, today)
        except ValidationError:
            return rows
        rows += [{"obligation": o.id, "name": o.name,
                  "who": o.who + (", if the state's definition of breach is met"
                                  if undecided else ""),
                  "due": o.due, "citation": o.citation, "explanation": o.explanation}
                 for o in state_rows(plan) if o.due is not None]
    return rows


def next_deadline(session: Session, inc: Incident, today: date) -> NextDeadline | None:
    """The next notice due. A closed incident keeps the notices it still owes: closing the
    investigation does not end a legal duty to notify (45 CFR 164.404-164.408, the state laws),
    so they stay on the dashboard, in the list and in the calendar until recorded as sent.

    Before a plan, the earliest clock already running (tentative): HIPAA's day 60, or a state's
    residents' clock if it ends sooner (a 30-day one, say)."""
    owing = (Choice.NOTIFICATION_REQUIRED.value, *steps.STATE_ANALYSIS_CHOICES)
    if inc.status != "open" and inc.determination not in owing:
        return None
    tentative = tentative_rows(session, inc, today)
    if tentative:
        first = min(tentative, key=lambda r: (r["due"], r["obligation"] != "individuals",
                                              r["obligation"]))
        return {"obligation": first["obligation"], "name": first["name"], "who": first["who"],
                "due": first["due"], "days_left": (first["due"] - today).days,
                "tentative": True}
    plan = plan_of(session, inc, today)
    if plan is None:
        return None
    # Every notice still owed counts, one with no fixed day too, by the latest day it is owed.
    pending = [
        (day, s) for s in obligation_statuses(plan, notices_of(session, inc), today)
        if s["state"] in ("due", "late", "open")
        and (day := s["due"] or s["latest_on"]) is not None
    ]
    if not pending:
        return None
    day, first = min(pending, key=lambda p: (p[0], p[1]["due"] is None, p[1]["id"]))
    found: NextDeadline = {"obligation": first["id"], "name": first["name"],
                           "who": first["who"], "due": day, "days_left": (day - today).days,
                           "tentative": False, "owed": len(pending)}
    if first["due"] is None:
        found["no_fixed_day"] = True
    return found


def list_row(session: Session, inc: Incident, today: date) -> IncidentRow:
    return {
        "reference": inc.reference,
        "public_id": inc.public_id,
        "title": inc.title,
        "status": inc.status,
        "step": inc.step,
        "step_title": steps.title(inc.step),
        "determination": inc.determination,
        "determination_label": steps.SHORT_CHOICE_LABELS.get(inc.determination or "", ""),
        "discovered_on": inc.discovered_on,
        "closed_on": inc.closed_on,
        "next_deadline": (nxt := next_deadline(session, inc, today)),
        "still_owed": nxt.get("owed", 0) if nxt and inc.status == "closed" else 0,
        "revision": inc.revision,
    }


def full_record(session: Session, inc: Incident, today: date) -> dict[str, Any]:
    """One incident in full: its answers, children, what the rule presumes, review notes, the
    plan's obligations with their state and what is still owed."""
    record = inc.model_dump(exclude={"id", "ba_tool_id"})
    tool = session.get(Tool, inc.ba_tool_id) if inc.ba_tool_id else None
    record["ba_tool"] = tool.public_id if tool else None
    record["ba_tool_name"] = tool.name if tool else ""
    record["step_title"] = steps.title(inc.step)
    record["determination_label"] = steps.CHOICE_LABELS.get(inc.determination or "", "")
    record["effective_discovered"] = effective_discovered(inc)
    residents, determined = residents_of(session, inc)
    record["residents"] = residents
    record["determined"] = determined
    record["statements"] = [plain_row(s) for s in statements_of(session, inc)]
    record["hazards"] = [
        {"public_id": h.public_id, "title": h.title}
        for h in session.exec(
            select(Hazard).join(IncidentHazard, IncidentHazard.hazard_id == Hazard.id)
            .where(IncidentHazard.incident_id == inc.id, col(IncidentHazard.archived_at).is_(None))
            .order_by(col(Hazard.title))
        )
    ]
    record["tool_categories"] = tool_categories(session, inc, tool)
    notices = notices_of(session, inc)
    record["notices"] = [plain_row(n) for n in notices]
    record["drafts"] = [
        plain_row(d) for d in session.exec(
            select(NoticeDraft).where(
                NoticeDraft.incident_id == inc.id, col(NoticeDraft.archived_at).is_(None)
            ).order_by(col(NoticeDraft.kind), col(NoticeDraft.path))
        )
    ]
    facts = determination_facts(inc)
    found = presumption(facts)
    record["presumption"] = {
        "outcome": found.outcome.value,
        "reasons": list(found.reasons),
        "missing": [{"field": m.field, "what": m.what} for m in found.missing],
    }
    record["review_notes"] = []
    if inc.determination:
        record["review_notes"] = review_determination(
            Determination(
                inc.determination, inc.determination_rationale or "-", inc.decided_on,
                inc.determination_exception,
            ),
            facts,
        )
    record["next_deadline"] = next_deadline(session, inc, today)
    record["tentative_obligations"] = tentative_rows(session, inc, today)
    record["state_analysis_only"] = inc.determination in steps.STATE_ANALYSIS_CHOICES
    statuses = []
    try:
        plan = plan_of(session, inc, today)
    except ValidationError as error:
        plan = None
        record["plan_problem"] = str(error)
    if plan is not None:
        statuses = obligation_statuses(plan, notices, today)
    record["obligations"] = statuses
    record["state_rules_as_of"] = plan.state_rules_as_of if plan is not None else None
    record["warnings"] = current_warnings(plan, statuses)
    owed = [s for s in statuses if s["state"] in ("due", "late", "open")]
    record["outstanding"] = [s["id"] for s in owed]
    record["outstanding_names"] = [s["name"] for s in owed]
    names = {s["id"]: s["name"] for s in statuses}
    for notice in record["notices"]:
        notice["obligation_name"] = names.get(notice["obligation_id"]) or obligation_name(
            notice["obligation_id"])
    record["retain_until"] = (
        inc.closed_on + relativedelta(years=RETENTION_YEARS) if inc.closed_on else None
    )
    record["letters"] = letters_runs(session, inc)
    return record


def letters_runs(session: Session, inc: Incident) -> list[dict[str, Any]]:
    """Each letters run of the incident (`riskreg notices letters`), oldest first, from the audit
    log: when, how many, per state, the file's name and SHA-256 (never a name)."""
    from riskreg.storage.audit import LETTERS_ENTITY, parse_changes

    events = session.exec(select(AuditEvent).where(
        AuditEvent.public_id == inc.public_id, AuditEvent.entity == LETTERS_ENTITY,
    ).order_by(col(AuditEvent.id)))
    return [{"at": e.at, **{k: pair[1] for k, pair in (parse_changes(e.changes) or {}).items()}}
            for e in events]


def current_warnings(plan: Plan | None, statuses: list[ObligationStatus]) -> list[str]:
    """The plan's warnings (weekend due dates, the business associate, holds, scope; none moves
    a date), without those about an obligation already done: "due ... has passed" no longer
    applies once the notice went out. An obligation's warnings start with "<its name>: "."""
    if plan is None:
        return []
    done = tuple(f"{row['name']}: " for row in statuses if row["state"] == "done")
    warnings = [w for w in plan.warnings if not (done and w.startswith(done))]
    return warnings + _notice_order_warnings(statuses)


def _notice_order_warnings(statuses: list[ObligationStatus]) -> list[str]:
    """What the notices recorded as sent say about their order (the HHS notice before the
    individual notices: finding 30, no remark was made)."""
    from riskreg.domain.obligations import hhs_sent_early

    def sent(row: ObligationStatus) -> list[date]:
        return [n["sent_on"] for n in row["sent"]]

    individuals = [d for row in statuses if row["id"] == "individuals" for d in sent(row)]
    found = [hhs_sent_early(sent(row), individuals, row["name"]) for row in statuses
             if row["id"] == "hhs" and row["track"] == "with_individual_notice"]
    return [w for w in found if w]


def obligation_statuses(plan: Plan, notices: list[NoticeSent],
                        today: date) -> list[ObligationStatus]:
    """Each obligation's due date and whether it is done, due or late (and by how many days)."""
    periods = merged_periods(list(plan.holds))
    latest = latest_day(plan.obligations)
    out: list[ObligationStatus] = []
    for o in plan.obligations:
        sent = [n for n in notices if n.obligation_id == o.id]
        late_by = 0
        if sent:
            last = max(n.sent_on for n in sent)
            state = "done"
            if o.due and last > o.due:
                late_by = (last - o.due).days
            status = f"done {last}, {late_by} days late" if late_by else f"done {last}"
        elif o.hipaa_status == "exempt":
            # A state law that exempts a HIPAA covered entity: shown, never owed.
            state, status = "exempt", "exempt for a HIPAA covered entity: verify with counsel"
        elif o.due is None:
            state, status = "open", "no fixed day: as soon as possible"
        elif today > o.due:
            state, late_by = "late", (today - o.due).days
            status = f"late by {late_by} days"
        else:
            state, status = "due", f"due in {(o.due - today).days} days"
        out.append({
            "id": o.id, "name": o.name, "who": o.who, "due": o.due,
            "original_due": o.original_due,
            "tolling_due": o.tolling_due, "internal_target": o.internal_target,
            "citation": o.citation, "explanation": o.explanation, "track": o.track,
            "weekend": o.weekend, "verify_with_counsel": o.verify_with_counsel,
            "weekday": _weekday(o.due), "days_left": (o.due - today).days if o.due else None,
            "latest_on": None if o.due else latest,
            "sent": [
                {"public_id": n.public_id, "sent_on": n.sent_on, "method": n.method,
                 "count": n.count, "reference": n.reference,
                 "inside_hold": inside_hold(n.sent_on, periods) is not None}
                for n in sent
            ],
            "late_by": late_by,
            "state": state,
            "status": status,
        })
    return out


def _weekday(day: date | None) -> str:
    return WEEKDAYS[day.weekday()] if day else ""


def settings_of(session: Session) -> dict[str, Any]:
    row = session.exec(
        select(PracticeSettings).where(col(PracticeSettings.archived_at).is_(None))
        .order_by(col(PracticeSettings.id))
    ).first()
    return row.model_dump() if row else {}


def plain_row(row: Tracked) -> dict[str, Any]:
    return row.model_dump(exclude={"id", "incident_id"})
