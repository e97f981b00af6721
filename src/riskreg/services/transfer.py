"""The whole database as one JSON document, out and back in (issue 7: data that can leave and
come back).

Export: every record of every table (in foreign-key dependency order; references as public ids,
never internal ids), the audit log as stored, the format version, the schema revision and the
export timestamp. Lossless: exporting, importing into an empty database and exporting again gives
the same document apart from `exported_at`.

Import validates the whole file first (transfer_check.py) and writes in one transaction, so a bad
file changes nothing. What happens to the audit log, and on a conflict, is the practice's
record-keeping (164.316(b), 164.530(j)), so it is spelled out:

- **Into an empty database** (no record and no audit event), the file's audit log is copied
  verbatim, after checking that its hash chain verifies. The import adds no event of its own:
  the restored database is the exported one, its chain ends at the same hash as the file's.
- **Merge** (`--merge`, into a database that has records): the file's audit log is *not* copied
  (its events would collide with this database's sequence and chain); keep the file, whose log
  verifies on its own. This database's log gets one `import` event per record added or replaced,
  and one summary event (entity `database`) naming the file, its export time, and the last hash
  of the file's chain, so the two can be matched later. A merge that changes nothing adds no
  event.
- **A record with the same public id** in the file and the database is never duplicated. The
  higher revision wins: a record whose revision in the file is higher replaces the database's
  (all its fields, timestamps and revision included); otherwise the database's is kept, and if
  the two differ the record is reported as kept. Single-row tables (practice settings) keep the
  database's row.
- A record that would break a uniqueness rule of the database (an incident reference already
  used by another incident, a link that already exists under another id) refuses the whole
  import, naming the record.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from riskreg.errors import UserError
from riskreg.services.transfer_check import (
    FORMAT,
    FORMAT_VERSION,
    Checked,
    Problems,
    Row,
    _TooMany,
    check_document,
    read_document,
)
from riskreg.services.transfer_levels import read_levels
from riskreg.services.transfer_schema import TableSpec, export_rows, table_specs
from riskreg.storage import audit
from riskreg.storage.database import Database
from riskreg.storage.files import check_output_path, write_atomic_chunks
from riskreg.storage.models import AuditEvent

SINGLE_ROW_TABLES = frozenset({"practice_settings"})
"""Tables that hold one row: a merge keeps the database's row."""


# -- export --------------------------------------------------------------------------------------


def export_document(db: Database, now: datetime | None = None) -> dict[str, Any]:
    """The whole database as a JSON-ready document (one read transaction: a consistent view).
    `export_json` writes the same document without holding it (transfer_stream.py)."""
    from riskreg.services.transfer_stream import event_chunks, header, table_chunks

    now = now or datetime.now(UTC)
    with db.reading() as session:
        tables = {name: [row for chunk in chunks for row in chunk]
                  for name, _, chunks in table_chunks(session)}
        events = [event for chunk in event_chunks(session) for event in chunk]
    return {**header(now, FORMAT, FORMAT_VERSION), "tables": tables, "audit_log": events}


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    records: int
    events: int


def export_json(db: Database, out: str | Path, now: datetime | None = None) -> ExportSummary:
    """Write the export to `out` (atomically, mode 0600), encoded as it is read."""
    from riskreg.services.transfer_stream import document_chunks, header

    out = Path(out).expanduser()
    if out.is_dir():
        raise UserError(f"{out} is a folder; give a file name such as riskreg-export.json", 2)
    target = check_output_path(out, database=db.path, label=None)
    counts: dict[str, int] = {}
    head = header(now or datetime.now(UTC), FORMAT, FORMAT_VERSION)
    write_atomic_chunks(target, document_chunks(db, head, counts))
    return ExportSummary(out, counts["records"], counts["events"])


# -- import --------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    merged: bool
    added: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, int] = field(default_factory=dict)
    """Records whose revision in the file was higher than in the database."""
    unchanged: int = 0
    kept: list[tuple[str, str]] = field(default_factory=list)
    """(table, public id) of records that differ but whose database revision was kept."""
    events_copied: int = 0
    events_added: int = 0
    audit: audit.Verification | None = None

    @property
    def records_added(self) -> int:
        return sum(self.added.values())

    @property
    def records_replaced(self) -> int:
        return sum(self.replaced.values())


def check_file(path: str | Path) -> Checked:
    """Check an export file without touching any database (FileProblems lists what is wrong)."""
    return check_document(read_levels(read_document(Path(path))), str(path))


def import_json(db: Database, path: str | Path, *, merge: bool = False) -> ImportResult:
    """Import an export file: into an empty database verbatim, or merged with --merge."""
    path = Path(path).expanduser()
    document = read_levels(read_document(path))
    # The whole file is checked before the write lock is taken (reliability review D17): a
    # check of a large file takes a minute, and the app's saves must not wait for it.
    with db.reading() as session:
        empty = _is_empty(session)
        if not empty and not merge:
            raise _holds_records(db)
        known = None if empty else _public_ids(session)
    checked = check_document(document, str(path), known=known)
    with db.writing() as session:
        # Another window may have written meanwhile. Records that appeared are merged as usual
        # (the file was checked without them, more strictly); records are never deleted, but a
        # restore may have replaced the database: then the check no longer holds.
        now_empty = _is_empty(session)
        if now_empty and not empty:
            raise UserError(f"{db.where} changed while the file was being checked; import it "
                            "again. Nothing was changed.")
        if not now_empty and not merge:
            raise _holds_records(db)
        if now_empty:
            result = _import_into_empty(session, checked)
        else:
            result = _merge(session, checked, export_rows(session), path)
        session.flush()
        db.backend.reset_sequences(session)  # rows came with their ids (PostgreSQL's sequences)
        if now_empty:
            # The events written are the file's, whose chain the check verified in its one
            # pass (transfer_check._check_chain): the database's chain is that chain.
            result.audit = audit.Verification(True, len(checked.audit_log), checked.audit_head)
        else:
            result.audit = audit.verify(session)
    return result


def _holds_records(db: Database) -> UserError:
    return UserError(
        f"{db.where} already holds records; importing would mix two registers. Import into "
        "a new database (--db NEW.db), or add --merge to merge the file into this one. "
        "Nothing was changed.", 2)


def _public_ids(session: Session) -> dict[str, set[str]]:
    """The public ids of every exported table (what a merged file's references may point at:
    records are never deleted, so they are still there when the import writes)."""
    return {spec.name: set(session.execute(select(spec.table.c.public_id)).scalars())
            for spec in table_specs()}


def _is_empty(session: Session) -> bool:
    if session.execute(select(AuditEvent.id).limit(1)).first() is not None:
        return False
    return all(
        session.execute(select(spec.table.c.id).limit(1)).first() is None for spec in table_specs()
    )


Ids = dict[str, dict[str, int]]
"""Internal ids by table and public id."""


def _insert(session: Session, spec: TableSpec, rows: list[Row], ids: Ids) -> None:
    """Insert rows (in file order), resolving references to the database's internal ids."""
    if not rows:
        return
    session.execute(spec.table.insert(), [_columns(spec, row.values, ids) for row in rows])
    wanted = {row.public_id for row in rows}
    table = spec.table
    ids.setdefault(spec.name, {}).update(
        (public_id, id_)
        for id_, public_id in session.execute(select(table.c.id, table.c.public_id))
        if public_id in wanted
    )


def _columns(spec: TableSpec, values: dict[str, Any], ids: Ids) -> dict[str, Any]:
    out = {}
    for field_spec in spec.fields:
        if field_spec.key not in values:
            continue
        value = values[field_spec.key]
        if field_spec.target is not None and value is not None:
            value = ids[field_spec.target][value]
        out[field_spec.column.name] = value
    return out


def _import_into_empty(session: Session, checked: Checked) -> ImportResult:
    result = ImportResult(merged=False)
    ids: Ids = {}
    for spec in table_specs():
        rows = checked.tables.get(spec.name, [])
        _insert(session, spec, rows, ids)
        if rows:
            result.added[spec.name] = len(rows)
    if checked.audit_log:
        session.execute(AuditEvent.__table__.insert(), [
            {"id": e["seq"], "at": e["at"], "entity": e["entity"], "public_id": e["public_id"],
             "action": e["action"], "changes": e["changes"], "prev_hash": e["prev_hash"],
             "hash": e["hash"], "actor": e["actor"]}
            for e in checked.audit_log
        ])
    result.events_copied = len(checked.audit_log)
    return result


@dataclass
class _Plan:
    add: dict[str, list[Row]] = field(default_factory=dict)
    replace: dict[str, list[Row]] = field(default_factory=dict)


def _merge(
    session: Session, checked: Checked, existing: dict[str, list[dict[str, Any]]], path: Path,
) -> ImportResult:
    result = ImportResult(merged=True)
    by_id = {name: {r["public_id"]: r for r in rows} for name, rows in existing.items()}
    plan = _plan_merge(checked, by_id, result, str(path))

    ids = {spec.name: {p: i for i, p in session.execute(
        select(spec.table.c.id, spec.table.c.public_id))} for spec in table_specs()}
    for spec in table_specs():
        add = plan.add[spec.name]
        _insert(session, spec, add, ids)
        for row in add:
            audit.record(session, spec.name, row.public_id, "import",
                         audit.diff({}, _audited(row.doc)))
        for row in plan.replace[spec.name]:
            mine = by_id[spec.name][row.public_id]
            session.execute(
                update(spec.table).where(spec.table.c.public_id == row.public_id)
                .values(_columns(spec, row.values, ids))
            )
            audit.record(session, spec.name, row.public_id, "import",
                         audit.diff(_audited(mine), _audited(row.doc)))
        if add:
            result.added[spec.name] = len(add)
        if plan.replace[spec.name]:
            result.replaced[spec.name] = len(plan.replace[spec.name])
    if not (result.records_added or result.records_replaced):
        return result  # nothing changed, so nothing to record
    result.events_added = result.records_added + result.records_replaced + 1
    audit.record(session, "database", str(uuid.uuid4()), "import", {
        "file": [None, path.name],
        "exported_at": [None, checked.exported_at],
        "source_events": [None, len(checked.audit_log)],
        "source_audit_head": [None, checked.audit_head],
        "added": [None, result.records_added],
        "replaced": [None, result.records_replaced],
        "unchanged": [None, result.unchanged],
        "kept": [None, len(result.kept)],
    })
    return result


def _plan_merge(checked: Checked, by_id: dict[str, dict[str, dict[str, Any]]],
                result: ImportResult, where: str) -> _Plan:
    """Which of the file's rows are added and which replace this database's (a higher
    revision); the others are counted as unchanged or kept in `result`."""
    plan = _Plan()
    after: dict[str, dict[str, dict[str, Any]]] = {}
    for spec in table_specs():
        current = by_id.get(spec.name, {})
        merged = dict(current)
        add, replace = [], []
        for row in checked.tables.get(spec.name, []):
            mine = current.get(row.public_id)
            if mine is None:
                if spec.name in SINGLE_ROW_TABLES and current:
                    result.kept.append((spec.name, row.public_id))
                    continue
                add.append(row)
                merged[row.public_id] = row.doc
            elif _same(mine, row.doc):
                result.unchanged += 1
            elif row.values["revision"] > mine["revision"]:
                replace.append(row)
                merged[row.public_id] = row.doc
            else:
                result.kept.append((spec.name, row.public_id))
        plan.add[spec.name], plan.replace[spec.name] = add, replace
        after[spec.name] = merged
    _check_merged_unique(after, plan, where)
    return plan


def _audited(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "public_id"}


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a.get(k) == b.get(k) for k in set(a) | set(b))


def _check_merged_unique(
    after: dict[str, dict[str, dict[str, Any]]], plan: _Plan, source: str
) -> None:
    """A record added or replaced must not clash with another record of the merged database."""
    problems = Problems()
    try:
        for spec in table_specs():
            incoming = plan.add[spec.name] + plan.replace[spec.name]
            if not incoming:
                continue
            for keys in spec.unique:
                if keys == ("public_id",):
                    continue
                owners: dict[tuple[Any, ...], set[str]] = {}
                for public_id, doc in after[spec.name].items():
                    value = tuple(doc.get(k) for k in keys)
                    if None not in value:
                        owners.setdefault(value, set()).add(public_id)
                for row in incoming:
                    value = tuple(row.doc.get(k) for k in keys)
                    others = owners.get(value, set()) - {row.public_id}
                    if None not in value and others:
                        problems.add(
                            f"tables.{spec.name}[{row.index}]",
                            " and ".join(f"{k} {v!r}" for k, v in zip(keys, value, strict=True))
                            + f" is already used in this database by {spec.name} {min(others)}",
                        )
    except _TooMany:
        pass
    problems.raise_if_any(source)


def count_records(db: Database) -> dict[str, int]:
    """Rows per exported table (for messages and tests)."""
    with db.reading() as session:
        return {
            spec.name: session.execute(select(func.count()).select_from(spec.table)).scalar_one()
            for spec in table_specs()
        }
