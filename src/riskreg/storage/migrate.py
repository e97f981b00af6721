"""Schema migrations (Alembic), shipped inside the package and applied at start-up.

Alembic is imported only when a database is not at HEAD (a new one, or one to upgrade or refuse):
opening an up-to-date database reads its `alembic_version` with a plain query instead, which
saves Alembic's import (about a quarter of a second) at every start.

Every migration a start-up applies runs in one transaction (reliability review D4): SQLite's DDL
is transactional, but under pysqlite's defaults each CREATE committed on its own, so a kill
mid-migration left a schema half-built ("table incident already exists" at every later start).
What a file holds is read first on a read-only connection (`inspect_file`), so another
program's database is refused before anything writes to it (D7), and a half-made schema of our
own, left by an interrupted run of an older riskreg, is recognized and finished (`plan`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

from riskreg.errors import DatabaseError, one_line
from riskreg.storage.schema import HEAD

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_S = 10.0
_SCRATCH = "_alembic_tmp_"
"""Alembic's batch mode copies a table into `_alembic_tmp_<name>`: never a user's data alone."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the shipped migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_at_head(engine: Engine) -> bool:
    """The database's schema is HEAD, read without Alembic: one row in `alembic_version`, equal to
    HEAD. False when the table is missing (a new database) or says anything else; other errors (a
    damaged file, a wrong passphrase) are raised, as Alembic's own read would raise them."""
    with engine.connect() as conn:
        if not conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first():
            return False
        rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    return [tuple(row) for row in rows] == [(HEAD,)]


# -- what a file holds, read without writing ----------------------------------------------------

@dataclass
class Found:
    """The schema of an existing SQLite file, as read on a read-only connection."""

    tables: set[str]
    indexes: dict[str, str]
    """Index name -> its table (SQLite's own automatic indexes left out)."""
    versions: list[str] | None
    """The rows of `alembic_version`; None when there is no such table."""
    with_rows: set[str] = field(default_factory=set)
    """The tables that hold at least one row (read only when the schema is not at HEAD)."""

    @property
    def at_head(self) -> bool:
        return self.versions == [HEAD]


def _read_only(path: Path, passphrase: str | None, header: bytes, as_is: bool) -> Any:
    if passphrase is not None:
        from riskreg.storage import cipher

        return cipher.connect(path, passphrase, timeout=BUSY_TIMEOUT_S)
    uri = f"file:{quote(str(path))}?mode=ro"
    if as_is or (header[18:20] == b"\x02\x02" and not Path(f"{path}-wal").exists()):
        # A WAL database nobody has open: a read-only connection would still leave an empty
        # -wal and a -shm beside it. Nothing is pending in a WAL that does not exist.
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)


SQLITE_READONLY_ROLLBACK = 776
"""A read-only connection met a hot journal: a writer was killed mid-transaction."""


def needs_recovery(error: Exception) -> bool:
    """`error` says the file has a hot journal that only a read-write connection rolls back."""
    return getattr(error, "sqlite_errorcode", None) == SQLITE_READONLY_ROLLBACK


def recover(path: Path) -> None:
    """Roll back the hot journal a killed writer left (any read on a read-write connection does
    it), so the file reads as its last committed state. Only for a file that is ours."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def inspect_file(path: Path, passphrase: str | None, header: bytes, *,
                 as_is: bool = False) -> Found:
    """What the SQLite file at `path` holds, read without writing to it (no journal-mode switch,
    no chmod). Driver errors (damage, a wrong passphrase, a hot journal) are raised as they
    come. `as_is`: the file's pages as they are, ignoring a journal (a first look only)."""
    conn = _read_only(path, passphrase, header, as_is)
    try:
        rows = conn.execute("SELECT type, name, tbl_name FROM sqlite_master").fetchall()
        tables = {name for kind, name, _ in rows if kind == "table" and not name.startswith("sqlite_")}
        indexes = {name: table for kind, name, table in rows
                   if kind == "index" and not name.startswith("sqlite_")}
        versions = None
        if "alembic_version" in tables:
            versions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
        found = Found(tables - {"alembic_version"}, indexes, versions)
        if not found.at_head:
            found.with_rows = {name for name in found.tables if conn.execute(
                f'SELECT 1 FROM "{name.replace(chr(34), chr(34) * 2)}" LIMIT 1').fetchone()}
        return found
    finally:
        conn.close()


@dataclass
class Plan:
    """What opening an existing file will do to its schema."""

    current: str | None
    """The schema version it is at (None: no riskreg schema yet)."""
    drop_tables: list[str] = field(default_factory=list)
    drop_indexes: list[str] = field(default_factory=list)
    """Left by an interrupted migration of an older riskreg: empty, undone before upgrading."""

    @property
    def half_made(self) -> bool:
        return bool(self.drop_tables or self.drop_indexes)


def known_revision(versions: list[str]) -> bool:
    """`versions` (alembic_version's rows) is one revision of the shipped migrations."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return len(versions) == 1 and versions[0] in {r.revision for r in script.walk_revisions()}


def our_tables() -> set[str]:
    return _our_tables()


def _our_tables() -> set[str]:
    from sqlmodel import SQLModel

    import riskreg.storage.tables  # noqa: F401  (registers every table)

    return set(SQLModel.metadata.tables)


@lru_cache(maxsize=8)
def _schema_at(revision: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """The tables and indexes the shipped migrations make up to `revision` (built in memory)."""
    if revision is None:
        return frozenset(), frozenset()
    from alembic import command

    engine = create_engine("sqlite://", poolclass=NullPool)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), revision)
            rows = conn.exec_driver_sql("SELECT type, name FROM sqlite_master").fetchall()
    finally:
        engine.dispose()
    tables = {n for t, n in rows if t == "table" and n != "alembic_version"}
    indexes = {n for t, n in rows if t == "index" and not n.startswith("sqlite_")}
    return frozenset(tables), frozenset(indexes)


def plan(found: Found, path: Path) -> Plan:
    """Decide what to do with an existing file before anything writes to it; DatabaseError (one
    line) for a file riskreg must not change: another program's, a newer riskreg's, or a
    half-made schema that somehow holds records."""
    shown = one_line(str(path))
    if found.at_head:
        return Plan(HEAD)
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    versions = found.versions or []
    if len(versions) > 1 or (versions and versions[0] not in known):
        shown_version = ", ".join(versions)
        raise DatabaseError(
            f"{shown} was written by a newer version of riskreg (schema {one_line(shown_version)}); "
            "upgrade riskreg to open it. Nothing was changed."
        )
    current = versions[0] if versions else None
    ours = _our_tables()
    if current is None and any(
            name not in ours and not name.startswith(_SCRATCH) for name in found.tables):
        raise DatabaseError(f"{shown} is an SQLite database but not a riskreg one; "
                            "nothing was changed")
    tables, indexes = _schema_at(current)
    extra = sorted(name for name in found.tables - tables
                   if name in ours or name.startswith(_SCRATCH))
    with_rows = [name for name in extra if name in found.with_rows]
    if with_rows:
        raise DatabaseError(
            f"{shown} holds part of an interrupted riskreg schema change with records in it "
            f"({one_line(', '.join(with_rows))}); nothing was changed. Restore the copy saved "
            "before it from the backups folder (riskreg restore), or choose another path"
        )
    kept = tables | set(extra)
    extra_indexes = sorted(name for name, table in found.indexes.items()
                           if name not in indexes and table in kept and table not in extra)
    return Plan(current, extra, extra_indexes)


# -- applying the migrations --------------------------------------------------------------------

def _migration_engine(path: Path, passphrase: str | None) -> Engine:
    """An engine whose connections start every transaction with BEGIN IMMEDIATE themselves and
    have foreign keys OFF: Alembic's batch mode recreates SQLite tables, and with foreign keys on
    that silently cascade-deletes child rows (PRAGMA foreign_keys is ignored inside a
    transaction, so it is set as each connection opens, before any BEGIN)."""

    def connect() -> Any:
        if passphrase is None:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
        else:
            from riskreg.storage import cipher

            conn = cipher.connect(path, passphrase, timeout=BUSY_TIMEOUT_S,
                                  check_same_thread=False)
            conn.isolation_level = None
        conn.execute("PRAGMA foreign_keys=OFF")
        return conn

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def run_migrations(path: Path, passphrase: str | None, schema: Plan | None = None) -> None:
    """Apply every pending migration to the file at `path` in ONE transaction: all of them, or
    (on any error or a kill) none. Tables and indexes an interrupted older run left behind
    (`schema.drop_*`, empty) are dropped in the same transaction; foreign keys are checked before
    the commit, so a migration that would break a reference changes nothing."""
    from alembic import command

    schema = schema or Plan(None)
    engine = _migration_engine(path, passphrase)
    try:
        with engine.connect() as conn, conn.begin():
            for name in schema.drop_indexes:
                conn.exec_driver_sql(f'DROP INDEX IF EXISTS "{name.replace(chr(34), chr(34) * 2)}"')
            for name in schema.drop_tables:
                conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name.replace(chr(34), chr(34) * 2)}"')
            # The connection is already in a transaction, so Alembic runs inside it and never
            # commits between migrations (migrations/env.py asks for this too).
            command.upgrade(alembic_config(conn), "head")
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise DatabaseError(
                    f"the migration of {one_line(str(path))} would leave {len(broken)} broken "
                    "references; nothing was changed"
                )
    finally:
        engine.dispose()


def upgrade(path: Path, schema: Plan, now: datetime, notices: list[str],
            passphrase: str | None = None) -> None:
    """Bring the existing database at `path` to the newest schema, after taking a copy of it
    when it holds a schema already (a half-made one without a version holds no records)."""
    if schema.current == HEAD and not schema.half_made:
        return
    from riskreg.storage.backup import rolling_backup

    shown = one_line(str(path))
    if schema.current is not None:
        copy = rolling_backup(path, "pre-migration", now, passphrase)
        notices.append(f"Database upgraded; the previous version was saved as {copy}.")
    run_migrations(path, passphrase, schema)
    if schema.half_made and schema.current is None:
        notices.append(f"{shown} was left half-created by an interrupted run (it held no "
                       "records); its creation was completed.")
    elif schema.half_made:
        notices.append(f"{shown} held part of an interrupted schema upgrade (no records in it); "
                       "it was undone and the upgrade completed.")
