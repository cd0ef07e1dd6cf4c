"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 10:17:16.280872
"""
from alembic import op
import sqlalchemy as sa
import dashboard.models


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=128), nullable=True),
    sa.Column('created_at', dashboard.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_table('calls',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('queue', sa.String(length=64), nullable=False),
    sa.Column('offered_at', dashboard.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_at', dashboard.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('abandoned_at', dashboard.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', dashboard.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('seat_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index('ix_calls_queue_offered', ['queue', 'offered_at'], unique=False)

    op.create_table('crews',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('team', sa.String(length=128), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('base_grid_id', sa.String(length=64), nullable=True),
    sa.Column('on_duty', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('workorder_id', sa.Integer(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('grid_id', sa.String(length=64), nullable=True),
    sa.Column('position_at', dashboard.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('speed_kmh', sa.Double(), nullable=True),
    sa.Column('heading', sa.Double(), nullable=True),
    sa.Column('updated_at', dashboard.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('crews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crews_status'), ['status'], unique=False)

    op.create_table('event_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', dashboard.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('op', sa.String(length=8), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('event_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_log_at'), ['at'], unique=False)

    op.create_table('grids',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('district', sa.String(length=64), nullable=False),
    sa.Column('area_class', sa.String(length=16), nullable=False),
    sa.Column('customers', sa.Integer(), nullable=False),
    sa.Column('geometry', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('grids', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grids_district'), ['district'], unique=False)

    op.create_table('meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('outages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('grid_ids', sa.JSON(), nullable=False),
    sa.Column('geometry', sa.JSON(), nullable=True),
    sa.Column('districts', sa.JSON(), nullable=False),
    sa.Column('start', dashboard.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('etr', dashboard.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('end', dashboard.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('customers_affected', sa.Integer(), nullable=False),
    sa.Column('sensitive_customers', sa.Integer(), nullable=False),
    sa.Column('cause', sa.String(length=256), nullable=True),
    sa.Column('notified_at', dashboard.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', dashboard.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('external_id')
    )
    with op.batch_alter_table('outages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outages_end'), ['end'], unique=False)

    op.create_table('seats',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('agent', sa.String(length=64), nullable=True),
    sa.Column('group', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('since', dashboard.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('created_at', dashboard.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('work_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=24), nullable=False),
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('grid_id', sa.String(length=64), nullable=True),
    sa.Column('district', sa.String(length=64), nullable=True),
    sa.Column('area_class', sa.String(length=16), nullable=False),
    sa.Column('outside_grid', sa.Boolean(), nullable=False),
    sa.Column('needs_screening', sa.Boolean(), nullable=False),
    sa.Column('lon', sa.Double(), nullable=False),
    sa.Column('lat', sa.Double(), nullable=False),
    sa.Column('address', sa.String(length=256), nullable=True),
    sa.Column('customers_affected', sa.Integer(), nullable=False),
    sa.Column('sensitive', sa.Boolean(), nullable=False),
    sa.Column('report_count', sa.Integer(), nullable=False),
    sa.Column('crew_id', sa.String(length=64), nullable=True),
    sa.Column('merged_into', sa.Integer(), nullable=True),
    sa.Column('reported_at', dashboard.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('arrival_due', dashboard.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('dispatched_at', dashboard.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('arrived_at', dashboard.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('restored_at', dashboard.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', dashboard.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', dashboard.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_orders_crew_id'), ['crew_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_orders_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_orders_status'), ['status'], unique=False)

    op.create_table('fault_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('reported_at', dashboard.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('received_at', dashboard.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lon', sa.Double(), nullable=False),
    sa.Column('lat', sa.Double(), nullable=False),
    sa.Column('crs', sa.String(length=8), nullable=False),
    sa.Column('category', sa.String(length=24), nullable=False),
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('customer_id', sa.String(length=64), nullable=True),
    sa.Column('customer_name', sa.String(length=128), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('address', sa.String(length=256), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('customers_affected', sa.Integer(), nullable=False),
    sa.Column('sensitive', sa.Boolean(), nullable=False),
    sa.Column('grid_id', sa.String(length=64), nullable=True),
    sa.Column('workorder_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['workorder_id'], ['work_orders.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('external_id')
    )
    with op.batch_alter_table('fault_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fault_reports_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fault_reports_workorder_id'), ['workorder_id'], unique=False)

    op.create_table('workorder_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workorder_id', sa.Integer(), nullable=False),
    sa.Column('at', dashboard.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['workorder_id'], ['work_orders.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('workorder_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workorder_events_workorder_id'), ['workorder_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('workorder_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workorder_events_workorder_id'))

    op.drop_table('workorder_events')
    with op.batch_alter_table('fault_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fault_reports_workorder_id'))
        batch_op.drop_index(batch_op.f('ix_fault_reports_grid_id'))

    op.drop_table('fault_reports')
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_orders_status'))
        batch_op.drop_index(batch_op.f('ix_work_orders_grid_id'))
        batch_op.drop_index(batch_op.f('ix_work_orders_crew_id'))

    op.drop_table('work_orders')
    op.drop_table('users')
    op.drop_table('seats')
    with op.batch_alter_table('outages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outages_end'))

    op.drop_table('outages')
    op.drop_table('meta')
    with op.batch_alter_table('grids', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grids_district'))

    op.drop_table('grids')
    with op.batch_alter_table('event_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_log_at'))

    op.drop_table('event_log')
    with op.batch_alter_table('crews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crews_status'))

    op.drop_table('crews')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index('ix_calls_queue_offered')

    op.drop_table('calls')
    op.drop_table('api_tokens')
