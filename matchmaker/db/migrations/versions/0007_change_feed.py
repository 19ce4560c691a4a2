"""the change log behind the change feed

Revision ID: 0007_change_feed
Revises: 0006_session_version
Create Date: 2026-11-30 13:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0007_change_feed'
down_revision = '0006_session_version'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('resource', sa.String(length=30), nullable=False),
        sa.Column('resource_id', sa.String(length=60), nullable=False),
        sa.Column('action', sa.String(length=30), nullable=False),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('scope', sa.String(length=30), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_changes')),
    )
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_changes_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_changes_scope'), ['scope'], unique=False)
        batch_op.create_index('ix_changes_resource_resource_id', ['resource', 'resource_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.drop_index('ix_changes_resource_resource_id')
        batch_op.drop_index(batch_op.f('ix_changes_scope'))
        batch_op.drop_index(batch_op.f('ix_changes_at'))
    op.drop_table('changes')
