"""tokens can be bound to a crew and revoked; a wall's sign-in remembers the token that opened it

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa
import dashboard.models


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_tokens') as batch:
        batch.add_column(sa.Column('crew_id', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('revoked_at', dashboard.models.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('web_sessions') as batch:
        batch.add_column(sa.Column('via_token', sa.String(length=64), nullable=True))
        batch.create_index(batch.f('ix_web_sessions_via_token'), ['via_token'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('web_sessions') as batch:
        batch.drop_index(batch.f('ix_web_sessions_via_token'))
        batch.drop_column('via_token')
    with op.batch_alter_table('api_tokens') as batch:
        batch.drop_column('revoked_at')
        batch.drop_column('crew_id')
