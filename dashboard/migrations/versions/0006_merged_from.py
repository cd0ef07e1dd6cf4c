"""a fault report remembers the order it came with when that order was merged (so that a merge can be undone)

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('fault_reports') as batch:
        batch.add_column(sa.Column('merged_from', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('fault_reports') as batch:
        batch.drop_column('merged_from')
