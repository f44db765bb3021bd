"""incident counts kept on write (incident_telling)

Revision ID: 0043
Revises: 0050
Create Date: 2026-12-03 14:40:00

Issue 16: the outsider publication reads counts per gemeente × month × a few column
combinations and 500 m cells instead of every incident (pilot.models.telling). Triggers
keep them on every insert, update and delete of an incident: SQLite row triggers (an
upsert per kind), PostgreSQL statement triggers with transition tables (one grouped
upsert per statement, so a bulk import costs one aggregate, not a trigger per row).
Existing incidents are counted once here.

A batch ALTER that recreates the incident table on SQLite drops these triggers (and
0041's): such a migration must create them again. 0050 did so: on SQLite the incident's
data-version triggers of 0041 were gone, so an incident change left the version (and the
cached outsider publication) as it was; they are created again here.
"""
from alembic import op
import sqlalchemy as sa


revision = '0043'
down_revision = '0050'
branch_labels = None
depends_on = None

SQLITE_BUMP = (  # as in 0041
    "INSERT INTO data_change (id, versie) VALUES (1, lower(hex(randomblob(16)))) "
    "ON CONFLICT (id) DO UPDATE SET versie = excluded.versie"
)
CELL_M = 500
OFFSET = 1_000_000 // CELL_M
COLUMNS = "(gemeente_id, maand, soort, sleutel, aantal)"
CONFLICT = (
    "ON CONFLICT (gemeente_id, maand, soort, sleutel) "
    "DO UPDATE SET aantal = incident_telling.aantal + excluded.aantal"
)


def _keys(r: str, dialect: str) -> dict[str, str]:
    """The ``sleutel`` of every ``soort`` for the incident row alias ``r`` (pilot.models.telling)."""
    if dialect == "postgresql":
        def cell(v):
            return f"((floor(({r}.{v} + 1000000.0) / {CELL_M}))::bigint - {OFFSET}) * {CELL_M}"
        late = f"{r}.aangemaakt_op - {r}.tijdstip > interval '7 days'"
        txt = "::text"
    else:
        def cell(v):
            return f"(CAST(({r}.{v} + 1000000.0) / {CELL_M} AS INTEGER) - {OFFSET}) * {CELL_M}"
        late = f"julianday({r}.aangemaakt_op) - julianday({r}.tijdstip) > 7"
        txt = ""
    quality = (
        f"(CASE WHEN {r}.geimporteerd = false AND {late} THEN 1 ELSE 0 END"
        f" + CASE WHEN {r}.afdoening = 'proces_verbaal' AND {r}.zaaknummer_hmac IS NULL"
        " THEN 2 ELSE 0 END"
        f" + CASE WHEN {r}.grens_gecontroleerd = false THEN 4 ELSE 0 END"
        f" + CASE WHEN {r}.geimporteerd = true THEN 8 ELSE 0 END)"
    )
    victim = (
        f"CASE WHEN {r}.aantal_slachtoffers = 0 THEN 'geen' WHEN {r}.slachtofferhulp = true"
        " THEN 'doorverwezen' ELSE 'niet_doorverwezen' END"
    )
    return {
        "a": f"{r}.afdoening || '|' || {r}.kleding || '|' || {r}.leeftijd_verdachten || '|' || "
        f"{r}.gedragingen{txt}",
        "b": f"{r}.locatie_type || '|' || {r}.kennisname || '|' || {r}.rol_boa",
        "c": f"{r}.weekdag{txt} || '|' || {r}.tijdvak || '|' || {victim} || '|' || {quality}{txt}",
        "cel": f"({cell('rd_x')}){txt} || ':' || ({cell('rd_y')}){txt}",
    }


def _month(r: str, dialect: str) -> str:
    if dialect == "postgresql":
        return f"date_trunc('month', {r}.lokale_datum)::date"
    return f"substr({r}.lokale_datum, 1, 8) || '01'"


def _grouped(source: str, sign: str, dialect: str) -> str:
    """One INSERT … SELECT … GROUP BY of every kind over the rows of ``source``."""
    selects = [
        f"SELECT r.gemeente_id, {_month('r', dialect)}, '{soort}', {key}, {sign}count(*) "
        f"FROM {source} AS r WHERE r.ingetrokken_op IS NULL GROUP BY 1, 2, 4"
        for soort, key in _keys("r", dialect).items()
    ]
    return f"INSERT INTO incident_telling {COLUMNS} " + " UNION ALL ".join(selects) + f" {CONFLICT}"


def _sqlite_row(row: str, sign: str) -> str:
    """The upserts of one row (NEW or OLD) in an SQLite trigger body."""
    return " ".join(
        f"INSERT INTO incident_telling {COLUMNS} SELECT {row}.gemeente_id, "
        f"{_month(row, 'sqlite')}, '{soort}', {key}, {sign}1 "
        f"WHERE {row}.ingetrokken_op IS NULL {CONFLICT};"
        for soort, key in _keys(row, "sqlite").items()
    )


# Columns the counts depend on: an UPDATE that sets none of them leaves the counts alone.
COUNTED = (
    "gemeente_id, lokale_datum, ingetrokken_op, afdoening, kleding, leeftijd_verdachten, "
    "gedragingen, locatie_type, kennisname, rol_boa, weekdag, tijdvak, aantal_slachtoffers, "
    "slachtofferhulp, geimporteerd, aangemaakt_op, tijdstip, zaaknummer_hmac, "
    "grens_gecontroleerd, rd_x, rd_y"
)


def upgrade():
    op.create_table('incident_telling',
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('maand', sa.Date(), nullable=False),
    sa.Column('soort', sa.String(length=8), nullable=False),
    sa.Column('sleutel', sa.String(length=200), nullable=False),
    sa.Column('aantal', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('gemeente_id', 'maand', 'soort', 'sleutel', name=op.f('pk_incident_telling')),
    sqlite_with_rowid=False,  # the key is the table: one B-tree per upsert, not two
    )
    dialect = op.get_bind().dialect.name
    op.execute(_grouped("incident", "", dialect))
    if dialect == "postgresql":
        bodies = {
            "insert": _grouped("nieuw", "", dialect),
            "delete": _grouped("oud", "-", dialect),
            "update": _grouped("oud", "-", dialect) + "; " + _grouped("nieuw", "", dialect),
        }
        referencing = {
            "insert": "NEW TABLE AS nieuw",
            "delete": "OLD TABLE AS oud",
            "update": "OLD TABLE AS oud NEW TABLE AS nieuw",
        }
        for event, body in bodies.items():
            op.execute(
                f"CREATE FUNCTION pilot_incident_telling_{event}() RETURNS trigger AS $$ BEGIN "
                f"{body}; RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            op.execute(
                f"CREATE TRIGGER trg_incident_telling_{event} AFTER {event.upper()} ON incident "
                f"REFERENCING {referencing[event]} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION pilot_incident_telling_{event}()"
            )
    else:
        for event in ("INSERT", "UPDATE", "DELETE"):  # 0041's, dropped by 0050's batch ALTER
            op.execute(
                f"CREATE TRIGGER IF NOT EXISTS trg_incident_{event.lower()}_data_change AFTER "
                f"{event} ON incident BEGIN {SQLITE_BUMP}; END"
            )
        op.execute(
            "CREATE TRIGGER trg_incident_telling_insert AFTER INSERT ON incident "
            f"BEGIN {_sqlite_row('NEW', '')} END"
        )
        op.execute(
            "CREATE TRIGGER trg_incident_telling_delete AFTER DELETE ON incident "
            f"BEGIN {_sqlite_row('OLD', '-')} END"
        )
        op.execute(
            f"CREATE TRIGGER trg_incident_telling_update AFTER UPDATE OF {COUNTED} ON incident "
            f"BEGIN {_sqlite_row('OLD', '-')} {_sqlite_row('NEW', '')} END"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS trg_incident_telling_{event} ON incident")
            op.execute(f"DROP FUNCTION IF EXISTS pilot_incident_telling_{event}()")
    else:
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS trg_incident_telling_{event}")
    op.drop_table('incident_telling')
