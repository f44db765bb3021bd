"""api tokens and idempotency keys

Revision ID: 0030
Revises: 0004
Create Date: 2026-12-03 09:06:29

API tokens (stored as SHA-256 hashes, scoped to a gemeente and to reading or writing, with
expiry and revocation) and the stored answers of batch writes per Idempotency-Key.
"""
from alembic import op
import sqlalchemy as sa

import pilot.models.base

revision = '0030'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('naam', sa.String(length=100), nullable=False),
    sa.Column('soort', sa.String(length=12), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=True),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('aangemaakt_door_id', sa.Integer(), nullable=False),
    sa.Column('aangemaakt_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.Column('verloopt_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.Column('ingetrokken_op', pilot.models.base.UTCDateTime(), nullable=True),
    sa.Column('ingetrokken_door_id', sa.Integer(), nullable=True),
    sa.Column('laatst_gebruikt_op', pilot.models.base.UTCDateTime(), nullable=True),
    sa.CheckConstraint("(soort = 'gemeente') = (gemeente_id IS NOT NULL)", name=op.f('ck_api_token_gemeente')),
    sa.CheckConstraint("scope IN ('lezen', 'schrijven')", name=op.f('ck_api_token_scope')),
    sa.CheckConstraint("soort = 'gemeente' OR scope = 'lezen'", name=op.f('ck_api_token_alleen_lezen')),
    sa.CheckConstraint("soort IN ('gemeente', 'evaluator', 'ministerie')", name=op.f('ck_api_token_soort')),
    sa.ForeignKeyConstraint(['aangemaakt_door_id'], ['user_account.id'], name=op.f('fk_api_token_aangemaakt_door_id_user_account')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_api_token_gemeente_id_gemeente')),
    sa.ForeignKeyConstraint(['ingetrokken_door_id'], ['user_account.id'], name=op.f('fk_api_token_ingetrokken_door_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_aangemaakt_door_id'), ['aangemaakt_door_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_token_gemeente_id'), ['gemeente_id'], unique=False)

    op.create_table('api_idempotency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('sleutel', sa.String(length=255), nullable=False),
    sa.Column('verzoek_hash', sa.String(length=64), nullable=False),
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.SmallInteger(), nullable=False),
    sa.Column('antwoord', sa.JSON(), nullable=False),
    sa.Column('aantal', sa.Integer(), nullable=False),
    sa.Column('aangemaakt_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_api_idempotency_gemeente_id_gemeente')),
    sa.ForeignKeyConstraint(['token_id'], ['api_token.id'], name=op.f('fk_api_idempotency_token_id_api_token')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_idempotency')),
    sa.UniqueConstraint('gemeente_id', 'sleutel', name='uq_api_idempotency_sleutel')
    )
    with op.batch_alter_table('api_idempotency', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_idempotency_aangemaakt_op'), ['aangemaakt_op'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_idempotency_token_id'), ['token_id'], unique=False)


def downgrade():
    with op.batch_alter_table('api_idempotency', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_idempotency_token_id'))
        batch_op.drop_index(batch_op.f('ix_api_idempotency_aangemaakt_op'))

    op.drop_table('api_idempotency')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_gemeente_id'))
        batch_op.drop_index(batch_op.f('ix_api_token_aangemaakt_door_id'))

    op.drop_table('api_token')
