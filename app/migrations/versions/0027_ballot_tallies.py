"""``ballot_tallies``: the state's "ballots by status" table as last counted, so that the chase page
of a state with a million ballots or more does not count them on every opening (issue 22).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 15:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ballot_tallies',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('counts', sa.Text(), server_default='', nullable=False),
    sa.Column('supporter_values', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('counted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('counting_since', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('ballot_tallies')
