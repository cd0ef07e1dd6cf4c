"""service tickets (投诉, 举报, 咨询, 业务) and their timeline

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

import dashboard.models

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

TIME = dashboard.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'tickets',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('external_id', sa.String(64), nullable=False),
        sa.Column('content_hash', sa.String(64), nullable=False),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('received_at', TIME, nullable=False),
        sa.Column('customer_id', sa.String(64), nullable=True),
        sa.Column('phone', sa.String(32), nullable=True),
        sa.Column('lon', sa.Double(), nullable=True),
        sa.Column('lat', sa.Double(), nullable=True),
        sa.Column('grid_id', sa.String(64), nullable=True),
        sa.Column('district', sa.String(64), nullable=True),
        sa.Column('outside_grid', sa.Boolean(), nullable=False),
        sa.Column('subject', sa.String(200), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('related_workorder_id', sa.Integer(), sa.ForeignKey('work_orders.id'), nullable=True),
        sa.Column('department', sa.String(16), nullable=False),
        sa.Column('contact_due', TIME, nullable=False),
        sa.Column('close_due', TIME, nullable=False),
        sa.Column('due_at', TIME, nullable=True),
        sa.Column('level', sa.Integer(), server_default='0', nullable=False),
        sa.Column('overdue', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('escalate_at', TIME, nullable=True),
        sa.Column('contacted_at', TIME, nullable=True),
        sa.Column('closed_at', TIME, nullable=True),
        sa.Column('created_by', sa.String(64), nullable=False),
        sa.Column('created_at', TIME, nullable=False),
        sa.Column('updated_at', TIME, nullable=False),
        sa.UniqueConstraint('external_id'))
    for column in ('kind', 'status', 'grid_id', 'related_workorder_id', 'department', 'due_at', 'escalate_at'):
        op.create_index(f'ix_tickets_{column}', 'tickets', [column])
    op.create_table(
        'ticket_events',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('ticket_id', sa.Integer(), sa.ForeignKey('tickets.id'), nullable=False),
        sa.Column('at', TIME, nullable=False),
        sa.Column('action', sa.String(16), nullable=False),
        sa.Column('from_status', sa.String(16), nullable=True),
        sa.Column('to_status', sa.String(16), nullable=True),
        sa.Column('actor', sa.String(64), nullable=True),
        sa.Column('note', sa.Text(), nullable=True))
    op.create_index('ix_ticket_events_ticket_id', 'ticket_events', ['ticket_id'])


def downgrade() -> None:
    op.drop_table('ticket_events')
    op.drop_table('tickets')
