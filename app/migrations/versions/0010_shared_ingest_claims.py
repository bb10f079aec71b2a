"""shared ingest jobs: a queue of claimed files and the processes that work on it

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

Several ingest processes may run one job on PostgreSQL (`python -m app ingest --join`). The job's
files are listed in `ingest_claim`; each process that works on it has a row in `ingest_worker`
with its own heartbeat; a file is taken by setting its `worker`, done once its `outcome` is set,
and a document is held by one file of the job (`document_id`, unique per job). Created on both
databases, so the schema is one; SQLite jobs never use them (one process writes there).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PublicId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "ingest_worker",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "left_at",
            sa.DateTime(timezone=True),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["ingest_run.id"], name=op.f("fk_ingest_worker_run_id_ingest_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "owner", name=op.f("pk_ingest_worker")),
    )
    op.create_table(
        "ingest_claim",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("source_path", sa.String(length=1000), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.Column("document_id", PublicId, nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["ingest_run.id"], name=op.f("fk_ingest_claim_run_id_ingest_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "source_path", name=op.f("pk_ingest_claim")),
        sa.UniqueConstraint("run_id", "document_id", name=op.f("uq_ingest_claim_run_id")),
    )
    op.create_index("ix_ingest_claim_queue", "ingest_claim", ["run_id", "worker", "position"])


def downgrade() -> None:
    op.drop_index("ix_ingest_claim_queue", table_name="ingest_claim")
    op.drop_table("ingest_claim")
    op.drop_table("ingest_worker")
