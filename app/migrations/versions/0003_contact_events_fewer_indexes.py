"""contact_events: drop indexes no query needs

Every index on contact_events is a page written (to the WAL, then the database file) on every
door knock. These five serve no query the covering indexes do not: household_id and
household_recorded are prefixes of ix_contact_events_household_cover (household_id, channel,
code, recorded_at); channel and code alone are never a query's only filter; received_at is never
filtered on. Measured with scripts/bench/loadtest.py (SQLite, 2 workers x 1 thread, wrk): 925 -> 1,023
posts/s, median of three runs each.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 14:17:41.368420
"""
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


DROPPED = {  # index name -> its columns, for downgrade
    "ix_contact_events_channel": ["channel"],
    "ix_contact_events_code": ["code"],
    "ix_contact_events_household_id": ["household_id"],
    "ix_contact_events_household_recorded": ["household_id", "recorded_at"],
    "ix_contact_events_received_at": ["received_at"],
}


def upgrade() -> None:
    with op.batch_alter_table("contact_events") as batch_op:
        for name in DROPPED:
            batch_op.drop_index(name)


def downgrade() -> None:
    with op.batch_alter_table("contact_events") as batch_op:
        for name, columns in DROPPED.items():
            batch_op.create_index(name, columns, unique=False)
