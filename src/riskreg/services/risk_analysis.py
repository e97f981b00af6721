"""The signed risk analysis and what changed since (issue 23; OCR's guidance on risk analysis,
element 9: periodic review and update).

Signing stores a read-only snapshot of the whole register as it stands: every record of every
table in the JSON export's record form (the same rows `riskreg export json` writes, so a field a
later release adds is carried without a change here), the hazards' current levels, the settings
and the incidents. Not in a snapshot: earlier snapshots and the year's review bookkeeping. The
body is kept as canonical JSON (sorted keys, no spaces) with its SHA-256; the audit chain's head
(last event and hash) at that moment, who signed, when and the statement they signed. Its audit
event ("sign", "risk analysis signed") carries every field but the body, whose SHA-256 it
carries, so `riskreg audit verify` names a snapshot changed afterwards
(`snapshot_problems`). Nothing is copied back: the register stays the working copy. The app never
edits or deletes a snapshot.

Signing also records its day as the last review of the whole analysis (the practice settings'
`risk_analysis_reviewed_on`, never moved back), in the same transaction, before the snapshot.

Changes: `domain/register_diff.py` says how records are matched (public id) and when one changed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy
from sqlmodel import Session, col, select

from riskreg.domain.register_diff import Line, RegisterDiff, described, diff
from riskreg.domain.text import plural
from riskreg.errors import BadInput, NotFound, ValidationError
from riskreg.services.messages import text_problem
from riskreg.services.transfer_levels import add_current_levels
from riskreg.services.transfer_schema import export_rows
from riskreg.storage import audit
from riskreg.storage.database import Database
from riskreg.storage.models import AuditEvent, utcnow
from riskreg.storage.signoff_models import RiskAnalysisSnapshot

ENTITY = "risk_analysis_snapshot"
SIGN_ACTION = "sign"
NOT_IN_SNAPSHOT = frozenset({"risk_analysis_snapshot", "annual_review", "annual_review_check"})
FORMAT = 1
STATEMENT = (
    "I have reviewed this risk analysis of the electronic protected health information the "
    "practice creates, receives, maintains or transmits, as it stands on {day}: its tools and "
    "systems, hazards with their inherent, current and target risk, safeguards with their status "
    "and evidence, and their owners. To the best of my knowledge it is accurate and thorough, and "
    "I adopt it as the practice's risk analysis and risk management plan "
    "(45 CFR 164.308(a)(1)(ii)(A) and (B))."
)
SNAPSHOT_FIELDS = ("signed_on", "signed_at", "signed_by", "note", "statement", "sha256",
                   "audit_seq", "audit_hash")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def canonical(body: Any) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_of(body: Any) -> str:
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def register_tables(session: Session) -> dict[str, list[dict[str, Any]]]:
    """The register now, in the export's record form (what a snapshot freezes)."""
    tables = {name: rows for name, rows in export_rows(session).items()
              if name not in NOT_IN_SNAPSHOT}
    add_current_levels(session, tables)
    return tables


def statement_for(day: date) -> str:
    return STATEMENT.format(day=day.isoformat())


@dataclass(frozen=True)
class Changes:
    """What changed from one state of the register to another."""

    since_label: str
    until_label: str
    since: str
    until: str
    diff: RegisterDiff
    lines: list[Line]
    from_snapshot: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.since_label, "to": self.until_label, "since": self.since,
            "until": self.until,
            "changes": [{"group": ln.group, "record": ln.title, "what": ln.what,
                         "public_id": ln.public_id} for ln in self.lines],
            "records": [{"table": c.table, "public_id": c.public_id, "title": c.title,
                         "change": c.change,
                         "fields": [{"field": f.field, "old": f.old, "new": f.new}
                                    for f in c.fields]} for c in self.diff.changes],
        }


@dataclass
class RiskAnalysisService:
    db: Database
    today: Callable[[], date] = field(default=date.today)

    # -- signing ---------------------------------------------------------------------------

    def sign(self, by: str, note: str = "", *, on: date | None = None,
             at: datetime | None = None, public_id: str | None = None) -> dict[str, Any]:
        """Freeze the register as it stands and record who signed it (one transaction).
        `on`, `at` and `public_id` are for the seeded demo (a sign-off of last year's)."""
        by = by.strip()
        if not by:
            raise ValidationError("by", "who signs must be given (a name)")
        for name, value, limit in (("by", by, 200), ("note", note, 5000)):
            problem = text_problem(value, name)
            if problem:
                raise ValidationError(name, problem)
            if len(value) > limit:
                raise ValidationError(name, f"at most {limit} characters fit")
        day = on or self.today()
        if day > self.today():
            raise ValidationError("on", "a sign-off cannot be dated in the future")
        with self.db.writing() as session:
            self._record_review_day(session, day)
            last = session.exec(
                select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(1)).first()
            body = {"format": FORMAT, "signed_on": day.isoformat(),
                    "tables": register_tables(session)}
            snapshot = RiskAnalysisSnapshot(
                signed_on=day, signed_at=at or utcnow(), signed_by=by, note=note.strip(),
                statement=statement_for(day), body=body, sha256=sha256_of(body),
                audit_seq=(last.id or 0) if last else 0,
                audit_hash=last.hash if last else audit.GENESIS,
                **({"public_id": public_id} if public_id else {}),
            )
            session.add(snapshot)
            session.flush()
            audit.record(session, ENTITY, snapshot.public_id, SIGN_ACTION,
                         audit.diff({}, snapshot.model_dump(include=set(SNAPSHOT_FIELDS))))
            from riskreg.services.annual_review import close_open_review

            close_open_review(session, snapshot)
            return _summary(snapshot)

    def _record_review_day(self, session: Session, day: date) -> None:
        """A sign-off is the documented review of the whole analysis: the settings' last review
        moves to its day (never back: a sign-off dated before the last review leaves it), before
        the snapshot is taken, so the snapshot holds it."""
        from riskreg.services.settings import SettingsService, _current

        row = _current(session)
        reviewed = row.risk_analysis_reviewed_on if row is not None else None
        if reviewed is None or reviewed < day:
            SettingsService(self.db, today=self.today).update_in(
                session, {"risk_analysis_reviewed_on": day}, None)

    # -- reading ---------------------------------------------------------------------------

    def snapshots(self) -> list[dict[str, Any]]:
        """Every snapshot, oldest first, without its body."""
        with self.db.reading() as session:
            return [_summary(s) for s in session.exec(
                select(RiskAnalysisSnapshot).order_by(col(RiskAnalysisSnapshot.id)))]

    def last(self) -> dict[str, Any] | None:
        snapshots = self.snapshots()
        return snapshots[-1] if snapshots else None

    def get(self, ref: str) -> dict[str, Any]:
        """A snapshot by its public id (or the first 8 or more characters of it) or by its date
        (YYYY-MM-DD: the last one signed that day), with its body."""
        with self.db.reading() as session:
            snapshot = _find(session, ref)
            return {**_summary(snapshot), "body": snapshot.body}

    def changes(self, since: str | None = None, until: str | None = None) -> Changes:
        """What changed from the snapshot `since` (default: the last signed) to the snapshot
        `until` (default: the register now)."""
        with self.db.reading() as session:
            if since is None:
                first = session.exec(select(RiskAnalysisSnapshot)
                                     .order_by(col(RiskAnalysisSnapshot.id).desc())).first()
                if first is None:
                    raise NotFound("no risk analysis has been signed yet: sign one first "
                                   "(riskreg risk-analysis sign --by NAME)")
            else:
                first = _find(session, since)
            if until is None:
                after = register_tables(session)
                until_label, until_day = "the register now", self.today().isoformat()
            else:
                second = _find(session, until)
                after = second.body["tables"]
                until_label = _label(second)
                until_day = second.signed_on.isoformat()
            before = first.body["tables"]
            changes = diff(before, after)
            lines = described(changes, before, after, first.signed_on.isoformat(), until_day,
                              _field_words)
            return Changes(_label(first), until_label, first.signed_on.isoformat(), until_day,
                           changes, lines, _summary(first))


def _field_words(table: str, name: str) -> str:
    """A field as the forms and messages name it ("last review date"), not its column name."""
    from riskreg.services.messages import label

    words = label(name, table)
    return name.replace("_", " ") if words.startswith("the field ") else words.removeprefix("the ")


def _label(snapshot: RiskAnalysisSnapshot) -> str:
    return f"the analysis signed on {snapshot.signed_on.isoformat()} by {snapshot.signed_by}"


def _summary(snapshot: RiskAnalysisSnapshot) -> dict[str, Any]:
    body = snapshot.body if isinstance(snapshot.body, dict) else {}
    tables = body.get("tables", {}) if isinstance(body.get("tables"), dict) else {}
    counts = {name: sum(1 for r in tables.get(name, []) if r.get("archived_at") is None)
              for name in ("tool", "hazard", "safeguard")}
    return {
        "public_id": snapshot.public_id,
        "signed_on": snapshot.signed_on,
        "signed_at": snapshot.signed_at.astimezone(UTC),
        "signed_by": snapshot.signed_by,
        "note": snapshot.note,
        "statement": snapshot.statement,
        "sha256": snapshot.sha256,
        "audit_seq": snapshot.audit_seq,
        "audit_hash": snapshot.audit_hash,
        "counts": counts,
    }


def _find(session: Session, ref: str) -> RiskAnalysisSnapshot:
    ref = ref.strip()
    query = select(RiskAnalysisSnapshot).order_by(col(RiskAnalysisSnapshot.id).desc())
    if _DAY.fullmatch(ref):
        try:
            day = date.fromisoformat(ref)
        except ValueError:
            raise BadInput(f"{ref!r} is not a date (YYYY-MM-DD)") from None
        found = session.exec(query.where(RiskAnalysisSnapshot.signed_on == day)).first()
        if found is None:
            raise NotFound(f"no risk analysis was signed on {ref} (riskreg risk-analysis list)")
        return found
    if re.fullmatch(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}", ref):
        raise BadInput(f"{ref!r} is not a date in the form YYYY-MM-DD")
    if len(ref) < 8 or not re.fullmatch(r"[0-9a-fA-F-]+", ref):
        raise BadInput(f"{ref!r} is neither a snapshot's date (YYYY-MM-DD) nor its id "
                       "(8 or more characters of it)")
    matches = list(session.exec(query.where(
        col(RiskAnalysisSnapshot.public_id).startswith(ref.lower()))))
    if not matches:
        raise NotFound(f"no signed risk analysis has the id {ref!r} (riskreg risk-analysis list)")
    if len(matches) > 1:
        raise BadInput(f"{ref!r} matches {plural(len(matches), 'snapshot')}: give more of the id")
    return matches[0]


def snapshot_problems(session: Session) -> list[str]:
    """Each snapshot whose body no longer hashes to the SHA-256 recorded when it was signed
    (named by its public id; `audit verify`)."""
    found = []
    # Untyped columns: the body as stored, so a body that is no longer JSON is named, not raised.
    raw = sqlalchemy.table(ENTITY, *(sqlalchemy.column(c)
                                     for c in ("id", "public_id", "body", "sha256")))
    for public_id, body, recorded in session.execute(
            sqlalchemy.select(raw.c.public_id, raw.c.body, raw.c.sha256).order_by(raw.c.id)):
        try:
            actual = sha256_of(json.loads(body) if isinstance(body, str | bytes) else body)
        except (TypeError, ValueError, RecursionError):
            actual = ""
        if actual != recorded:
            found.append(f"{ENTITY} {public_id}: its content does not match the SHA-256 "
                         "recorded when it was signed (changed after signing)")
    return found


def document_snapshot_problems(tables: dict[str, list[dict[str, Any]]]) -> list[str]:
    """`snapshot_problems` for an export file's rows (an import refuses a changed snapshot)."""
    found = []
    for row in tables.get(ENTITY, []):
        try:
            actual = sha256_of(row.get("body"))
        except (TypeError, ValueError, RecursionError):
            actual = ""
        if actual != row.get("sha256"):
            found.append(f"{ENTITY} {row.get('public_id')}: its content does not match the "
                         "SHA-256 recorded when it was signed (changed after signing)")
    return found
