"""A register on PostgreSQL (issue 22): the URL given to --db, one migration history for both
backends, writers that never fork the audit chain or lose an update, and faults said in one line.

The server is RISKREG_TEST_PG (tests/pg_server.py; .ci/run starts one)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from riskreg.errors import ConflictError
from riskreg.storage.backend import backend_for
from riskreg.storage.migrate import alembic_config
from riskreg.storage.schema import HEAD

SRC = Path(__file__).resolve().parents[1] / "src"


def riskreg(*args, env=None, timeout=120):
    full = {**os.environ, "RISKREG_TODAY": "2026-11-26", "PYTHONPATH": str(SRC), **(env or {})}
    return subprocess.run([sys.executable, "-m", "riskreg", *args], capture_output=True,
                          text=True, env=full, timeout=timeout, stdin=subprocess.DEVNULL)


def one_line_error(done, code=1):
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


# -- the URL ------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["ftp://host/file", "mysql://me@host/db", "sqlite:///x.db",
                                 "postgres+asyncpg://me@host/db"])
def test_a_url_riskreg_cannot_use_is_refused_in_one_line_and_makes_no_folder(tmp_path, url):
    done = riskreg("init", "--db", url, env={"HOME": str(tmp_path)})
    line = one_line_error(done, 2)
    assert "cannot use" in line and "postgresql://user@host:port/dbname" in line
    assert list(tmp_path.iterdir()) == []  # it once made a folder named `ftp:` or `postgresql:`
    assert not Path(url.split("://")[0] + ":").exists()


def test_riskreg_db_with_an_unsupported_url_is_refused_naming_the_variable(tmp_path):
    done = riskreg("list", "tools", env={"RISKREG_DB": "https://example.org/x"})
    assert one_line_error(done, 2).startswith("riskreg: RISKREG_DB: ")


@pytest.mark.parametrize("url, words", [
    ("postgresql://me@host:abc/db", "is not a valid URL (Port could not be cast"),
    ("postgresql://me:pw-in-it@[::1/db", "is not a valid URL (Invalid IPv6 URL)"),
])
def test_a_malformed_postgresql_url_is_one_line_without_its_password(url, words):
    done = riskreg("list", "tools", "--db", url)
    assert words in one_line_error(done, 2) and "pw-in-it" not in done.stderr


def test_a_server_name_that_does_not_resolve_is_one_line():
    done = riskreg("list", "tools", "--db", "postgresql://me@no-such-host.invalid/db")
    assert "cannot reach the PostgreSQL server at no-such-host.invalid:5432" in one_line_error(done)


def test_a_url_without_a_database_name_is_refused():
    line = one_line_error(riskreg("init", "--db", "postgresql://me@127.0.0.1:5432"), 2)
    assert "names no database" in line


def test_a_password_in_the_url_never_appears_in_a_message():
    # Port 1 on loopback: nothing listens, the driver's message names the URL's parts.
    done = riskreg("list", "tools", "--db", "postgresql://me:s3cr3t-pw@127.0.0.1:1/register")
    line = one_line_error(done)
    assert "cannot reach the PostgreSQL server at 127.0.0.1:1" in line
    assert "s3cr3t-pw" not in done.stderr + done.stdout


def test_without_psycopg_one_line_says_which_extra_to_install(tmp_path):
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text("import sys\nsys.modules['psycopg'] = None\n", encoding="utf-8")
    done = riskreg("list", "tools", "--db", "postgresql://me@127.0.0.1:1/register",
                   env={"PYTHONPATH": f"{tmp_path}{os.pathsep}{SRC}"})
    assert one_line_error(done) == ("riskreg: PostgreSQL support is not installed: "
                                    "pip install 'riskreg[postgres]'")


# -- one migration history for both -------------------------------------------------------------

def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _no_diff(connection) -> list:
    from sqlmodel import SQLModel

    import riskreg.storage.tables  # noqa: F401

    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, SQLModel.metadata)


def _constraint_names(connection) -> set[str]:
    from sqlalchemy import inspect

    inspector = inspect(connection)
    names = set()
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        names.add(inspector.get_pk_constraint(table)["name"])
        names.update(c["name"] for c in inspector.get_unique_constraints(table))
        names.update(c["name"] for c in inspector.get_foreign_keys(table))
    return names


def test_the_migrations_from_empty_match_the_models_on_postgresql(pg_empty_url):
    backend_for(pg_empty_url).open(create=True).close()
    engine = create_engine(pg_empty_url.replace("postgresql://", "postgresql+psycopg://"),
                           poolclass=NullPool)
    try:
        with engine.connect() as conn:
            assert _no_diff(conn) == []  # `alembic check`: no difference
            assert conn.execute(text("select version_num from alembic_version")).scalar() == HEAD
            names = _constraint_names(conn)
    finally:
        engine.dispose()
    assert "fk_hazard_owner_id_owner" in names and "pk_hazard" in names
    assert "uq_hazard_tool_hazard_id_tool_id" in names
    assert not [n for n in names if n.endswith(("_pkey", "_key", "_fkey"))]


def test_sqlite_and_postgresql_carry_the_same_constraint_names(pg_empty_url, tmp_path):
    from riskreg.storage.database import open_database

    open_database(tmp_path / "r.db").close()
    backend_for(pg_empty_url).open(create=True).close()
    engines = [create_engine(f"sqlite:///{tmp_path / 'r.db'}"),
               create_engine(pg_empty_url.replace("postgresql://", "postgresql+psycopg://"),
                             poolclass=NullPool)]
    found = []
    for engine in engines:
        with engine.connect() as conn:
            found.append(_constraint_names(conn))
        engine.dispose()
    assert found[0] == found[1]


@pytest.mark.parametrize("start", [rev for rev in _revisions() if rev != HEAD])
def test_each_earlier_head_upgrades_to_head_on_postgresql(pg_empty_url, start):
    """A server register made by an older riskreg (the migrations up to `start`, with
    PostgreSQL's own constraint names: no convention then) reaches HEAD and matches the
    models, its records kept."""
    from sqlalchemy import MetaData
    from sqlmodel import SQLModel

    engine = create_engine(pg_empty_url.replace("postgresql://", "postgresql+psycopg://"),
                           poolclass=NullPool)
    convention = SQLModel.metadata.naming_convention
    try:
        # An older riskreg had no naming convention: the server named the constraints.
        SQLModel.metadata.naming_convention = MetaData().naming_convention
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), start)
            conn.execute(text("insert into owner (public_id, created_at, updated_at, revision, "
                              "name, role, contact, notes) values ('o-1', now(), now(), 1, "
                              "'Dr. Old', '', '', '')"))
    finally:
        SQLModel.metadata.naming_convention = convention
    try:
        backend_for(pg_empty_url).open().close()
        with engine.connect() as conn:
            assert conn.execute(text("select version_num from alembic_version")).scalar() == HEAD
            assert conn.execute(text("select name from owner")).scalar() == "Dr. Old"
            assert _no_diff(conn) == []
    finally:
        engine.dispose()


@pytest.mark.parametrize("start", [rev for rev in _revisions() if rev != HEAD])
def test_each_earlier_head_upgrades_to_head_on_sqlite(tmp_path, start):
    from sqlalchemy import MetaData
    from sqlmodel import SQLModel

    from riskreg.storage.database import open_database

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    convention = SQLModel.metadata.naming_convention
    try:
        SQLModel.metadata.naming_convention = MetaData().naming_convention
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), start)
    finally:
        SQLModel.metadata.naming_convention = convention
    open_database(path).close()
    with engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == HEAD
        assert _no_diff(conn) == []
        assert "fk_hazard_owner_id_owner" in _constraint_names(conn)
    engine.dispose()


def test_a_database_of_another_program_is_refused_untouched(pg_empty_url):
    engine = create_engine(pg_empty_url.replace("postgresql://", "postgresql+psycopg://"),
                           poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("create table invoices (id int)"))
    done = riskreg("init", "--db", pg_empty_url)
    assert "holds other tables, not a riskreg register" in one_line_error(done)
    with engine.connect() as conn:
        tables = set(conn.execute(text(
            "select tablename from pg_tables where schemaname = 'public'")).scalars())
    engine.dispose()
    assert tables == {"invoices"}


def test_an_empty_database_is_not_taken_for_a_register_by_a_reading_command(pg_empty_url):
    line = one_line_error(riskreg("list", "tools", "--db", pg_empty_url))
    assert "there is no register yet" in line and "riskreg init --db URL" in line


# -- the four breakages -------------------------------------------------------------------------

def test_a_stale_save_is_refused_not_lost_when_two_windows_saved_from_one_reading(pg_url):
    """Two windows read revision 1; the first saves; the second's save, under READ COMMITTED,
    is refused (it once silently overwrote the first)."""
    from riskreg.services.register import RegisterService

    first, second = backend_for(pg_url).open(), backend_for(pg_url).open()
    try:
        a = RegisterService(first, today=lambda: None)
        b = RegisterService(second, today=lambda: None)
        owner = a.create("owner", {"name": "Dr. Rivera"})
        a.update("owner", owner["public_id"], {"name": "Dr. A"}, owner["revision"])
        with pytest.raises(ConflictError, match="changed elsewhere"):
            b.update("owner", owner["public_id"], {"name": "Dr. B"}, owner["revision"])
        assert b.get("owner", owner["public_id"])["name"] == "Dr. A"
    finally:
        first.close()
        second.close()


def test_a_revision_claim_waits_for_the_other_writer_and_then_refuses(pg_url):
    """The claim itself (storage/revisions.py), without the write lock in front of it: while
    another transaction holds the row changed but uncommitted, the claim waits, then sees the
    new revision and matches no row."""
    import threading

    from sqlmodel import Session, select

    from riskreg.services.register import RegisterService
    from riskreg.storage import revisions
    from riskreg.storage.models import Owner

    db = backend_for(pg_url).open()
    try:
        owner = RegisterService(db, today=lambda: None).create("owner", {"name": "Dr. Rivera"})
        plain = db.engine  # no advisory lock: only the row lock orders these two
        with Session(plain) as holder, holder.begin():
            row = holder.exec(select(Owner).where(Owner.public_id == owner["public_id"])).one()
            assert revisions.claim(holder, row, 1)
            row.revision = 2
            holder.flush()
            answers = []

            def other():
                with Session(plain) as late, late.begin():
                    mine = late.exec(
                        select(Owner).where(Owner.public_id == owner["public_id"])).one()
                    answers.append(revisions.claim(late, mine, 1))

            thread = threading.Thread(target=other)
            thread.start()
            thread.join(1.0)
            assert thread.is_alive()  # waiting on the row
        thread.join(10)
        assert answers == [False]
    finally:
        db.close()


def test_an_import_resets_the_sequences_so_the_next_record_gets_a_new_id(pg_url, tmp_path):
    from riskreg.services.register import RegisterService
    from riskreg.storage import audit

    solo = str(tmp_path / "solo.db")
    assert riskreg("demo", "--db", solo, "--hazards", "6").returncode == 0
    assert riskreg("export", "json", "--db", solo, "--out", str(tmp_path / "e.json")).returncode == 0
    done = riskreg("import", "json", str(tmp_path / "e.json"), "--db", pg_url)
    assert done.returncode == 0, done.stderr
    db = backend_for(pg_url).open()
    try:
        register = RegisterService(db, today=lambda: None)
        added = register.create("owner", {"name": "A new clinician"})  # once UniqueViolation
        assert register.get("owner", added["public_id"])["name"] == "A new clinician"
        with db.reading() as session:
            assert audit.verify(session).ok
    finally:
        db.close()


def test_json_columns_are_never_grouped_or_compared_on_postgresql(pg_url, tmp_path):
    """PostgreSQL's json has no equality operator ("could not identify an equality operator for
    type json"): what reads the incidents' JSON answers (phi_types, exceptions) must never group,
    sort, DISTINCT or compare them. The demo's incidents, listed, shown, exported, reported and on
    the dashboard, run every such query."""
    assert riskreg("demo", "--db", pg_url).returncode == 0
    for args in (["incidents", "list"], ["incidents", "show", "INC-2026-001"],
                 ["export", "json", "--out", str(tmp_path / "e.json")],
                 ["export", "csv", "--what", "incidents", "--out", str(tmp_path / "i.csv")],
                 ["due"], ["audit", "verify"]):
        done = riskreg(*args, "--db", pg_url)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (args, done.stderr)
        assert "equality operator" not in done.stderr


def test_each_change_on_a_server_names_the_role_that_made_it_not_the_practitioner(pg_url):
    """On PostgreSQL each clinician connects as their own role: the audit event names the
    server's session_user (45 CFR 164.312(a)(2)(i)), even where the settings name a
    practitioner (who names the file's user on SQLite)."""
    from riskreg.services.register import RegisterService
    from riskreg.services.settings import SettingsService
    from riskreg.storage import audit

    db = backend_for(pg_url).open()
    try:
        SettingsService(db).update({"practitioner": "Dr. Rivera"}, None)
        RegisterService(db, today=lambda: None).create("owner", {"name": "Front desk"})
        with db.reading() as session:
            actors = [e.actor for e in audit.read_events(session)]
            role = session.execute(text("SELECT session_user")).scalar_one()
    finally:
        db.close()
    assert role == "riskreg" and actors == ["riskreg", "riskreg"]
