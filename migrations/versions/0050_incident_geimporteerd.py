"""incident.geimporteerd: imported records counted apart in data quality

Revision ID: 0050
Revises: 0042
Create Date: 2026-12-03 09:10:00

An imported record's creation time is the moment of the import, not of registration, so
"registered late" (more than seven days after the incident) is measured only on records
entered through the form; imported ones are counted apart. Existing rows are not imported.
"""
from alembic import op
import sqlalchemy as sa


revision = '0050'
down_revision = '0042'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('geimporteerd', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_column('geimporteerd')
