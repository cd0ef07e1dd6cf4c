"""the daily reliability roll-up (IEEE 1366): each ended outage's share of a grid on a local day

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reliability_daily',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('outage_id', sa.Integer(), nullable=False),
        sa.Column('grid_id', sa.String(64), nullable=False),
        sa.Column('district', sa.String(64), nullable=False),
        sa.Column('customers', sa.Double(), nullable=False),
        sa.Column('customer_minutes', sa.Double(), nullable=False),
        sa.Column('duration_min', sa.Double(), nullable=False),
        sa.Column('planned', sa.Boolean(), nullable=False))
    op.create_index('ix_reliability_daily_outage_id', 'reliability_daily', ['outage_id'])
    # Covering the report's reads: a year of pieces is summed from the index alone.
    op.create_index('ix_reliability_daily_day', 'reliability_daily',
                    ['day', 'district', 'duration_min', 'planned', 'customers', 'customer_minutes', 'grid_id'])
    # Outages that ended before this revision: `gridcommand rollups rebuild` fills them in.


def downgrade() -> None:
    op.drop_table('reliability_daily')
