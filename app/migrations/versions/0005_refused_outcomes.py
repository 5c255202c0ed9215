"""refused_outcomes: what phones sent that the server refused, for the organiser

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 05:20:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('refused_outcomes',
    sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('walk_list_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.BigInteger(), nullable=True),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_pin_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('reason', sa.Text(), server_default='', nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('refused_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_pin_id'], ['list_pins.id'], ),
    sa.ForeignKeyConstraint(['actor_user_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['walk_list_id'], ['walk_lists.id'], ),
    sa.PrimaryKeyConstraint('event_id')
    )
    with op.batch_alter_table('refused_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refused_outcomes_refused_at'), ['refused_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_refused_outcomes_walk_list_id'), ['walk_list_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('refused_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refused_outcomes_walk_list_id'))
        batch_op.drop_index(batch_op.f('ix_refused_outcomes_refused_at'))
    op.drop_table('refused_outcomes')
