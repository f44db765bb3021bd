"""data version kept on write; shared publication cache

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-03 11:00:00

Issue 16: triggers give ``data_change.versie`` a fresh random token on every change of the
tables the outsider publication is computed from, so reading the data version is one row
(pilot.models.cache). SQLite has row triggers only; PostgreSQL gets statement triggers (one
update per statement, also for TRUNCATE).
"""
from alembic import op
import sqlalchemy as sa

import pilot.models.base


revision = '0041'
down_revision = '0040'
branch_labels = None
depends_on = None

TABLES = ("incident", "boa", "gemeente", "politie_cijfer", "frozen_quarter")
SQLITE_BUMP = (
    "INSERT INTO data_change (id, versie) VALUES (1, lower(hex(randomblob(16)))) "
    "ON CONFLICT (id) DO UPDATE SET versie = excluded.versie"
)


def upgrade():
    op.create_table('data_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('versie', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_change'))
    )
    op.create_table('publication_cache',
    sa.Column('sleutel', sa.String(length=64), nullable=False),
    sa.Column('inhoud', sa.LargeBinary(), nullable=False),
    sa.Column('aangemaakt_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('sleutel', name=op.f('pk_publication_cache'))
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION pilot_bump_data_change() RETURNS trigger AS $$ BEGIN "
            "INSERT INTO data_change (id, versie) VALUES (1, md5(random()::text || clock_timestamp()::text)) "
            "ON CONFLICT (id) DO UPDATE SET versie = excluded.versie; RETURN NULL; END $$ "
            "LANGUAGE plpgsql"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER trg_{table}_data_change AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION pilot_bump_data_change()"
            )
    else:
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER trg_{table}_{event.lower()}_data_change AFTER {event} ON {table} "
                    f"BEGIN {SQLITE_BUMP}; END"
                )
    op.execute(SQLITE_BUMP.replace("lower(hex(randomblob(16)))", "'start'"))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_data_change ON {table}")
        op.execute("DROP FUNCTION IF EXISTS pilot_bump_data_change()")
    else:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_{event}_data_change")
    op.drop_table('publication_cache')
    op.drop_table('data_change')
