"""the order roll-up (period figures): tallies per local day and grid, which days are current, the same per month;
indexes on the times the period figures read orders and outages by

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'order_daily',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('grid_id', sa.String(64), nullable=True),
        sa.Column('district', sa.String(64), nullable=True),
        sa.Column('received', sa.Integer(), nullable=False),
        sa.Column('late', sa.Integer(), nullable=False),
        sa.Column('arrived', sa.Integer(), nullable=False),
        sa.Column('arrived_on_time', sa.Integer(), nullable=False),
        sa.Column('arrival_s', sa.BigInteger(), nullable=False),
        sa.Column('restored', sa.Integer(), nullable=False),
        sa.Column('restored_on_time', sa.Integer(), nullable=False),
        sa.Column('restoration_s', sa.BigInteger(), nullable=False),
        sa.Column('calls', sa.Integer(), nullable=False),
        sa.Column('arrival_hist', sa.Text(), nullable=False),
        sa.Column('restoration_hist', sa.Text(), nullable=False))
    # Covering a daily series' reads: a year of days is summed from the index alone.
    op.create_index('ix_order_daily_day', 'order_daily',
                    ['day', 'district', 'received', 'arrived', 'arrived_on_time', 'arrival_s', 'restored'])
    op.create_table(
        'order_daily_days',
        sa.Column('day', sa.Date(), primary_key=True),
        sa.Column('changes', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('rolled', sa.Integer(), nullable=False, server_default='-1'))
    op.create_table(
        'order_monthly',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('grid_id', sa.String(64), nullable=True),
        sa.Column('district', sa.String(64), nullable=True),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in (
            'received', 'late', 'arrived', 'arrived_on_time')),
        sa.Column('arrival_s', sa.BigInteger(), nullable=False),
        sa.Column('restored', sa.Integer(), nullable=False),
        sa.Column('restored_on_time', sa.Integer(), nullable=False),
        sa.Column('restoration_s', sa.BigInteger(), nullable=False),
        sa.Column('calls', sa.Integer(), nullable=False),
        sa.Column('arrival_hist', sa.Text(), nullable=False),
        sa.Column('restoration_hist', sa.Text(), nullable=False))
    op.create_index('ix_order_monthly_month', 'order_monthly', ['month', 'district'])
    op.create_table(
        'order_monthly_months',
        sa.Column('month', sa.Date(), primary_key=True),
        sa.Column('signature', sa.Integer(), nullable=False))
    # The period figures read the days not rolled up (today) straight from the orders, by these times.
    op.create_index('ix_work_orders_reported_at', 'work_orders', ['reported_at'])
    op.create_index('ix_work_orders_arrived_at', 'work_orders', ['arrived_at'])
    op.create_index('ix_work_orders_restored_at', 'work_orders', ['restored_at'])
    op.create_index('ix_outages_start', 'outages', ['start'])
    # Days rolled up before this revision: none; the day-close loop or `gridcommand rollups rebuild` fills them.


def downgrade() -> None:
    op.drop_index('ix_outages_start', 'outages')
    op.drop_index('ix_work_orders_restored_at', 'work_orders')
    op.drop_index('ix_work_orders_arrived_at', 'work_orders')
    op.drop_index('ix_work_orders_reported_at', 'work_orders')
    op.drop_table('order_monthly_months')
    op.drop_index('ix_order_monthly_month', 'order_monthly')
    op.drop_table('order_monthly')
    op.drop_table('order_daily_days')
    op.drop_index('ix_order_daily_day', 'order_daily')
    op.drop_table('order_daily')
