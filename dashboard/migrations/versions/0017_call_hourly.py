"""the call-center roll-up: calls per local hour and queue, seconds per seat state per local hour and group

Revision ID: 0017
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

import dashboard.models

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

TIME = dashboard.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'call_hourly',
        sa.Column('hour', TIME, primary_key=True),
        sa.Column('queue', sa.String(64), primary_key=True),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('offered', sa.Integer(), nullable=False),
        sa.Column('answered', sa.Integer(), nullable=False),
        sa.Column('answered_in_target', sa.Integer(), nullable=False),
        sa.Column('abandoned', sa.Integer(), nullable=False),
        sa.Column('short_abandoned', sa.Integer(), nullable=False),
        sa.Column('wait_s', sa.Double(), nullable=False),
        sa.Column('handled', sa.Integer(), nullable=False),
        sa.Column('talk_s', sa.Double(), nullable=False))
    op.create_table(
        'seat_hourly',
        sa.Column('hour', TIME, primary_key=True),
        sa.Column('grp', sa.String(64), primary_key=True),
        *(sa.Column(f'{state}_s', sa.Double(), nullable=False)
          for state in ('available', 'ringing', 'talking', 'wrap_up', 'not_ready', 'logged_out')))
    # The tables answer the parts of a period the roll-up does not hold (its edges, the hour under way) by time
    # alone, whatever the queue: without this index a year of calls is scanned for them.
    op.create_index('ix_calls_offered_at', 'calls', ['offered_at'])
    # Calls and seat events stored before this revision: the first start fills the roll-up (call_rollup.ensure).


def downgrade() -> None:
    op.drop_index('ix_calls_offered_at', 'calls')
    op.drop_table('seat_hourly')
    op.drop_table('call_hourly')
