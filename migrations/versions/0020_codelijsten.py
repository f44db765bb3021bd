"""stored code lists: codeboek_versie, codelijst, codelijst_code; version 1 seeded

Revision ID: 0020
Revises: 0030
Create Date: 2026-12-03 08:40:00

The code lists move from constants in ``pilot/codes.py`` to the database so that the
beheerder can correct a label or add a code without a code change. Version 1 of the
codebook is exactly the lists as they were (``pilot.codes.SEED``, which is never edited).
"""
from alembic import op
import sqlalchemy as sa

import pilot.models.base
from pilot import clock
from pilot.codes import SEED

revision = '0020'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade():
    versie = op.create_table('codeboek_versie',
    sa.Column('versie', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('tijdstip', pilot.models.base.UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('codelijst', sa.String(length=40), nullable=True),
    sa.Column('wijziging', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('versie', name=op.f('pk_codeboek_versie'))
    )
    lijst = op.create_table('codelijst',
    sa.Column('naam', sa.String(length=40), nullable=False),
    sa.Column('titel', sa.String(length=200), nullable=False),
    sa.Column('positie', sa.Integer(), nullable=False),
    sa.Column('uitbreidbaar', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('naam', name=op.f('pk_codelijst')),
    sa.UniqueConstraint('positie', name=op.f('uq_codelijst_positie'))
    )
    code = op.create_table('codelijst_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('codelijst', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('positie', sa.Integer(), nullable=False),
    sa.Column('sinds_versie', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['codelijst'], ['codelijst.naam'], name=op.f('fk_codelijst_code_codelijst_codelijst')),
    sa.ForeignKeyConstraint(['sinds_versie'], ['codeboek_versie.versie'], name=op.f('fk_codelijst_code_sinds_versie_codeboek_versie')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_codelijst_code')),
    sa.UniqueConstraint('codelijst', 'code', name='uq_codelijst_code_code'),
    sa.UniqueConstraint('codelijst', 'positie', name='uq_codelijst_code_positie')
    )
    op.bulk_insert(versie, [{
        'versie': 1,
        'tijdstip': clock.now(),
        'actor': 'systeem',
        'wijziging': 'Eerste versie van het codeboek.',
    }])
    op.bulk_insert(lijst, [
        {'naam': cl.name, 'titel': cl.titel, 'positie': i, 'uitbreidbaar': cl.uitbreidbaar}
        for i, cl in enumerate(SEED)
    ])
    op.bulk_insert(code, [
        {'codelijst': cl.name, 'code': c.code, 'label': c.label, 'positie': i, 'sinds_versie': 1}
        for cl in SEED for i, c in enumerate(cl.codes)
    ])


def downgrade():
    op.drop_table('codelijst_code')
    op.drop_table('codelijst')
    op.drop_table('codeboek_versie')
