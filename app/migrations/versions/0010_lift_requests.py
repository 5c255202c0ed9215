"""Polling day: lift requests (voters who need a lift to the polls, claimed by one driver at a time).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 09:10:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lift_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('committee_room_id', sa.Integer(), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('access_needs', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('wanted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('driver_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('done_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('cancelled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['committee_room_id'], ['committee_rooms.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['driver_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('lift_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lift_requests_committee_room_id'), ['committee_room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lift_requests_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_lift_requests_queue', ['status', 'wanted_at', 'id'], unique=False)
        batch_op.create_index('uq_lift_requests_one_per_driver', ['driver_id'], unique=True,
                              sqlite_where=sa.text("status = 'claimed'"),
                              postgresql_where=sa.text("status = 'claimed'"))


def downgrade() -> None:
    with op.batch_alter_table('lift_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_lift_requests_one_per_driver',
                            sqlite_where=sa.text("status = 'claimed'"), postgresql_where=sa.text("status = 'claimed'"))
        batch_op.drop_index('ix_lift_requests_queue')
        batch_op.drop_index(batch_op.f('ix_lift_requests_person_id'))
        batch_op.drop_index(batch_op.f('ix_lift_requests_committee_room_id'))
    op.drop_table('lift_requests')
