"""the duty roster (值班): shifts of the duty chief, dispatchers, seats and crews

Revision ID: 0015
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

import dashboard.models

revision = '0015'
down_revision = '0012'
branch_labels = None
depends_on = None

TIME = dashboard.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'duty_shifts',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('shift', sa.String(16), nullable=False),
        sa.Column('start', TIME, nullable=False),
        sa.Column('end', TIME, nullable=False),
        sa.Column('role', sa.String(16), nullable=False),
        sa.Column('person', sa.String(64), nullable=False),
        sa.Column('team', sa.String(128), nullable=True),
        sa.Column('phone', sa.String(32), nullable=True))
    op.create_index('ix_duty_shifts_day', 'duty_shifts', ['day'])
    op.create_index('ix_duty_shifts_start', 'duty_shifts', ['start'])


def downgrade() -> None:
    op.drop_index('ix_duty_shifts_start', 'duty_shifts')
    op.drop_index('ix_duty_shifts_day', 'duty_shifts')
    op.drop_table('duty_shifts')
