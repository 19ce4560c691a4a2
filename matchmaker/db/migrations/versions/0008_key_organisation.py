"""an API key made on the command line can act for an organisation

Revision ID: 0008_key_organisation
Revises: 0007_change_feed
Create Date: 2026-11-30 14:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0008_key_organisation'
down_revision = '0007_change_feed'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_api_keys_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_api_keys_organisation_id_organisations'),
            'organisations',
            ['organisation_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade() -> None:
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_keys_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_api_keys_organisation_id'))
        batch_op.drop_column('organisation_id')
