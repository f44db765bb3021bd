"""grants of the finer dataset extract

Revision ID: 0004
Revises: 0011
Create Date: 2026-12-03 12:00:00

A beheerder grants an evaluator the finer extract of the evaluation dataset for a stated
purpose until a date (issue 10); grants can be revoked.
"""
from alembic import op
import sqlalchemy as sa

import pilot.models.base


revision = '0004'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('extract_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('doel', sa.String(length=500), nullable=False),
    sa.Column('geldig_tot', sa.Date(), nullable=False),
    sa.Column('verleend_door_id', sa.Integer(), nullable=True),
    sa.Column('verleend_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.Column('ingetrokken_op', pilot.models.base.UTCDateTime(), nullable=True),
    sa.Column('ingetrokken_door_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['ingetrokken_door_id'], ['user_account.id'], name=op.f('fk_extract_grant_ingetrokken_door_id_user_account')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_extract_grant_user_id_user_account')),
    sa.ForeignKeyConstraint(['verleend_door_id'], ['user_account.id'], name=op.f('fk_extract_grant_verleend_door_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extract_grant'))
    )
    with op.batch_alter_table('extract_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extract_grant_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('extract_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_extract_grant_user_id'))

    op.drop_table('extract_grant')
