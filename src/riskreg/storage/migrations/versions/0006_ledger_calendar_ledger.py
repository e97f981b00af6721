"""the calendar export ledger (issue 20)

One row per calendar target (an .ics file or a vdir folder, by its resolved path) and UID: the
content hash, SEQUENCE and DTSTAMP last written there and whether the event was written
cancelled, so that the next export to that target raises SEQUENCE on a change and sends a
cancellation for what is gone. A register made before starts with an empty ledger: its first
export to a target writes what it wrote before. Written by hand, as 0003-0005 were.

Revision ID: 0006_ledger
Revises: 0005_workflow
Create Date: 2026-12-07 23:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401

import riskreg.storage.types


revision: str = '0006_ledger'
down_revision: Union[str, None] = '0005_workflow'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'calendar_ledger',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('target', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('dtstamp', riskreg.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('cancelled', sa.Boolean(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('cancelled_on', sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('target', 'uid'),
    )
    with op.batch_alter_table('calendar_ledger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_ledger_target'), ['target'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('calendar_ledger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_ledger_target'))
    op.drop_table('calendar_ledger')
