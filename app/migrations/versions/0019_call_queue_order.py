"""The call queue's serving order as an index (live entries only), so a claim on PostgreSQL reads
the head of the queue instead of checking and sorting every waiting entry (issue 22).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 19:35:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

LIVE = sa.text("status IN ('queued', 'claimed')")


def upgrade() -> None:
    op.create_index("ix_call_queue_next", "call_queue", ["priority", sa.text("coalesce(next_call_at, created_at)"), "id"],
                    postgresql_where=LIVE, sqlite_where=LIVE)


def downgrade() -> None:
    op.drop_index("ix_call_queue_next", table_name="call_queue")
