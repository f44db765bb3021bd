"""gemeenten from the web: gemeente.actief and the CBS list of all gemeenten per year

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 09:00:00

A gemeente can be deactivated without deleting it (no new records; everything it has
stays). ``cbs_gemeente`` holds the CBS list of every gemeente of a boundary year, from
which the beheerder adds a gemeente to the pilot.
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (also on SQLite): a batch copy of gemeente would drop the table
    # that incidents, boa's and users refer to, which SQLite refuses on a filled database.
    op.add_column('gemeente', sa.Column('actief', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.create_table('cbs_gemeente',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('jaar', sa.Integer(), nullable=False),
    sa.Column('cbs_code', sa.String(length=6), nullable=False),
    sa.Column('naam', sa.String(length=100), nullable=False),
    sa.Column('provincie', sa.String(length=50), nullable=True),
    sa.Column('inwoners', sa.Integer(), nullable=True),
    sa.Column('grens_rd_wkb', sa.LargeBinary(), nullable=True),
    sa.Column('grens_bron', sa.String(length=300), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cbs_gemeente')),
    sa.UniqueConstraint('jaar', 'cbs_code', name='uq_cbs_gemeente_jaar_code')
    )


def downgrade():
    op.drop_table('cbs_gemeente')
    op.drop_column('gemeente', 'actief')
