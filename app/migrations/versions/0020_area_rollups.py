"""Per-area rollups for a state's dashboard and map (issue 22): coverage per area (kept by triggers
on households and by the contact fold), all-time activity per area and per list and volunteer,
filled from the summaries and the day rollup already there; the day rollup indexed by area.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 23:10:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

COUNTS = ('events', 'contacts', 'dncs', 'supporters', 'undecided', 'against')
TOTALS = ('activity', 'knocks', 'door_contacts', 'calls', 'connected', 'talks', 'talked', 'dnc', 'supporters',
          'undecided', 'against')
FLAGS = ('households', 'door_attempted', 'door_contacted', 'phone_attempted', 'phone_contacted', 'relational_contacted')


def upgrade() -> None:
    from app.contacts import activity_totals, coverage_rollup, coverage_triggers

    op.create_table('area_coverage',
    sa.Column('ward_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), autoincrement=False, nullable=False),
    *(sa.Column(name, sa.Integer(), nullable=False) for name in FLAGS),
    sa.PrimaryKeyConstraint('ward_id', 'neighbourhood_id'))
    op.create_table('activity_areas',
    sa.Column('ward_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
    sa.PrimaryKeyConstraint('ward_id', 'neighbourhood_id', 'channel'))
    op.create_table('activity_totals',
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('first_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('second_id', sa.Integer(), autoincrement=False, nullable=False),
    *(sa.Column(name, sa.Integer(), nullable=False) for name in TOTALS),
    sa.PrimaryKeyConstraint('kind', 'first_id', 'second_id'))
    op.create_index('ix_activity_totals_busiest', 'activity_totals', ['kind', 'activity'])
    op.create_index('ix_activity_days_area', 'activity_days', ['neighbourhood_id', 'ward_id'])
    conn = op.get_bind()
    coverage_rollup.recount_coverage(conn)
    coverage_rollup.rebuild_activity_areas(conn)
    activity_totals.rebuild_activity_totals(conn)
    coverage_triggers.install(conn)


def downgrade() -> None:
    from app.contacts import coverage_triggers

    coverage_triggers.drop(op.get_bind())
    op.drop_index('ix_activity_days_area', table_name='activity_days')
    op.drop_index('ix_activity_totals_busiest', table_name='activity_totals')
    op.drop_table('activity_totals')
    op.drop_table('activity_areas')
    op.drop_table('area_coverage')
