"""Hand-drawn turfs: doors taken off a list when its turf is redrawn (a phone may still hand in
what it recorded there before then).

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-06 15:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('walk_list_removed_doors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('walk_list_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('removed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], ),
    sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['walk_list_id'], ['walk_lists.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('walk_list_id', 'household_id')
    )
    with op.batch_alter_table('walk_list_removed_doors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_walk_list_removed_doors_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_walk_list_removed_doors_walk_list_id'), ['walk_list_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('walk_list_removed_doors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_walk_list_removed_doors_walk_list_id'))
        batch_op.drop_index(batch_op.f('ix_walk_list_removed_doors_household_id'))
    op.drop_table('walk_list_removed_doors')
