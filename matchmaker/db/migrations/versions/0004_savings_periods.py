"""savings records carry the period they cover, the year reported, whose share and the source

Revision ID: 0004_savings_periods
Revises: 0003_programme
Create Date: 2026-11-30 13:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0004_savings_periods'
down_revision = '0003_programme'
branch_labels = None
depends_on = None

COLUMNS = (
    ('reported_year', sa.Integer),
    ('period_start_year', sa.Integer),
    ('period_end_year', sa.Integer),
    ('period_years', sa.Integer),
    ('per_council', sa.Boolean),
)


def upgrade() -> None:
    with op.batch_alter_table('savings_records', schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind(), nullable=True))
        batch_op.add_column(sa.Column('source_url', sa.String(length=1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('savings_records', schema=None) as batch_op:
        batch_op.drop_column('source_url')
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
