"""who made each audit event (issue 22: 45 CFR 164.312(b), 164.312(a)(2)(i))

A new column `actor` on the audit events: who made the change (storage/actors.py). Events
written before have no recorded actor; they get "unknown (before actors were recorded)", which
their hash does not cover (storage/audit.py hashes an event with that actor as it was written),
so `riskreg audit verify` still verifies the whole chain. Written by hand, as 0003-0005 were.

Revision ID: 0008_actors
Revises: 0007_naming
Create Date: 2026-12-07 23:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision: str = '0008_actors'
down_revision: Union[str, None] = '0007_naming'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

LEGACY_ACTOR = 'unknown (before actors were recorded)'


def upgrade() -> None:
    # One ALTER: every existing event gets the legacy actor through the column's default.
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=200),
                                      nullable=False, server_default=LEGACY_ACTOR))


def downgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('actor')
