"""national statistics computed ahead by a background job, keyed by data version

Revision ID: 0012_stored_statistics
Revises: 0011_delivery_claims
Create Date: 2026-11-30 17:05:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0012_stored_statistics'
down_revision = '0011_delivery_claims'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'stored_statistics',
        sa.Column('period', sa.String(length=10), nullable=False),
        sa.Column('data_version', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=64), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('period', name=op.f('pk_stored_statistics')),
    )


def downgrade() -> None:
    op.drop_table('stored_statistics')
