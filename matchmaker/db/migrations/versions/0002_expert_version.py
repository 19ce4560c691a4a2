"""experts carry a version, so concurrent edits are detected

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 08:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('experts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('experts', schema=None) as batch_op:
        batch_op.alter_column('version', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('experts', schema=None) as batch_op:
        batch_op.drop_column('version')
