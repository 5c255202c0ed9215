"""At the door: people's corrections made in the field (person_fixes), an email and a gone
("moved", "deceased", "removed") on people, and the organiser's follow-up queue (follow_ups).

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-06 15:20:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('person_fixes',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('walk_list_id', sa.Integer(), nullable=True),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_pin_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('before', sa.Text(), server_default='{}', nullable=False),
    sa.Column('after', sa.Text(), server_default='{}', nullable=False),
    sa.Column('consent_text', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('consent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('received_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['actor_pin_id'], ['list_pins.id'], ),
    sa.ForeignKeyConstraint(['actor_user_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['walk_list_id'], ['walk_lists.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_person_fixes_household_id'), 'person_fixes', ['household_id'], unique=False)
    op.create_index(op.f('ix_person_fixes_person_id'), 'person_fixes', ['person_id'], unique=False)
    op.create_index(op.f('ix_person_fixes_received_at'), 'person_fixes', ['received_at'], unique=False)
    op.create_index(op.f('ix_person_fixes_status'), 'person_fixes', ['status'], unique=False)
    op.create_index(op.f('ix_person_fixes_walk_list_id'), 'person_fixes', ['walk_list_id'], unique=False)
    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('walk_list_id', sa.Integer(), nullable=True),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('claimed_by_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('done_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('done_note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['claimed_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['event_id'], ['contact_events.id'], ),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ),
    sa.ForeignKeyConstraint(['walk_list_id'], ['walk_lists.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'person_id', 'kind')
    )
    op.create_index(op.f('ix_follow_ups_created_at'), 'follow_ups', ['created_at'], unique=False)
    op.create_index(op.f('ix_follow_ups_event_id'), 'follow_ups', ['event_id'], unique=False)
    op.create_index(op.f('ix_follow_ups_household_id'), 'follow_ups', ['household_id'], unique=False)
    op.create_index(op.f('ix_follow_ups_kind'), 'follow_ups', ['kind'], unique=False)
    op.create_index(op.f('ix_follow_ups_person_id'), 'follow_ups', ['person_id'], unique=False)
    op.create_index(op.f('ix_follow_ups_status'), 'follow_ups', ['status'], unique=False)
    op.add_column('people', sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True))
    op.add_column('people', sa.Column('gone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('people') as batch:
        batch.drop_column('gone')
        batch.drop_column('email')
    op.drop_table('follow_ups')
    op.drop_table('person_fixes')
