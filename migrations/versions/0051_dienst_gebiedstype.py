"""dienst.gebiedstype and the code list 'Type gebied' as the next codebook version

Revision ID: 0051
Revises: 0043
Create Date: 2026-12-03 14:40:00

The evaluation relates effort to where incidents happen, so a dienst gets a coded type of
area beside its free-text ``gebied``. The list is stored like every other code list (the
beheerder can correct a label or add a code): it is written as the next version of the
codebook, after whatever versions the beheerder made, with the codes of
``pilot.codes.ADDED`` (never edited). Existing diensten keep NULL, which means unknown
(recorded before the type was asked): guessing "overig" would count them as a real
category. A plain ADD COLUMN, no batch recreate: the table keeps its indexes (dienst has
no data-version triggers, migrations 0041/0043).
"""
from alembic import op
import sqlalchemy as sa

import pilot.models.base
from pilot import clock
from pilot.codes import ADDED

revision = '0051'
down_revision = '0043'
branch_labels = None
depends_on = None

LIST = next(added for added in ADDED if added.code_list.name == 'gebiedstype')

versie_table = sa.table(
    'codeboek_versie',
    sa.column('versie', sa.Integer()),
    sa.column('tijdstip', pilot.models.base.UTCDateTime()),
    sa.column('actor', sa.String()),
    sa.column('codelijst', sa.String()),
    sa.column('wijziging', sa.String()),
)
lijst_table = sa.table(
    'codelijst',
    sa.column('naam', sa.String()),
    sa.column('titel', sa.String()),
    sa.column('positie', sa.Integer()),
    sa.column('uitbreidbaar', sa.Boolean()),
)
code_table = sa.table(
    'codelijst_code',
    sa.column('codelijst', sa.String()),
    sa.column('code', sa.String()),
    sa.column('label', sa.String()),
    sa.column('positie', sa.Integer()),
    sa.column('sinds_versie', sa.Integer()),
)


def upgrade():
    op.add_column('dienst', sa.Column('gebiedstype', sa.String(length=30), nullable=True))
    connection = op.get_bind()
    versie = connection.execute(sa.select(sa.func.max(versie_table.c.versie))).scalar()
    versie = (versie or 0) + 1
    positie = connection.execute(sa.select(sa.func.max(lijst_table.c.positie))).scalar()
    positie = -1 if positie is None else positie
    code_list = LIST.code_list
    op.bulk_insert(versie_table, [{
        'versie': versie,
        'tijdstip': clock.now(),
        'actor': 'systeem',
        'codelijst': code_list.name,
        'wijziging': LIST.wijziging,
    }])
    op.bulk_insert(lijst_table, [{
        'naam': code_list.name,
        'titel': code_list.titel,
        'positie': positie + 1,
        'uitbreidbaar': code_list.uitbreidbaar,
    }])
    op.bulk_insert(code_table, [
        {'codelijst': code_list.name, 'code': c.code, 'label': c.label, 'positie': i,
         'sinds_versie': versie}
        for i, c in enumerate(code_list.codes)
    ])


def downgrade():
    """Drops the column, the list with its codes and the versions that concern it."""
    name = LIST.code_list.name
    op.execute(code_table.delete().where(code_table.c.codelijst == name))
    op.execute(lijst_table.delete().where(lijst_table.c.naam == name))
    op.execute(versie_table.delete().where(versie_table.c.codelijst == name))
    op.drop_column('dienst', 'gebiedstype')  # SQLite >= 3.35 drops it in place
