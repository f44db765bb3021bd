"""unique case number per gemeente and unique fingerprint of live incidents

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 10:00:00

Two simultaneous confirms of one import once wrote every row twice. Existing duplicates
are resolved first, keeping the oldest record: a later record with the same case number
loses its hash (and is withdrawn when live); a later live record without case number with
the same fingerprint is withdrawn. Each resolved record gets one audit event, chained.
"""
from alembic import op
import sqlalchemy as sa

import pilot.models.base
from pilot import clock
from pilot.audit_chain import link

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

LIVE_WITHOUT_CASE_NUMBER = 'ingetrokken_op IS NULL AND zaaknummer_hmac IS NULL'
REASON = 'Dubbel: opgeruimd bij het uniek maken (migratie 0011)'

incident = sa.table(
    'incident',
    sa.column('id', sa.Integer()),
    sa.column('gemeente_id', sa.Integer()),
    sa.column('zaaknummer_hmac', sa.String()),
    sa.column('vingerafdruk', sa.String()),
    sa.column('ingetrokken_op', pilot.models.base.UTCDateTime()),
    sa.column('intrek_reden', sa.String()),
    sa.column('version', sa.Integer()),
)
audit_event = sa.table(
    'audit_event',
    sa.column('tijdstip', pilot.models.base.UTCDateTime()),
    sa.column('details', sa.JSON()),
    *(sa.column(name) for name in (
        'user_id', 'actor', 'actie', 'entiteit', 'entiteit_id', 'gemeente_id',
        'volgnummer', 'payload_hash', 'vorige_hash', 'hash',
    )),
)


def _later_duplicates(bind, columns, where=None):
    query = sa.select(incident.c.id, incident.c.gemeente_id, *columns).order_by(incident.c.id)
    if where is not None:
        query = query.where(where)
    seen, later = set(), []
    for row in bind.execute(query):
        key = tuple(row[1:])
        if None in key[1:]:
            continue
        if key in seen:
            later.append((row[0], row[1]))
        seen.add(key)
    return later


def _resolve(bind, ids, values, how):
    events = []
    for incident_id, gemeente_id in ids:
        bind.execute(incident.update().where(incident.c.id == incident_id).values(**values))
        events.append({
            'tijdstip': clock.now(), 'user_id': None, 'actor': 'migratie', 'actie': 'intrekken',
            'entiteit': 'incident', 'entiteit_id': str(incident_id), 'gemeente_id': gemeente_id,
            'details': {'reden': how},
        })
    if events:
        bind.execute(audit_event.insert(), link(bind, events))


def upgrade():
    bind = op.get_bind()
    now = clock.now()
    withdraw = {
        'ingetrokken_op': sa.func.coalesce(incident.c.ingetrokken_op, now),
        'intrek_reden': sa.func.coalesce(incident.c.intrek_reden, REASON),
        'version': incident.c.version + 1,
    }
    _resolve(
        bind,
        _later_duplicates(bind, [incident.c.zaaknummer_hmac]),
        {**withdraw, 'zaaknummer_hmac': None},
        'dubbel zaaknummer',
    )
    _resolve(
        bind,
        _later_duplicates(
            bind,
            [incident.c.vingerafdruk],
            sa.and_(incident.c.ingetrokken_op.is_(None), incident.c.zaaknummer_hmac.is_(None)),
        ),
        withdraw,
        'dubbele vingerafdruk',
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            'uq_incident_zaaknummer', ['gemeente_id', 'zaaknummer_hmac']
        )
        batch_op.create_index(
            'uq_incident_vingerafdruk_live',
            ['vingerafdruk'],
            unique=True,
            sqlite_where=sa.text(LIVE_WITHOUT_CASE_NUMBER),
            postgresql_where=sa.text(LIVE_WITHOUT_CASE_NUMBER),
        )


def downgrade():
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index('uq_incident_vingerafdruk_live')
        batch_op.drop_constraint('uq_incident_zaaknummer', type_='unique')
