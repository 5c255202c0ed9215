"""Each walk list's name's sort key (app.sorting.sort_key), indexed after the status, so the list of
lists orders and pages in SQL instead of sorting every matching name in Python for each page
(issue 22: 51,860 lists in a state).

The column arrives with an empty default so adding it rewrites no row (PostgreSQL 11+; SQLite
always), the keys are filled from the names, and PostgreSQL then drops the default so a list
stored without a key fails loudly. (SQLite cannot drop a default without rebuilding the table,
which its foreign keys forbid here; every insert through SQLAlchemy fills the key anyway.)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 02:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from app.walk_lists.sort_keys import refresh_sort_keys

    key_type = sa.Text().with_variant(sa.Text(collation='C'), 'postgresql')
    op.add_column('walk_lists', sa.Column('sort_key', key_type, nullable=False, server_default=''))
    conn = op.get_bind()
    refresh_sort_keys(conn)
    if conn.dialect.name == 'postgresql':
        op.alter_column('walk_lists', 'sort_key', server_default=None)
    op.create_index('ix_walk_lists_order', 'walk_lists', ['status', 'sort_key', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_walk_lists_order', table_name='walk_lists')
    with op.batch_alter_table('walk_lists') as batch:
        batch.drop_column('sort_key')
