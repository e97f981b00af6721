"""Backups and restores: consistent copies while another window writes, private files, a restore
that checks the file first, keeps the current database and asks; the daily rolling copy."""

import os
import sqlite3
import stat
import subprocess
import sys
import time
from argparse import Namespace
from datetime import UTC, datetime, timedelta

import pytest
from clock import FIXED_TODAY
from sqlalchemy import text

from riskreg.errors import DatabaseError, UserError
from riskreg.services.demo import build_demo
from riskreg.services.register import RegisterService
from riskreg.storage import audit
from riskreg.storage.backup import backup_file, backups_dir, daily_backup, rolling_backup
from riskreg.storage.database import open_database
from riskreg.storage.restore import check_backup, restore_backup

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _hazards(path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM hazard").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def demo(db, register):
    build_demo(register, today=FIXED_TODAY, seed=7)
    return db


# -- backup --------------------------------------------------------------------------------------


def test_a_backup_is_consistent_while_another_window_holds_a_write_transaction(demo, tmp_path):
    writer = sqlite3.connect(demo.path, timeout=10)
    writer.isolation_level = None
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE hazard SET title = 'half-written' WHERE id = 1")
    try:
        started = time.monotonic()
        copy = backup_file(demo.path, tmp_path / "during.db")
        assert time.monotonic() - started < 5  # not waiting for the writer to finish
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    info = check_backup(copy)
    assert info.counts["hazard"] == 40 and info.events > 0
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT count(*) FROM hazard WHERE title = 'half-written'").fetchone() == (0,)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file
    conn.close()
    assert _mode(copy) == 0o600
    assert not list(tmp_path.glob("during.db-*")) and not list(tmp_path.glob(".during*"))


def test_a_backup_taken_while_the_app_has_the_register_open_holds_its_latest_change(
    demo, register, tmp_path
):
    hazard = register.list("hazard").rows[0]
    register.update("hazard", hazard["public_id"], {"title": "Renamed just now"},
                    hazard["revision"])
    copy = backup_file(demo.path, tmp_path / "now.db")
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT title FROM hazard WHERE public_id = ?",
                        (hazard["public_id"],)).fetchone() == ("Renamed just now",)
    conn.close()


def test_a_backup_over_an_earlier_copy_leaves_no_stale_journal(demo, tmp_path):
    target = tmp_path / "b.db"
    backup_file(demo.path, target)
    (tmp_path / "b.db-wal").write_bytes(b"stale")
    backup_file(demo.path, target)
    assert not (tmp_path / "b.db-wal").exists() and check_backup(target).counts["hazard"] == 40


# -- restore: checking the file ------------------------------------------------------------------


def _not_sqlite(path):
    path.write_text("my session notes\n", encoding="utf-8")


def _damaged(path):
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, min(len(data), 4096 * 40), 97):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def _other_sqlite(path):
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()


def _newer(path):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()


def _tampered(path):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE audit_event SET changes = '{}' WHERE id = 5")
    conn.commit()
    conn.close()


def _empty(path):
    path.write_bytes(b"")


@pytest.mark.parametrize("spoil, expected", [
    (_not_sqlite, "not a riskreg backup (not an SQLite file"),
    (_damaged, "damaged"),
    (_other_sqlite, "not a riskreg one"),
    (_newer, "written by a newer version of riskreg (schema 9999_future)"),
    (_tampered, "its audit log does not verify (event 5 was altered"),
    (_empty, "not a riskreg backup"),
], ids=["not sqlite", "damaged", "another app's database", "newer schema", "audit tampered",
        "empty"])
def test_restore_refuses_a_bad_file_and_changes_nothing(spoil, expected, demo, register, tmp_path):
    bad = backup_file(demo.path, tmp_path / "bad.db")
    spoil(bad)
    register.create("owner", {"name": "Added after the backup"})
    with demo.reading() as session:
        head = audit.verify(session).last_hash
    with pytest.raises(DatabaseError) as refused:
        restore_backup(demo.path, bad, NOW)
    assert expected in str(refused.value) and "\n" not in str(refused.value)
    with demo.reading() as session:
        assert audit.verify(session).last_hash == head
    assert not backups_dir(demo.path).exists() or not list(backups_dir(demo.path).glob("*restore*"))


def test_restore_refuses_a_missing_file_and_the_database_itself(demo, tmp_path):
    with pytest.raises(DatabaseError, match="no file at"):
        restore_backup(demo.path, tmp_path / "nowhere.db", NOW)
    with pytest.raises(UserError, match="is the database itself"):
        restore_backup(demo.path, demo.path, NOW)


# -- restore: doing it ---------------------------------------------------------------------------


def test_restore_keeps_a_private_copy_of_the_current_database_then_replaces_it(
    demo, register, tmp_path
):
    copy = backup_file(demo.path, tmp_path / "monday.db")
    added = register.create("owner", {"name": "Added on Tuesday"})
    kept = restore_backup(demo.path, copy, NOW)
    assert kept.parent == backups_dir(demo.path) and kept.name.endswith("-pre-restore.db")
    assert _mode(kept) == 0o600 and _mode(kept.parent) == 0o700 and _mode(demo.path) == 0o600
    # The kept copy has Tuesday's owner; the restored database does not.
    conn = sqlite3.connect(kept)
    assert conn.execute("SELECT count(*) FROM owner WHERE public_id = ?",
                        (added["public_id"],)).fetchone() == (1,)
    conn.close()
    reopened = open_database(demo.path)
    try:
        reopened_register = RegisterService(reopened, today=lambda: FIXED_TODAY)
        assert added["public_id"] not in {o["public_id"] for o in reopened_register.list("owner").rows}
        with reopened.reading() as session:
            assert audit.verify(session).ok
    finally:
        reopened.close()


def test_a_window_that_has_the_register_open_sees_the_restored_register(demo, register, tmp_path):
    copy = backup_file(demo.path, tmp_path / "before.db")
    register.create("owner", {"name": "Soon gone"})
    assert register.count("owner") == 4
    restore_backup(demo.path, copy, NOW)
    assert register.count("owner") == 3  # same open Database, fresh read


def test_restore_into_a_missing_database_creates_it(demo, tmp_path):
    copy = backup_file(demo.path, tmp_path / "copy.db")
    target = tmp_path / "new" / "riskreg.db"
    target.parent.mkdir()
    assert restore_backup(target, copy, NOW) is None
    assert _hazards(target) == 40 and _mode(target) == 0o600


def test_an_older_backup_is_migrated_when_next_opened(demo, tmp_path):
    from alembic import command
    from sqlalchemy import create_engine

    from riskreg.storage.migrate import alembic_config, head_revision

    copy = backup_file(demo.path, tmp_path / "old.db")
    # A copy made by the first release: its schema as the migrations left it at 0001.
    engine = create_engine(f"sqlite:///{copy}")
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0001_register")
    engine.dispose()
    conn = sqlite3.connect(copy)
    conn.execute("DELETE FROM audit_event WHERE entity LIKE 'incident%' OR entity LIKE 'notice%'")
    conn.commit()
    conn.close()
    # The chain no longer verifies once events are deleted: rebuild it as an old copy would have it.
    _rechain(copy)
    restore_backup(demo.path, copy, NOW)
    reopened = open_database(demo.path)
    try:
        with reopened.engine.connect() as c:
            assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    finally:
        reopened.close()


def _rechain(path):
    """Recompute the hash chain of a hand-trimmed copy (test helper only; the copy may be of a
    schema from before audit events named their actor)."""
    conn = sqlite3.connect(path)
    columns = ["id", "at", "entity", "public_id", "action", "changes"]
    has_actor = "actor" in {r[1] for r in conn.execute("PRAGMA table_info(audit_event)")}
    rows = conn.execute(f"SELECT {', '.join(columns + ['actor'] * has_actor)} FROM audit_event "
                        "ORDER BY id").fetchall()
    conn.execute("DELETE FROM audit_event")
    prev = audit.GENESIS
    for seq, (_, at, entity, public_id, action, changes, *actor) in enumerate(rows, 1):
        when = datetime.fromisoformat(at).replace(tzinfo=UTC)
        digest = audit.chain_hash(prev, audit.canonical(seq, when, entity, public_id, action,
                                                        changes, *actor))
        names = ", ".join(columns[1:] + ["prev_hash", "hash"] + ["actor"] * has_actor)
        conn.execute(f"INSERT INTO audit_event (id, {names}) VALUES "
                     f"({', '.join('?' * (8 + has_actor))})",
                     (seq, at, entity, public_id, action, changes, prev, digest, *actor))
        prev = digest
    conn.commit()
    conn.close()


def test_the_restore_command_asks_on_a_terminal(demo, tmp_path, monkeypatch, capsys):
    from riskreg.commands import restore as command

    copy = backup_file(demo.path, tmp_path / "copy.db")
    RegisterService(demo).create("owner", {"name": "Still here"})
    args = Namespace(file=str(copy), yes=False, db=str(demo.path), encrypted=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert command.run(args) == 1 and "Nothing was changed." in capsys.readouterr().out
    assert RegisterService(demo).count("owner") == 4
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "y")
    assert command.run(args) == 0
    assert "Replace" in asked[0] and "backups" in asked[0]
    assert RegisterService(demo).count("owner") == 3


# -- the daily rolling copy ----------------------------------------------------------------------


def test_the_daily_copy_is_taken_once_a_day_and_seven_are_kept(demo):
    first = daily_backup(demo.path, NOW)
    assert first is not None and _mode(first) == 0o600
    assert daily_backup(demo.path, NOW + timedelta(hours=3)) is None
    for day in range(1, 10):
        assert daily_backup(demo.path, NOW + timedelta(days=day)) is not None
    daily = sorted(p.name for p in backups_dir(demo.path).glob("*-daily.db"))
    assert len(daily) == 7 and daily[0].startswith("riskreg-20261129")


def test_daily_copies_never_push_out_the_copy_taken_before_a_migration_or_restore(demo):
    rolling_backup(demo.path, "pre-migration", NOW - timedelta(days=30))
    rolling_backup(demo.path, "pre-restore", NOW - timedelta(days=20))
    for day in range(10):
        daily_backup(demo.path, NOW + timedelta(days=day))
    names = [p.name for p in backups_dir(demo.path).iterdir()]
    assert sum(n.endswith("-pre-migration.db") for n in names) == 1
    assert sum(n.endswith("-pre-restore.db") for n in names) == 1


def test_opening_at_start_up_takes_the_day_s_copy_of_an_existing_database_only(db_path):
    open_database(db_path, daily_backup=True, now=NOW).close()
    assert not backups_dir(db_path).exists()  # a brand-new database has nothing to keep yet
    open_database(db_path, daily_backup=True, now=NOW).close()
    open_database(db_path, daily_backup=True, now=NOW + timedelta(minutes=5)).close()
    assert len(list(backups_dir(db_path).glob("*-daily.db"))) == 1
    open_database(db_path, now=NOW + timedelta(days=1)).close()  # not asked: no copy
    assert len(list(backups_dir(db_path).glob("*-daily.db"))) == 1


def test_a_failing_daily_copy_is_a_notice_not_a_refusal_to_open(db_path):
    open_database(db_path).close()
    backups_dir(db_path).write_text("a file where the folder should be")
    db = open_database(db_path, daily_backup=True, now=NOW)
    try:
        assert any("backup copy could not be made" in n for n in db.notices)
    finally:
        db.close()


# -- the command line ----------------------------------------------------------------------------


def riskreg(*args, stdin=subprocess.DEVNULL):
    env = {**os.environ, "RISKREG_TODAY": "2026-11-26"}
    return subprocess.run([sys.executable, "-m", "riskreg", *args], check=False, stdin=stdin,
                          capture_output=True, text=True, env=env, timeout=120)


def _one_line(result, code):
    assert result.returncode == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("riskreg: ") and "Traceback" not in result.stderr
    return lines[0]


def test_the_first_command_of_the_day_takes_the_day_s_copy(tmp_path):
    db = tmp_path / "riskreg.db"
    assert riskreg("init", "--starter", "--db", str(db)).returncode == 0
    assert not backups_dir(db).exists()  # nothing to keep before the register existed
    for _ in range(2):
        assert riskreg("list", "owners", "--db", str(db)).returncode == 0
    daily = list(backups_dir(db).glob("*-daily.db"))
    assert len(daily) == 1 and _mode(daily[0]) == 0o600
    assert _hazards(daily[0]) == _hazards(db) > 0


@pytest.mark.slow
def test_cli_backup_and_restore(tmp_path):
    db = tmp_path / "practice" / "riskreg.db"
    assert riskreg("demo", "--db", str(db)).returncode == 0
    out = tmp_path / "copy.db"
    made = riskreg("backup", "--out", str(out), "--db", str(db))
    # The demo's 40 hazards, and the one added after last year's sign-off (services/demo_signoff).
    assert made.returncode == 0 and "Backup written to" in made.stdout and "41 hazards" in made.stdout
    assert _mode(out) == 0o600
    assert "run it in a terminal to confirm, or add --yes" in _one_line(
        riskreg("restore", str(out), "--db", str(db)), 2)
    assert not backups_dir(db).exists() or not list(backups_dir(db).glob("*pre-restore*"))
    done = riskreg("restore", str(out), "--yes", "--db", str(db))
    assert done.returncode == 0 and "Restored" in done.stdout and "pre-restore" in done.stdout
    assert _hazards(db) == 41


def test_cli_backup_and_restore_bad_input(tmp_path):
    db = tmp_path / "riskreg.db"
    assert "no database at" in _one_line(riskreg("backup", "--out", str(tmp_path / "b.db"),
                                                 "--db", str(db)), 1)
    open_database(db).close()
    assert "--out FILE is required" in _one_line(riskreg("backup", "--db", str(db)), 2)
    assert "is the database itself" in _one_line(riskreg("backup", "--out", str(db),
                                                         "--db", str(db)), 2)
    notes = tmp_path / "notes.txt"
    notes.write_text("precious")
    assert "exists and is not a database backup" in _one_line(
        riskreg("backup", "--out", str(notes), "--db", str(db)), 2)
    assert notes.read_text() == "precious"
    assert "does not exist" in _one_line(
        riskreg("backup", "--out", str(tmp_path / "no" / "b.db"), "--db", str(db)), 2)
    assert "not a riskreg backup" in _one_line(riskreg("restore", str(notes), "--yes",
                                                       "--db", str(db)), 1)
    assert "no file at" in _one_line(riskreg("restore", str(tmp_path / "none.db"), "--yes",
                                             "--db", str(db)), 1)


# -- encrypted databases -------------------------------------------------------------------------


def test_an_encrypted_database_gives_encrypted_backups_that_restore_with_the_passphrase(tmp_path):
    pytest.importorskip("sqlcipher3", reason="sqlcipher3 has no wheel for this platform")
    from riskreg.storage.database import SQLITE_HEADER

    secret = "correct horse 'battery' staple"
    path = tmp_path / "secret.db"
    db = open_database(path, passphrase=secret)
    register = RegisterService(db)
    register.create("owner", {"name": "Distinctive Owner Name"})
    copy = backup_file(path, tmp_path / "secret-copy.db", secret)
    raw = copy.read_bytes()
    assert not raw.startswith(SQLITE_HEADER) and b"Distinctive Owner Name" not in raw
    assert check_backup(copy, secret).events == 1
    with pytest.raises(DatabaseError, match="add --encrypted"):
        check_backup(copy)
    register.create("owner", {"name": "Added later"})
    kept = restore_backup(path, copy, NOW, secret)
    assert not kept.read_bytes().startswith(SQLITE_HEADER)
    assert [o["name"] for o in register.list("owner").rows] == ["Distinctive Owner Name"]
    db.close()
    with pytest.raises(DatabaseError, match="wrong passphrase"):
        check_backup(copy, "not it")
