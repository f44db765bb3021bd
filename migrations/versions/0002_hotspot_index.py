"""covering indexes for the hotspot grid

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 20:20:00

The hotspot query groups on rd_x/rd_y with filters on lokale_datum, gemeente_id and
ingetrokken_op; with every column in the index SQLite and PostgreSQL read only the index
(SQLite: "USING COVERING INDEX", PostgreSQL: "Index Only Scan"). The national map of one
quarter seeks on lokale_datum, a gemeente map on gemeente_id.
"""
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

COLUMNS = ['rd_x', 'rd_y', 'ingetrokken_op']


def upgrade():
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index(
            'ix_incident_hotspot_datum', ['lokale_datum', 'gemeente_id', *COLUMNS], unique=False
        )
        batch_op.create_index(
            'ix_incident_hotspot_gemeente', ['gemeente_id', 'lokale_datum', *COLUMNS], unique=False
        )


def downgrade():
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_hotspot_gemeente')
        batch_op.drop_index('ix_incident_hotspot_datum')
