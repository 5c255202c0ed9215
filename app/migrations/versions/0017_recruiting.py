"""Find 10 more: recruiting codes, the organiser's share message, welcome nudges.

Revision ID: 0017
Revises: 0012
Create Date: 2026-12-06 15:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('recruit_codes',
    sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('recruit_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('welcome_nudges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recruiter_id', sa.Integer(), nullable=False),
    sa.Column('recruit_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recruit_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['recruiter_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('welcome_nudges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_welcome_nudges_recruit_id'), ['recruit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_welcome_nudges_recruiter_id'), ['recruiter_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('welcome_nudges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_welcome_nudges_recruiter_id'))
        batch_op.drop_index(batch_op.f('ix_welcome_nudges_recruit_id'))
    op.drop_table('welcome_nudges')
    op.drop_table('recruit_messages')
    op.drop_table('recruit_codes')
