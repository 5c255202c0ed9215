"""Polling day, the rest: knock-up rounds (walk lists of a round), the election each telling and
lift belongs to (a rehearsal can be wiped), the purge date, US ballot statuses and voting history.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 11:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('knockup_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=False),
    sa.Column('committee_room_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('door_count', sa.Integer(), nullable=False),
    sa.Column('pledge_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['committee_room_id'], ['committee_rooms.id'], ),
    sa.ForeignKeyConstraint(['election_id'], ['elections.id'], ),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('election_id', 'committee_room_id', 'number', name='uq_knockup_rounds_number')
    )
    with op.batch_alter_table('knockup_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knockup_rounds_committee_room_id'), ['committee_room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_knockup_rounds_election_id'), ['election_id'], unique=False)
    op.create_table('ballot_statuses',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('status_date', sa.Date(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ),
    sa.PrimaryKeyConstraint('person_id')
    )
    with op.batch_alter_table('ballot_statuses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_statuses_status'), ['status'], unique=False)
    op.create_table('voting_history',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('imported_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['election_id'], ['elections.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ),
    sa.PrimaryKeyConstraint('person_id', 'election_id')
    )
    with op.batch_alter_table('voting_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voting_history_election_id'), ['election_id'], unique=False)
    with op.batch_alter_table('elections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purge_after', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('wiped_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    with op.batch_alter_table('tellings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('election_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_tellings_election_id'), ['election_id'], unique=False)
        batch_op.create_foreign_key('fk_tellings_election_id', 'elections', ['election_id'], ['id'])
    with op.batch_alter_table('lift_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('election_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_lift_requests_election_id'), ['election_id'], unique=False)
        batch_op.create_foreign_key('fk_lift_requests_election_id', 'elections', ['election_id'], ['id'])
    with op.batch_alter_table('walk_lists', schema=None) as batch_op:
        batch_op.add_column(sa.Column('knockup_round_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_walk_lists_knockup_round_id'), ['knockup_round_id'], unique=False)
        batch_op.create_foreign_key('fk_walk_lists_knockup_round_id', 'knockup_rounds', ['knockup_round_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('walk_lists', schema=None) as batch_op:
        batch_op.drop_constraint('fk_walk_lists_knockup_round_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_walk_lists_knockup_round_id'))
        batch_op.drop_column('knockup_round_id')
    with op.batch_alter_table('lift_requests', schema=None) as batch_op:
        batch_op.drop_constraint('fk_lift_requests_election_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_lift_requests_election_id'))
        batch_op.drop_column('election_id')
    with op.batch_alter_table('tellings', schema=None) as batch_op:
        batch_op.drop_constraint('fk_tellings_election_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_tellings_election_id'))
        batch_op.drop_column('election_id')
    with op.batch_alter_table('elections', schema=None) as batch_op:
        batch_op.drop_column('wiped_at')
        batch_op.drop_column('purge_after')
    with op.batch_alter_table('voting_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voting_history_election_id'))
    op.drop_table('voting_history')
    with op.batch_alter_table('ballot_statuses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_statuses_status'))
    op.drop_table('ballot_statuses')
    with op.batch_alter_table('knockup_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knockup_rounds_election_id'))
        batch_op.drop_index(batch_op.f('ix_knockup_rounds_committee_room_id'))
    op.drop_table('knockup_rounds')
