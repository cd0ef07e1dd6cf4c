"""customers told of outages: who was told what, planned outages' maintenance kind and devices

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

import dashboard.models

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

TIME = dashboard.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('outages') as batch:
        batch.add_column(sa.Column('maintenance', sa.String(16), nullable=True))
        batch.add_column(sa.Column('device_ids', sa.JSON(), nullable=True))
    op.create_table(
        'customer_notices',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('outage_id', sa.Integer(), nullable=False),
        sa.Column('phone', sa.String(16), nullable=False),
        sa.Column('customer_id', sa.String(64), nullable=True),
        sa.Column('key', sa.String(16), nullable=False),
        sa.Column('notice_id', sa.String(160), nullable=False),
        sa.Column('etr', TIME, nullable=True),
        sa.Column('at', TIME, nullable=False),
        sa.UniqueConstraint('outage_id', 'phone', 'key', name='uq_customer_notices_outage_phone_key'))


def downgrade() -> None:
    op.drop_table('customer_notices')
    with op.batch_alter_table('outages') as batch:
        batch.drop_column('device_ids')
        batch.drop_column('maintenance')
