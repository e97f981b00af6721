"""Schema migrations (Alembic), shipped inside the package and applied at start-up."""

from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from riskreg.errors import DatabaseError
from riskreg.storage.backup import rolling_backup

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the shipped migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(
    engine: Engine, path: Path, now: datetime, notices: list[str], passphrase: str | None = None
) -> None:
    """Bring the database at `path` to the newest schema, after taking a copy of it."""
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
