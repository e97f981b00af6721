"""Migration 0009_signoff (issue 23: the signed risk analysis and the year's review): a register
made by the previous release (schema 0005) keeps every row of every table; the three new tables
are empty, and the register can then be signed and compared."""

import sqlite3

from agenda_helpers import TODAY, build_agenda_register
from alembic import command
from migration_helpers import table_counts
from sqlalchemy import create_engine

from riskreg.services.audit_check import verify_database
from riskreg.services.risk_analysis import RiskAnalysisService
from riskreg.storage.database import open_database
from riskreg.storage.migrate import alembic_config
from riskreg.storage.schema import HEAD


def _before_signoff() -> str:
    """The revision 0009_signoff follows (0005_workflow when written; the integrator may
    re-chain it after other migrations)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_revision("0009_signoff").down_revision


NEW_TABLES = {"risk_analysis_snapshot", "annual_review", "annual_review_check"}



def test_an_older_register_keeps_every_row_and_can_then_be_signed(db_path):
    db = open_database(db_path)
    build_agenda_register(db)
    db.close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), _before_signoff())
    engine.dispose()
    before = table_counts(db_path)
    assert not NEW_TABLES & set(before) and before["hazard"] > 0
    db = open_database(db_path)  # migrates, after a backup copy
    try:
        after = table_counts(db_path)
        assert {k: after[k] for k in NEW_TABLES} == dict.fromkeys(NEW_TABLES, 0)
        assert {k: v for k, v in after.items() if k not in NEW_TABLES} == before
        ra = RiskAnalysisService(db, today=lambda: TODAY)
        signed = ra.sign("Dr. Rivera")
        assert signed["counts"]["hazard"] >= 1
        assert ra.changes().lines == []
        assert verify_database(db).ok
    finally:
        db.close()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
    conn.close()
