"""the HHS portal's type of breach on an incident (finding 30)

The HHS portal checklist left "Type of breach" as a to-do although the intake knew what happened
(a stolen laptop). The intake now asks it, with the portal's own choices; an incident recorded
before keeps every answer and has it not answered yet (""), so its checklist still says to
choose. Written by hand, as 0003 was.

Revision ID: 0004_breach_type
Revises: 0003_levels
Create Date: 2026-12-03 09:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision: str = '0004_breach_type'
down_revision: Union[str, None] = '0003_levels'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # The server default fills the rows already there; new rows get the model's default ("").
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.add_column(sa.Column('breach_type', sqlmodel.sql.sqltypes.AutoString(length=30),
                                      nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_column('breach_type')
