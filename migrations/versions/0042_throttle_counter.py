"""throttling counters in the database

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-03 11:20:00

Issue 16: Flask-Limiter's counters live in the database (pilot.services.throttle_storage)
so that every app server and gunicorn worker counts the same hits.
"""
from alembic import op
import sqlalchemy as sa


revision = '0042'
down_revision = '0041'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('throttle_counter',
    sa.Column('sleutel', sa.String(length=512), nullable=False),
    sa.Column('aantal', sa.Integer(), nullable=False),
    sa.Column('verloopt_op', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('sleutel', name=op.f('pk_throttle_counter'))
    )


def downgrade():
    op.drop_table('throttle_counter')
