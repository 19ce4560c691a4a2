"""one-time form tokens already posted, and where each post led

Revision ID: 0010_form_posts
Revises: 0009_jobs
Create Date: 2026-11-30 17:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0010_form_posts'
down_revision = '0009_jobs'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'form_posts',
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('result_url', sa.String(length=2000), nullable=True),
        sa.PrimaryKeyConstraint('token', name=op.f('pk_form_posts')),
    )
    with op.batch_alter_table('form_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_posts_claimed_at'), ['claimed_at'], unique=False)


def downgrade() -> None:
    op.drop_table('form_posts')
