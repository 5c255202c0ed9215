"""events (status, lat): the get-involved page's "approved events near here" reads a latitude band
of approved events through this index, then checks longitude, end time and exact distance.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 08:20:00
"""
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_status_lat", "events", ["status", "lat"])


def downgrade() -> None:
    op.drop_index("ix_events_status_lat", table_name="events")
