"""Migration 0005 (issue 19: what 164.402 asks, and the Part 2 count, on an incident): a register
made by the previous release (schema 0004) keeps every row of every table and every
determination; the new questions are not answered yet, an incident recorded with Part 2 records
counts every affected person (the count its plan used), and its plan is unchanged."""

import sqlite3

from agenda_helpers import TODAY, build_agenda_register
from alembic import command
from sqlalchemy import create_engine

from riskreg.services.incidents import IncidentService
from riskreg.storage.database import open_database
from riskreg.storage.migrate import alembic_config
from riskreg.storage.schema import HEAD

NEW_COLUMNS = {"use_permitted", "permitted_basis", "encryption_in_force", "part2_affected"}


def _counts(db_path) -> dict[str, int]:
    with sqlite3.connect(db_path) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'")]
        counts = {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    conn.close()
    return counts


def _previous_release_register(db_path):
    """The agenda register at schema 0004, with INC-2026-002 recorded as having Part 2 records
    (the boolean of that release). Returns its row counts and what the app showed then."""
    db = open_database(db_path)
    build_agenda_register(db)
    db.close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0004_breach_type")
    engine.dispose()
    with sqlite3.connect(db_path) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(incident)")}
        assert not NEW_COLUMNS & columns
        conn.execute("UPDATE incident SET part2 = 1 WHERE reference = 'INC-2026-002'")
    conn.close()
    return _counts(db_path)


def test_an_older_register_keeps_every_row_its_determinations_and_its_plans(db_path):
    before = _previous_release_register(db_path)
    assert before["incident"] == 2 and before["audit_event"] > 0
    db = open_database(db_path)  # migrates, after a backup copy
    try:
        svc = IncidentService(db, today=lambda: TODAY)
        part2 = svc.get("INC-2026-002")
        assert (part2["part2"], part2["part2_affected"], part2["affected"]) == (True, 3, 3)
        assert (part2["use_permitted"], part2["permitted_basis"],
                part2["encryption_in_force"]) == (None, "", None)
        assert part2["determination"] == "notification_required"
        assert part2["review_notes"] == []
        assert part2["presumption"]["outcome"] == "presumed_breach"
        # The new question shows as still to answer; nothing else moved.
        assert "use_permitted" in [m["field"] for m in part2["presumption"]["missing"]]
        plan = svc.plan("INC-2026-002")
        assert plan.obligation("hhs_part2") is not None  # the Part 2 report is still there
        assert [o["id"] for o in part2["obligations"]] == [o.id for o in plan.obligations]
        other = svc.get("INC-2026-001")
        assert (other["part2"], other["part2_affected"]) == (False, 0)
        assert other["status"] == "closed" and other["determination"] == "notification_required"
        # The count can then be given, and the answers of the new questions.
        saved = svc.save_scope("INC-2026-002", {"affected": 3, "part2_affected": 1},
                               part2["revision"])
        assert (saved["part2"], saved["part2_affected"]) == (True, 1)
    finally:
        db.close()
    after = _counts(db_path)
    assert after["audit_event"] == before["audit_event"] + 1  # the scope saved just now
    assert {k: v for k, v in after.items() if k != "audit_event"} == {
        k: v for k, v in before.items() if k != "audit_event"}
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
        assert conn.execute("SELECT reference, part2, part2_affected FROM incident "
                            "ORDER BY reference").fetchall() == [
            ("INC-2026-001", 0, 0), ("INC-2026-002", 1, 1)]
    conn.close()


def test_the_migration_goes_back_down_to_0004(db_path):
    db = open_database(db_path)
    build_agenda_register(db)
    db.close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0004_breach_type")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    engine.dispose()
    with sqlite3.connect(db_path) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(incident)")}
    conn.close()
    assert NEW_COLUMNS <= columns
