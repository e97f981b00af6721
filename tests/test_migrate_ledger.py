"""Migration 0006 (issue 20: the calendar export ledger): a register made by the previous release
(schema 0005) keeps every row of every table; its ledger starts empty, so its first export to a
target writes what the previous release wrote (no cancellation, no raised SEQUENCE), and the
next export to that target goes through the ledger. Down again, only the ledger goes."""

import sqlite3

from agenda_helpers import TODAY, build_agenda_register
from calendar_helpers import events
from migration_helpers import downgrade, revision_before, table_counts

from riskreg.services.calendar import CalendarService, ExportOptions
from riskreg.storage.database import open_database
from riskreg.storage.schema import HEAD


def test_an_older_register_keeps_every_row_and_starts_with_an_empty_ledger(db_path, tmp_path):
    db = open_database(db_path)
    build_agenda_register(db)
    calendar = CalendarService(db, today=lambda: TODAY)
    calendar.export(tmp_path / "now.ics", ExportOptions())  # what this release writes first
    db.close()
    downgrade(db_path, revision_before("0006_ledger"))
    before = table_counts(db_path)
    assert "calendar_ledger" not in before and before["hazard"] > 0
    db = open_database(db_path)  # migrates, after a backup copy
    try:
        calendar = CalendarService(db, today=lambda: TODAY)
        with sqlite3.connect(db_path) as conn:
            assert conn.execute("SELECT count(*) FROM calendar_ledger").fetchone() == (0,)
            assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
                (HEAD,)]
        conn.close()
        out = tmp_path / "cal.ics"
        calendar.export(out, ExportOptions())
        assert out.read_bytes() == (tmp_path / "now.ics").read_bytes()
        found = events(out)
        assert not any(str(e["SUMMARY"]).startswith("[REMOVED]") for e in found.values())
        calendar.export(out, ExportOptions(groups=("reviews",)))
        narrower = events(out)
        assert any(str(e["SUMMARY"]).startswith("[REMOVED]") for e in narrower.values())
    finally:
        db.close()
    after = table_counts(db_path)
    assert after.pop("calendar_ledger") == len(narrower)  # the ledger holds what the file holds
    assert {k: after[k] for k in before} == before
    downgrade(db_path, revision_before("0006_ledger"))
    assert table_counts(db_path) == before
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
