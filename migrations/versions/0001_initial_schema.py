"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 19:39:31.202818

"""
from alembic import op
import sqlalchemy as sa

import pilot.models.base

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('gemeente',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cbs_code', sa.String(length=6), nullable=False),
    sa.Column('naam', sa.String(length=100), nullable=False),
    sa.Column('provincie', sa.String(length=50), nullable=False),
    sa.Column('tranche', sa.Integer(), nullable=False),
    sa.Column('pilot_start', sa.Date(), nullable=False),
    sa.Column('pilot_eind', sa.Date(), nullable=True),
    sa.Column('inwoners', sa.Integer(), nullable=True),
    sa.Column('grens_rd_wkb', sa.LargeBinary(), nullable=True),
    sa.Column('grens_bron', sa.String(length=300), nullable=True),
    sa.Column('grens_geladen_op', pilot.models.base.UTCDateTime(), nullable=True),
    sa.CheckConstraint('pilot_eind IS NULL OR pilot_eind >= pilot_start', name=op.f('ck_gemeente_periode')),
    sa.CheckConstraint('tranche >= 1', name=op.f('ck_gemeente_tranche')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gemeente')),
    sa.UniqueConstraint('cbs_code', name=op.f('uq_gemeente_cbs_code'))
    )
    op.create_table('boa',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('personeelsnummer_hmac', sa.String(length=64), nullable=True),
    sa.Column('opleidingsdatum', sa.Date(), nullable=True),
    sa.Column('mandaat_start', sa.Date(), nullable=True),
    sa.Column('mandaat_eind', sa.Date(), nullable=True),
    sa.Column('actief', sa.Boolean(), nullable=False),
    sa.Column('aangemaakt_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.CheckConstraint('mandaat_eind IS NULL OR mandaat_start IS NULL OR mandaat_eind >= mandaat_start', name=op.f('ck_boa_mandaat_periode')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_boa_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_boa')),
    sa.UniqueConstraint('code', name=op.f('uq_boa_code')),
    sa.UniqueConstraint('gemeente_id', 'personeelsnummer_hmac', name='uq_boa_personeelsnummer')
    )
    with op.batch_alter_table('boa', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_boa_gemeente_id'), ['gemeente_id'], unique=False)

    op.create_table('dienst',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.Column('begintijd', sa.Time(), nullable=False),
    sa.Column('eindtijd', sa.Time(), nullable=False),
    sa.Column('duur_minuten', sa.Integer(), nullable=False),
    sa.Column('gebied', sa.String(length=200), nullable=False),
    sa.Column('aantal_uniform', sa.SmallInteger(), nullable=False),
    sa.Column('aantal_burger', sa.SmallInteger(), nullable=False),
    sa.Column('synthetisch', sa.Boolean(), nullable=False),
    sa.Column('aangemaakt_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('aantal_uniform >= 0 AND aantal_burger >= 0', name=op.f('ck_dienst_aantallen')),
    sa.CheckConstraint('duur_minuten > 0', name=op.f('ck_dienst_duur')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_dienst_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dienst'))
    )
    with op.batch_alter_table('dienst', schema=None) as batch_op:
        batch_op.create_index('ix_dienst_gemeente_datum', ['gemeente_id', 'datum'], unique=False)

    op.create_table('politie_cijfer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('maand', sa.Date(), nullable=False),
    sa.Column('meldingen', sa.Integer(), nullable=True),
    sa.Column('aangiftes', sa.Integer(), nullable=True),
    sa.Column('processen_verbaal', sa.Integer(), nullable=True),
    sa.Column('aangemaakt_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.CheckConstraint('(meldingen IS NULL OR meldingen >= 0) AND (aangiftes IS NULL OR aangiftes >= 0) AND (processen_verbaal IS NULL OR processen_verbaal >= 0)', name=op.f('ck_politie_cijfer_aantallen')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_politie_cijfer_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_politie_cijfer')),
    sa.UniqueConstraint('gemeente_id', 'maand', name='uq_politie_cijfer_gemeente_maand')
    )
    with op.batch_alter_table('politie_cijfer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_politie_cijfer_gemeente_id'), ['gemeente_id'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gebruikersnaam', sa.String(length=80), nullable=False),
    sa.Column('naam', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('rol', sa.String(length=20), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=True),
    sa.Column('actief', sa.Boolean(), nullable=False),
    sa.Column('aangemaakt_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.Column('laatst_ingelogd_op', pilot.models.base.UTCDateTime(), nullable=True),
    sa.CheckConstraint("(rol = 'coordinator') = (gemeente_id IS NOT NULL)", name=op.f('ck_user_account_coordinator_gemeente')),
    sa.CheckConstraint("rol IN ('beheerder', 'coordinator', 'evaluator', 'ministerie')", name=op.f('ck_user_account_rol')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_user_account_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('gebruikersnaam', name=op.f('uq_user_account_gebruikersnaam'))
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_gemeente_id'), ['gemeente_id'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tijdstip', pilot.models.base.UTCDateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('actie', sa.String(length=30), nullable=False),
    sa.Column('entiteit', sa.String(length=40), nullable=False),
    sa.Column('entiteit_id', sa.String(length=40), nullable=True),
    sa.Column('gemeente_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_audit_event_gemeente_id_gemeente')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_audit_event_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_entiteit', ['entiteit', 'entiteit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_gemeente_id'), ['gemeente_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_tijdstip'), ['tijdstip'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_user_id'), ['user_id'], unique=False)

    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('boa_id', sa.Integer(), nullable=False),
    sa.Column('tijdstip', pilot.models.base.UTCDateTime(), nullable=False),
    sa.Column('lokale_datum', sa.Date(), nullable=False),
    sa.Column('weekdag', sa.SmallInteger(), nullable=False),
    sa.Column('tijdvak', sa.String(length=10), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('rd_x', sa.Float(), nullable=False),
    sa.Column('rd_y', sa.Float(), nullable=False),
    sa.Column('locatie_type', sa.String(length=30), nullable=False),
    sa.Column('gedragingen', sa.Integer(), nullable=False),
    sa.Column('kennisname', sa.String(length=30), nullable=False),
    sa.Column('kleding', sa.String(length=10), nullable=False),
    sa.Column('rol_boa', sa.String(length=15), nullable=False),
    sa.Column('afdoening', sa.String(length=30), nullable=False),
    sa.Column('aantal_verdachten', sa.SmallInteger(), nullable=False),
    sa.Column('leeftijd_verdachten', sa.String(length=15), nullable=False),
    sa.Column('aantal_slachtoffers', sa.SmallInteger(), nullable=False),
    sa.Column('slachtofferhulp', sa.Boolean(), nullable=False),
    sa.Column('zaaknummer_hmac', sa.String(length=64), nullable=True),
    sa.Column('opmerking', sa.String(length=500), nullable=True),
    sa.Column('vingerafdruk', sa.String(length=64), nullable=False),
    sa.Column('grens_gecontroleerd', sa.Boolean(), nullable=False),
    sa.Column('synthetisch', sa.Boolean(), nullable=False),
    sa.Column('ingetrokken_op', pilot.models.base.UTCDateTime(), nullable=True),
    sa.Column('intrek_reden', sa.String(length=300), nullable=True),
    sa.Column('aangemaakt_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.Column('gewijzigd_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('aantal_slachtoffers >= 0', name=op.f('ck_incident_aantal_slachtoffers')),
    sa.CheckConstraint('aantal_verdachten >= 0', name=op.f('ck_incident_aantal_verdachten')),
    sa.CheckConstraint('gedragingen > 0', name=op.f('ck_incident_gedragingen')),
    sa.ForeignKeyConstraint(['boa_id'], ['boa.id'], name=op.f('fk_incident_boa_id_boa')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_incident_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident'))
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_boa_id'), ['boa_id'], unique=False)
        batch_op.create_index('ix_incident_gemeente_rd', ['gemeente_id', 'rd_x', 'rd_y'], unique=False)
        batch_op.create_index('ix_incident_gemeente_tijdstip', ['gemeente_id', 'tijdstip'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_lokale_datum'), ['lokale_datum'], unique=False)
        batch_op.create_index('ix_incident_rd', ['rd_x', 'rd_y'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_vingerafdruk'), ['vingerafdruk'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_zaaknummer_hmac'), ['zaaknummer_hmac'], unique=False)


def downgrade():
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_zaaknummer_hmac'))
        batch_op.drop_index(batch_op.f('ix_incident_vingerafdruk'))
        batch_op.drop_index('ix_incident_rd')
        batch_op.drop_index(batch_op.f('ix_incident_lokale_datum'))
        batch_op.drop_index('ix_incident_gemeente_tijdstip')
        batch_op.drop_index('ix_incident_gemeente_rd')
        batch_op.drop_index(batch_op.f('ix_incident_boa_id'))

    op.drop_table('incident')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_tijdstip'))
        batch_op.drop_index(batch_op.f('ix_audit_event_gemeente_id'))
        batch_op.drop_index('ix_audit_event_entiteit')

    op.drop_table('audit_event')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_gemeente_id'))

    op.drop_table('user_account')
    with op.batch_alter_table('politie_cijfer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_politie_cijfer_gemeente_id'))

    op.drop_table('politie_cijfer')
    with op.batch_alter_table('dienst', schema=None) as batch_op:
        batch_op.drop_index('ix_dienst_gemeente_datum')

    op.drop_table('dienst')
    with op.batch_alter_table('boa', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_boa_gemeente_id'))

    op.drop_table('boa')
    op.drop_table('gemeente')
