"""Storage: migrations, file modes, connection settings, hostile files, the audit chain."""

import os
import sqlite3
import stat

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from riskreg.errors import DatabaseError
from riskreg.storage import audit
from riskreg.storage.database import open_database
from riskreg.storage.migrate import alembic_config, head_revision

BOTH_BACKENDS = True  # tests/conftest.py: each test on SQLite and on PostgreSQL


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_empty_database_is_upgraded_to_head_and_matches_the_models(db_path):
    open_database(db_path).close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == head_revision()
        # `alembic check`: autogenerate finds no difference between models and migrations.
        command.check(alembic_config(conn))
    engine.dispose()


def test_a_new_database_is_private_to_its_owner(db_path):
    open_database(db_path).close()
    assert _mode(db_path) == 0o600
    assert _mode(db_path.parent) == 0o700


def test_every_folder_riskreg_creates_on_the_way_is_private_and_existing_ones_are_left(tmp_path):
    import os

    old = os.umask(0o022)  # a common umask: plain mkdir would make 0755 folders
    try:
        tmp_path.chmod(0o755)
        db_path = tmp_path / "new" / "deeper" / "r.db"
        open_database(db_path).close()
    finally:
        os.umask(old)
    assert _mode(tmp_path / "new") == 0o700 and _mode(tmp_path / "new" / "deeper") == 0o700
    assert _mode(tmp_path) == 0o755  # it existed: it may be shared, so it is not touched


def test_an_existing_database_readable_by_others_is_tightened_with_a_notice(db_path):
    open_database(db_path).close()
    db_path.chmod(0o644)
    db = open_database(db_path)
    assert _mode(db_path) == 0o600
    assert any("tightened" in n for n in db.notices)
    db.close()


def test_opening_a_database_tightens_its_wal_and_shm_too(db_path):
    """Reliability review D13: the -wal (the latest changes) stayed 0644 beside a tightened
    database. Another window holds the database open, so its -wal and -shm exist."""
    import sqlite3

    open_database(db_path).close()
    old = os.umask(0o022)
    other = sqlite3.connect(db_path)
    try:
        other.execute("create table scratch (x)")  # a write: the -wal holds it
        other.commit()
        companions = [db_path.with_name(db_path.name + end) for end in ("-wal", "-shm")]
        for path in (db_path, *companions):
            path.chmod(0o644)
        db = open_database(db_path)
        db.close()
        assert [_mode(path) for path in (db_path, *companions)] == [0o600] * 3
        assert "riskreg.db, riskreg.db-wal, riskreg.db-shm were readable by others (mode 644); tightened to 600." \
            in db.notices
    finally:
        other.close()
        os.umask(old)


@pytest.mark.sqlite_only
def test_connections_use_wal_foreign_keys_and_a_busy_timeout(db):
    with db.reading() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_a_file_that_is_not_sqlite_is_refused_and_left_as_it_was(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="not a riskreg database"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_truncated_database_is_reported_as_damaged(db_path, tmp_path):
    db = open_database(db_path)
    db.close()
    data = db_path.read_bytes()
    broken = tmp_path / "broken.db"
    broken.write_bytes(data[:200])
    with pytest.raises(DatabaseError) as error:
        open_database(broken)
    assert "damaged" in str(error.value) or "not a riskreg" in str(error.value)
    assert broken.read_bytes() == data[:200]


def test_an_sqlite_database_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table contacts (name text)")
    with pytest.raises(DatabaseError, match="not a riskreg one"):
        open_database(path)


def test_a_database_from_a_newer_riskreg_is_refused_untouched(db_path):
    open_database(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("update alembic_version set version_num = '9999_from_the_future'")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="newer version of riskreg"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def _one_schema_older(db_path) -> str:
    """A database at the schema one migration before the newest; its version. (There are two
    migrations or more; were there one, these tests should fail, not be skipped.)"""
    open_database(db_path).close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "-1")
        older = conn.execute(text("select version_num from alembic_version")).scalar()
    engine.dispose()
    assert older and older != head_revision()
    return older


def test_a_copy_is_taken_before_a_migration_runs(db_path):
    _one_schema_older(db_path)
    db = open_database(db_path)
    backups = list((db_path.parent / "backups").glob("*-pre-migration.db"))
    assert len(backups) == 1 and _mode(backups[0]) == 0o600
    assert any("previous version was saved" in n for n in db.notices)
    db.close()


def test_the_head_constant_is_the_newest_migration():
    from riskreg.storage.migrate import HEAD

    assert HEAD == head_revision()


_OPEN_AND_LIST_ALEMBIC = (
    "import sys\n"
    "from riskreg.storage.database import open_database\n"
    "db = open_database(sys.argv[1], daily_backup=True)\n"
    "print(sorted(m for m in sys.modules if m == 'alembic' or m.startswith('alembic.')))\n"
    "print(*db.notices, sep='\\n')\n"
    "db.close()\n"
)


def _open_in_a_fresh_process(db_path) -> list[str]:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _OPEN_AND_LIST_ALEMBIC, str(db_path)],
                         capture_output=True, text=True, check=True, timeout=120)
    return out.stdout.splitlines()


def test_an_up_to_date_database_opens_without_importing_alembic(db_path):
    open_database(db_path).close()
    lines = _open_in_a_fresh_process(db_path)
    assert lines[0] == "[]"
    assert not list((db_path.parent / "backups").glob("*-pre-migration.db"))


def test_an_older_database_is_still_migrated_after_its_copy_is_taken(db_path):
    older = _one_schema_older(db_path)
    lines = _open_in_a_fresh_process(db_path)
    assert lines[0] != "[]"  # Alembic did the upgrade
    assert any("previous version was saved" in line for line in lines[1:])
    copies = list((db_path.parent / "backups").glob("*-pre-migration.db"))
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as old, sqlite3.connect(db_path) as new:
        assert old.execute("select version_num from alembic_version").fetchall() == [(older,)]
        assert new.execute("select version_num from alembic_version").fetchall() == [
            (head_revision(),)]


def test_a_database_with_two_schema_rows_is_not_taken_for_up_to_date(db_path):
    from riskreg.storage.database import make_engine
    from riskreg.storage.migrate import HEAD, is_at_head

    open_database(db_path).close()
    engine = make_engine(db_path)
    assert is_at_head(engine)
    with engine.begin() as conn:
        conn.execute(text("insert into alembic_version values ('0001_register')"))
    assert not is_at_head(engine)
    with engine.begin() as conn:
        conn.execute(text("delete from alembic_version"))
        conn.execute(text("insert into alembic_version values (:h)"), {"h": HEAD})
    assert is_at_head(engine)
    with engine.begin() as conn:
        conn.execute(text("drop table alembic_version"))
    assert not is_at_head(engine)
    engine.dispose()


def test_rolling_backups_keep_the_last_seven_private_copies(db_path):
    from datetime import UTC, datetime, timedelta

    from riskreg.storage.backup import rolling_backup

    open_database(db_path).close()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for day in range(9):
        rolling_backup(db_path, "daily", start + timedelta(days=day))
    kept = sorted(p.name for p in (db_path.parent / "backups").iterdir())
    assert len(kept) == 7 and kept[0].startswith("riskreg-20260103")
    assert all(_mode(db_path.parent / "backups" / name) == 0o600 for name in kept)
    assert _mode(db_path.parent / "backups") == 0o700


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions, so nothing is read-only")
def test_a_read_only_database_gets_one_clear_message(db_path):
    open_database(db_path).close()
    db_path.chmod(0o400)
    db_path.parent.chmod(0o500)
    try:
        with pytest.raises(DatabaseError, match="read-only|cannot"):
            db = open_database(db_path)
            from riskreg.services.register import RegisterService

            RegisterService(db).create("owner", {"name": "x"})
    finally:
        db_path.parent.chmod(0o700)
        db_path.chmod(0o600)


def test_the_audit_chain_names_an_edited_event(register, db, db_path):
    for name in ("A", "B", "C"):
        register.create("owner", {"name": name})
    with sqlite3.connect(db_path) as conn:
        conn.execute("""update audit_event set changes = '{"name": [null, "Z"]}' where id = 2""")
    with db.reading() as session:
        result = audit.verify(session)
    assert not result.ok and result.bad_event == 2 and "altered" in result.problem


def test_the_audit_chain_names_a_removed_event(register, db, db_path):
    for name in ("A", "B", "C"):
        register.create("owner", {"name": name})
    with sqlite3.connect(db_path) as conn:
        conn.execute("delete from audit_event where id = 2")
    with db.reading() as session:
        result = audit.verify(session)
    assert not result.ok and result.bad_event == 2 and "missing" in result.problem


def test_the_audit_chain_names_an_inserted_event_even_with_a_correctly_forged_hash(
        register, db, db_path):
    from datetime import UTC, datetime

    for name in ("A", "B", "C"):
        register.create("owner", {"name": name})
    with sqlite3.connect(db_path) as conn:
        # Make room after event 1, then insert a forged event 2 whose own hash is right.
        conn.execute("update audit_event set id = id + 1000 where id >= 2")
        conn.execute("update audit_event set id = id - 999 where id >= 1000")
        first_hash = conn.execute("select hash from audit_event where id = 1").fetchone()[0]
        at = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
        changes = '{"name": [null, "Forged"]}'
        payload = audit.canonical(2, at, "owner", "forged-id", "create", changes)
        conn.execute(
            "insert into audit_event (id, at, entity, public_id, action, changes, prev_hash, hash)"
            " values (2, ?, 'owner', 'forged-id', 'create', ?, ?, ?)",
            (at.strftime("%Y-%m-%d %H:%M:%S.%f"), changes, first_hash,
             audit.chain_hash(first_hash, payload)),
        )
    with db.reading() as session:
        result = audit.verify(session)
    assert not result.ok and result.bad_event == 3 and "inserted" in result.problem
