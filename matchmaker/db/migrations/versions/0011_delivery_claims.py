"""webhook deliveries claimed by a worker before sending

Revision ID: 0011_delivery_claims
Revises: 0010_form_posts
Create Date: 2026-11-30 17:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0011_delivery_claims'
down_revision = '0010_form_posts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('webhook_deliveries') as batch:
        batch.add_column(sa.Column('claimed_by', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('webhook_deliveries') as batch:
        batch.drop_column('claimed_until')
        batch.drop_column('claimed_by')
