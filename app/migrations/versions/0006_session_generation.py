"""users.session_generation: ending every session of a user on the server side

A user's sessions carry the generation they were signed in under (in Flask-Login's user id,
"user:<id>:<generation>"); password change and "sign out everywhere" add one, so every older
cookie stops loading a user. The loader already reads the user's row: the check costs no query.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 05:20:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation")
