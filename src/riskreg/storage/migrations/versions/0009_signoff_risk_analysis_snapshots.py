"""the signed risk analysis and the year's guided review (issue 23)

Three new tables, no change to the existing ones (so no batch rebuild touches a row):
`risk_analysis_snapshot` (the register frozen when the practitioner signs the risk analysis,
with its SHA-256 and the audit chain's head), `annual_review` (one year's review, from its start
to the sign-off that ends it) and `annual_review_check` (a hazard carried forward with a reason,
a tool's BAA and checklist confirmed, an addressable decision re-confirmed). Written by hand.

Revision ID: 0009_signoff
Revises: 0008_actors
Create Date: 2026-12-07 23:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import riskreg.storage.types


revision: str = '0009_signoff'
down_revision: Union[str, None] = '0008_actors'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _tracked() -> list[sa.Column]:
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('created_at', riskreg.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', riskreg.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('archived_at', riskreg.storage.types.UTCDateTime(timezone=True), nullable=True),
    ]


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_archived_at'), ['archived_at'], unique=False)
        batch_op.create_index(batch_op.f(f'ix_{table}_public_id'), ['public_id'], unique=True)
        for column in columns:
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        'risk_analysis_snapshot', *_tracked(),
        sa.Column('signed_on', sa.Date(), nullable=False),
        sa.Column('signed_at', riskreg.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('signed_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('statement', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('body', sa.JSON(), nullable=False),
        sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('audit_seq', sa.Integer(), nullable=False),
        sa.Column('audit_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    _indexes('risk_analysis_snapshot', 'signed_on')
    op.create_table(
        'annual_review', *_tracked(),
        sa.Column('started_on', sa.Date(), nullable=False),
        sa.Column('snapshot_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['snapshot_id'], ['risk_analysis_snapshot.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    _indexes('annual_review', 'started_on', 'snapshot_id')
    op.create_table(
        'annual_review_check', *_tracked(),
        sa.Column('annual_review_id', sa.Integer(), nullable=False),
        sa.Column('subject_kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('checked_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['annual_review_id'], ['annual_review.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    _indexes('annual_review_check', 'annual_review_id', 'subject')


def downgrade() -> None:
    op.drop_table('annual_review_check')
    op.drop_table('annual_review')
    op.drop_table('risk_analysis_snapshot')
