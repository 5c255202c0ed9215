"""Canvass near me: each team's self-serve settings, lists checked out to volunteers, and the
live positions a volunteer shares with their team lead.

Revision ID: 0016
Revises: 0012
Create Date: 2026-12-06 15:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('team_selfserve',
    sa.Column('team_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('areas', sa.Text(), server_default='', nullable=False),
    sa.Column('universe_id', sa.Integer(), nullable=True),
    sa.Column('return_minutes', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ),
    sa.ForeignKeyConstraint(['universe_id'], ['universes.id'], ),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('team_id')
    )
    op.create_table('selfserve_checkouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('walk_list_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('cut_on_spot', sa.Boolean(), nullable=False),
    sa.Column('checked_out_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('sharing_since', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['walk_list_id'], ['walk_lists.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('walk_list_id')
    )
    op.create_index(op.f('ix_selfserve_checkouts_team_id'), 'selfserve_checkouts', ['team_id'], unique=False)
    op.create_index(op.f('ix_selfserve_checkouts_user_id'), 'selfserve_checkouts', ['user_id'], unique=False)
    op.create_table('walk_positions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checkout_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['checkout_id'], ['selfserve_checkouts.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_walk_positions_checkout_id'), 'walk_positions', ['checkout_id'], unique=False)
    op.create_index(op.f('ix_walk_positions_recorded_at'), 'walk_positions', ['recorded_at'], unique=False)
    op.create_index(op.f('ix_walk_positions_user_id'), 'walk_positions', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_table('walk_positions')
    op.drop_table('selfserve_checkouts')
    op.drop_table('team_selfserve')
