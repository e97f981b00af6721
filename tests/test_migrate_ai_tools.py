"""Migration 0010_ai_tools (issue 23: AI tools and consent under the 2025-2026 state laws): a
register made at the schema before (0005_workflow) keeps every row of every table; its tools and
consents have the new answers not recorded yet, so no AI rule flags what they never said, and
they can then be given; the migration goes down again cleanly."""

import sqlite3

from agenda_helpers import TODAY, build_agenda_register
from alembic import command
from migration_helpers import table_counts
from sqlalchemy import create_engine

from riskreg.services.dashboard import build_dashboard
from riskreg.services.register import RegisterService
from riskreg.services.settings import SettingsService
from riskreg.storage.database import open_database
from riskreg.storage.migrate import alembic_config
from riskreg.storage.schema import HEAD

TOOL_COLUMNS = {"ai_use", "records_sessions", "detects_emotions", "clinical_decisions",
                "clinician_reviews_output", "mfa_enabled", "encrypted_at_rest",
                "encrypted_in_transit", "restore_priority", "restore_target_hours",
                "ba_verification_received_on", "ba_verification_due_on"}
CONSENT_COLUMNS = {"purpose_disclosed", "consent_method", "revoked_on", "sessions_recorded",
                   "client_state"}
SETTINGS_COLUMNS = {"federal_assistance", "part2_records"}


def _columns(conn, table):
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}



def _before() -> str:
    """The revision 0010_ai_tools follows (0005_workflow on this branch; the integrator may
    re-chain the migrations of several branches)."""
    from alembic.script import ScriptDirectory

    down = ScriptDirectory.from_config(alembic_config()).get_revision("0010_ai_tools").down_revision
    assert isinstance(down, str)
    return down


def _downgrade(db_path, to):
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), to)
    engine.dispose()


def test_an_older_register_keeps_every_row_and_gains_unanswered_ai_fields(db_path):
    db = open_database(db_path)
    build_agenda_register(db)
    register = RegisterService(db, today=lambda: TODAY)
    tool = register.list("tool").rows[0]
    register.create("consent", {"client_code": "C-7", "tool": tool["public_id"],
                                "disclosed_on": "2026-01-05", "decision": "consented"})
    SettingsService(db, today=lambda: TODAY).update({"home_state": "IL"}, None)
    db.close()
    _downgrade(db_path, _before())
    with sqlite3.connect(db_path) as conn:
        assert not TOOL_COLUMNS & _columns(conn, "tool")
        assert not CONSENT_COLUMNS & _columns(conn, "consent")
        assert not SETTINGS_COLUMNS & _columns(conn, "practice_settings")
    conn.close()
    before = table_counts(db_path)

    db = open_database(db_path)  # migrates, after a backup copy
    try:
        register = RegisterService(db, today=lambda: TODAY)
        old = register.get("tool", tool["public_id"])
        assert old["name"] == tool["name"] and old["baa_status"] == tool["baa_status"]
        assert old["ai_use"] == "not_recorded"
        assert all(old[c] is None for c in TOOL_COLUMNS - {"ai_use"})
        consent = register.list("consent").rows[0]
        assert (consent["consent_method"], consent["purpose_disclosed"], consent["client_state"],
                consent["sessions_recorded"], consent["revoked_on"]) == (
            "not_recorded", "", "", None, None)
        settings = SettingsService(db, today=lambda: TODAY).get()
        assert (settings["home_state"], settings["federal_assistance"],
                settings["part2_records"]) == ("IL", False, False)
        # An Illinois practice: nothing flagged for answers never given.
        assert build_dashboard(db, TODAY).ai_flags.total == 0
        saved = register.update("tool", tool["public_id"], {"detects_emotions": True},
                                old["revision"])
        assert saved["detects_emotions"] is True
        assert build_dashboard(db, TODAY).ai_flags.total == 1
    finally:
        db.close()
    after = table_counts(db_path)
    assert after["audit_event"] == before["audit_event"] + 1
    assert {k: v for k, v in after.items() if k != "audit_event"} == {
        k: v for k, v in before.items() if k != "audit_event"}
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
    conn.close()
    # And down again: the columns go, the rows stay.
    _downgrade(db_path, _before())
    with sqlite3.connect(db_path) as conn:
        assert not TOOL_COLUMNS & _columns(conn, "tool")
    conn.close()
    assert table_counts(db_path)["tool"] == before["tool"]
