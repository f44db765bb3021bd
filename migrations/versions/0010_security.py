"""MFA, server-side sessions, lockout, and the audit hash chain

Revision ID: 0010
Revises: 0003
Create Date: 2026-12-03 09:00:00

Users get TOTP fields and a "temporary password" flag; sessions, recovery codes and failed
log-ins get their tables. Existing audit events are chained in id order (see
``pilot.audit_chain``); on PostgreSQL a trigger then refuses UPDATE and DELETE of
``audit_event`` except the retention purge's (``pilot.audit.clear_payload``).
"""
from alembic import op
import sqlalchemy as sa

import pilot.models.base
from pilot.audit_chain import GENESIS, event_hash, payload_hash

revision = '0010'
down_revision = '0003'
branch_labels = None
depends_on = None

GUARD = """
CREATE FUNCTION audit_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND current_setting('pilot.retention_purge', true) = 'on'
     AND NEW.id = OLD.id AND NEW.volgnummer = OLD.volgnummer AND NEW.tijdstip = OLD.tijdstip
     AND NEW.user_id IS NOT DISTINCT FROM OLD.user_id AND NEW.actor = OLD.actor
     AND NEW.actie = OLD.actie AND NEW.entiteit = OLD.entiteit
     AND NEW.entiteit_id IS NOT DISTINCT FROM OLD.entiteit_id
     AND NEW.gemeente_id IS NOT DISTINCT FROM OLD.gemeente_id
     AND NEW.payload_hash = OLD.payload_hash AND NEW.vorige_hash = OLD.vorige_hash
     AND NEW.hash = OLD.hash AND NEW.payload_gewist_op IS NOT NULL
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_event: alleen toevoegen; wijzigen of verwijderen is geweigerd'
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_guard();
"""


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wachtwoord_tijdelijk', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('mfa_actief', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('totp_laatste_stap', sa.Integer(), nullable=True))
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('wachtwoord_tijdelijk', server_default=None)
        batch_op.alter_column('mfa_actief', server_default=None)

    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('aangemaakt_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.Column('laatst_actief_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.Column('beeindigd_op', pilot.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_session_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_session_token_hash'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)

    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('gebruikt_op', pilot.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_recovery_code_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_recovery_code_code_hash'))
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_user_id'), ['user_id'], unique=False)

    op.create_table('login_failure',
    sa.Column('sleutel', sa.String(length=64), nullable=False),
    sa.Column('aantal', sa.Integer(), nullable=False),
    sa.Column('laatste_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.Column('geblokkeerd_tot', pilot.models.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('sleutel', name=op.f('pk_login_failure'))
    )

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('volgnummer', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('payload_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('vorige_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('payload_gewist_op', pilot.models.base.UTCDateTime(), nullable=True))
    _chain_existing_events()
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        for name in ('volgnummer', 'payload_hash', 'vorige_hash', 'hash'):
            batch_op.alter_column(name, nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_volgnummer'), ['volgnummer'])
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(GUARD)


def _chain_existing_events():
    table = sa.table(
        'audit_event',
        sa.column('id', sa.Integer()),
        sa.column('tijdstip', pilot.models.base.UTCDateTime()),
        sa.column('user_id', sa.Integer()),
        sa.column('actor', sa.String()),
        sa.column('actie', sa.String()),
        sa.column('entiteit', sa.String()),
        sa.column('entiteit_id', sa.String()),
        sa.column('gemeente_id', sa.Integer()),
        sa.column('details', sa.JSON()),
        sa.column('volgnummer', sa.Integer()),
        sa.column('payload_hash', sa.String()),
        sa.column('vorige_hash', sa.String()),
        sa.column('hash', sa.String()),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(table).order_by(table.c.id)).mappings().all()
    previous = GENESIS
    for number, row in enumerate(rows, start=1):
        payload = payload_hash(row['details'])
        current = event_hash(number, row, payload, previous)
        bind.execute(
            table.update()
            .where(table.c.id == row['id'])
            .values(volgnummer=number, payload_hash=payload, vorige_hash=previous, hash=current)
        )
        previous = current


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER audit_event_append_only ON audit_event')
        op.execute('DROP FUNCTION audit_event_guard()')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_event_volgnummer'), type_='unique')
        for name in ('payload_gewist_op', 'hash', 'vorige_hash', 'payload_hash', 'volgnummer'):
            batch_op.drop_column(name)
    op.drop_table('login_failure')
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_user_id'))
    op.drop_table('recovery_code')
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))
    op.drop_table('user_session')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        for name in ('totp_laatste_stap', 'mfa_actief', 'totp_secret', 'wachtwoord_tijdelijk'):
            batch_op.drop_column(name)
