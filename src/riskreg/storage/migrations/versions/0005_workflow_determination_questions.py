"""what 164.402 asks, and the Part 2 count, on an incident (issue 19)

Three answers the decision path did not ask: whether the use or disclosure was one the Privacy
Rule permits (`use_permitted`, with `permitted_basis`), and for the encryption safe harbor
whether the encryption protected the data at the moment of the incident
(`encryption_in_force`). An incident recorded before keeps every answer and its determination;
the new questions are not answered yet (NULL), which the presumption shows as still to record
without changing what it presumed before.

`part2_affected` counts the affected people whose 42 CFR Part 2 records were involved (the
separate Part 2 report counts them, 42 CFR 2.16). An incident recorded with Part 2 records gets
its total affected: the count the plan used until now, so its plan does not change. Written by
hand, as 0003 and 0004 were.

Revision ID: 0005_workflow
Revises: 0004_breach_type
Create Date: 2026-12-07 15:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision: str = '0005_workflow'
down_revision: Union[str, None] = '0004_breach_type'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.add_column(sa.Column('use_permitted', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('permitted_basis', sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('encryption_in_force', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('part2_affected', sa.Integer(), nullable=False,
                                      server_default='0'))
    incident = sa.table('incident', sa.column('part2', sa.Boolean()),
                        sa.column('affected', sa.Integer()),
                        sa.column('part2_affected', sa.Integer()))
    op.execute(
        incident.update()
        .where(incident.c.part2 == sa.true())
        .values(part2_affected=sa.func.coalesce(incident.c.affected, 0))
    )


def downgrade() -> None:
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_column('part2_affected')
        batch_op.drop_column('encryption_in_force')
        batch_op.drop_column('permitted_basis')
        batch_op.drop_column('use_permitted')
