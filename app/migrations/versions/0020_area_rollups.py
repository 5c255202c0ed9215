"""Per-area rollups for a state's dashboard and map (issue 22): coverage per area (kept by triggers
on households and by the contact fold) and all-time activity per area, filled from the summaries
and the day rollup already there.

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
FLAGS = ('households', 'door_attempted', 'door_contacted', 'phone_attempted', 'phone_contacted', 'relational_contacted')


def upgrade() -> None:
    from app.contacts import coverage_rollup, coverage_triggers

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
    conn = op.get_bind()
    coverage_rollup.recount_coverage(conn)
    coverage_rollup.rebuild_activity_areas(conn)
    coverage_triggers.install(conn)


def downgrade() -> None:
    from app.contacts import coverage_triggers

    coverage_triggers.drop(op.get_bind())
    op.drop_table('activity_areas')
    op.drop_table('area_coverage')
