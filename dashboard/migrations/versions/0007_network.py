"""the distribution network (devices, customer register) and outages found by 研判 on it

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

import dashboard.models

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'devices',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('parent_id', sa.String(64), nullable=True),
        sa.Column('name', sa.String(128), nullable=True),
        sa.Column('lon', sa.Double(), nullable=True),
        sa.Column('lat', sa.Double(), nullable=True),
        sa.Column('grid_id', sa.String(64), nullable=True),
        sa.Column('customers', sa.Integer(), nullable=False),
        sa.Column('reported_state', sa.String(8), nullable=True),
        sa.Column('reported_at', dashboard.models.UTCDateTime(timezone=True), nullable=True))
    op.create_table(
        'customers',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('transformer_id', sa.String(64), nullable=False),
        sa.Column('name', sa.String(128), nullable=True),
        sa.Column('phone', sa.String(32), nullable=True),
        sa.Column('address', sa.String(256), nullable=True),
        sa.Column('care', sa.String(16), nullable=True),
        sa.Column('account_status', sa.String(24), nullable=False),
        sa.Column('updated_at', dashboard.models.UTCDateTime(timezone=True), nullable=False))
    op.create_index('ix_customers_transformer_id', 'customers', ['transformer_id'])
    with op.batch_alter_table('outages') as batch:
        batch.alter_column('external_id', existing_type=sa.String(64), nullable=True)
        batch.alter_column('content_hash', existing_type=sa.String(64), nullable=True)
        batch.add_column(sa.Column('status', sa.String(16), nullable=False, server_default='confirmed'))
        batch.add_column(sa.Column('source', sa.String(16), nullable=False, server_default='reported'))
        batch.add_column(sa.Column('device_id', sa.String(64), nullable=True))
        batch.add_column(sa.Column('locked', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('covered_by', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('merged_into', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('workorder_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('calls', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('care_customers', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('reason', sa.Text(), nullable=True))
        batch.add_column(sa.Column('device_kind', sa.String(16), nullable=True))
        batch.add_column(sa.Column('area_class', sa.String(16), nullable=True))
        batch.add_column(sa.Column('etr_basis', sa.Text(), nullable=True))
        batch.add_column(sa.Column('lon', sa.Double(), nullable=True))
        batch.add_column(sa.Column('lat', sa.Double(), nullable=True))
        batch.create_index('ix_outages_status', ['status'])
        batch.create_index('ix_outages_device_id', ['device_id'])
    # Outages stored before: ended ones are restored; planned ones not started yet are scheduled.
    op.execute("UPDATE outages SET status = 'restored' WHERE \"end\" IS NOT NULL")
    op.execute("UPDATE outages SET status = 'active', source = 'planned' WHERE \"end\" IS NULL AND kind = 'planned'")
    with op.batch_alter_table('fault_reports') as batch:
        batch.alter_column('workorder_id', existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column('transformer_id', sa.String(64), nullable=True))
        batch.add_column(sa.Column('located_by', sa.String(16), nullable=True))
        batch.add_column(sa.Column('feeder_id', sa.String(64), nullable=True))
        batch.add_column(sa.Column('outage_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('screening', sa.String(24), nullable=True))
        batch.create_index('ix_fault_reports_outage_id', ['outage_id'])
        batch.create_index('ix_fault_reports_feeder_reported', ['feeder_id', 'reported_at'])
        batch.create_index('ix_fault_reports_reported_at', ['reported_at'])
    with op.batch_alter_table('work_orders') as batch:
        batch.add_column(sa.Column('outage_id', sa.Integer(), nullable=True))
        batch.create_index('ix_work_orders_outage_id', ['outage_id'])


def downgrade() -> None:
    with op.batch_alter_table('work_orders') as batch:
        batch.drop_index('ix_work_orders_outage_id')
        batch.drop_column('outage_id')
    with op.batch_alter_table('fault_reports') as batch:
        batch.drop_index('ix_fault_reports_reported_at')
        batch.drop_index('ix_fault_reports_feeder_reported')
        batch.drop_index('ix_fault_reports_outage_id')
        for column in ('screening', 'outage_id', 'feeder_id', 'located_by', 'transformer_id'):
            batch.drop_column(column)
    with op.batch_alter_table('outages') as batch:
        batch.drop_index('ix_outages_device_id')
        batch.drop_index('ix_outages_status')
        for column in ('lat', 'lon', 'etr_basis', 'area_class', 'device_kind', 'reason', 'care_customers', 'calls', 'workorder_id', 'merged_into', 'covered_by', 'locked',
                       'device_id', 'source', 'status'):
            batch.drop_column(column)
    op.drop_index('ix_customers_transformer_id', 'customers')
    op.drop_table('customers')
    op.drop_table('devices')
