"""The breach workflow's use cases: one method per wizard step, the plan, tracking, drafts.

Both the CLI and the TUI call these. Every step is validated first, checked against the revision
the caller read (ConflictError if the incident moved), and written in one transaction with its
audit event; the incident's `step` then says where to resume. Children that are facts of the
incident (residents, statements, hazard links, notices sent) move the incident's revision too.

The practitioner decides: the service records the determination they choose with its rationale
(45 CFR 164.414(b)) and shows what 164.402 presumes; it never chooses. The one exception is an
answer of "no PHI was involved", which is itself the practitioner's determination, recorded with
the reason they gave.

An incident is named outside the app by its reference (INC-2026-001) only: drafts' file names and
anything logged carry the reference, never the description.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import func
from sqlmodel import Session, col, select

from riskreg.domain import incident_steps as steps
from riskreg.domain.deadlines import BreachFacts, Plan, compute_plan, individual_notice_due
from riskreg.domain.determination import (
    Choice,
    Determination,
    DeterminationFacts,
    FactorAssessment,
    Outcome,
    presumption,
    review_determination,
)
from riskreg.domain.holds import Hold, inside_hold, merged_periods
from riskreg.domain.obligation_names import obligation_name
from riskreg.domain.workdays import WEEKDAYS
from riskreg.errors import ConflictError, NotFound, ValidationError
from riskreg.services import incident_inputs as inputs
from riskreg.storage import audit
from riskreg.storage.chunks import slices
from riskreg.storage.database import Database
from riskreg.storage.incident_models import (
    Incident,
    IncidentHazard,
    IncidentResident,
    IncidentStatement,
    NoticeDraft,
    NoticeSent,
)
from riskreg.storage.models import (
    AuditEvent,
    Hazard,
    HazardTool,
    PracticeSettings,
    Tool,
    Tracked,
    new_public_id,
    utcnow,
)

RETENTION_YEARS = 6
"""Documentation is kept six years (45 CFR 164.530(j))."""

DEFAULT_TARGET_DAYS = 15
NEAR_DAYS = 14
"""A deadline this close (or past) is shown as urgent."""


@dataclass
class IncidentService:
    db: Database
    today: Callable[[], date] = field(default=date.today)
    """The clock, injected so tests and screenshots can fix it."""
    new_id: Callable[[], str] = field(default=new_public_id)
    """Public ids for new rows (the demo passes a seeded generator)."""

    # -- reading -------------------------------------------------------------------------------

    def list(self, *, include_closed: bool = True) -> list[dict[str, Any]]:
        """Every incident (open first, then by next deadline, then newest), as list rows."""
        today = self.today()
        with self.db.reading() as session:
            query = select(Incident).where(col(Incident.archived_at).is_(None))
            if not include_closed:
                query = query.where(Incident.status == "open")
            rows = [self._row(session, inc, today) for inc in session.exec(query)]
        rows.sort(key=lambda r: r["reference"], reverse=True)
        rows.sort(key=lambda r: (r["next_deadline"] or {}).get("due") or date.max)
        rows.sort(key=lambda r: r["status"] != "open")
        return rows

    def open_deadlines(self) -> list[dict[str, Any]]:
        """Incidents with a notice still to send and the days left to it, soonest first
        (dashboard): open ones, and closed ones that still owe a notice."""
        return sorted((r for r in self.list() if r["next_deadline"]),
                      key=lambda r: r["next_deadline"]["due"])

    def get(self, ref: str) -> dict[str, Any]:
        """One incident in full: its answers, children, what the rule presumes, review notes."""
        with self.db.reading() as session:
            return self._record(session, _find(session, ref))

    def plan(self, ref: str) -> Plan | None:
        """The deadline plan from the stored facts (45 CFR 164.404-164.412, 42 CFR 2.16, state
        overlays), or None while no breach requiring notification has been determined and scoped."""
        with self.db.reading() as session:
            inc = _find(session, ref)
            return self._plan(session, inc)

    def obligation_status(self, ref: str) -> list[dict[str, Any]]:
        """Each obligation of the plan: due, days left, and done / due / late (by N days), with
        the notices recorded against it (164.414(b): proof that each notice went out)."""
        with self.db.reading() as session:
            inc = _find(session, ref)
            plan = self._plan(session, inc)
            if plan is None:
                return []
            return _statuses(plan, _notices(session, inc), self.today())

    def next_deadline(self, ref: str) -> dict[str, Any] | None:
        """The next thing due for an open incident: {obligation, who, due, days_left, tentative}."""
        with self.db.reading() as session:
            return self._next_deadline(session, _find(session, ref), self.today())

    def history(self, ref: str) -> list[dict[str, Any]]:
        """The audit events about the incident and its children, oldest first."""
        with self.db.reading() as session:
            inc = _find(session, ref)
            ids = [inc.public_id]
            for model in (IncidentResident, IncidentStatement, IncidentHazard, NoticeSent, NoticeDraft):
                ids += list(session.exec(select(model.public_id).where(model.incident_id == inc.id)))
            events = [
                event for part in slices(session, ids)
                for event in session.exec(
                    select(AuditEvent).where(col(AuditEvent.public_id).in_(part)))
            ]
            events.sort(key=lambda e: e.id)
            return [
                {"at": e.at, "entity": e.entity, "action": e.action, "changes": e.changes}
                for e in events
            ]

    # -- step 1: intake ------------------------------------------------------------------------

    def create(self, data: dict[str, Any]) -> dict[str, Any]:
        """Open a new incident from the intake answers; it gets the next INC-YYYY-NNN of its
        discovery year and resumes at the PHI step."""
        values = inputs.check(inputs.IntakeInput, data)
        self._check_intake_dates(values)
        with self.db.writing() as session:
            hazards = values.pop("hazards")
            values["ba_tool_id"] = _tool_id(session, values.pop("ba_tool"))
            year = values["discovered_on"].year
            sequence = (
                session.exec(select(func.max(Incident.sequence)).where(Incident.year == year)).one()
                or 0
            ) + 1
            inc = Incident(
                public_id=self.new_id(),
                reference=f"INC-{year}-{sequence:03d}",
                year=year,
                sequence=sequence,
                step="phi",
                **values,
            )
            session.add(inc)
            session.flush()
            audit.record(
                session, "incident", inc.public_id, "create",
                audit.diff({}, {"reference": inc.reference, "step": inc.step, **values}),
            )
            for hazard_id in hazards or []:
                self._link(session, inc, _hazard(session, hazard_id))
            return self._record(session, inc)

    def save_intake(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Change the intake answers (the reference stays as it was given)."""
        values = inputs.check(inputs.IntakeInput, data)
        self._check_intake_dates(values)
        with self._editing(ref, "intake", expected_revision) as (session, inc):
            hazards = values.pop("hazards")
            values["ba_tool_id"] = _tool_id(session, values.pop("ba_tool"))
            if hazards is not None:
                wanted = {_hazard(session, h).id: h for h in hazards}
                for link in _links(session, inc):
                    if link.hazard_id not in wanted:
                        self._unlink(session, link)
                for hazard_id in wanted.values():
                    self._link(session, inc, _hazard(session, hazard_id))
            self._update(session, inc, values, "intake")
            return self._record(session, inc)

    def link_hazard(self, ref: str, hazard_id: str, expected_revision: int) -> dict[str, Any]:
        """Relate the incident to a register hazard, which is flagged for review now."""
        with self._editing(ref, None, expected_revision) as (session, inc):
            self._link(session, inc, _hazard(session, hazard_id))
            self._touch(session, inc)
            return self._record(session, inc)

    def unlink_hazard(self, ref: str, hazard_id: str, expected_revision: int) -> dict[str, Any]:
        with self._editing(ref, None, expected_revision) as (session, inc):
            hazard = _hazard(session, hazard_id)
            for link in _links(session, inc):
                if link.hazard_id == hazard.id:
                    self._unlink(session, link)
            self._touch(session, inc)
            return self._record(session, inc)

    # -- steps 2-6: the decision path (164.402) ------------------------------------------------

    def save_phi(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Step 2. "No PHI" ends the decision path: the practitioner's answer and reason are the
        determination (the Breach Notification Rule does not apply, 164.402)."""
        values = inputs.check(inputs.PhiInput, data)
        with self._editing(ref, "phi", expected_revision) as (session, inc):
            if not values["phi_involved"]:
                values.update(
                    determination=Choice.NOT_PHI.value,
                    determination_exception=None,
                    determination_rationale=values["phi_reason"],
                    decided_on=inc.decided_on if inc.determination == Choice.NOT_PHI.value
                    and inc.determination_rationale == values["phi_reason"] else self.today(),
                )
            elif inc.determination == Choice.NOT_PHI.value:
                # That determination rested only on the answer now withdrawn.
                values.update(
                    determination=None, determination_rationale="", decided_on=None,
                    determination_exception=None,
                )
            self._update(session, inc, values, "phi")
            return self._record(session, inc)

    def save_secured(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Step 3: the safe harbor (encrypted per HHS guidance, key safe; or destroyed)."""
        values = inputs.check(inputs.SecuredInput, data)
        with self._editing(ref, "secured", expected_revision) as (session, inc):
            self._require_phi(inc)
            self._update(session, inc, values, "secured")
            return self._record(session, inc)

    def save_exceptions(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Step 4: the three exceptions of 164.402(1)(i)-(iii)."""
        values = inputs.check(inputs.ExceptionsInput, data)
        values["exceptions_notes"] = values.pop("notes")
        with self._editing(ref, "exceptions", expected_revision) as (session, inc):
            self._require_phi(inc)
            self._update(session, inc, values, "exceptions")
            return self._record(session, inc)

    def save_factors(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Step 5: the four-factor risk assessment of 164.402(2)(i)-(iv)."""
        values = inputs.check(inputs.FactorsInput, data)
        with self._editing(ref, "factors", expected_revision) as (session, inc):
            self._require_phi(inc)
            self._update(session, inc, values, "factors")
            return self._record(session, inc)

    def save_determination(
        self, ref: str, data: dict[str, Any], expected_revision: int
    ) -> dict[str, Any]:
        """Step 6: the practitioner's determination with its mandatory rationale (164.414(b)).

        Any choice is recorded, also one that departs from what the record presumes; the record's
        `review_notes` then name what the rationale must address.
        """
        values = inputs.check(inputs.DeterminationInput, data)
        decided_on = values["decided_on"] or self.today()
        determination = Determination(
            values["choice"], values["rationale"], decided_on, values["exception_id"]
        )
        with self._editing(ref, "determination", expected_revision) as (session, inc):
            if inc.phi_involved is None:
                raise ValidationError("choice", "first record whether PHI was involved")
            if decided_on > self.today():
                raise ValidationError("decided_on", "a determination cannot be dated in the future")
            if decided_on < inc.discovered_on:
                raise ValidationError(
                    "decided_on", f"the determination comes after discovery ({inc.discovered_on})"
                )
            self._update(session, inc, {
                "determination": determination.choice.value,
                "determination_rationale": determination.rationale.strip(),
                "determination_exception": determination.exception_id,
                "decided_on": decided_on,
            }, "determination")
            return self._record(session, inc)

    # -- steps 7-8: scope and law enforcement ----------------------------------------------------

    def save_scope(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Step 7: affected in total and per state, insufficient contact, deceased with next of
        kin, Part 2 records, urgent risk of misuse. Checked by the deadline engine's own rules."""
        values = inputs.check(inputs.ScopeInput, data)
        residents = {k.strip().upper(): v for k, v in values.pop("residents").items()}
        determined = {k.strip().upper(): v for k, v in values.pop("determined").items()}
        for code in determined:
            if code not in residents:
                raise ValidationError("determined", f"{code} has no residents listed")
        with self._editing(ref, "scope", expected_revision) as (session, inc):
            self._require_notification(inc)
            statements = _statements(session, inc)
            trial = _copy(inc, values)
            _breach_facts(trial, residents, determined, statements)  # raises ValidationError
            self._update(session, inc, values, "scope")
            self._replace_residents(session, inc, residents, determined)
            return self._record(session, inc)

    def add_statement(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Step 8: record a law-enforcement statement asking for a delay (164.412)."""
        values = inputs.check(inputs.StatementInput, data)
        with self._editing(ref, "law_enforcement", expected_revision) as (session, inc):
            self._require_notification(inc)
            if values["statement_on"] > self.today():
                raise ValidationError("statement_on", "a statement cannot be dated in the future")
            start = _effective_discovered(inc)
            if values["statement_on"] < start:
                raise ValidationError(
                    "statement_on", f"the statement comes after discovery ({start})"
                )
            Hold(values["kind"], values["statement_on"], values["days"])
            statement = IncidentStatement(public_id=self.new_id(), incident_id=inc.id, **values)
            session.add(statement)
            session.flush()
            audit.record(session, "incident_statement", statement.public_id, "create",
                         {"incident": [None, inc.reference], **audit.diff({}, values)})
            self._touch(session, inc)
            return self._record(session, inc)

    def archive_statement(
        self, ref: str, statement_id: str, expected_revision: int
    ) -> dict[str, Any]:
        """Withdraw a statement recorded by mistake (kept, archived, with its history)."""
        with self._editing(ref, "law_enforcement", expected_revision) as (session, inc):
            statement = _child(session, IncidentStatement, inc, statement_id, "statement")
            _archive(session, "incident_statement", statement)
            self._touch(session, inc)
            return self._record(session, inc)

    def complete_step(self, ref: str, step_id: str, expected_revision: int) -> dict[str, Any]:
        """Move on from a step with nothing to fill in (law enforcement, plan, notices, tracking)."""
        if step_id not in steps.PASS_THROUGH:
            raise ValidationError("step", f"{step_id!r} is completed by saving its answers")
        with self._editing(ref, step_id, expected_revision) as (session, inc):
            self._require_notification(inc)
            if step_id == "law_enforcement":
                self._plan(session, inc)  # the plan must compute before moving on
            self._update(session, inc, {}, step_id)
            return self._record(session, inc)

    # -- steps 10-11: notices and tracking -------------------------------------------------------

    def save_notice_content(
        self, ref: str, data: dict[str, Any], expected_revision: int
    ) -> dict[str, Any]:
        """Step 10: what the notices say beyond the facts (164.404(c)(1)(C)-(E))."""
        values = inputs.check(inputs.NoticeContentInput, data)
        with self._editing(ref, "notices", expected_revision) as (session, inc):
            self._require_notification(inc)
            self._update(session, inc, values, None)
            return self._record(session, inc)

    def write_drafts(self, ref: str, folder: Path | str) -> list[Path]:
        """Write the draft notices this incident needs into `folder` as Markdown (0600), named by
        the reference only: the individual notice, media notices, the substitute notice and the
        HHS portal checklist, each with the content checklist of 164.404(c). Never into the
        register's own files or its backups folder, never through an odd file
        (`check_output_path`): every draft's path is checked before the folder is made."""
        from riskreg.services.incident_notices import render_drafts
        from riskreg.storage.files import check_output_path, ensure_private_dir, write_text_atomic

        folder = Path(folder).expanduser()
        with self.db.reading() as session:
            inc = _find(session, ref)
            self._require_notification(inc)
            plan = self._plan(session, inc)
            if plan is None:
                raise ValidationError("scope", "record the scope first: drafts need the plan")
            drafts = render_drafts(self._record(session, inc), plan, _settings(session), self.today())
        targets = [check_output_path(folder / name, database=self.db.path, label=None)
                   for _kind, name, _text in drafts]
        ensure_private_dir(folder)
        written = []
        for (kind, name, text), target in zip(drafts, targets, strict=True):
            path = folder / name
            write_text_atomic(target, text)
            written.append((kind, path))
        with self.db.writing() as session:
            inc = _find(session, ref)
            existing = {
                d.path: d for d in session.exec(select(NoticeDraft).where(NoticeDraft.incident_id == inc.id))
            }
            for kind, path in written:
                draft = existing.get(str(path))
                if draft is None:
                    draft = NoticeDraft(
                        public_id=self.new_id(), incident_id=inc.id, kind=kind, path=str(path),
                        written_on=self.today(),
                    )
                    action = "create"
                else:
                    draft.written_on = self.today()
                    draft.archived_at = None
                    draft.revision += 1
                    draft.updated_at = utcnow()
                    action = "update"
                session.add(draft)
                session.flush()
                audit.record(session, "notice_draft", draft.public_id, action, {
                    "incident": [None, inc.reference], "kind": [None, kind],
                    "path": [None, str(path)], "written_on": [None, self.today()],
                })
        return [path for _, path in written]

    def record_notice_sent(
        self, ref: str, data: dict[str, Any], expected_revision: int
    ) -> dict[str, Any]:
        """Step 11: record one notice sent: the proof the practice must be able to show
        (164.414(b)). A notice sent after its due date is recorded, and shown as late."""
        values = inputs.check(inputs.NoticeSentInput, data)
        # From the plan on: a notice may go out before the drafts step is finished.
        with self._editing(ref, "plan", expected_revision) as (session, inc):
            self._require_notification(inc)
            plan = self._plan(session, inc)
            ids = [o.id for o in plan.obligations] if plan else []
            if values["obligation_id"] not in ids:
                raise ValidationError(
                    "obligation_id",
                    f"{values['obligation_id']!r} is not an obligation of this incident's plan "
                    f"({', '.join(ids) or 'no plan yet'})",
                )
            if values["sent_on"] > self.today():
                raise ValidationError("sent_on", "record a notice once it has been sent, not before")
            if values["sent_on"] < _effective_discovered(inc):
                raise ValidationError("sent_on", "a notice cannot go out before discovery")
            notice = NoticeSent(public_id=self.new_id(), incident_id=inc.id, **values)
            session.add(notice)
            session.flush()
            audit.record(session, "notice_sent", notice.public_id, "create",
                         {"incident": [None, inc.reference], **audit.diff({}, values)})
            self._touch(session, inc)
            return self._record(session, inc)

    def archive_notice(self, ref: str, notice_id: str, expected_revision: int) -> dict[str, Any]:
        """Withdraw a notice recorded by mistake (kept, archived, with its history)."""
        with self._editing(ref, "plan", expected_revision) as (session, inc):
            notice = _child(session, NoticeSent, inc, notice_id, "notice")
            _archive(session, "notice_sent", notice)
            self._touch(session, inc)
            return self._record(session, inc)

    # -- step 12: close-out ---------------------------------------------------------------------

    def save_closeout(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Step 12: lessons learned (the incident stays open until `close`)."""
        values = inputs.check(inputs.CloseoutInput, data)
        with self._editing(ref, "closeout", expected_revision) as (session, inc):
            if inc.determination is None:
                raise ValidationError("determination", "record the determination first")
            self._update(session, inc, values, None)
            return self._record(session, inc)

    def close(self, ref: str, expected_revision: int, closed_on: date | str | None = None) -> dict[str, Any]:
        """Close the incident. It is kept (never deleted) for at least six years (164.530(j)).

        Closing needs a recorded determination; obligations still open are the practitioner's
        call (a state notice counsel says does not apply, say), so they are listed, not refused:
        see `outstanding` in the record.
        """
        if isinstance(closed_on, str):
            closed_on = _parse_day(closed_on, "closed_on")
        day = closed_on or self.today()
        with self._editing(ref, "closeout", expected_revision) as (session, inc):
            if inc.determination is None:
                raise ValidationError("determination", "record the determination before closing")
            if day > self.today():
                raise ValidationError("closed_on", "an incident cannot be closed in the future")
            if day < inc.discovered_on:
                raise ValidationError("closed_on", "an incident closes after it was discovered")
            before = _state(inc)
            inc.status = "closed"
            inc.step = steps.CLOSED
            inc.closed_on = day
            self._commit(session, inc, before, "close")
            return self._record(session, inc)

    def reopen(self, ref: str, expected_revision: int) -> dict[str, Any]:
        """Reopen a closed incident at its close-out step."""
        with self.db.writing() as session:
            inc = _find(session, ref)
            _check_revision(inc, expected_revision)
            if inc.status != "closed":
                return self._record(session, inc)
            before = _state(inc)
            inc.status = "open"
            inc.step = "closeout"
            inc.closed_on = None
            self._commit(session, inc, before, "reopen")
            return self._record(session, inc)

    def create_hazard(
        self, ref: str, data: dict[str, Any], expected_revision: int, register: Any = None
    ) -> dict[str, Any]:
        """Close-out: add a hazard to the register from this incident, linked to it (and so
        flagged for review), in one transaction."""
        from riskreg.services.register import RegisterService

        register = register or RegisterService(self.db, today=self.today)
        with self._editing(ref, None, expected_revision, allow_closed=True) as (session, inc):
            hazard = register.create_in(session, "hazard", data, public_id=self.new_id())
            self._link(session, inc, hazard)
            self._touch(session, inc)
            return register._record(session, "hazard", hazard)

    def create_safeguard(
        self, ref: str, data: dict[str, Any], hazard_id: str | None, expected_revision: int,
        register: Any = None,
    ) -> dict[str, Any]:
        """Close-out: add a safeguard to the register, linked to a hazard (one transaction)."""
        from riskreg.services.register import RegisterService

        register = register or RegisterService(self.db, today=self.today)
        with self._editing(ref, None, expected_revision, allow_closed=True) as (session, inc):
            safeguard = register.create_in(session, "safeguard", data, public_id=self.new_id())
            if hazard_id:
                register.link_in(session, _hazard(session, hazard_id), "safeguard", safeguard)
            self._touch(session, inc)
            return register._record(session, "safeguard", safeguard)

    # -- internals -------------------------------------------------------------------------------

    @contextmanager
    def _editing(
        self, ref: str, step_id: str | None, expected_revision: int, allow_closed: bool = False
    ) -> Iterator[tuple[Session, Incident]]:
        """A write transaction on one incident read at `expected_revision`: refused if it moved
        (ConflictError), if it is closed, or if `step_id` has not been reached yet."""
        with self.db.writing() as session:
            inc = _find(session, ref)
            _check_revision(inc, expected_revision)
            if inc.status == "closed" and not allow_closed:
                raise ValidationError("status", f"{inc.reference} is closed; reopen it to change it")
            if step_id is not None and steps.index(step_id) > steps.index(inc.step):
                raise ValidationError(
                    "step", f"{inc.reference} is at '{steps.title(inc.step)}': finish that step first"
                )
            yield session, inc

    def _check_intake_dates(self, values: dict[str, Any]) -> None:
        today = self.today()
        if values["discovered_on"] > today:
            raise ValidationError("discovered_on", "discovery cannot be in the future")
        if values["occurred_on"] and values["occurred_on"] > today:
            raise ValidationError("occurred_on", "it cannot have happened in the future")
        if values["ba_discovered_on"] and values["ba_discovered_on"] > today:
            raise ValidationError("ba_discovered_on", "discovery cannot be in the future")

    def _require_phi(self, inc: Incident) -> None:
        if not inc.phi_involved:
            raise ValidationError(
                "phi_involved", "this step applies only when PHI was involved (step 2)"
            )

    def _require_notification(self, inc: Incident) -> None:
        if inc.determination != Choice.NOTIFICATION_REQUIRED.value:
            raise ValidationError(
                "determination",
                "notices, scope and law-enforcement holds apply once you determine that "
                "notification is required",
            )

    def _update(
        self, session: Session, inc: Incident, values: dict[str, Any], step_id: str | None
    ) -> None:
        """Apply one step's answers and move `step`: to the step that follows when the answers
        change the path from here, otherwise to the later of where it was and what follows."""
        before = _state(inc)
        path_before = _next(inc, step_id) if step_id else None
        for key, value in values.items():
            setattr(inc, key, value)
        if step_id is not None:
            path_after = _next(inc, step_id)
            branch_changed = path_before != path_after and steps.index(inc.step) > steps.index(step_id)
            inc.step = path_after if branch_changed else steps.later(inc.step, path_after)
        self._commit(session, inc, before, "update")

    def _commit(self, session: Session, inc: Incident, before: dict[str, Any], action: str) -> None:
        changed = audit.diff(before, _state(inc))
        if not changed and action == "update":
            return
        inc.revision += 1
        inc.updated_at = utcnow()
        session.add(inc)
        session.flush()
        audit.record(session, "incident", inc.public_id, action, changed)

    def _touch(self, session: Session, inc: Incident) -> None:
        """A child changed: move the incident's revision so other windows see it."""
        inc.revision += 1
        inc.updated_at = utcnow()
        session.add(inc)
        session.flush()

    def _link(self, session: Session, inc: Incident, hazard: Hazard) -> None:
        """Link a hazard and flag it for review now (DESIGN.md: linking an incident to a hazard
        flags it), each with its audit event."""
        link = session.exec(
            select(IncidentHazard).where(
                IncidentHazard.incident_id == inc.id, IncidentHazard.hazard_id == hazard.id
            )
        ).first()
        if link is not None and link.archived_at is None:
            return
        if link is None:
            link = IncidentHazard(public_id=self.new_id(), incident_id=inc.id, hazard_id=hazard.id)
        else:
            link.archived_at = None
            link.revision += 1
            link.updated_at = utcnow()
        session.add(link)
        session.flush()
        audit.record(session, "incident_hazard", link.public_id, "link",
                     {"incident": [None, inc.reference], "hazard": [None, hazard.public_id]})
        reason = f"incident {inc.reference} linked"
        if hazard.review_now_reason != reason:
            before = hazard.review_now_reason
            hazard.review_now_reason = reason
            hazard.revision += 1
            hazard.updated_at = utcnow()
            session.add(hazard)
            session.flush()
            audit.record(session, "hazard", hazard.public_id, "update",
                         {"review_now_reason": [before, reason]})

    def _unlink(self, session: Session, link: IncidentHazard) -> None:
        hazard = session.get(Hazard, link.hazard_id)
        _archive(session, "incident_hazard", link, "unlink",
                 {"hazard": [hazard.public_id if hazard else None, None]})

    def _replace_residents(
        self, session: Session, inc: Incident, residents: dict[str, int], determined: dict[str, date]
    ) -> None:
        rows = {
            r.state: r
            for r in session.exec(select(IncidentResident).where(IncidentResident.incident_id == inc.id))
        }
        for code, row in rows.items():
            if code not in residents and row.archived_at is None:
                _archive(session, "incident_resident", row)
        for code, count in residents.items():
            row = rows.get(code)
            values = {"count": count, "determined_on": determined.get(code)}
            if row is None:
                row = IncidentResident(
                    public_id=self.new_id(), incident_id=inc.id, state=code, **values
                )
                session.add(row)
                session.flush()
                audit.record(session, "incident_resident", row.public_id, "create",
                             {"incident": [None, inc.reference], "state": [None, code],
                              **audit.diff({}, values)})
                continue
            before = {"count": row.count, "determined_on": row.determined_on,
                      "archived_at": row.archived_at}
            row.count, row.determined_on, row.archived_at = count, values["determined_on"], None
            changed = audit.diff(before, {**values, "archived_at": None})
            if changed:
                row.revision += 1
                row.updated_at = utcnow()
                session.add(row)
                session.flush()
                audit.record(session, "incident_resident", row.public_id, "update",
                             {"state": [code, code], **changed})

    def _plan(self, session: Session, inc: Incident) -> Plan | None:
        if inc.determination != Choice.NOTIFICATION_REQUIRED.value or inc.affected is None:
            return None
        residents, determined = _residents(session, inc)
        facts = _breach_facts(inc, residents, determined, _statements(session, inc))
        return compute_plan(facts, self.today(), _settings(session).get("internal_target_days",
                                                                         DEFAULT_TARGET_DAYS))

    def _next_deadline(self, session: Session, inc: Incident, today: date) -> dict[str, Any] | None:
        """The next notice due. A closed incident keeps the notices it still owes: closing the
        investigation does not end a legal duty to notify (45 CFR 164.404-164.408), so they stay
        on the dashboard, in the list and in the calendar until recorded as sent."""
        if inc.status != "open" and inc.determination != Choice.NOTIFICATION_REQUIRED.value:
            return None
        if inc.determination is None:
            # Until the practitioner decides, the 60-day outer limit is already running.
            due = individual_notice_due(_effective_discovered(inc))
            return {"obligation": "individuals", "name": obligation_name("individuals"),
                    "who": "affected individuals, if it is a breach",
                    "due": due, "days_left": (due - today).days, "tentative": True}
        plan = self._plan(session, inc)
        if plan is None:
            if inc.determination == Choice.NOTIFICATION_REQUIRED.value and inc.status == "open":
                due = individual_notice_due(_effective_discovered(inc))
                return {"obligation": "individuals", "name": obligation_name("individuals"),
                        "who": "affected individuals",
                        "due": due, "days_left": (due - today).days, "tentative": True}
            return None
        pending = [
            s for s in _statuses(plan, _notices(session, inc), today)
            if s["state"] in ("due", "late") and s["due"] is not None
        ]
        if not pending:
            return None
        first = min(pending, key=lambda s: (s["due"], s["id"]))
        return {"obligation": first["id"], "name": first["name"], "who": first["who"],
                "due": first["due"], "days_left": (first["due"] - today).days,
                "tentative": False, "owed": len(pending)}

    def _row(self, session: Session, inc: Incident, today: date) -> dict[str, Any]:
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
            "next_deadline": (nxt := self._next_deadline(session, inc, today)),
            "still_owed": (nxt or {}).get("owed", 0) if inc.status == "closed" else 0,
            "revision": inc.revision,
        }

    def _record(self, session: Session, inc: Incident) -> dict[str, Any]:
        today = self.today()
        record = inc.model_dump(exclude={"id", "ba_tool_id"})
        tool = session.get(Tool, inc.ba_tool_id) if inc.ba_tool_id else None
        record["ba_tool"] = tool.public_id if tool else None
        record["ba_tool_name"] = tool.name if tool else ""
        record["step_title"] = steps.title(inc.step)
        record["determination_label"] = steps.CHOICE_LABELS.get(inc.determination or "", "")
        record["effective_discovered"] = _effective_discovered(inc)
        residents, determined = _residents(session, inc)
        record["residents"] = residents
        record["determined"] = determined
        record["statements"] = [_plain(s) for s in _statements(session, inc)]
        record["hazards"] = [
            {"public_id": h.public_id, "title": h.title}
            for h in session.exec(
                select(Hazard).join(IncidentHazard, IncidentHazard.hazard_id == Hazard.id)
                .where(IncidentHazard.incident_id == inc.id, col(IncidentHazard.archived_at).is_(None))
                .order_by(col(Hazard.title))
            )
        ]
        record["tool_categories"] = _tool_categories(session, inc, tool)
        notices = _notices(session, inc)
        record["notices"] = [_plain(n) for n in notices]
        record["drafts"] = [
            _plain(d) for d in session.exec(
                select(NoticeDraft).where(
                    NoticeDraft.incident_id == inc.id, col(NoticeDraft.archived_at).is_(None)
                ).order_by(col(NoticeDraft.kind), col(NoticeDraft.path))
            )
        ]
        facts = _determination_facts(inc)
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
        record["next_deadline"] = self._next_deadline(session, inc, today)
        statuses = []
        try:
            plan = self._plan(session, inc)
        except ValidationError as error:
            plan = None
            record["plan_problem"] = str(error)
        if plan is not None:
            statuses = _statuses(plan, notices, today)
        record["obligations"] = statuses
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
        return record


# -- helpers ------------------------------------------------------------------------------------


def current_warnings(plan: Plan | None, statuses: list[dict[str, Any]]) -> list[str]:
    """The plan's warnings (weekend due dates, the business associate, holds, scope; none moves
    a date), without those about an obligation already done: "due ... has passed" no longer
    applies once the notice went out. An obligation's warnings start with "<its name>: "."""
    if plan is None:
        return []
    done = tuple(f"{row['name']}: " for row in statuses if row["state"] == "done")
    warnings = [w for w in plan.warnings if not (done and w.startswith(done))]
    return warnings + _notice_order_warnings(statuses)


def _notice_order_warnings(statuses: list[dict[str, Any]]) -> list[str]:
    """What the notices recorded as sent say about their order (the HHS notice before the
    individual notices: finding 30, no remark was made)."""
    from riskreg.domain.obligations import hhs_sent_early

    def sent(row: dict[str, Any]) -> list[date]:
        return [n["sent_on"] for n in row.get("sent") or []]

    individuals = [d for row in statuses if row["id"] == "individuals" for d in sent(row)]
    found = [hhs_sent_early(sent(row), individuals, row["name"]) for row in statuses
             if row["id"] == "hhs" and row.get("track") == "with_individual_notice"]
    return [w for w in found if w]


def _parse_day(text: str, field_name: str) -> date:
    from riskreg.domain.dates import parse_date

    try:
        return parse_date(text, field_name)
    except ValueError as error:
        raise ValidationError(field_name, str(error)) from None


def _find(session: Session, ref: str) -> Incident:
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


def _check_revision(inc: Incident, expected: int) -> None:
    if inc.revision != expected:
        raise ConflictError(
            f"{inc.reference} was changed elsewhere since you opened it "
            f"(revision {expected}, now {inc.revision}); reload to see the changes"
        )


def _state(inc: Incident) -> dict[str, Any]:
    return inc.model_dump(exclude={"id", "updated_at", "revision", "created_at", "public_id"})


def _copy(inc: Incident, values: dict[str, Any]) -> Incident:
    data = inc.model_dump()
    data.update(values)
    return Incident.model_construct(**data)


def _tool_id(session: Session, public_id: str | None) -> int | None:
    if not public_id:
        return None
    tool = session.exec(select(Tool).where(Tool.public_id == public_id)).first()
    if tool is None:
        raise ValidationError("ba_tool", f"no tool with id {public_id}")
    return tool.id


def _hazard(session: Session, public_id: str) -> Hazard:
    hazard = session.exec(select(Hazard).where(Hazard.public_id == public_id)).first()
    if hazard is None:
        raise ValidationError("hazards", f"no hazard with id {public_id}")
    return hazard


def _links(session: Session, inc: Incident) -> list[IncidentHazard]:
    return list(session.exec(
        select(IncidentHazard).where(
            IncidentHazard.incident_id == inc.id, col(IncidentHazard.archived_at).is_(None)
        )
    ))


def _child(session: Session, model: type[Tracked], inc: Incident, public_id: str, what: str) -> Any:
    row = session.exec(
        select(model).where(model.public_id == public_id, model.incident_id == inc.id)
    ).first()
    if row is None:
        raise NotFound(f"{inc.reference} has no {what} {public_id}")
    return row


def _archive(session: Session, entity: str, row: Any, action: str = "archive",
             extra: dict[str, Any] | None = None) -> None:
    if row.archived_at is not None:
        return
    row.archived_at = utcnow()
    row.revision += 1
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    audit.record(session, entity, row.public_id, action,
                 {"archived_at": [None, row.archived_at], **(extra or {})})


def _tool_categories(session: Session, inc: Incident, ba_tool: Tool | None) -> list[str]:
    """The categories of the tools where the information was: the business associate's tool when
    one is named, else the tools of the linked hazards (the HHS portal asks for the location)."""
    if ba_tool is not None:
        return [ba_tool.category]
    found = session.exec(
        select(Tool.category).join(HazardTool, HazardTool.tool_id == Tool.id)
        .join(IncidentHazard, IncidentHazard.hazard_id == HazardTool.hazard_id)
        .where(IncidentHazard.incident_id == inc.id, col(IncidentHazard.archived_at).is_(None),
               col(HazardTool.archived_at).is_(None), col(Tool.archived_at).is_(None))
        .order_by(col(Tool.name))
    ).all()
    return list(dict.fromkeys(found))


def _residents(session: Session, inc: Incident) -> tuple[dict[str, int], dict[str, date]]:
    rows = session.exec(
        select(IncidentResident).where(
            IncidentResident.incident_id == inc.id, col(IncidentResident.archived_at).is_(None)
        ).order_by(col(IncidentResident.state))
    )
    residents, determined = {}, {}
    for row in rows:
        residents[row.state] = row.count
        if row.determined_on:
            determined[row.state] = row.determined_on
    return residents, determined


def _statements(session: Session, inc: Incident) -> list[IncidentStatement]:
    return list(session.exec(
        select(IncidentStatement).where(
            IncidentStatement.incident_id == inc.id, col(IncidentStatement.archived_at).is_(None)
        ).order_by(col(IncidentStatement.statement_on), col(IncidentStatement.id))
    ))


def _notices(session: Session, inc: Incident) -> list[NoticeSent]:
    return list(session.exec(
        select(NoticeSent).where(
            NoticeSent.incident_id == inc.id, col(NoticeSent.archived_at).is_(None)
        ).order_by(col(NoticeSent.sent_on), col(NoticeSent.id))
    ))


def _settings(session: Session) -> dict[str, Any]:
    row = session.exec(
        select(PracticeSettings).where(col(PracticeSettings.archived_at).is_(None))
        .order_by(col(PracticeSettings.id))
    ).first()
    return row.model_dump() if row else {}


def _plain(row: Tracked) -> dict[str, Any]:
    return row.model_dump(exclude={"id", "incident_id"})


def _effective_discovered(inc: Incident) -> date:
    """The practice's discovery, or its agent business associate's if earlier (164.404(a)(2))."""
    if inc.ba_involved and inc.ba_discovered_on and inc.ba_is_agent:
        return min(inc.discovered_on, inc.ba_discovered_on)
    return inc.discovered_on


def _breach_facts(
    inc: Incident, residents: dict[str, int], determined: dict[str, date],
    statements: list[IncidentStatement],
) -> BreachFacts:
    """The deadline engine's facts from the stored incident (its checks raise ValidationError)."""
    if inc.affected is None:
        raise ValidationError("affected", "record how many people were affected")
    return BreachFacts(
        discovered=inc.discovered_on,
        affected=inc.affected,
        residents=residents,
        determined=determined,
        insufficient_contact=inc.insufficient_contact,
        deceased_with_kin=inc.deceased_with_kin,
        part2=inc.part2,
        holds=tuple(Hold(s.kind, s.statement_on, s.days) for s in statements),
        ba_discovered=inc.ba_discovered_on if inc.ba_involved else None,
        ba_is_agent=inc.ba_is_agent,
        urgent=inc.urgent,
    )


def _determination_facts(inc: Incident) -> DeterminationFacts:
    return DeterminationFacts(
        phi_involved=inc.phi_involved,
        secured_by=inc.secured_by,
        key_compromised=inc.key_compromised,
        exceptions=dict(inc.exceptions or {}),
        factors={
            key: FactorAssessment(value.get("rating"), value.get("notes", ""))
            for key, value in (inc.factors or {}).items()
        },
    )


def _next(inc: Incident, step_id: str) -> str:
    """The step that follows `step_id` on this incident's answers."""
    found = presumption(_determination_facts(inc))
    return steps.next_step(
        step_id,
        phi_involved=inc.phi_involved,
        safe_harbor=found.outcome == Outcome.SAFE_HARBOR,
        exception_applies=any((inc.exceptions or {}).values()),
        determination=inc.determination,
    )


def _statuses(plan: Plan, notices: list[NoticeSent], today: date) -> list[dict[str, Any]]:
    """Each obligation's due date and whether it is done, due or late (and by how many days)."""
    periods = merged_periods(list(plan.holds))
    out = []
    for o in plan.obligations:
        sent = [n for n in notices if n.obligation_id == o.id]
        row: dict[str, Any] = {
            "id": o.id, "name": o.name, "who": o.who, "due": o.due,
            "original_due": o.original_due,
            "tolling_due": o.tolling_due, "internal_target": o.internal_target,
            "citation": o.citation, "explanation": o.explanation, "track": o.track,
            "weekend": o.weekend, "verify_with_counsel": o.verify_with_counsel,
            "weekday": _weekday(o.due), "days_left": (o.due - today).days if o.due else None,
            "sent": [
                {"public_id": n.public_id, "sent_on": n.sent_on, "method": n.method,
                 "count": n.count, "reference": n.reference,
                 "inside_hold": inside_hold(n.sent_on, periods) is not None}
                for n in sent
            ],
            "late_by": 0,
        }
        if sent:
            last = max(n.sent_on for n in sent)
            row["state"] = "done"
            if o.due and last > o.due:
                row["late_by"] = (last - o.due).days
            row["status"] = (
                f"done {last}, {row['late_by']} days late" if row["late_by"] else f"done {last}"
            )
        elif o.due is None:
            row["state"] = "open"
            row["status"] = "no fixed day: as soon as possible"
        elif today > o.due:
            row["state"] = "late"
            row["late_by"] = (today - o.due).days
            row["status"] = f"late by {row['late_by']} days"
        else:
            row["state"] = "due"
            row["status"] = f"due in {(o.due - today).days} days"
        out.append(row)
    return out


def _weekday(day: date | None) -> str:
    return WEEKDAYS[day.weekday()] if day else ""
