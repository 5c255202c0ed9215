"""The call queue's serving order as an index over the live entries, so a claim reads the queue
from its head instead of checking and sorting every waiting entry, and the live entries' time
zones, so finding them is a probe per zone, not a pass over the queue (issue 22).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 23:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

LIVE = sa.text("status IN ('queued', 'claimed')")


def upgrade() -> None:
    op.create_index('ix_call_queue_serve', 'call_queue',
                    ['priority', sa.text('coalesce(next_call_at, created_at)'), 'id'],
                    unique=False, sqlite_where=LIVE, postgresql_where=LIVE)
    op.create_index('ix_call_queue_zones', 'call_queue', ['timezone'], unique=False,
                    sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade() -> None:
    op.drop_index('ix_call_queue_zones', table_name='call_queue')
    op.drop_index('ix_call_queue_serve', table_name='call_queue')
