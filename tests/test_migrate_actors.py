"""Migration 0008 (issue 22: who made each audit event): a register made by the previous release
(schema 0005) keeps every row of every table; its events get the actor "unknown (before actors
were recorded)" and the whole chain still verifies; the migration goes down and up again."""

import sqlite3

from agenda_helpers import build_agenda_register
from migration_helpers import downgrade, revision_before, same_rows, table_counts, upgrade

from riskreg.storage import audit
from riskreg.storage.actors import LEGACY_ACTOR
from riskreg.storage.database import open_database
from riskreg.storage.schema import HEAD


def _rehash_as_before_actors(db_path):
    """The chain as the previous release wrote it: no actor in any event's hash."""
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT id, at, entity, public_id, action, changes FROM audit_event "
                        "ORDER BY id").fetchall()
    prev = audit.GENESIS
    from datetime import UTC, datetime
    for seq, at, entity, public_id, action, changes in rows:
        when = datetime.fromisoformat(at).replace(tzinfo=UTC)
        digest = audit.chain_hash(prev, audit.canonical(seq, when, entity, public_id, action,
                                                        changes, LEGACY_ACTOR))
        conn.execute("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?",
                     (prev, digest, seq))
        prev = digest
    conn.commit()
    conn.close()
    return prev


def test_an_older_register_keeps_every_row_and_its_chain_verifies(db_path):
    db = open_database(db_path)
    build_agenda_register(db)
    db.close()
    downgrade(db_path, revision_before("0008_actors"))
    head = _rehash_as_before_actors(db_path)
    before = table_counts(db_path)
    assert before["audit_event"] > 10
    db = open_database(db_path)  # migrates, after a backup copy
    try:
        with db.reading() as session:
            result = audit.verify(session)
        assert result.ok and result.checked == before["audit_event"] and result.last_hash == head
    finally:
        db.close()
    assert same_rows(before, table_counts(db_path))
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT DISTINCT actor FROM audit_event").fetchall() == [
            (LEGACY_ACTOR,)]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_the_migration_goes_down_and_up_again(db_path):
    db = open_database(db_path)
    build_agenda_register(db)
    db.close()
    before = table_counts(db_path)
    downgrade(db_path, revision_before("0008_actors"))
    with sqlite3.connect(db_path) as conn:
        assert "actor" not in {r[1] for r in conn.execute("PRAGMA table_info(audit_event)")}
    conn.close()
    assert same_rows(before, table_counts(db_path))
    upgrade(db_path)
    with sqlite3.connect(db_path) as conn:
        assert "actor" in {r[1] for r in conn.execute("PRAGMA table_info(audit_event)")}
    conn.close()
    assert same_rows(before, table_counts(db_path))
