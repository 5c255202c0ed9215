"""Street centre-lines for walking routes along the streets (issue 21): one row per line, with its
bounding box indexed so a list's routing reads only the lines near its doors.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 19:10:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

BOX = ('min_lon', 'max_lon', 'min_lat', 'max_lat')


def upgrade() -> None:
    op.create_table('street_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('coords', sa.Text(), nullable=False),
    sa.Column('min_lon', sa.Float(), nullable=False),
    sa.Column('max_lon', sa.Float(), nullable=False),
    sa.Column('min_lat', sa.Float(), nullable=False),
    sa.Column('max_lat', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('street_lines', schema=None) as batch_op:
        for column in BOX:
            batch_op.create_index(batch_op.f(f'ix_street_lines_{column}'), [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('street_lines', schema=None) as batch_op:
        for column in BOX:
            batch_op.drop_index(batch_op.f(f'ix_street_lines_{column}'))
    op.drop_table('street_lines')
