"""background jobs, stored files and import uploads

Revision ID: 0040
Revises: 0021
Create Date: 2026-12-03 10:30:00

Issue 16: jobs run by the queue worker (import confirm, reports, dataset, retention purge)
and the files the app keeps in the database instead of the instance folder.
"""
from alembic import op
import sqlalchemy as sa

import pilot.models.base


revision = '0040'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sleutel', sa.String(length=64), nullable=False),
    sa.Column('naam', sa.String(length=200), nullable=False),
    sa.Column('mimetype', sa.String(length=100), nullable=False),
    sa.Column('grootte', sa.Integer(), nullable=False),
    sa.Column('inhoud', sa.LargeBinary(), nullable=False),
    sa.Column('aangemaakt_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.Column('verloopt_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_file')),
    sa.UniqueConstraint('sleutel', name=op.f('uq_stored_file_sleutel'))
    )
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_file_verloopt_op'), ['verloopt_op'], unique=False)

    op.create_table('job',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('soort', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=True),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('omschrijving', sa.String(length=200), nullable=False),
    sa.Column('melding', sa.Text(), nullable=True),
    sa.Column('resultaat_sleutel', sa.String(length=64), nullable=True),
    sa.Column('worker', sa.String(length=100), nullable=True),
    sa.Column('pogingen', sa.Integer(), nullable=False),
    sa.Column('aangemaakt_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.Column('gestart_op', pilot.models.base.UTCDateTime(), nullable=True),
    sa.Column('klaar_op', pilot.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_job_gemeente_id_gemeente')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_job_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_user_id'), ['user_id'], unique=False)
    op.create_table('import_upload',
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('bestand', sa.String(length=200), nullable=False),
    sa.Column('meta', sa.JSON(), nullable=False),
    sa.Column('bestand_sleutel', sa.String(length=64), nullable=True),
    sa.Column('fouten_sleutel', sa.String(length=64), nullable=True),
    sa.Column('geclaimd', sa.Boolean(), nullable=False),
    sa.Column('aangemaakt_op', pilot.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_import_upload_gemeente_id_gemeente')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_import_upload_user_id_user_account')),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_import_upload'))
    )
    with op.batch_alter_table('import_upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_upload_aangemaakt_op'), ['aangemaakt_op'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_upload_gemeente_id'), ['gemeente_id'], unique=False)


def downgrade():
    with op.batch_alter_table('import_upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_upload_gemeente_id'))
        batch_op.drop_index(batch_op.f('ix_import_upload_aangemaakt_op'))
    op.drop_table('import_upload')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_user_id'))
        batch_op.drop_index(batch_op.f('ix_job_status'))
    op.drop_table('job')
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_file_verloopt_op'))
    op.drop_table('stored_file')
