"""Surveys: questions with immutable versions, the editable support scale, surveys (questions and
door and phone scripts) chosen per walk list and call sheet, and the answers to the questions.
Empty on upgrade: a migration cannot read config.toml, so app/surveys/seed.py copies [survey] in
on the first edit (or `flask seed-survey`); until then the campaign runs on config.toml as before.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 15:06:03.182459
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('support_scale_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('leaning', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('value')
    )
    op.create_table('survey_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('door_script', sa.Text(), server_default='', nullable=False),
    sa.Column('phone_script', sa.Text(), server_default='', nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('survey_items',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'], ),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], ),
    sa.PrimaryKeyConstraint('survey_id', 'question_id')
    )
    with op.batch_alter_table('survey_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_items_question_id'), ['question_id'], unique=False)

    op.create_table('survey_question_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('prompt', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('choices', sa.Text(), server_default='[]', nullable=False),
    sa.Column('min_value', sa.BigInteger(), nullable=True),
    sa.Column('max_value', sa.BigInteger(), nullable=True),
    sa.Column('max_length', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('question_id', 'version')
    )
    with op.batch_alter_table('survey_question_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_question_versions_question_id'), ['question_id'], unique=False)

    op.create_table('walk_list_surveys',
    sa.Column('walk_list_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], ),
    sa.ForeignKeyConstraint(['walk_list_id'], ['walk_lists.id'], ),
    sa.PrimaryKeyConstraint('walk_list_id')
    )
    with op.batch_alter_table('walk_list_surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_walk_list_surveys_survey_id'), ['survey_id'], unique=False)

    op.create_table('call_sheet_surveys',
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['sheet_id'], ['call_sheets.id'], ),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], ),
    sa.PrimaryKeyConstraint('sheet_id')
    )
    with op.batch_alter_table('call_sheet_surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_sheet_surveys_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('question_version_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['contact_events.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ),
    sa.ForeignKeyConstraint(['question_version_id'], ['survey_question_versions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'person_id', 'question_version_id')
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answers_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answers_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answers_question_version_id'), ['question_version_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answers_question_version_id'))
        batch_op.drop_index(batch_op.f('ix_survey_answers_person_id'))
        batch_op.drop_index(batch_op.f('ix_survey_answers_event_id'))

    op.drop_table('survey_answers')
    with op.batch_alter_table('call_sheet_surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_sheet_surveys_survey_id'))

    op.drop_table('call_sheet_surveys')
    with op.batch_alter_table('walk_list_surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_walk_list_surveys_survey_id'))

    op.drop_table('walk_list_surveys')
    with op.batch_alter_table('survey_question_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_question_versions_question_id'))

    op.drop_table('survey_question_versions')
    with op.batch_alter_table('survey_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_items_question_id'))

    op.drop_table('survey_items')
    op.drop_table('surveys')
    op.drop_table('survey_questions')
    op.drop_table('support_scale_values')
