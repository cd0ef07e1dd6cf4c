"""covering indexes for the period figures: callbacks by opening and by closing, complaints by receipt, planned
outages by start

Revision ID: 0018
Revises: 0017
"""
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_callback_tasks_opened_at', 'callback_tasks')
    op.create_index('ix_callback_tasks_opened', 'callback_tasks', ['opened_at', 'status', 'district'])
    op.create_index('ix_callback_tasks_done', 'callback_tasks', ['status', 'closed_at', 'result', 'district'])
    op.create_index('ix_tickets_kind_received', 'tickets',
                    ['kind', 'received_at', 'status', 'contact_due', 'contacted_at', 'district'])
    op.create_index('ix_outages_kind_start', 'outages', ['kind', 'start'])


def downgrade() -> None:
    op.drop_index('ix_outages_kind_start', 'outages')
    op.drop_index('ix_tickets_kind_received', 'tickets')
    op.drop_index('ix_callback_tasks_done', 'callback_tasks')
    op.drop_index('ix_callback_tasks_opened', 'callback_tasks')
    op.create_index('ix_callback_tasks_opened_at', 'callback_tasks', ['opened_at'])
