"""People you know (relational organising): the entries volunteers list and the register entries
they said no to; the households' relational contact counts; indexes on households.postcode and
people.last_name (matching blocks by postcode, and by surname within a postcode area).

Revision ID: 0018
Revises: 0012
Create Date: 2026-12-06 15:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('relational_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('postcode', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('street', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('suggested_person_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('checked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('confirmed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ),
    sa.ForeignKeyConstraint(['suggested_person_id'], ['people.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('relational_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relational_entries_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relational_entries_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relational_entries_suggested_person_id'), ['suggested_person_id'],
                              unique=False)
    op.create_table('relational_rejections',
    sa.Column('entry_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('person_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['relational_entries.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ),
    sa.PrimaryKeyConstraint('entry_id', 'person_id')
    )
    with op.batch_alter_table('relational_rejections', schema=None) as batch_op:
        batch_op.create_index('ix_relational_rejections_person_id', ['person_id'], unique=False)
    with op.batch_alter_table('household_summaries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('relational_events', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('relational_contacts', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_households_postcode'), ['postcode'], unique=False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_last_name'), ['last_name'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_last_name'))
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_households_postcode'))
    with op.batch_alter_table('household_summaries', schema=None) as batch_op:
        batch_op.drop_column('relational_contacts')
        batch_op.drop_column('relational_events')
    with op.batch_alter_table('relational_rejections', schema=None) as batch_op:
        batch_op.drop_index('ix_relational_rejections_person_id')
    op.drop_table('relational_rejections')
    with op.batch_alter_table('relational_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relational_entries_suggested_person_id'))
        batch_op.drop_index(batch_op.f('ix_relational_entries_person_id'))
        batch_op.drop_index(batch_op.f('ix_relational_entries_owner_id'))
    op.drop_table('relational_entries')
