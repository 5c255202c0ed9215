"""Universes: named, saved filter trees of people (whom to contact); and each person's latest
support answer, derived (person_supports), filled from the answers already stored.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-10 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('universes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('person_supports',
    sa.Column('person_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('support_level', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('support_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ),
    sa.PrimaryKeyConstraint('person_id')
    )
    # What app.contacts.summary.rebuild_person_supports computes: each person's latest answer
    # with a support level (by recorded_at, then the event id). Plain SQL: both engines have windows.
    op.execute("""
        INSERT INTO person_supports (person_id, support_level, support_at, event_id)
        SELECT person_id, support_level, recorded_at, event_id FROM (
            SELECT sr.person_id, sr.support_level, ce.recorded_at, ce.id AS event_id,
                   row_number() OVER (PARTITION BY sr.person_id ORDER BY ce.recorded_at DESC, ce.id DESC) AS rank
            FROM survey_responses sr JOIN contact_events ce ON ce.id = sr.event_id
            WHERE sr.support_level IS NOT NULL AND sr.person_id IS NOT NULL) AS ranked
        WHERE rank = 1""")


def downgrade() -> None:
    op.drop_table('person_supports')
    op.drop_table('universes')
