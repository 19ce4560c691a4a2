"""users carry a session version, so their sessions can be ended at once

Revision ID: 0006_session_version
Revises: 0005_password_tokens
Create Date: 2026-11-30 13:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_session_version'
down_revision = '0005_password_tokens'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='1'))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
