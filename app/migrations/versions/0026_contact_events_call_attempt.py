"""``ix_contact_events_call_attempt``: the phone calls' events by call attempt, a partial index (door
knocks never write to it). Without it, deleting a call attempt makes PostgreSQL's foreign-key check
read every contact event: 13 minutes for 1,000 attempts at 20 million events (issue 22).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 10:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

WHERE = sa.text("call_attempt_id IS NOT NULL")


def upgrade() -> None:
    op.create_index('ix_contact_events_call_attempt', 'contact_events', ['call_attempt_id'],
                    unique=False, sqlite_where=WHERE, postgresql_where=WHERE)


def downgrade() -> None:
    op.drop_index('ix_contact_events_call_attempt', table_name='contact_events')
