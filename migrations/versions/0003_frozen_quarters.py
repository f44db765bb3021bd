"""frozen counts of purged quarters

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 08:37:06.636204

Retention: before a beheerder purges a gemeente's incidents of a quarter, the counts the
outsider publication needs are stored here (pilot.models.retention).
"""
from alembic import op
import sqlalchemy as sa

import pilot.models.base


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('frozen_quarter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('kwartaal', sa.String(length=7), nullable=False),
    sa.Column('incidenten', sa.Integer(), nullable=False),
    sa.Column('cel_m', sa.SmallInteger(), nullable=False),
    sa.Column('bevroren_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.CheckConstraint('incidenten >= 0', name=op.f('ck_frozen_quarter_incidenten')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_frozen_quarter_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_frozen_quarter')),
    sa.UniqueConstraint('gemeente_id', 'kwartaal', name='uq_frozen_quarter_gemeente_kwartaal')
    )
    op.create_table('frozen_cell',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('frozen_quarter_id', sa.Integer(), nullable=False),
    sa.Column('x', sa.Integer(), nullable=False),
    sa.Column('y', sa.Integer(), nullable=False),
    sa.Column('aantal', sa.Integer(), nullable=False),
    sa.CheckConstraint('aantal > 0', name=op.f('ck_frozen_cell_aantal')),
    sa.ForeignKeyConstraint(['frozen_quarter_id'], ['frozen_quarter.id'], name=op.f('fk_frozen_cell_frozen_quarter_id_frozen_quarter')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_frozen_cell')),
    sa.UniqueConstraint('frozen_quarter_id', 'x', 'y', name='uq_frozen_cell')
    )
    op.create_table('frozen_leaf',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('frozen_quarter_id', sa.Integer(), nullable=False),
    sa.Column('tabel', sa.String(length=30), nullable=False),
    sa.Column('codes', sa.String(length=120), nullable=False),
    sa.Column('aantal', sa.Integer(), nullable=False),
    sa.CheckConstraint('aantal > 0', name=op.f('ck_frozen_leaf_aantal')),
    sa.ForeignKeyConstraint(['frozen_quarter_id'], ['frozen_quarter.id'], name=op.f('fk_frozen_leaf_frozen_quarter_id_frozen_quarter')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_frozen_leaf')),
    sa.UniqueConstraint('frozen_quarter_id', 'tabel', 'codes', name='uq_frozen_leaf')
    )


def downgrade():
    op.drop_table('frozen_leaf')
    op.drop_table('frozen_cell')
    op.drop_table('frozen_quarter')
