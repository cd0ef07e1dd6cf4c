"""callback tasks (回访) and their attempts

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

import dashboard.models

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

TIME = dashboard.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'callback_tasks',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('subject_kind', sa.String(16), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('result', sa.String(16), nullable=True),
        sa.Column('opened_at', TIME, nullable=False),
        sa.Column('due_at', TIME, nullable=False),
        sa.Column('closed_at', TIME, nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('customer_name', sa.String(128), nullable=True),
        sa.Column('phone', sa.String(32), nullable=True),
        sa.Column('district', sa.String(64), nullable=True),
        sa.Column('updated_at', TIME, nullable=False),
        sa.UniqueConstraint('subject_kind', 'subject_id', name='uq_callback_tasks_subject'))
    op.create_index('ix_callback_tasks_opened_at', 'callback_tasks', ['opened_at'])
    op.create_index('ix_callback_tasks_closed_at', 'callback_tasks', ['closed_at'])
    op.create_index('ix_callback_tasks_status_due', 'callback_tasks', ['status', 'due_at'])
    op.create_table(
        'callback_attempts',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('task_id', sa.Integer(), sa.ForeignKey('callback_tasks.id'), nullable=False),
        sa.Column('at', TIME, nullable=False),
        sa.Column('result', sa.String(16), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('actor', sa.String(64), nullable=False),
        sa.Column('external_id', sa.String(64), nullable=True),
        sa.Column('recorded_at', TIME, nullable=False),
        sa.UniqueConstraint('external_id'))
    op.create_index('ix_callback_attempts_task_id', 'callback_attempts', ['task_id'])
    op.create_index('ix_callback_attempts_at', 'callback_attempts', ['at'])


def downgrade() -> None:
    op.drop_table('callback_attempts')
    op.drop_table('callback_tasks')
