"""Schema migrations (Alembic), shipped inside the package and applied at start-up.

Alembic is imported only when a database is not at HEAD (a new one, or one to upgrade or refuse):
opening an up-to-date database reads its `alembic_version` with a plain query instead, which
saves Alembic's import (about a quarter of a second) at every start.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from riskreg.errors import DatabaseError
from riskreg.storage.schema import HEAD

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"



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


def upgrade(
    engine: Engine, path: Path, now: datetime, notices: list[str], passphrase: str | None = None
) -> None:
    """Bring the database at `path` to the newest schema, after taking a copy of it."""
    if is_at_head(engine):
        return
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from riskreg.storage.backup import rolling_backup

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = set(inspect(conn).get_table_names())
    if current == head:
        return
    if current is None and tables - {"alembic_version"}:
        raise DatabaseError(
            f"{path} is an SQLite database but not a riskreg one; nothing was changed"
        )
    if current is not None:
        known = {rev.revision for rev in script.walk_revisions()}
        if current not in known:
            raise DatabaseError(
                f"{path} was written by a newer version of riskreg (schema {current}); "
                "upgrade riskreg to open it. Nothing was changed."
            )
        copy = rolling_backup(path, "pre-migration", now, passphrase)
        notices.append(f"Database upgraded; the previous version was saved as {copy}.")
    _run_upgrade(path, passphrase)


def _run_upgrade(path: Path, passphrase: str | None) -> None:
    # A separate engine with foreign keys OFF: Alembic's batch mode recreates SQLite tables, and
    # with foreign keys on that silently cascade-deletes child rows. Checked afterwards instead.
    from alembic import command

    from riskreg.storage.database import make_engine

    engine = make_engine(path, passphrase)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            command.upgrade(alembic_config(conn), "head")
        with engine.connect() as conn:
            broken = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
        if broken:
            raise DatabaseError(
                f"the migration of {path} left {len(broken)} broken references; "
                "restore the pre-migration copy from the backups folder"
            )
    finally:
        engine.dispose()
