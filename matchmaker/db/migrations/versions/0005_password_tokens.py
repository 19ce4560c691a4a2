"""single-use, expiring links to set a password (invitations and resets)

Revision ID: 0005_password_tokens
Revises: 0004_savings_periods
Create Date: 2026-11-30 13:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0005_password_tokens'
down_revision = '0004_savings_periods'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'password_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('purpose', sa.String(length=10), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_password_tokens_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_password_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_password_tokens_token_hash')),
    )
    with op.batch_alter_table('password_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_tokens_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('password_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_tokens_user_id'))
    op.drop_table('password_tokens')
