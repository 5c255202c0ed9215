"""The day rollup indexed by volunteer and day: a volunteer's streak (their home page) and a team's
shift totals read that volunteer's or team's day rows, not every day row of the state (500,000 at
2.5 million households: a parallel pass of the table on each volunteer's home page).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 07:00:00
"""
from alembic import op


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_activity_days_actor', 'activity_days', ['actor_user_id', 'day'])


def downgrade() -> None:
    op.drop_index('ix_activity_days_actor', table_name='activity_days')
