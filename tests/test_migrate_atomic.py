"""Creating and migrating the schema is all or nothing (reliability review D4, D20).

A kill mid-migration left an existing register unopenable ("table incident already exists"),
a kill while a register was being created left a file every command refused, and the temporary
files a kill left behind (full copies of the data) were never removed. The kill tests inject
SIGKILL at an exact system call with strace (`-e inject=CALL:signal=KILL:when=K`), spread over
every call a clean run makes; afterwards `riskreg list tools` must work, or say in one line what
to do, and never "already exists".
"""

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from strace_kill import (
    assert_opens_or_says_what_to_do,
    assert_temp_files_go_once_stale,
    killed_at,
    riskreg,
    temp_files,
    trials,
)

from riskreg.errors import DatabaseError
from riskreg.storage.database import open_database, remove_stale_temp_files
from riskreg.storage.migrate import HEAD, alembic_config


def _schema_version(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("select version_num from alembic_version").fetchall()
    conn.close()
    return rows


@pytest.mark.slow
@pytest.mark.parametrize("calls", ["pwrite64", "fsync,fdatasync,link,rename"])
def test_init_killed_at_any_write_leaves_a_register_the_next_command_opens(
        strace, tmp_path, calls):
    for n, (call, when) in enumerate(trials(calls, tmp_path / "calls.log", "init", "--db",
                                            str(tmp_path / "clean" / "r.db"))):
        folder = tmp_path / f"t{n}"
        db = folder / "r.db"
        killed_at(call, when, "init", "--db", str(db))
        where = f"init killed at {call} #{when}"
        out = assert_opens_or_says_what_to_do(db, where)
        if not db.exists():
            # Killed before the new register was linked into place: nothing is there, the
            # next command says so and creates nothing, and init again makes it.
            assert "riskreg init" in out.stderr, f"{where}: {out.stderr}"
            assert riskreg("init", "--db", str(db)).returncode == 0, where
            out = riskreg("list", "tools", "--db", str(db))
        assert out.returncode == 0, f"{where}: {out.stderr}"
        assert "0 tools" in out.stdout, where
        assert _schema_version(db) == [(HEAD,)], where
        assert temp_files(folder) == [], where  # the killed run's temporary file was removed


@pytest.fixture(scope="module")
def older_register(tmp_path_factory) -> tuple[Path, int]:
    """A register with the starter records, at the first release's schema (0001); how many
    tools it holds."""
    db = tmp_path_factory.mktemp("older") / "r.db"
    assert riskreg("init", "--starter", "--db", str(db)).returncode == 0
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        # Back to the first release: the migrations after it both create tables (0002) and
        # rename columns (0003).
        command.downgrade(alembic_config(conn), "0001_register")
        tools = conn.execute(text("select count(*) from tool")).scalar()
        conn.exec_driver_sql("PRAGMA journal_mode=DELETE")  # one file to copy
    engine.dispose()
    assert _schema_version(db) != [(HEAD,)] and tools > 0
    return db, tools


def _copy_of(older: Path, folder: Path) -> Path:
    folder.mkdir()
    db = folder / "r.db"
    shutil.copyfile(older, db)
    db.chmod(0o600)
    return db


@pytest.mark.slow
@pytest.mark.parametrize("calls", ["pwrite64", "fsync,fdatasync,rename,unlink"])
def test_a_migration_killed_at_any_write_leaves_the_data_and_the_next_start_finishes_it(
        strace, tmp_path, older_register, calls):
    older, tools = older_register
    clean = _copy_of(older, tmp_path / "clean")
    for n, (call, when) in enumerate(trials(calls, tmp_path / "calls.log", "list", "tools",
                                            "--db", str(clean))):
        db = _copy_of(older, tmp_path / f"t{n}")
        killed_at(call, when, "list", "tools", "--db", str(db))
        where = f"migration killed at {call} #{when}"
        out = assert_opens_or_says_what_to_do(db, where)
        assert out.returncode == 0, f"{where}: {out.stderr}"
        assert f"{tools} tools" in out.stdout, where
        assert _schema_version(db) == [(HEAD,)], where
        assert_temp_files_go_once_stale(db, where)


# -- half-made files an interrupted older riskreg left (no strace needed) -------------------------

def _at_head(db_path: Path) -> None:
    open_database(db_path).close()


def test_a_half_created_register_without_records_is_finished_with_a_notice(db_path):
    _at_head(db_path)
    with sqlite3.connect(db_path) as conn:  # as a kill mid-creation left it before: some tables
        conn.execute("drop table alembic_version")
        conn.execute("drop table review")
        conn.execute("drop table incident")
    conn.close()
    db = open_database(db_path)
    db.close()
    assert any("half-created by an interrupted run" in n for n in db.notices), db.notices
    assert _schema_version(db_path) == [(HEAD,)]
    out = riskreg("list", "tools", "--db", str(db_path))
    assert out.returncode == 0 and out.stderr == "", out.stderr


def test_a_half_created_register_that_holds_records_is_refused_untouched(db_path):
    _at_head(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("drop table alembic_version")
        conn.execute("insert into owner (public_id, created_at, updated_at, revision, name, "
                     "role, contact, notes) values ('x', '2026-01-01', '2026-01-01', 1, 'Dr. A', "
                     "'', '', '')")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="interrupted riskreg schema change with records"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_an_upgrade_an_older_riskreg_left_half_done_is_undone_and_finished(
        db_path, older_register):
    older, tools = older_register
    db_path.parent.mkdir()
    shutil.copyfile(older, db_path)
    with sqlite3.connect(older) as src:
        tables = {name for (name,) in src.execute("select name from sqlite_master")}
    _at_head(db_path.parent / "head.db")
    with sqlite3.connect(db_path.parent / "head.db") as head, sqlite3.connect(db_path) as conn:
        # Under the old code each CREATE of the newest migration committed on its own.
        made = [(name, sql) for name, sql in head.execute(
            "select name, sql from sqlite_master where type = 'table' and sql is not null")
            if name not in tables]
        assert made
        conn.execute(made[0][1])
    conn.close()
    head.close()
    out = riskreg("list", "tools", "--db", str(db_path))
    assert out.returncode == 0, out.stderr  # was: "table incident already exists", every time
    assert f"{tools} tools" in out.stdout
    assert "interrupted schema upgrade" in out.stderr and "previous version was saved" in out.stderr
    assert _schema_version(db_path) == [(HEAD,)]


def test_a_failing_migration_changes_nothing(db_path, older_register, monkeypatch):
    """All migrations in one transaction: one that fails after its first statement leaves the
    schema as it was, not half-built."""
    older, _ = older_register
    db_path.parent.mkdir()
    shutil.copyfile(older, db_path)
    version = _schema_version(db_path)
    with sqlite3.connect(db_path) as conn:
        older_tables = {name for (name,) in conn.execute("select name from sqlite_master")}
    conn.close()
    from alembic.operations import Operations

    real = Operations.create_table
    made = []

    def create_then_fail(self, name, *columns, **kw):
        if name in older_tables:  # building the older schema in memory, to compare
            return real(self, name, *columns, **kw)
        if made:
            raise RuntimeError("the disk went away")
        made.append(name)
        return real(self, name, *columns, **kw)

    monkeypatch.setattr(Operations, "create_table", create_then_fail)
    with pytest.raises(RuntimeError):
        open_database(db_path)
    with sqlite3.connect(db_path) as conn:
        assert not conn.execute("select 1 from sqlite_master where name = ?", made).fetchone()
    conn.close()
    assert _schema_version(db_path) == version


# -- temporary files a kill left (D20) ----------------------------------------------------------

def _stale(path: Path, age: float = 120) -> Path:
    path.write_bytes(b"a full copy of the register")
    path.chmod(0o600)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_stale_temporary_files_of_ours_are_removed_at_the_next_open_and_named(db_path):
    _at_head(db_path)
    folder, backups = db_path.parent, db_path.parent / "backups"
    backups.mkdir(exist_ok=True)
    stale = [
        _stale(folder / ".calendar.ics.k3j9x_2q.tmp"),  # an export killed before its rename
        _stale(backups / ".riskreg-20261126T101010-pre-restore.db.tmp"),  # an older restore
        _stale(backups / ".riskreg-20261126T101010-daily.db.ab12cd34.tmp-journal"),
        _stale(folder / f".riskreg.db.new-{2 ** 22 + 12345}.tmp", age=0),  # its process is gone
    ]
    kept = [
        _stale(folder / ".calendar.ics.fresh000.tmp", age=5),  # another window is writing it
        _stale(folder / f".riskreg.db.new-{os.getppid()}.tmp", age=0),  # a live process's
        _stale(folder / "notes.tmp"),  # not our pattern
        _stale(folder.parent / ".elsewhere.ics.k3j9x_2q.tmp"),  # not our folder
    ]
    shared = _stale(folder / ".shared.ics.k3j9x_2q.tmp")
    shared.chmod(0o644)  # ours are always private: someone else's
    kept.append(shared)
    db = open_database(db_path)
    db.close()
    assert [p for p in stale if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []
    notice = [n for n in db.notices if n.startswith("Removed 4 temporary files")]
    assert len(notice) == 1, db.notices
    assert ".calendar.ics.k3j9x_2q.tmp" in notice[0]
    assert "backups/.riskreg-20261126T101010-pre-restore.db.tmp" in notice[0]
    assert db_path.exists() and _schema_version(db_path) == [(HEAD,)]


def test_the_cleanup_never_removes_the_database_even_when_it_is_named_like_a_temp_file(tmp_path):
    db_path = tmp_path / ".odd.abcdefgh.tmp"
    _at_head(db_path)
    then = time.time() - 3600
    os.utime(db_path, (then, then))
    assert remove_stale_temp_files(db_path) == []
    assert db_path.exists()


def test_a_refused_file_s_folder_is_not_cleaned(tmp_path):
    other = tmp_path / "contacts.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table contacts (name text)")
    conn.close()
    leftover = _stale(tmp_path / ".report.html.k3j9x_2q.tmp")
    with pytest.raises(DatabaseError):
        open_database(other)
    assert leftover.exists()
