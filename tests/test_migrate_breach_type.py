"""Migration 0004 (the HHS portal's type of breach on an incident): a register made by the
previous release (schema 0003) keeps every row of every table; its incidents have the type of
breach not answered yet, and can then be given one."""

import sqlite3
from datetime import date

from agenda_helpers import TODAY, build_agenda_register
from alembic import command
from migration_helpers import same_rows, table_counts
from sqlalchemy import create_engine

from riskreg.services.incidents import IncidentService
from riskreg.storage.database import open_database
from riskreg.storage.migrate import alembic_config


def _previous_release_register(db_path) -> dict[str, int]:
    """A register with incidents (residents, notices, drafts...) taken back to schema 0003."""
    db = open_database(db_path)
    build_agenda_register(db)
    db.close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0003_levels")
    engine.dispose()
    with sqlite3.connect(db_path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(incident)")]
        assert "breach_type" not in columns
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("0003_levels",)]
    conn.close()
    return table_counts(db_path)


def test_an_older_register_keeps_every_row_and_its_incidents_have_no_type_yet(db_path):
    before = _previous_release_register(db_path)
    assert before["incident"] == 2 and before["audit_event"] > 0
    db = open_database(db_path)  # migrates, after a backup copy
    try:
        svc = IncidentService(db, today=lambda: TODAY)
        old = svc.get("INC-2026-002")
        assert old["breach_type"] == ""
        assert old["title"] == "Laptop stolen from the car" and old["affected"] == 3
        saved = svc.save_intake("INC-2026-002", {
            "title": old["title"], "description": old["description"],
            "discovered_on": old["discovered_on"], "breach_type": "theft"}, old["revision"])
        assert saved["breach_type"] == "theft"
    finally:
        db.close()
    after = table_counts(db_path)
    assert after["audit_event"] == before["audit_event"] + 1  # the intake saved just now
    assert same_rows({k: v for k, v in before.items() if k != "audit_event"},
                     {k: v for k, v in after.items() if k != "audit_event"})
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT reference, breach_type FROM incident ORDER BY reference"
                            ).fetchall() == [("INC-2026-001", ""), ("INC-2026-002", "theft")]
    conn.close()
    assert date.fromisoformat(str(saved["discovered_on"])) == date(2026, 11, 2)
