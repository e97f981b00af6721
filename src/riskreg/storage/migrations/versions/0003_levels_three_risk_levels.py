"""three risk levels: the typed residual becomes the target; a current assessment (issue 17)

The "residual" likelihood and impact were a typed estimate shown as achieved while the safeguards
were only planned. They are kept, as they were typed, as the target (after the planned
safeguards); a hazard may now record a current assessment (likelihood, impact and the day it was
made), and a safeguard remembers the day it last lapsed (stopped being in place or verified).
Columns are renamed in place, so every existing value comes along; reviews keep their scores
then under the same new names, and from now on record the current risk that day too. Written
by hand (autogenerate would drop and add the columns).

Revision ID: 0003_levels
Revises: 0002_incidents
Create Date: 2026-12-03 06:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision: str = '0003_levels'
down_revision: Union[str, None] = '0002_incidents'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hazard_residual_score'))
        batch_op.alter_column('residual_likelihood', new_column_name='target_likelihood')
        batch_op.alter_column('residual_impact', new_column_name='target_impact')
        batch_op.alter_column('residual_score', new_column_name='target_score')
        batch_op.add_column(sa.Column('current_assessed_likelihood', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('current_assessed_impact', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('current_assessed_on', sa.Date(), nullable=True))
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hazard_target_score'), ['target_score'], unique=False)
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.alter_column('residual_likelihood', new_column_name='target_likelihood')
        batch_op.alter_column('residual_impact', new_column_name='target_impact')
        batch_op.add_column(sa.Column('current_likelihood', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('current_impact', sa.Integer(), nullable=True))
    with op.batch_alter_table('safeguard', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lapsed_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('safeguard', schema=None) as batch_op:
        batch_op.drop_column('lapsed_on')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_column('current_impact')
        batch_op.drop_column('current_likelihood')
        batch_op.alter_column('target_impact', new_column_name='residual_impact')
        batch_op.alter_column('target_likelihood', new_column_name='residual_likelihood')
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hazard_target_score'))
        batch_op.drop_column('current_assessed_on')
        batch_op.drop_column('current_assessed_impact')
        batch_op.drop_column('current_assessed_likelihood')
        batch_op.alter_column('target_score', new_column_name='residual_score')
        batch_op.alter_column('target_impact', new_column_name='residual_impact')
        batch_op.alter_column('target_likelihood', new_column_name='residual_likelihood')
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hazard_residual_score'), ['residual_score'], unique=False)
