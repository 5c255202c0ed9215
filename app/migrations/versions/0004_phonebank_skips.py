"""call_queue: remember who last skipped a number, and when

"Skip without calling" used to put the number straight back where it was, so the same caller's
next "Next call" served the same person again. A skip now sends the number to the back of the
queue and keeps it from that caller for phonebank.skip_minutes (other callers still get it).

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('call_queue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('skipped_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('skipped_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('call_queue', schema=None) as batch_op:
        batch_op.drop_column('skipped_at')
        batch_op.drop_column('skipped_by_id')
