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

The package: `service` (the use cases, in the wizard's order), `editing` (the transaction
and revision rules each step shares), `children` (links, residents, statements, notices),
`facts` (the engine's facts from a stored incident) and `record` (the read model).
"""

from __future__ import annotations

import builtins  # `list` in the class below is IncidentService.list
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from riskreg.domain import incident_steps as steps
from riskreg.domain.deadlines import Plan
from riskreg.domain.determination import (
    Choice,
    Determination,
)
from riskreg.domain.holds import Hold
from riskreg.errors import ValidationError
from riskreg.services import incident_inputs as inputs
from riskreg.services.incidents.children import (
    active_links,
    add_link,
    archive_link,
    archive_row,
    find_child,
    find_hazard,
    notices_of,
    replace_residents,
    statements_of,
    tool_id,
)
from riskreg.services.incidents.editing import (
    check_intake_dates,
    check_revision,
    commit,
    editing,
    find_incident,
    parse_day,
    require_notification,
    require_phi,
    require_plan_steps,
    require_scope,
    state_of,
    touch,
    trial_copy,
    update,
)
from riskreg.services.incidents.facts import breach_facts, effective_discovered
from riskreg.services.incidents.record import (
    IncidentRow,
    ObligationStatus,
    full_record,
    list_row,
    obligation_statuses,
    plan_of,
    settings_of,
)
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
    new_public_id,
    utcnow,
)


@dataclass
class IncidentService:
    db: Database
    today: Callable[[], date] = field(default=date.today)
    """The clock, injected so tests and screenshots can fix it."""
    new_id: Callable[[], str] = field(default=new_public_id)
    """Public ids for new rows (the demo passes a seeded generator)."""

    # -- reading -------------------------------------------------------------------------------

    def list(self, *, include_closed: bool = True) -> list[IncidentRow]:
        """Every incident (open first, then by next deadline, then newest), as list rows."""
        today = self.today()
        with self.db.reading() as session:
            query = select(Incident).where(col(Incident.archived_at).is_(None))
            if not include_closed:
                query = query.where(Incident.status == "open")
            rows = [list_row(session, inc, today) for inc in session.exec(query)]
        rows.sort(key=lambda r: r["reference"], reverse=True)
        rows.sort(key=_next_due)
        rows.sort(key=lambda r: r["status"] != "open")
        return rows

    def open_deadlines(self) -> builtins.list[IncidentRow]:
        """Incidents with a notice still to send and the days left to it, soonest first
        (dashboard): open ones, and closed ones that still owe a notice."""
        return sorted((r for r in self.list() if r["next_deadline"]), key=_next_due)

    def get(self, ref: str) -> dict[str, Any]:
        """One incident in full: its answers, children, what the rule presumes, review notes."""
        with self.db.reading() as session:
            return full_record(session, find_incident(session, ref), self.today())

    def plan(self, ref: str) -> Plan | None:
        """The deadline plan from the stored facts (45 CFR 164.404-164.412, 42 CFR 2.16, state
        overlays), or None while no breach requiring notification has been determined and scoped."""
        with self.db.reading() as session:
            inc = find_incident(session, ref)
            return plan_of(session, inc, self.today())

    def obligation_status(self, ref: str) -> builtins.list[ObligationStatus]:
        """Each obligation of the plan: due, days left, and done / due / late (by N days), with
        the notices recorded against it (164.414(b): proof that each notice went out)."""
        with self.db.reading() as session:
            inc = find_incident(session, ref)
            plan = plan_of(session, inc, self.today())
            if plan is None:
                return []
            return obligation_statuses(plan, notices_of(session, inc), self.today())

    def history(self, ref: str) -> builtins.list[dict[str, Any]]:
        """The audit events about the incident and its children, oldest first."""
        with self.db.reading() as session:
            inc = find_incident(session, ref)
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
                {"at": e.at, "entity": e.entity, "action": e.action, "changes": e.changes,
                 "actor": e.actor}
                for e in events
            ]

    # -- step 1: intake ------------------------------------------------------------------------

    def create(self, data: dict[str, Any]) -> dict[str, Any]:
        """Open a new incident from the intake answers; it gets the next INC-YYYY-NNN of its
        discovery year and resumes at the PHI step."""
        values = inputs.check(inputs.IntakeInput, data)
        check_intake_dates(values, self.today())
        with self.db.writing() as session:
            hazards = values.pop("hazards")
            values["ba_tool_id"] = tool_id(session, values.pop("ba_tool"))
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
                add_link(session, inc, find_hazard(session, hazard_id), self.new_id)
            return full_record(session, inc, self.today())

    def save_intake(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Change the intake answers (the reference stays as it was given)."""
        values = inputs.check(inputs.IntakeInput, data)
        check_intake_dates(values, self.today())
        with editing(self.db, ref, "intake", expected_revision) as (session, inc):
            hazards = values.pop("hazards")
            values["ba_tool_id"] = tool_id(session, values.pop("ba_tool"))
            if hazards is not None:
                wanted = {find_hazard(session, h).id: h for h in hazards}
                for link in active_links(session, inc):
                    if link.hazard_id not in wanted:
                        archive_link(session, link)
                for hazard_id in wanted.values():
                    add_link(session, inc, find_hazard(session, hazard_id), self.new_id)
            update(session, inc, values, "intake")
            return full_record(session, inc, self.today())

    def link_hazard(self, ref: str, hazard_id: str, expected_revision: int) -> dict[str, Any]:
        """Relate the incident to a register hazard, which is flagged for review now."""
        with editing(self.db, ref, None, expected_revision) as (session, inc):
            add_link(session, inc, find_hazard(session, hazard_id), self.new_id)
            touch(session, inc)
            return full_record(session, inc, self.today())

    def unlink_hazard(self, ref: str, hazard_id: str, expected_revision: int) -> dict[str, Any]:
        with editing(self.db, ref, None, expected_revision) as (session, inc):
            hazard = find_hazard(session, hazard_id)
            for link in active_links(session, inc):
                if link.hazard_id == hazard.id:
                    archive_link(session, link)
            touch(session, inc)
            return full_record(session, inc, self.today())

    # -- steps 2-6: the decision path (164.402) ------------------------------------------------

    def save_phi(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Step 2. "No PHI" ends the decision path: the practitioner's answer and reason are the
        determination (the Breach Notification Rule does not apply, 164.402). So does a use or
        disclosure the Privacy Rule permits, or an incidental one: not a breach (164.402;
        164.502(a)(1)(iii), 164.512), with the permission recorded as the reason."""
        values = inputs.check(inputs.PhiInput, data)
        with editing(self.db, ref, "phi", expected_revision) as (session, inc):
            ends = None
            if not values["phi_involved"]:
                ends = (Choice.NOT_PHI.value, values["phi_reason"])
            elif values["use_permitted"]:
                ends = (Choice.NOT_A_BREACH_PERMITTED.value, values["permitted_basis"])
            if ends is not None:
                choice, reason = ends
                values.update(
                    determination=choice,
                    determination_exception=None,
                    determination_rationale=reason,
                    decided_on=inc.decided_on if inc.determination == choice
                    and inc.determination_rationale == reason else self.today(),
                )
            elif inc.determination == Choice.NOT_PHI.value or (
                inc.determination == Choice.NOT_A_BREACH_PERMITTED.value and inc.use_permitted
            ):
                # That determination rested only on the answer now withdrawn.
                values.update(
                    determination=None, determination_rationale="", decided_on=None,
                    determination_exception=None,
                )
            update(session, inc, values, "phi")
            return full_record(session, inc, self.today())

    def save_secured(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Step 3: the safe harbor (encrypted per HHS guidance, key safe; or destroyed)."""
        values = inputs.check(inputs.SecuredInput, data)
        with editing(self.db, ref, "secured", expected_revision) as (session, inc):
            require_phi(inc)
            update(session, inc, values, "secured")
            return full_record(session, inc, self.today())

    def save_exceptions(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Step 4: the three exceptions of 164.402(1)(i)-(iii)."""
        values = inputs.check(inputs.ExceptionsInput, data)
        values["exceptions_notes"] = values.pop("notes")
        with editing(self.db, ref, "exceptions", expected_revision) as (session, inc):
            require_phi(inc)
            update(session, inc, values, "exceptions")
            return full_record(session, inc, self.today())

    def save_factors(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Step 5: the four-factor risk assessment of 164.402(2)(i)-(iv)."""
        values = inputs.check(inputs.FactorsInput, data)
        with editing(self.db, ref, "factors", expected_revision) as (session, inc):
            require_phi(inc)
            update(session, inc, values, "factors")
            return full_record(session, inc, self.today())

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
        with editing(self.db, ref, "determination", expected_revision) as (session, inc):
            if inc.phi_involved is None:
                raise ValidationError("choice", "first record whether PHI was involved")
            if decided_on > self.today():
                raise ValidationError("decided_on", "a determination cannot be dated in the future")
            if decided_on < inc.discovered_on:
                raise ValidationError(
                    "decided_on", f"the determination comes after discovery ({inc.discovered_on})"
                )
            update(session, inc, {
                "determination": determination.choice.value,
                "determination_rationale": determination.rationale.strip(),
                "determination_exception": determination.exception_id,
                "decided_on": decided_on,
            }, "determination")
            return full_record(session, inc, self.today())

    # -- steps 7-8: scope and law enforcement ----------------------------------------------------

    def save_scope(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Step 7: affected in total and per state, insufficient contact, deceased with next of
        kin, Part 2 records (how many people), urgent risk of misuse. Checked by the deadline
        engine's own rules.

        State duties do not depend on HIPAA's determination, so the scope can be recorded once
        PHI was involved: before the determination (state clocks running from discovery then
        show as the tentative next deadline) and after a safe harbor, an exception or a
        low-probability finding (the plan then shows the state rows only)."""
        values = inputs.check(inputs.ScopeInput, data)
        residents = {k.strip().upper(): v for k, v in values.pop("residents").items()}
        determined = {k.strip().upper(): v for k, v in values.pop("determined").items()}
        for code in determined:
            if code not in residents:
                raise ValidationError("determined", f"{code} has no residents listed")
        # Reached once PHI was answered (the step after it), not only after the determination.
        with editing(self.db, ref, "secured", expected_revision) as (session, inc):
            require_scope(inc)
            statements = statements_of(session, inc)
            trial = trial_copy(inc, values)
            breach_facts(trial, residents, determined, statements)  # raises ValidationError
            # Recorded early (before the determination), the scope does not move the step on.
            early = steps.index(inc.step) < steps.index("scope")
            update(session, inc, values, None if early else "scope")
            replace_residents(session, inc, residents, determined, self.new_id)
            return full_record(session, inc, self.today())

    def add_statement(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Step 8: record a law-enforcement statement asking for a delay (164.412)."""
        values = inputs.check(inputs.StatementInput, data)
        with editing(self.db, ref, "law_enforcement", expected_revision) as (session, inc):
            require_notification(inc)
            if values["statement_on"] > self.today():
                raise ValidationError("statement_on", "a statement cannot be dated in the future")
            start = effective_discovered(inc)
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
            touch(session, inc)
            return full_record(session, inc, self.today())

    def withdraw_statement(
        self, ref: str, statement_id: str, expected_revision: int
    ) -> dict[str, Any]:
        """Withdraw a statement recorded by mistake (kept, archived, with its history)."""
        with editing(self.db, ref, "law_enforcement", expected_revision) as (session, inc):
            statement = find_child(session, IncidentStatement, inc, statement_id, "statement")
            archive_row(session, "incident_statement", statement)
            touch(session, inc)
            return full_record(session, inc, self.today())

    def complete_step(self, ref: str, step_id: str, expected_revision: int) -> dict[str, Any]:
        """Move on from a step with nothing to fill in (law enforcement, plan, notices, tracking)."""
        if step_id not in steps.PASS_THROUGH:
            raise ValidationError("step", f"{step_id!r} is completed by saving its answers")
        with editing(self.db, ref, step_id, expected_revision) as (session, inc):
            require_plan_steps(inc, step_id)
            if step_id == "law_enforcement":
                plan_of(session, inc, self.today())  # the plan must compute before moving on
            update(session, inc, {}, step_id)
            return full_record(session, inc, self.today())

    # -- steps 10-11: notices and tracking -------------------------------------------------------

    def save_notice_content(
        self, ref: str, data: dict[str, Any], expected_revision: int
    ) -> dict[str, Any]:
        """Step 10: what the notices say beyond the facts (164.404(c)(1)(C)-(E))."""
        values = inputs.check(inputs.NoticeContentInput, data)
        with editing(self.db, ref, "notices", expected_revision) as (session, inc):
            require_notification(inc)
            update(session, inc, values, None)
            return full_record(session, inc, self.today())

    def write_drafts(self, ref: str, folder: Path | str) -> builtins.list[Path]:
        """Write the draft notices this incident needs into `folder` as Markdown (0600), named by
        the reference only: the individual notice, media notices, the substitute notice and the
        HHS portal checklist, each with the content checklist of 164.404(c). Never into the
        register's own files or its backups folder, never through an odd file
        (`check_output_path`): every draft's path is checked before the folder is made."""
        from riskreg.services.incident_notices import render_drafts
        from riskreg.storage.files import check_output_path, ensure_private_dir, write_text_atomic

        folder = Path(folder).expanduser()
        with self.db.reading() as session:
            inc = find_incident(session, ref)
            require_notification(inc)
            plan = plan_of(session, inc, self.today())
            if plan is None:
                raise ValidationError("scope", "record the scope first: drafts need the plan")
            drafts = render_drafts(full_record(session, inc, self.today()), plan, settings_of(session), self.today())
        targets = [check_output_path(folder / name, database=self.db.path, label=None)
                   for _kind, name, _text in drafts]
        ensure_private_dir(folder)
        written = []
        for (kind, name, text), target in zip(drafts, targets, strict=True):
            path = folder / name
            write_text_atomic(target, text)
            written.append((kind, path))
        with self.db.writing() as session:
            inc = find_incident(session, ref)
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
        with editing(self.db, ref, "plan", expected_revision) as (session, inc):
            require_plan_steps(inc, "tracking")
            plan = plan_of(session, inc, self.today())
            ids = [o.id for o in plan.obligations] if plan else []
            if values["obligation_id"] not in ids:
                raise ValidationError(
                    "obligation_id",
                    f"{values['obligation_id']!r} is not an obligation of this incident's plan "
                    f"({', '.join(ids) or 'no plan yet'})",
                )
            if values["sent_on"] > self.today():
                raise ValidationError("sent_on", "record a notice once it has been sent, not before")
            if values["sent_on"] < effective_discovered(inc):
                raise ValidationError("sent_on", "a notice cannot go out before discovery")
            notice = NoticeSent(public_id=self.new_id(), incident_id=inc.id, **values)
            session.add(notice)
            session.flush()
            audit.record(session, "notice_sent", notice.public_id, "create",
                         {"incident": [None, inc.reference], **audit.diff({}, values)})
            touch(session, inc)
            return full_record(session, inc, self.today())

    def withdraw_notice(self, ref: str, notice_id: str, expected_revision: int) -> dict[str, Any]:
        """Withdraw a notice recorded by mistake (kept, archived, with its history)."""
        with editing(self.db, ref, "plan", expected_revision) as (session, inc):
            notice = find_child(session, NoticeSent, inc, notice_id, "notice")
            archive_row(session, "notice_sent", notice)
            touch(session, inc)
            return full_record(session, inc, self.today())

    # -- step 12: close-out ---------------------------------------------------------------------

    def save_closeout(self, ref: str, data: dict[str, Any], expected_revision: int) -> dict[str, Any]:
        """Step 12: lessons learned (the incident stays open until `close`)."""
        values = inputs.check(inputs.CloseoutInput, data)
        with editing(self.db, ref, "closeout", expected_revision) as (session, inc):
            if inc.determination is None:
                raise ValidationError("determination", "record the determination first")
            update(session, inc, values, None)
            return full_record(session, inc, self.today())

    def close(self, ref: str, expected_revision: int, closed_on: date | str | None = None) -> dict[str, Any]:
        """Close the incident. It is kept (never deleted) for at least six years (164.530(j)).

        Closing needs a recorded determination; obligations still open are the practitioner's
        call (a state notice counsel says does not apply, say), so they are listed, not refused:
        see `outstanding` in the record.
        """
        if isinstance(closed_on, str):
            closed_on = parse_day(closed_on, "closed_on")
        day = closed_on or self.today()
        with editing(self.db, ref, "closeout", expected_revision) as (session, inc):
            if inc.determination is None:
                raise ValidationError("determination", "record the determination before closing")
            if day > self.today():
                raise ValidationError("closed_on", "an incident cannot be closed in the future")
            if day < inc.discovered_on:
                raise ValidationError("closed_on", "an incident closes after it was discovered")
            before = state_of(inc)
            inc.status = "closed"
            inc.step = steps.CLOSED
            inc.closed_on = day
            commit(session, inc, before, "close")
            return full_record(session, inc, self.today())

    def reopen(self, ref: str, expected_revision: int) -> dict[str, Any]:
        """Reopen a closed incident at its close-out step."""
        with self.db.writing() as session:
            inc = find_incident(session, ref)
            check_revision(inc, expected_revision, session)
            if inc.status != "closed":
                return full_record(session, inc, self.today())
            before = state_of(inc)
            inc.status = "open"
            inc.step = "closeout"
            inc.closed_on = None
            commit(session, inc, before, "reopen")
            return full_record(session, inc, self.today())

    def create_hazard(
        self, ref: str, data: dict[str, Any], expected_revision: int, register: Any = None
    ) -> dict[str, Any]:
        """Close-out: add a hazard to the register from this incident, linked to it (and so
        flagged for review), in one transaction."""
        from riskreg.services.register import RegisterService

        register = register or RegisterService(self.db, today=self.today)
        with editing(self.db, ref, None, expected_revision, allow_closed=True) as (session, inc):
            hazard = register.create_in(session, "hazard", data, public_id=self.new_id())
            add_link(session, inc, hazard, self.new_id)
            touch(session, inc)
            return register._record(session, "hazard", hazard)

    def create_safeguard(
        self, ref: str, data: dict[str, Any], hazard_id: str | None, expected_revision: int,
        register: Any = None,
    ) -> dict[str, Any]:
        """Close-out: add a safeguard to the register, linked to a hazard (one transaction)."""
        from riskreg.services.register import RegisterService

        register = register or RegisterService(self.db, today=self.today)
        with editing(self.db, ref, None, expected_revision, allow_closed=True) as (session, inc):
            safeguard = register.create_in(session, "safeguard", data, public_id=self.new_id())
            if hazard_id:
                register.link_in(session, find_hazard(session, hazard_id), "safeguard", safeguard)
            touch(session, inc)
            return register._record(session, "safeguard", safeguard)


def _next_due(row: IncidentRow) -> date:
    """When the incident's next notice is due (date.max: none owed)."""
    nxt = row["next_deadline"]
    return nxt["due"] if nxt else date.max
