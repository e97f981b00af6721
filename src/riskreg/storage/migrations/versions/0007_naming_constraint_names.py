"""one name for each constraint on SQLite and PostgreSQL (issue 22)

The constraint naming convention (storage/naming.py) gives every primary key, unique constraint
and foreign key the same name on both backends: `pk_<table>`, `uq_<table>_<columns>`,
`fk_<table>_<columns>_<referred table>`. Registers made before it carry none (SQLite) or the
server's own (PostgreSQL: `hazard_pkey`, `hazard_tool_hazard_id_tool_id_key`,
`hazard_owner_id_fkey`). On SQLite each such table is recreated with the names (batch mode;
riskreg runs migrations with foreign keys off and checks them before the commit); on PostgreSQL
each constraint is renamed in place. A table already named so is left alone. Nothing else
changes: no column, no row. Written by hand; the patterns are copied here, frozen, so a later
change to the convention does not rewrite history.

Revision ID: 0007_naming
Revises: 0006_ledger
Create Date: 2026-12-07 23:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision: str = '0007_naming'
down_revision: Union[str, None] = '0006_ledger'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _wanted(inspector, table: str) -> list[tuple[str | None, str]]:
    """(name now, name by the convention) for each constraint of `table`."""
    pairs = []
    pk = inspector.get_pk_constraint(table)
    if pk and pk.get("constrained_columns"):
        pairs.append((pk.get("name"), f"pk_{table}"))
    for uq in inspector.get_unique_constraints(table):
        pairs.append((uq.get("name"), f"uq_{table}_{'_'.join(uq['column_names'])}"))
    for fk in inspector.get_foreign_keys(table):
        pairs.append((fk.get("name"),
                      f"fk_{table}_{'_'.join(fk['constrained_columns'])}_{fk['referred_table']}"))
    return pairs


def _tables(inspector) -> list[str]:
    return sorted(t for t in inspector.get_table_names() if t != "alembic_version")


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    for table in _tables(inspector):
        pairs = [(now, new) for now, new in _wanted(inspector, table) if now != new]
        if not pairs:
            continue
        if bind.dialect.name == "sqlite":
            # Reflected unnamed constraints take their names from the convention.
            with op.batch_alter_table(table, recreate="always", naming_convention=NAMING):
                pass
        else:
            for now, new in pairs:
                op.execute(sa.text(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{now}" TO "{new}"'))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return  # named constraints are what the older schema reads too; nothing to undo
    inspector = sa.inspect(bind)
    for table in _tables(inspector):
        pk = inspector.get_pk_constraint(table)
        if pk.get("name") == f"pk_{table}":
            op.execute(sa.text(f'ALTER TABLE "{table}" RENAME CONSTRAINT "pk_{table}" TO "{table}_pkey"'))
        for uq in inspector.get_unique_constraints(table):
            old = f"{table}_{'_'.join(uq['column_names'])}_key"
            op.execute(sa.text(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{uq["name"]}" TO "{old}"'))
        for fk in inspector.get_foreign_keys(table):
            old = f"{table}_{'_'.join(fk['constrained_columns'])}_fkey"
            op.execute(sa.text(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{fk["name"]}" TO "{old}"'))
