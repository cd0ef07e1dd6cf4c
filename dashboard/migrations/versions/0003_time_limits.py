"""work orders carry their restoration limit, the due time running now, 催办 level, overdue, next escalation

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa
import dashboard.models


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('work_orders') as batch:
        batch.add_column(sa.Column('restore_due', dashboard.models.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('due_at', dashboard.models.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('level', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('overdue', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('escalate_at', dashboard.models.UTCDateTime(timezone=True), nullable=True))
        batch.create_index(batch.f('ix_work_orders_escalate_at'), ['escalate_at'], unique=False)
        batch.create_index(batch.f('ix_work_orders_due_at'), ['due_at'], unique=False)
    # Orders open before this version: escalate_at in the past puts each through the first sweep once.
    op.execute(sa.text("UPDATE work_orders SET escalate_at = reported_at, due_at = arrival_due WHERE status IN "
                       "('received', 'dispatched', 'accepted', 'en_route', 'on_site')"))


def downgrade() -> None:
    with op.batch_alter_table('work_orders') as batch:
        batch.drop_index(batch.f('ix_work_orders_due_at'))
        batch.drop_index(batch.f('ix_work_orders_escalate_at'))
        batch.drop_column('due_at')
        batch.drop_column('escalate_at')
        batch.drop_column('overdue')
        batch.drop_column('level')
        batch.drop_column('restore_due')
