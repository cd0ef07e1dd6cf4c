"""grid contacts (网格经理, 电力联络员) and the notices' outbox

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

import dashboard.models

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

TIME = dashboard.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'grid_contacts',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('grid_id', sa.String(64), nullable=False),
        sa.Column('role', sa.String(16), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(64), nullable=False),
        sa.Column('phone', sa.String(16), nullable=False),
        sa.Column('village', sa.String(64), nullable=True),
        sa.Column('email', sa.String(254), nullable=True),
        sa.Column('updated_at', TIME, nullable=False))
    op.create_index('ix_grid_contacts_grid_id', 'grid_contacts', ['grid_id'])
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('notice_id', sa.String(160), nullable=False),
        sa.Column('channel', sa.String(32), nullable=False),
        sa.Column('event', sa.String(24), nullable=False),
        sa.Column('subject', sa.String(16), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('grid_id', sa.String(64), nullable=True),
        sa.Column('recipients', sa.JSON(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(8), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('queued_at', TIME, nullable=False),
        sa.Column('next_at', TIME, nullable=False),
        sa.Column('last_attempt_at', TIME, nullable=True),
        sa.Column('sent_at', TIME, nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('claimed_by', sa.String(64), nullable=True),
        sa.Column('claimed_until', TIME, nullable=True),
        sa.UniqueConstraint('notice_id', 'channel', name='uq_notifications_notice_channel'))
    op.create_index('ix_notifications_queued_at', 'notifications', ['queued_at'])
    op.create_index('ix_notifications_due', 'notifications', ['status', 'next_at'])
    op.create_index('ix_notifications_subject', 'notifications', ['subject', 'subject_id'])


def downgrade() -> None:
    op.drop_table('notifications')
    op.drop_index('ix_grid_contacts_grid_id', 'grid_contacts')
    op.drop_table('grid_contacts')
