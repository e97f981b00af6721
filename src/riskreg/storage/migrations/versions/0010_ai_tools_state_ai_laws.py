"""AI tools and consent under the 2025-2026 state laws; security checklist (issue 23)

A tool gains how it uses AI (`ai_use`), what it does with sessions and clients
(`records_sessions`, `detects_emotions`, `clinical_decisions`, `clinician_reviews_output`), its
security checklist (`mfa_enabled`, `encrypted_at_rest`, `encrypted_in_transit`), its restore order
(`restore_priority`, `restore_target_hours`) and the business associate's yearly written
verification (`ba_verification_received_on`, `ba_verification_due_on`). A consent gains the
purpose disclosed in writing, how it was given, its revocation date, whether sessions are
recorded or transcribed and the client's state. The practice settings gain whether it receives
federal financial assistance (Section 1557) and whether it holds Part 2 records.

Every row recorded before keeps its values; the new answers are not recorded yet (NULL, or
"not_recorded" for the two choices), so no rule flags an older record for what it never said.
Written by hand, as 0003 to 0005 were.

Revision ID: 0010_ai_tools
Revises: 0009_signoff
Create Date: 2026-12-07 23:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision: str = '0010_ai_tools'
down_revision: Union[str, None] = '0009_signoff'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_TOOL_FLAGS = ('records_sessions', 'detects_emotions', 'clinical_decisions',
               'clinician_reviews_output', 'mfa_enabled', 'encrypted_at_rest',
               'encrypted_in_transit')


def upgrade() -> None:
    with op.batch_alter_table('tool', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ai_use', sqlmodel.sql.sqltypes.AutoString(length=20),
                                      nullable=False, server_default='not_recorded'))
        for name in _TOOL_FLAGS:
            batch_op.add_column(sa.Column(name, sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('restore_priority', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('restore_target_hours', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ba_verification_received_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ba_verification_due_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_tool_ba_verification_due_on'),
                              ['ba_verification_due_on'], unique=False)
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose_disclosed',
                                      sqlmodel.sql.sqltypes.AutoString(length=500),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('consent_method',
                                      sqlmodel.sql.sqltypes.AutoString(length=20),
                                      nullable=False, server_default='not_recorded'))
        batch_op.add_column(sa.Column('revoked_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('sessions_recorded', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('client_state', sqlmodel.sql.sqltypes.AutoString(length=2),
                                      nullable=False, server_default=''))
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('federal_assistance', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('part2_records', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.drop_column('part2_records')
        batch_op.drop_column('federal_assistance')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        for name in ('client_state', 'sessions_recorded', 'revoked_on', 'consent_method',
                     'purpose_disclosed'):
            batch_op.drop_column(name)
    with op.batch_alter_table('tool', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tool_ba_verification_due_on'))
        for name in ('ba_verification_due_on', 'ba_verification_received_on',
                     'restore_target_hours', 'restore_priority', *reversed(_TOOL_FLAGS), 'ai_use'):
            batch_op.drop_column(name)
