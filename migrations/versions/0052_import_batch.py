"""import_batch: a large import written in short transactions

Revision ID: 0052
Revises: 0051
Create Date: 2026-12-03 21:40:00

Issue 16: a 100,000-row import held SQLite's write lock (and PostgreSQL's kept-count rows)
for its whole transaction, so every other user's save waited up to 14 s. The import job
now writes chunks in their own transactions; ``incident.import_batch`` names the job that
wrote a row, ``import_batch`` says whether that import finished (else its rows are deleted
again). The column is added without a table rebuild, so SQLite keeps the triggers of
0041/0043 on ``incident``.
"""

from alembic import op
import sqlalchemy as sa

import pilot.models.base


revision = "0052"
down_revision = "0051"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "import_batch",
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("gemeente_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("geschreven", sa.Integer(), nullable=False),
        sa.Column("melding", sa.Text(), nullable=True),
        sa.Column("gestart_op", pilot.models.base.UTCDateTime(), nullable=False),
        sa.Column("klaar_op", pilot.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["gemeente_id"], ["gemeente.id"], name=op.f("fk_import_batch_gemeente_id_gemeente")
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_import_batch")),
    )
    op.add_column("incident", sa.Column("import_batch", sa.String(length=32), nullable=True))
    op.create_index(op.f("ix_incident_import_batch"), "incident", ["import_batch"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_incident_import_batch"), table_name="incident")
    op.drop_column("incident", "import_batch")  # no rebuild: the triggers stay
    op.drop_table("import_batch")
