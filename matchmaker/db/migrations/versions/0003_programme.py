"""the programme's money (budgets, funding offers, claims) and why a closed request was not pursued

Revision ID: 0003_programme
Revises: 0002
Create Date: 2026-11-30 13:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0003_programme'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'programme_budgets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('financial_year', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('amount_pence', sa.BigInteger(), nullable=False),
        sa.Column('approval_threshold_pence', sa.BigInteger(), nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.Column('demo', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_programme_budgets_set_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_budgets')),
        sa.UniqueConstraint('financial_year', 'kind', name=op.f('uq_programme_budgets_financial_year')),
    )
    op.create_table(
        'funding_offers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('financial_year', sa.Integer(), nullable=False),
        sa.Column('offered_on', sa.Date(), nullable=False),
        sa.Column('amount_pence', sa.BigInteger(), nullable=False),
        sa.Column('days', sa.Integer(), nullable=True),
        sa.Column('day_rate_pence', sa.BigInteger(), nullable=True),
        sa.Column('cap_pence', sa.BigInteger(), nullable=True),
        sa.Column('conditions', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('offered_by_id', sa.Integer(), nullable=True),
        sa.Column('approved_by_id', sa.Integer(), nullable=True),
        sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('refusal_reason', sa.Text(), nullable=True),
        sa.Column('answered_by_id', sa.Integer(), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decline_reason', sa.Text(), nullable=True),
        sa.Column('demo', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_funding_offers_answered_by_id_users')),
        sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_funding_offers_approved_by_id_users')),
        sa.ForeignKeyConstraint(
            ['assignment_id'],
            ['expert_assignments.id'],
            name=op.f('fk_funding_offers_assignment_id_expert_assignments'),
        ),
        sa.ForeignKeyConstraint(['offered_by_id'], ['users.id'], name=op.f('fk_funding_offers_offered_by_id_users')),
        sa.ForeignKeyConstraint(
            ['request_id'], ['match_requests.id'], name=op.f('fk_funding_offers_request_id_match_requests')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_offers')),
    )
    with op.batch_alter_table('funding_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_offers_financial_year'), ['financial_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_funding_offers_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_funding_offers_status'), ['status'], unique=False)

    op.create_table(
        'funding_claims',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('offer_id', sa.Integer(), nullable=False),
        sa.Column('amount_pence', sa.BigInteger(), nullable=False),
        sa.Column('delivered_on', sa.Date(), nullable=False),
        sa.Column('evidence', sa.Text(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('demo', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ['offer_id'],
            ['funding_offers.id'],
            name=op.f('fk_funding_claims_offer_id_funding_offers'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_funding_claims_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_claims')),
    )
    with op.batch_alter_table('funding_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_claims_offer_id'), ['offer_id'], unique=False)

    with op.batch_alter_table('match_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('not_pursued_reason', sa.String(length=24), nullable=True))
    # Requests closed before reasons were kept in a list carry their words under "other".
    op.execute("UPDATE match_requests SET not_pursued_reason = 'other' WHERE status = 'closed'")


def downgrade() -> None:
    with op.batch_alter_table('match_requests', schema=None) as batch_op:
        batch_op.drop_column('not_pursued_reason')
    with op.batch_alter_table('funding_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_claims_offer_id'))
    op.drop_table('funding_claims')
    with op.batch_alter_table('funding_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_offers_status'))
        batch_op.drop_index(batch_op.f('ix_funding_offers_request_id'))
        batch_op.drop_index(batch_op.f('ix_funding_offers_financial_year'))
    op.drop_table('funding_offers')
    op.drop_table('programme_budgets')
