"""The streamed JSON export (issue 22, "Speed and size") writes exactly the text the whole
document gave, read the way the export read it before it streamed; the audit log read with the
plain driver is the log read through SQLAlchemy."""

import json
from datetime import UTC, datetime

import sqlalchemy
import sqlmodel
from clock import FIXED_TODAY

from riskreg.services import transfer
from riskreg.services.demo import build_demo
from riskreg.services.transfer_levels import add_current_levels
from riskreg.services.transfer_schema import encode, export_rows
from riskreg.storage import audit
from riskreg.storage.models import AuditEvent

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _reference(db):
    """The document as the export built it before it streamed: every row through SQLAlchemy's
    types, the events as model objects, then `json.dumps` of the whole."""
    from riskreg import __version__
    from riskreg.storage.migrate import head_revision

    with db.reading() as session:
        tables = export_rows(session)
        add_current_levels(session, tables)
        events = [{"seq": e.id, "at": encode(e.at), "entity": e.entity, "public_id": e.public_id,
                   "action": e.action, "changes": e.changes, "prev_hash": e.prev_hash,
                   "hash": e.hash, "actor": e.actor}
                  for e in session.exec(sqlmodel.select(AuditEvent).order_by(AuditEvent.id))]
    return {"format": "riskreg-export", "version": 1, "riskreg_version": __version__,
            "schema": head_revision(), "exported_at": NOW.isoformat(), "tables": tables,
            "audit_log": events}


def test_the_streamed_export_is_the_documents_text(db, register, tmp_path):
    build_demo(register, today=FIXED_TODAY, seed=7)
    # Text that needs escaping, beyond ASCII, on several lines; a timestamp on a whole second.
    hazard = register.create("hazard", {"title": 'Notes "quoted" \\ ångström ✓', "likelihood": 2,
                                        "impact": 2, "target_likelihood": 1, "target_impact": 1,
                                        "description": "two\nlines"})
    with db.writing() as session:
        session.execute(sqlalchemy.text(
            "UPDATE hazard SET updated_at = '2026-11-20 09:30:00.000000' WHERE public_id = :p"),
            {"p": hazard["public_id"]})
    summary = transfer.export_json(db, tmp_path / "e.json", NOW)
    written = summary.path.read_text("utf-8")
    reference = _reference(db)
    assert written == transfer.dumps(reference)
    assert '"updated_at": "2026-11-20T09:30:00+00:00"' in written
    assert reference["tables"]["incident"] and reference["tables"]["hazard"]
    assert summary.records == sum(len(rows) for rows in reference["tables"].values())
    assert summary.events == len(reference["audit_log"]) > 100
    assert json.loads(written) == transfer.export_document(db, NOW)


def test_an_empty_register_streams_as_its_document(db, tmp_path):
    written = transfer.export_json(db, tmp_path / "e.json", NOW).path.read_text("utf-8")
    assert written == transfer.dumps(_reference(db))
    assert '"audit_log": []' in written


def test_the_plain_drivers_events_are_sqlalchemys(db, register):
    build_demo(register, today=FIXED_TODAY, seed=7)
    with db.reading() as session:
        direct = list(audit.read_events(session))
        dialect = session.get_bind().dialect
        read_at = AuditEvent.__table__.c.at.type.dialect_impl(dialect).result_processor(
            dialect, None)
        query = sqlalchemy.select(*audit._RAW.c).order_by(audit._RAW.c.id)
        through = [audit._checked_event(row, read_at) for row in session.execute(query)]
    assert direct == through and len(direct) > 100 and not any(e.damage for e in direct)
