"""Shared by the migration tests: a register's row counts per table, and the moves up and down
the Alembic history. Each test goes down to the revision just before its own migration (asked of
Alembic, not written down), so it keeps testing only its own step however later migrations are
chained after it."""

import sqlite3

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from riskreg.storage.migrate import alembic_config


def table_counts(db_path) -> dict[str, int]:
    """Rows per table (Alembic's own version table left out)."""
    with sqlite3.connect(db_path) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'")]
        counts = {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    conn.close()
    return counts


def revision_before(revision: str) -> str:
    """The revision `revision` follows in the history."""
    down = ScriptDirectory.from_config(alembic_config()).get_revision(revision).down_revision
    assert isinstance(down, str), f"{revision} follows {down!r}, not one revision"
    return down


def downgrade(db_path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)
    engine.dispose()


def upgrade(db_path, revision: str = "head") -> None:
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)
    engine.dispose()


def same_rows(before: dict[str, int], after: dict[str, int]) -> bool:
    """Every table both sides have holds as many rows; a table only one side has (made by a later
    migration than the one tested, so gone below it) holds none."""
    common = before.keys() & after.keys()
    only = {**{k: v for k, v in before.items() if k not in common},
            **{k: v for k, v in after.items() if k not in common}}
    return {k: before[k] for k in common} == {k: after[k] for k in common} and not any(
        only.values())
